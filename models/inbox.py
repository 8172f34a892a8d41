"""The durable inbox: every accepted message is a row here before anything else happens."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, UTCDateTime, utcnow

INBOX_STATES = ("received", "processed", "failed")


class InboxMessage(Base):
    __tablename__ = "inbox_message"
    # The authoritative dedup key: WeChat's retries and replays hit this constraint.
    __table_args__ = (UniqueConstraint("channel", "msg_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(16))
    msg_id: Mapped[str] = mapped_column(String(64))
    msg_type: Mapped[str] = mapped_column(String(16))
    chat_id: Mapped[str | None] = mapped_column(String(64), index=True)
    sender_id: Mapped[str] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(Text, default="")
    quote_id: Mapped[str | None] = mapped_column(String(64))
    quote_text: Mapped[str | None] = mapped_column(Text)
    raw: Mapped[str] = mapped_column(Text, default="")
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    status: Mapped[str] = mapped_column(String(16), default="received", index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(String(300))
    # The passive reply we gave, as delivered (masked as it went into a group), replayed verbatim
    # if WeChat retries.
    reply_text: Mapped[str | None] = mapped_column(Text)
    processed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    intent: Mapped[str | None] = mapped_column(String(16))
    # What the door read beyond the text, as JSON, so a retry rebuilds the same message:
    # {"via": "voice"|"mixed"|"card", "photos": [download URLs], "response_url": "…"}.
    extras: Mapped[str | None] = mapped_column(Text)
    # When the sender recalled (撤回) the message, as the conversation archive reports it.
    recalled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
