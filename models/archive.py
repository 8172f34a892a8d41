"""The conversation archive's cursor: the last archive seq whose messages are safely in the inbox.

One row per archive (name "wecom"); the puller advances it only after the inbox rows of a
batch are committed, so a crash repeats a batch (deduplicated by the inbox) and never skips one.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, UTCDateTime, utcnow


class ArchiveCursor(Base):
    __tablename__ = "archive_cursor"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger, default=0)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Seq gaps seen so far (a record's seq above the previous one + 1): counted, logged, never fatal.
    gaps: Mapped[int] = mapped_column(Integer, default=0)


class ArchiveParked(Base):
    """An archived record we could not open yet, kept as it came (still encrypted) and retried.

    A missing key version (a rotation not yet configured), a key that does not fit, a body that does
    not decrypt: the cursor moves on past it (other chats keep flowing) and the record waits here,
    tried again with backoff, until it opens (state "done") — nothing is skipped for good.
    """

    __tablename__ = "archive_parked"

    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger, unique=True)
    msgid: Mapped[str] = mapped_column(String(128))
    publickey_ver: Mapped[int] = mapped_column(Integer, default=0)
    encrypt_random_key: Mapped[str] = mapped_column(Text, default="")
    encrypt_chat_msg: Mapped[str] = mapped_column(Text, default="")
    reason: Mapped[str] = mapped_column(String(16))
    detail: Mapped[str] = mapped_column(String(300), default="")
    state: Mapped[str] = mapped_column(String(16), default="parked", index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=1)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
