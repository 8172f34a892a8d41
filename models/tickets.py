"""Tickets, their followers, their audit trail and the category corrections leaders make."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, UTCDateTime, utcnow
from models.org import Department, GroupChat, OrgUnit
from models.people import Person


class Ticket(Base):
    __tablename__ = "ticket"

    id: Mapped[int] = mapped_column(primary_key=True)
    state: Mapped[str] = mapped_column(String(16), default="new", index=True)
    # Optimistic lock: of two people acting at the same moment, one wins, the other is told.
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    category: Mapped[str] = mapped_column(String(32), index=True)
    grid_id: Mapped[int | None] = mapped_column(ForeignKey("org_unit.id"), index=True)
    chat_id: Mapped[int | None] = mapped_column(ForeignKey("group_chat.id"), index=True)
    place_text: Mapped[str] = mapped_column(String(200), default="")
    # Full text for staff with the right role; group chats only ever see a masked summary.
    description: Mapped[str] = mapped_column(Text)
    reporter_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), index=True)
    source_inbox_id: Mapped[int | None] = mapped_column(ForeignKey("inbox_message.id"))
    bot_msg_ref: Mapped[str | None] = mapped_column(String(64), index=True)
    level: Mapped[str] = mapped_column(String(16), default="grid")
    assignee_unit_id: Mapped[int | None] = mapped_column(ForeignKey("org_unit.id"), index=True)
    department_id: Mapped[int | None] = mapped_column(ForeignKey("department.id"), index=True)
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    resolution_note: Mapped[str] = mapped_column(Text, default="")
    deadline_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    rating_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    first_response_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    on_time: Mapped[bool | None] = mapped_column(Boolean)
    # When the ticket first let a deadline pass (set by the sweep that whistles it up). Escalation gives
    # the next level a fresh deadline, so without this a late ticket could still be resolved "on time";
    # once late, a ticket stays late for 按期办结率 and the console's overdue counts, reopened or not.
    missed_deadline_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    satisfaction: Mapped[str | None] = mapped_column(String(16))
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("ticket.id"))
    classifier_confidence: Mapped[float | None]
    # The model was unsure of the category: never shown to residents as guesses, the leader corrects it (改).
    category_unsure: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false(), nullable=False)
    # "urgent" for an emergency (short deadline, pushed at once, sorted first in the console), else "normal".
    priority: Mapped[str] = mapped_column(String(16), default="normal", server_default="normal", index=True)

    grid: Mapped[OrgUnit | None] = relationship(foreign_keys=[grid_id])
    assignee_unit: Mapped[OrgUnit | None] = relationship(foreign_keys=[assignee_unit_id])
    department: Mapped[Department | None] = relationship()
    chat: Mapped[GroupChat | None] = relationship()
    reporter: Mapped[Person | None] = relationship(foreign_keys=[reporter_id])
    followers: Mapped[list[TicketFollower]] = relationship(back_populates="ticket")
    events: Mapped[list[TicketEvent]] = relationship(
        back_populates="ticket", order_by="TicketEvent.id"
    )

    __mapper_args__ = {"version_id_col": version}


class TicketFollower(Base):
    """Someone who reported the same problem again ("+1", "我家也是")."""

    __tablename__ = "ticket_follower"
    __table_args__ = (UniqueConstraint("ticket_id", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("ticket.id"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Added by merging this (duplicate) ticket: an unmerge removes it again.
    merged_from_id: Mapped[int | None] = mapped_column(Integer, nullable=True)

    ticket: Mapped[Ticket] = relationship(back_populates="followers")
    person: Mapped[Person] = relationship()


class TicketEvent(Base):
    """The audit trail: every move, with actor, from → to, note and time."""

    __tablename__ = "ticket_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("ticket.id"), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    action: Mapped[str] = mapped_column(String(24))
    from_state: Mapped[str | None] = mapped_column(String(16))
    to_state: Mapped[str | None] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Moved here from this (duplicate) ticket by a merge; an unmerge moves it back.
    moved_from_id: Mapped[int | None] = mapped_column(Integer, nullable=True)

    ticket: Mapped[Ticket] = relationship(back_populates="events")
    actor: Mapped[Person | None] = relationship()


class CategoryCorrection(Base):
    """A grid leader's correction of the classifier: training data for the next model."""

    __tablename__ = "category_correction"

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("ticket.id"))
    text: Mapped[str] = mapped_column(Text)
    old_intent: Mapped[str | None] = mapped_column(String(16))
    old_category: Mapped[str | None] = mapped_column(String(32))
    new_intent: Mapped[str] = mapped_column(String(16))
    new_category: Mapped[str | None] = mapped_column(String(32))
    by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
