"""Policy broadcasts (社区发布通知): a notice from staff to a chosen set of grid group chats.

Why a table of its own next to `Notice`: a Notice is knowledge (what was said, for the policy
Q&A); a Broadcast is the act of sending it (who, to which grids, when, confirmed or not, and
how each group's delivery went). Per-group delivery is not stored here but derived from the
outbox rows (dedup key ``broadcast{id}:chat{chat_id}``), so there is one source of truth.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, UTCDateTime, utcnow
from models.community import Notice
from models.org import OrgUnit
from models.people import Person

# draft → (confirm) → scheduled → sending → sent; draft / scheduled → cancelled.
BROADCAST_STATES = ("draft", "scheduled", "sending", "sent", "cancelled")
TARGET_KINDS = ("grid", "community", "street", "district", "tag")


class Broadcast(Base):
    __tablename__ = "broadcast"

    id: Mapped[int] = mapped_column(primary_key=True)
    # None when sent by an operator from the CLI (no chat identity behind it).
    author_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    target_kind: Mapped[str] = mapped_column(String(16))
    # A unit code (grid/community/street/district) or a tag; with kind "tag", scope_unit_id
    # says in which subtree the tag is looked up.
    target_value: Mapped[str] = mapped_column(String(100))
    # The unit whose residents the notice is for (becomes Notice.org_unit_id).
    scope_unit_id: Mapped[int | None] = mapped_column(ForeignKey("org_unit.id"), index=True)
    # Human description of the target, e.g. "幸福里社区" or "和平区 标签「老旧小区」".
    target_label: Mapped[str] = mapped_column(String(200), default="")
    status: Mapped[str] = mapped_column(String(16), default="draft", index=True)
    group_count: Mapped[int] = mapped_column(Integer, default=0)
    scheduled_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Set when sent, so the policy Q&A can cite the notice.
    notice_id: Mapped[int | None] = mapped_column(ForeignKey("notice.id"))

    author: Mapped[Person | None] = relationship()
    scope_unit: Mapped[OrgUnit | None] = relationship()
    notice: Mapped[Notice | None] = relationship()
