"""Sandbox transcripts in the bot's database: one per group chat, one per person's app messages.

The rows (models.sandbox.SandboxLine) sit next to the tickets they talk about, so a restart of
`make run` keeps the history as it keeps the tickets, and `make reset-demo` clears both. Every
web thread, the in-process worker and the fake WeCom server's thread write through their own
short session, so a line recorded by any of them is visible to the page at once. Transcripts
are demo data and never hold anything real.

Read markers ("read up to line n") are kept per persona and per transcript, so switching who
you are shows that person's own unread counts.
"""
from __future__ import annotations

import json
import logging
import uuid
from dataclasses import asdict, dataclass, field
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError

from bot.runtime.db import Database
from models.sandbox import SandboxLine, SandboxSetting

log = logging.getLogger(__name__)
MAX_MESSAGES = 2000  # per transcript, as the page reads it; older ones stay in the table, unread
BOT = "bot"
DIRECT = "dm"  # the read marker of a person's app messages (网格哨（应用消息）)


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

    @classmethod
    def from_json(cls, raw: str) -> SandboxMessage:
        return cls(**json.loads(raw))


class TranscriptStore:
    def __init__(self, db: Database):
        self.db = db

    def next_id(self) -> int:
        """Take the next line number (an empty row, filled by add_to_chat/add_to_user)."""
        with self.db.session() as session:
            line = SandboxLine(payload="", sender="")
            session.add(line)
            session.commit()
            return line.id

    def add_to_chat(self, chat_id: str, message: SandboxMessage) -> SandboxMessage:
        return self._write(replace_target(message, chat_id=chat_id))

    def add_to_user(self, user_id: str, message: SandboxMessage) -> SandboxMessage:
        return self._write(replace_target(message, to_user=user_id))

    def _write(self, message: SandboxMessage) -> SandboxMessage:
        with self.db.session() as session:
            line = session.get(SandboxLine, message.id)
            if line is None:  # an id not taken with next_id (a caller's own numbering)
                line = SandboxLine(id=message.id)
                session.add(line)
            line.chat_id = message.chat_id
            line.to_user = None if message.chat_id else message.to_user
            line.sender = message.sender
            line.payload = json.dumps(message.to_json(), ensure_ascii=False)
            session.commit()
        return message

    def replace(self, message: SandboxMessage) -> SandboxMessage:
        """Put a changed message (its card updated) back in place in its transcript."""
        return self._write(message)

    def get(self, message_id: int) -> SandboxMessage | None:
        with self.db.session() as session:
            line = session.get(SandboxLine, message_id)
            return SandboxMessage.from_json(line.payload) if line is not None and line.payload else None

    def chat_messages(self, chat_id: str, after: int = 0) -> list[SandboxMessage]:
        return self._read(SandboxLine.chat_id == chat_id, after)

    def user_messages(self, user_id: str, after: int = 0) -> list[SandboxMessage]:
        return self._read(SandboxLine.to_user == user_id, after)

    def _read(self, where, after: int) -> list[SandboxMessage]:
        with self.db.session() as session:
            rows = session.scalars(
                select(SandboxLine.payload).where(where, SandboxLine.id > after, SandboxLine.payload != "")
                .order_by(SandboxLine.id.desc()).limit(MAX_MESSAGES)).all()
        # Ids are taken in the order things happened, so ascending id is the transcript's order.
        return [SandboxMessage.from_json(raw) for raw in reversed(rows)]

    def last_in_chat(self, chat_id: str) -> SandboxMessage | None:
        return self._last(SandboxLine.chat_id == chat_id)

    def last_to_user(self, user_id: str) -> SandboxMessage | None:
        return self._last(SandboxLine.to_user == user_id)

    def _last(self, where) -> SandboxMessage | None:
        with self.db.session() as session:
            raw = session.scalar(select(SandboxLine.payload).where(where, SandboxLine.payload != "")
                                 .order_by(SandboxLine.id.desc()).limit(1))
        return SandboxMessage.from_json(raw) if raw else None

    def count_in_chat(self, chat_id: str) -> int:
        with self.db.session() as session:
            return int(session.scalar(select(func.count()).select_from(SandboxLine).where(
                SandboxLine.chat_id == chat_id, SandboxLine.payload != "")) or 0)

    # -- read markers, per persona ------------------------------------------------------------
    def mark_read(self, persona: str, transcript: str, up_to: int, *, retry: bool = True) -> int:
        """Persona has read transcript (a chat id, or DIRECT) up to line up_to; markers never move back."""
        key = _read_key(persona, transcript)
        try:
            return self._mark_read(key, up_to)
        except IntegrityError:
            # Two tabs marked the same new transcript at once: the other row is there now.
            if not retry:
                raise
            return self.mark_read(persona, transcript, up_to, retry=False)

    def _mark_read(self, key: str, up_to: int) -> int:
        with self.db.session() as session:
            row = session.get(SandboxSetting, key)
            if row is None:
                row = SandboxSetting(key=key, value=str(up_to))
                session.add(row)
            elif int(row.value or 0) < up_to:
                row.value = str(up_to)
            session.commit()
            return int(row.value)

    def read_up_to(self, persona: str, transcript: str) -> int:
        with self.db.session() as session:
            row = session.get(SandboxSetting, _read_key(persona, transcript))
        return int(row.value) if row is not None and row.value else 0

    def unread(self, persona: str, transcript: str) -> int:
        """Lines in the transcript after persona's marker that someone else wrote."""
        seen = self.read_up_to(persona, transcript)
        where = SandboxLine.to_user == persona if transcript == DIRECT else SandboxLine.chat_id == transcript
        with self.db.session() as session:
            return int(session.scalar(select(func.count()).select_from(SandboxLine).where(
                where, SandboxLine.id > seen, SandboxLine.payload != "", SandboxLine.sender != persona)) or 0)

    # -- the sandbox's own settings ------------------------------------------------------------
    def setting(self, key: str) -> str | None:
        with self.db.session() as session:
            row = session.get(SandboxSetting, key)
        return row.value if row is not None else None

    def set_setting(self, key: str, value: str) -> None:
        with self.db.session() as session:
            row = session.get(SandboxSetting, key)
            if row is None:
                session.add(SandboxSetting(key=key, value=value))
            else:
                row.value = value
            session.commit()

    def clear(self) -> None:
        """Forget every transcript, read marker and setting (the demo starts over)."""
        with self.db.session() as session:
            session.execute(delete(SandboxLine))
            session.execute(delete(SandboxSetting))
            session.commit()


def _read_key(persona: str, transcript: str) -> str:
    return f"read:{persona}:{transcript}"


def replace_target(message: SandboxMessage, *, chat_id: str | None = None, to_user: str | None = None) -> SandboxMessage:
    """The message addressed to this chat or person (a caller may have left the field empty)."""
    if chat_id is not None and message.chat_id != chat_id:
        return SandboxMessage(**{**message.to_json(), "chat_id": chat_id})
    if to_user is not None and message.to_user != to_user:
        return SandboxMessage(**{**message.to_json(), "to_user": to_user})
    return message
