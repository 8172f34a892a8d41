"""The audit log: sensitive staff acts that are not ticket moves (manual points, exports with contacts).

Ticket moves have their own trail (TicketEvent). This table is for the rest: who did what, to whom,
when, with a short detail — enough for a district to answer "who gave these points" or "who exported
residents' phone numbers" without reading application logs.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, UTCDateTime, utcnow


class AuditEntry(Base):
    __tablename__ = "audit_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), index=True)
    # points_award, points_award_refused, export_contacts
    action: Mapped[str] = mapped_column(String(32), index=True)
    subject_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))  # whom it concerned, if a person
    detail: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
