"""The README's curl recipe: any port, --url with or without the webhook path, and one-line errors."""
from __future__ import annotations

import shlex
import socket
import subprocess
import sys

import pytest

from bot.local.callback_client import main, robot_endpoint
from bot.local.callback_client_decrypt import ReplyError, explain, split_status
from bot.runtime.config import DEMO_AES_KEY, DEMO_TOKEN


def printed(capsys, *argv: str) -> str:
    main([*argv, "--chat", "chat-g1", "--user", "zhangdaye", "3号楼下水道堵了"])
    return capsys.readouterr().out


def test_printed_curl_decrypts_with_the_running_interpreter(capsys, monkeypatch):
    monkeypatch.delenv("SANDBOX_PORT", raising=False)
    monkeypatch.delenv("SANDBOX_HOST", raising=False)
    command = printed(capsys)
    assert command.startswith("curl -sS -X POST 'http://127.0.0.1:5000/wecom/robot?msg_signature=")
    # A new user's shell may find a `python` without the project's packages (or none at all).
    assert f"| {shlex.quote(sys.executable)} -m bot.local.callback_client_decrypt --url " in command


def test_default_port_follows_sandbox_port(capsys, monkeypatch):
    monkeypatch.setenv("SANDBOX_PORT", "8123")
    assert printed(capsys).startswith("curl -sS -X POST 'http://127.0.0.1:8123/wecom/robot?")


@pytest.mark.parametrize("url, endpoint", [
    ("http://127.0.0.1:8000", "http://127.0.0.1:8000/wecom/robot"),
    ("http://127.0.0.1:8000/", "http://127.0.0.1:8000/wecom/robot"),
    ("http://127.0.0.1:8000/wecom/robot", "http://127.0.0.1:8000/wecom/robot"),
    ("http://127.0.0.1:8000/wecom/robot/", "http://127.0.0.1:8000/wecom/robot"),
    ("https://bot.example.cn/gw", "https://bot.example.cn/gw/wecom/robot"),
    ("https://bot.example.cn/gw/wecom/robot", "https://bot.example.cn/gw/wecom/robot"),
])
def test_url_with_or_without_the_path(url, endpoint):
    assert robot_endpoint(url) == endpoint


@pytest.mark.parametrize("url", ["127.0.0.1:5000", "ftp://x/", "http://127.0.0.1:5000/sandbox",
                                 "http://127.0.0.1:5000/wecom/robot?msg_signature=x", "http:///wecom/robot"])
def test_bad_url_is_a_usage_error_not_a_traceback(url, capsys):
    with pytest.raises(SystemExit) as exit_:
        printed(capsys, "--url", url)
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert "--url" in err and "Traceback" not in err


def test_split_status():
    assert split_status('{"a": 1}\n200') == ('{"a": 1}', 200)
    assert split_status("\n200") == ("", 200)
    assert split_status("\n000") == ("", 0)
    assert split_status('{"a": 1}') == ('{"a": 1}', None)  # a hand-written curl without -w
    assert split_status("") == ("", None)


@pytest.mark.parametrize("raw, says", [
    ("\n000", "nothing answered"),
    ("<!doctype html><title>404 Not Found</title>\n404", "not the robot webhook"),
    ('{"error": "internal error"}\n500', "HTTP 500"),
    ("<html>oops</html>\n200", "not JSON"),
    ('{"errcode": 0}\n200', "not an encrypted robot reply"),
    ('{"encrypt": "AAAA", "msgsignature": "x", "timestamp": 1, "nonce": "n"}\n200', "does not decrypt"),
])
def test_what_went_wrong_in_one_sentence(raw, says):
    with pytest.raises(ReplyError, match=says):
        explain(raw, "http://127.0.0.1:5000/wecom/robot", DEMO_TOKEN, DEMO_AES_KEY)


def test_silence_is_not_an_error():
    assert "silent" in explain("\n200", "", DEMO_TOKEN, DEMO_AES_KEY)
    assert "silent" in explain("", "", DEMO_TOKEN, DEMO_AES_KEY)


def _run(command: str) -> subprocess.CompletedProcess:
    return subprocess.run(["sh", "-c", command], capture_output=True, text=True, timeout=60)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_recipe_against_nothing_listening_says_so(capsys):
    command = printed(capsys, "--url", f"http://127.0.0.1:{_free_port()}")
    done = _run(command)
    assert done.returncode == 1
    assert "nothing answered" in done.stderr and "Traceback" not in done.stderr
