"""The README's curl recipe: the printed command decrypts with this interpreter, not any `python`."""
from __future__ import annotations

import shlex
import sys

from bot.local.callback_client import main


def test_printed_curl_decrypts_with_the_running_interpreter(capsys):
    main(["--chat", "chat-g1", "--user", "zhangdaye", "3号楼下水道堵了"])
    command = capsys.readouterr().out
    assert command.startswith("curl -s -X POST 'http://127.0.0.1:5000/wecom/robot?msg_signature=")
    # A new user's shell may find a `python` without the project's packages (or none at all).
    assert command.rstrip().endswith(f"| {shlex.quote(sys.executable)} -m bot.local.callback_client_decrypt")
