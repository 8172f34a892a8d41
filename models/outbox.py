"""The outbox: everything the bot says after the passive reply is a row here first."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, UTCDateTime, utcnow

# pending → sending → sent; failures go back to pending with a later next_attempt_at,
# and after the configured number of tries to dead (an admin can retry it).
OUTBOX_STATES = ("pending", "sending", "sent", "dead")


class OutboxItem(Base):
    __tablename__ = "outbox_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Makes enqueueing idempotent: the same notification is never queued twice.
    dedup_key: Mapped[str] = mapped_column(String(120), unique=True)
    route_kind: Mapped[str] = mapped_column(String(16))
    route_target: Mapped[str] = mapped_column(String(1024))
    member_count: Mapped[int] = mapped_column(Integer, default=1)
    text: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(16), default="pending", index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    last_error: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Set (and committed) right before the API call: a stale "sending" row with it set may
    # have reached WeChat, so on routes without duplicate checking it is never re-sent blindly.
    send_started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("ticket.id"), index=True)
    notice_id: Mapped[int | None] = mapped_column(Integer, index=True)
    # Buttons sent with the text where the route can carry them ("rate:12": 满意/基本满意/不满意).
    card: Mapped[str | None] = mapped_column(String(32))
    # How the text was masked where it was written: None — not at all, so the delivery masks it with
    # the residents' rules before any group reads it; "staff" — staff text already masked with
    # handlers.privacy.mask_staff_text (official hotlines kept), which the delivery must not undo.
    masked: Mapped[str | None] = mapped_column(String(8))
