"""Talk to the bot like WeCom does: signed, encrypted robot callbacks through the real webhook."""
from __future__ import annotations

import itertools
import json

from bot.local.callback_client import decrypt_robot_reply, robot_callback, robot_text
from bot.runtime.config import DEMO_AES_KEY, DEMO_TOKEN

_ids = itertools.count(1)


class ChatDriver:
    def __init__(self, client, token: str = DEMO_TOKEN, aes_key: str = DEMO_AES_KEY):
        self.client, self.token, self.aes_key = client, token, aes_key

    def post(self, chat_id: str, user: str, text: str, quote: str | None = None, msg_id: str | None = None):
        msg_id = msg_id or f"m{next(_ids)}"
        cb = robot_callback(self.token, self.aes_key, robot_text(msg_id, chat_id, user, text, quote_text=quote))
        return self.client.post("/wecom/robot", query_string=cb.params, data=cb.body, content_type=cb.content_type)

    def send(self, message: dict):
        """Any robot callback (image, mixed, voice, card press, refresh): the raw response."""
        cb = robot_callback(self.token, self.aes_key, message)
        return self.client.post("/wecom/robot", query_string=cb.params, data=cb.body, content_type=cb.content_type)

    def answer(self, message: dict) -> dict | None:
        """The decrypted plaintext of the bot's answer to any robot callback (None: an empty answer)."""
        resp = self.send(message)
        assert resp.status_code == 200, resp.data
        return decrypt_robot_reply(self.token, self.aes_key, json.loads(resp.data)) if resp.data else None

    def say(self, chat_id: str, user: str, text: str, quote: str | None = None, msg_id: str | None = None) -> str:
        """The bot's passive reply text ("" when it stays silent)."""
        resp = self.post(chat_id, user, text, quote, msg_id)
        assert resp.status_code == 200, resp.data
        if not resp.data:
            return ""
        plain = decrypt_robot_reply(self.token, self.aes_key, json.loads(resp.data))
        return plain["stream"]["content"]
