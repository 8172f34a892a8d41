"""The local sandbox's own memory: its chat transcripts and its moved clock.

The sandbox (bot/local/sandbox) stands in for WeCom's chat history, which the bot itself never
keeps. These rows live in the bot's database, next to the tickets they talk about, so a restart
of `make run` keeps both or (`make reset-demo`) loses both: history that vanished while tickets
stayed, or a clock that jumped back so old tickets were dated in the future, confused newcomers.
A production deployment never writes here (the sandbox refuses to run in production).
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, UTCDateTime, utcnow


class SandboxLine(Base):
    """One line of a sandbox transcript: a group chat's (chat_id) or a person's app messages (to_user).

    The id orders the transcript; it is taken (the row inserted empty) before the line is
    written, as WeCom numbers a message before delivering it, so payload "" is a reserved id.
    """

    __tablename__ = "sandbox_line"
    __table_args__ = (
        Index("ix_sandbox_line_chat", "chat_id", "id"),
        Index("ix_sandbox_line_user", "to_user", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    chat_id: Mapped[str | None] = mapped_column(String(64))
    to_user: Mapped[str | None] = mapped_column(String(64))
    # Who wrote it (a WeCom user id, or "bot"): unread counts leave out a persona's own lines.
    sender: Mapped[str] = mapped_column(String(64), default="")
    payload: Mapped[str] = mapped_column(Text, default="")  # the line as JSON (store.SandboxMessage)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class SandboxSetting(Base):
    """A named value of the sandbox's state that must survive a restart: the clock's offset, and
    each persona's read marker per transcript ("read:<user>:<chat id or dm>")."""

    __tablename__ = "sandbox_setting"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    value: Mapped[str] = mapped_column(Text, default="")
