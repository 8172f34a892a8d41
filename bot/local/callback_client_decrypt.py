"""Read the bot's encrypted robot reply on stdin and print what WeCom would show.

    curl … | python -m bot.local.callback_client_decrypt
"""
from __future__ import annotations

import json
import sys

from bot.local.callback_client import decrypt_robot_reply
from bot.runtime.config import Settings


def main() -> None:
    raw = sys.stdin.read().strip()
    if not raw:
        print("(no reply: the bot stays silent on chit-chat)")
        return
    s = Settings.from_env()
    reply = decrypt_robot_reply(s.robot_token, s.robot_aes_key, json.loads(raw))
    print(json.dumps(reply, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
