"""The README's curl recipe, run as printed (sh, curl, the decrypt step) against a live bot on a free port."""
from __future__ import annotations

import subprocess

import pytest

from bot.local.callback_client import main


def recipe(capsys, url: str, text: str) -> subprocess.CompletedProcess:
    main(["--url", url, "--chat", "chat-g1", "--user", "zhangdaye", text])
    command = capsys.readouterr().out
    return subprocess.run(["sh", "-c", command], capture_output=True, text=True, timeout=90)


@pytest.mark.parametrize("suffix", ["", "/wecom/robot"])
def test_recipe_on_any_port_with_or_without_the_path(live, capsys, suffix):
    base, _ = live
    done = recipe(capsys, base + suffix, "3号楼下水道堵了，污水都冒出来了")
    assert done.returncode == 0, done.stderr
    assert "已登记工单 #" in done.stdout
    quiet = recipe(capsys, base + suffix, "大家早上好")
    assert quiet.returncode == 0, quiet.stderr
    assert "silent" in quiet.stdout


def test_recipe_at_a_wrong_path_says_which(live, capsys):
    base, _ = live
    done = recipe(capsys, base + "/gw", "3号楼下水道堵了")
    assert done.returncode == 1
    assert "not the robot webhook" in done.stderr and "Traceback" not in done.stderr
