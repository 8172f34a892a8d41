"""`make help` lists every documented target with its comment (and a bare `make` does the same)."""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_help_lists_every_phony_target_with_its_comment():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    phony = re.search(r"^\.PHONY:(.*)$", makefile, re.M).group(1).split()
    shown = subprocess.run(["make", "--no-print-directory", "help"], cwd=ROOT, capture_output=True, text=True,
                           timeout=30, check=True).stdout
    listed = dict(re.findall(r"^  make (\S+)\s+(.+)$", shown, re.M))
    assert set(phony) <= set(listed), set(phony) - set(listed)
    assert listed["test"].startswith("The whole test suite")  # a doc above a variable still counts
    assert "make run" in listed["reset-demo"]
    bare = subprocess.run(["make", "--no-print-directory"], cwd=ROOT, capture_output=True, text=True, timeout=30)
    assert bare.stdout == shown
