"""Read the bot's encrypted robot reply on stdin and print what WeCom would show.

    curl … -w '\\n%{http_code}' | python -m bot.local.callback_client_decrypt --url URL

The command bot.local.callback_client prints ends its output with the HTTP status on a line of
its own, so this can tell the bot's silence (200, empty body) from a wrong address or a bot that
is not running, and say which in one line instead of a traceback. A body without that last line
(an older recipe, a hand-written curl) is read as the reply itself.
"""
from __future__ import annotations

import argparse
import json
import re
import sys

from bot.local.callback_client import decrypt_robot_reply
from bot.runtime.config import Settings

STATUS_LINE = re.compile(r"\n?(\d{3})\s*$")


class ReplyError(Exception):
    """Why there is nothing to show, in a sentence for the person at the terminal."""


def split_status(raw: str) -> tuple[str, int | None]:
    """(body, HTTP status) from curl's output with `-w '\\n%{http_code}'`; status None when absent."""
    match = STATUS_LINE.search(raw)
    if match is None or (match.start() > 0 and raw[match.start()] != "\n"):
        return raw.strip(), None
    return raw[:match.start()].strip(), int(match.group(1))


def explain(raw: str, url: str, token: str, aes_key: str) -> str:
    """What the chat would show for this curl output; raises ReplyError saying what went wrong."""
    body, status = split_status(raw)
    where = url or "the bot"
    if status == 0:
        raise ReplyError(f"nothing answered at {where}: is `make run` going, and on this port? "
                         "(pass the address with --url when printing the command)")
    if status == 404:
        raise ReplyError(f"{where} is not the robot webhook (HTTP 404): give --url as the bot's base URL, "
                         "like http://127.0.0.1:5000, or its /wecom/robot URL")
    if status is not None and status != 200:
        raise ReplyError(f"the bot answered HTTP {status}: {body[:200] or '(empty body)'}")
    if not body:
        return "(no reply: the bot stays silent on chit-chat)"
    try:
        reply = json.loads(body)
    except ValueError:
        raise ReplyError(f"the answer is not a robot reply (not JSON): {body[:200]}") from None
    if not isinstance(reply, dict) or not {"encrypt", "msgsignature", "timestamp", "nonce"} <= reply.keys():
        raise ReplyError(f"the answer is not an encrypted robot reply: {body[:200]}")
    try:
        decrypted = decrypt_robot_reply(token, aes_key, reply)
    except ValueError as exc:
        raise ReplyError(f"the reply does not decrypt with this shell's ROBOT_TOKEN/ROBOT_AES_KEY ({exc}); "
                         "run both commands with the bot's settings") from None
    except Exception as exc:  # noqa: BLE001 — wechatpy's own errors, bad base64: one line, no traceback
        raise ReplyError(f"the reply does not decrypt ({type(exc).__name__})") from None
    return json.dumps(decrypted, ensure_ascii=False, indent=2)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="decrypt the bot's robot reply read on stdin")
    ap.add_argument("--url", default="", help="the address the curl posted to (named in error messages)")
    args = ap.parse_args(argv)
    s = Settings.from_env()
    try:
        print(explain(sys.stdin.read(), args.url, s.robot_token, s.robot_aes_key))
    except ReplyError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
