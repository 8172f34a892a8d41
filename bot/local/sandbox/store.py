"""Sandbox transcripts in Redis: one list per group chat, one per person's direct messages.

Redis (the app's own client, the embedded stand-in when REDIS_URL is empty) is shared by
every web thread, the in-process worker and the fake WeCom server's thread, so a message
recorded by any of them is visible to the page at once. Transcripts are demo data: they are
lost with the embedded Redis on restart, which is fine, and they never hold anything real.
"""
from __future__ import annotations

import json
import logging
import uuid
from dataclasses import asdict, dataclass, field
from typing import Any

import redis

log = logging.getLogger(__name__)
PREFIX = "gridwhistle:sandbox"
MAX_MESSAGES = 2000  # per transcript; older ones fall off


@dataclass(frozen=True)
class SandboxMessage:
    """One line in a transcript, as the page and the tests see it."""

    id: int
    sender: str  # WeCom user id, or "bot"
    sender_name: str
    text: str
    time: str  # ISO 8601 in the bot's (possibly advanced) clock
    from_bot: bool
    # The WeCom msgid the callback carried; a retry reuses it, a quote refers to it.
    msgid: str = field(default_factory=lambda: uuid.uuid4().hex)
    chat_id: str | None = None
    to_user: str | None = None
    quote: dict[str, Any] | None = None  # {"id", "sender_name", "text"}
    note: str = ""  # e.g. delivery failure, shown small under the bubble
    photos: list[str] = field(default_factory=list)  # data: URLs of the photos a member attached
    via: str = ""  # "voice": sent as a voice message (the text is what WeCom transcribed)
    delivered: bool = True  # False: a line the bot never heard (a "mentions" chat without @)
    card: dict[str, Any] | None = None  # a template card the bot sent with the message
    card_for: dict[str, Any] = field(default_factory=dict)  # user id → that member's own updated card
    card_done: str = ""  # an app card's pressed button, replaced by this name

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


class TranscriptStore:
    def __init__(self, client: redis.Redis, prefix: str = PREFIX):
        self.redis = client
        self.prefix = prefix

    def _key(self, *parts: str) -> str:
        return ":".join((self.prefix, *parts))

    def next_id(self) -> int:
        return int(self.redis.incr(self._key("seq")))

    def add_to_chat(self, chat_id: str, message: SandboxMessage) -> SandboxMessage:
        self._append(self._key("chat", chat_id), message)
        return message

    def add_to_user(self, user_id: str, message: SandboxMessage) -> SandboxMessage:
        self._append(self._key("user", user_id), message)
        return message

    def _append(self, key: str, message: SandboxMessage) -> None:
        data = json.dumps(message.to_json(), ensure_ascii=False)
        pipe = self.redis.pipeline()
        pipe.rpush(key, data)
        pipe.ltrim(key, -MAX_MESSAGES, -1)
        pipe.set(self._key("msg", str(message.id)), data)
        pipe.execute()

    def replace(self, message: SandboxMessage) -> SandboxMessage:
        """Put a changed message (its card updated) back in place in its transcript."""
        key = self._key("chat", message.chat_id) if message.chat_id else self._key("user", message.to_user or "")
        data = json.dumps(message.to_json(), ensure_ascii=False)
        for index, raw in enumerate(self.redis.lrange(key, 0, -1)):
            if json.loads(raw).get("id") == message.id:
                self.redis.lset(key, index, data)
                break
        self.redis.set(self._key("msg", str(message.id)), data)
        return message

    def get(self, message_id: int) -> SandboxMessage | None:
        raw = self.redis.get(self._key("msg", str(message_id)))
        return SandboxMessage(**json.loads(raw)) if raw else None

    def chat_messages(self, chat_id: str, after: int = 0) -> list[SandboxMessage]:
        return self._read(self._key("chat", chat_id), after)

    def user_messages(self, user_id: str, after: int = 0) -> list[SandboxMessage]:
        return self._read(self._key("user", user_id), after)

    def _read(self, key: str, after: int) -> list[SandboxMessage]:
        found = [SandboxMessage(**json.loads(raw)) for raw in self.redis.lrange(key, 0, -1)]
        # Ids come from one counter, so sorting by id is the order things happened in.
        return sorted((m for m in found if m.id > after), key=lambda m: m.id)

    def last_in_chat(self, chat_id: str) -> SandboxMessage | None:
        raw = self.redis.lindex(self._key("chat", chat_id), -1)
        return SandboxMessage(**json.loads(raw)) if raw else None

    def count_in_chat(self, chat_id: str) -> int:
        return int(self.redis.llen(self._key("chat", chat_id)))
