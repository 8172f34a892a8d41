"""Photos residents and staff send: one row per image, from the callback to the stored file.

A row is written in the message's own transaction (so a retry of the message never loses it)
with the short-lived download URL; the worker downloads, decrypts and stores it afterwards
(`state` pending → stored, or failed after its tries / refused as not an image). A photo is
attached to a ticket as the report's evidence or as the resolution photo; until then it waits,
unattached, for the sender's next report within a window.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, UTCDateTime, utcnow

PHOTO_STATES = ("pending", "stored", "failed")
# What a photo is on its ticket: the problem as reported, or the work as done.
PHOTO_ROLES = ("report", "resolution")


class Photo(Base):
    __tablename__ = "photo"
    __table_args__ = (
        # "The sender's unattached photos of the last minutes" and the worker's "due downloads".
        Index("ix_photo_sender_pending", "sender_channel", "sender_id", "ticket_id", "created_at"),
        Index("ix_photo_due", "state", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    inbox_id: Mapped[int | None] = mapped_column(ForeignKey("inbox_message.id"), index=True)
    # Who sent it (identity channel "wecom"/"wechat" + external id) and from which chat.
    sender_channel: Mapped[str] = mapped_column(String(16))
    sender_id: Mapped[str] = mapped_column(String(64))
    chat_external_id: Mapped[str | None] = mapped_column(String(64))
    # The position within its message (a mixed message carries several).
    position: Mapped[int] = mapped_column(Integer, default=0)
    # The download URL as the callback gave it (valid minutes); never logged.
    source_url: Mapped[str] = mapped_column(Text, default="")
    state: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_error: Mapped[str | None] = mapped_column(String(200))
    storage_key: Mapped[str | None] = mapped_column(String(200))
    thumb_key: Mapped[str | None] = mapped_column(String(200))
    content_type: Mapped[str | None] = mapped_column(String(32))
    size_bytes: Mapped[int | None] = mapped_column(Integer)
    width: Mapped[int | None] = mapped_column(Integer)
    height: Mapped[int | None] = mapped_column(Integer)
    sha256: Mapped[str | None] = mapped_column(String(64))
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("ticket.id"), index=True)
    role: Mapped[str | None] = mapped_column(String(16))
    attached_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    stored_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
