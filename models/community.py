"""Beyond tickets: the policy knowledge base, notices, deliberation (议事) and participation points.

Why these shapes:
- Knowledge entries and notices are read by a per-process retrieval index; `CommunityCounter`
  holds version numbers so a process knows when its index is stale without re-reading every row.
- A proposal vote has a unique (proposal, person) key: one voice per person is enforced by the
  database, not by the handler's good intentions.
- Points are a ledger (`PointsEntry`, one row per change, never updated) plus one balance row per
  person (`PointsAccount`) that is only changed by conditional UPDATEs, so two concurrent
  redemptions cannot take the balance below zero. The CHECK constraints are the last guard.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, UTCDateTime, utcnow
from models.org import GroupChat, OrgUnit
from models.people import Person


class CommunityCounter(Base):
    """Named version counters (e.g. "knowledge"), bumped whenever the data behind a cache changes."""

    __tablename__ = "community_counter"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    value: Mapped[int] = mapped_column(Integer, default=0)


class KnowledgeEntry(Base):
    """A staff-written (or leader-answered) policy answer, valid in one org unit and its subtree."""

    __tablename__ = "knowledge_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    question: Mapped[str] = mapped_column(Text)
    # Other ways residents ask the same thing, one per line.
    variants: Mapped[str] = mapped_column(Text, default="")
    answer: Mapped[str] = mapped_column(Text)
    # None = the whole deployment; else this unit (district/street/community/grid) and below.
    org_unit_id: Mapped[int | None] = mapped_column(ForeignKey("org_unit.id"), index=True)
    valid_from: Mapped[datetime | None] = mapped_column(UTCDateTime)
    valid_to: Mapped[datetime | None] = mapped_column(UTCDateTime)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # "staff" (written by staff), "leader" (a grid leader's answer to a forwarded question), "import".
    source: Mapped[str] = mapped_column(String(16), default="staff")
    author_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    org_unit: Mapped[OrgUnit | None] = relationship()
    author: Mapped[Person | None] = relationship()


class Notice(Base):
    """A notice broadcast (or to be broadcast) to residents; sent ones also answer questions."""

    __tablename__ = "notice"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    # The unit whose residents it is for (None = everyone); `target` says it in words
    # ("幸福里社区 老旧小区 60岁以上").
    org_unit_id: Mapped[int | None] = mapped_column(ForeignKey("org_unit.id"), index=True)
    target: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    scheduled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)

    org_unit: Mapped[OrgUnit | None] = relationship()
    author: Mapped[Person | None] = relationship()


class PendingQuestion(Base):
    """A resident's question the knowledge base could not answer, forwarded to the grid leader."""

    __tablename__ = "pending_question"

    id: Mapped[int] = mapped_column(primary_key=True)
    asker_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    grid_id: Mapped[int | None] = mapped_column(ForeignKey("org_unit.id"), index=True)
    chat_id: Mapped[int | None] = mapped_column(ForeignKey("group_chat.id"))
    inbox_id: Mapped[int | None] = mapped_column(ForeignKey("inbox_message.id"))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    entry_id: Mapped[int | None] = mapped_column(ForeignKey("knowledge_entry.id"))

    asker: Mapped[Person] = relationship(foreign_keys=[asker_id])
    grid: Mapped[OrgUnit | None] = relationship()
    chat: Mapped[GroupChat | None] = relationship()


PROPOSAL_STATES = ("open", "adopted", "expired")


class Proposal(Base):
    """A resident's proposal (议题) open for support in one grid until closes_at."""

    __tablename__ = "proposal"

    id: Mapped[int] = mapped_column(primary_key=True)
    grid_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"), index=True)
    chat_id: Mapped[int | None] = mapped_column(ForeignKey("group_chat.id"))
    proposer_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    text: Mapped[str] = mapped_column(Text)
    category: Mapped[str] = mapped_column(String(32), default="other")
    state: Mapped[str] = mapped_column(String(16), default="open", index=True)
    # Supporters needed, fixed when the proposal opens so later household changes do not move it.
    threshold: Mapped[int] = mapped_column(Integer)
    support_count: Mapped[int] = mapped_column(Integer, default=0)
    oppose_count: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    closes_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("ticket.id"))

    grid: Mapped[OrgUnit] = relationship()
    chat: Mapped[GroupChat | None] = relationship()
    proposer: Mapped[Person] = relationship()

    @property
    def code(self) -> str:
        return f"Y{self.id}"


class ProposalVote(Base):
    __tablename__ = "proposal_vote"
    __table_args__ = (
        UniqueConstraint("proposal_id", "person_id"),
        CheckConstraint("stance IN ('support', 'oppose')", name="stance"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposal.id"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    stance: Mapped[str] = mapped_column(String(8))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    person: Mapped[Person] = relationship()


class ProposalNote(Base):
    """A party member's or grid leader's note (备注) on a proposal."""

    __tablename__ = "proposal_note"

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposal.id"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    person: Mapped[Person] = relationship()


class PointsAccount(Base):
    """One balance row per person; changed only by conditional UPDATEs (see handlers.points)."""

    __tablename__ = "points_account"
    __table_args__ = (CheckConstraint("balance >= 0", name="balance_not_negative"),)

    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), primary_key=True)
    balance: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class PointsEntry(Base):
    """The ledger: every change of a balance is one row; `ref` makes an award idempotent."""

    __tablename__ = "points_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    delta: Mapped[int] = mapped_column(Integer)
    balance_after: Mapped[int] = mapped_column(Integer)
    # report, rating, proposal, volunteer, redeem, adjust
    act: Mapped[str] = mapped_column(String(16), index=True)
    note: Mapped[str] = mapped_column(String(200), default="")
    ref: Mapped[str | None] = mapped_column(String(80), unique=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)


class ShopItem(Base):
    """An item in the points shop (积分商城), listed by staff for their unit and below."""

    __tablename__ = "shop_item"
    __table_args__ = (
        CheckConstraint("stock >= 0", name="stock_not_negative"),
        CheckConstraint("price > 0", name="price_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(50))
    price: Mapped[int] = mapped_column(Integer)
    stock: Mapped[int] = mapped_column(Integer, default=0)
    org_unit_id: Mapped[int | None] = mapped_column(ForeignKey("org_unit.id"), index=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Redemption(Base):
    """A resident's redemption: staff hand the item over and may mark it delivered."""

    __tablename__ = "redemption"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("shop_item.id"), index=True)
    price: Mapped[int] = mapped_column(Integer)
    entry_id: Mapped[int] = mapped_column(ForeignKey("points_entry.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    item: Mapped[ShopItem] = relationship()
