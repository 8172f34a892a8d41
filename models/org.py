"""The org tree (district → street → community → grid), departments and group chats."""
from __future__ import annotations

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base

ORG_KINDS = ("district", "street", "community", "grid")
# The level a ticket sits at, in escalation order ("逐级吹哨").
LEVELS = ("grid", "community", "street", "department")


class OrgUnit(Base):
    __tablename__ = "org_unit"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), index=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("org_unit.id"), index=True)
    # Households in a grid: the base for deliberation thresholds.
    households: Mapped[int] = mapped_column(Integer, default=0)
    # Comma-separated free tags ("老旧小区,沿街") for targeting broadcasts.
    tags: Mapped[str] = mapped_column(String(200), default="")
    # A grid's outline for the console's map: a GeoJSON geometry (Polygon or MultiPolygon, WGS-84
    # longitude/latitude) as JSON text, checked on upload (bot/console/boundaries.py).
    boundary: Mapped[str | None] = mapped_column(Text, nullable=True)

    parent: Mapped[OrgUnit | None] = relationship(remote_side=[id])

    def lineage_ids(self) -> list[int]:
        """This unit's id and every ancestor's, nearest first."""
        ids, unit = [], self
        while unit is not None:
            ids.append(unit.id)
            unit = unit.parent
        return ids


class Department(Base):
    """A district department (城管委, 水务局…) that reports (报到) when whistled."""

    __tablename__ = "department"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    # Comma-separated category codes this department usually handles.
    categories: Mapped[str] = mapped_column(String(300), default="")


class GroupChat(Base):
    """A group chat bound to a grid (or to a unit/department for staff chats).

    How the bot reaches the chat is data: route_kind is one of the channel
    routes (wecom_chat, robot, sandbox) and route_target the chat id or robot key.
    """

    __tablename__ = "group_chat"
    __table_args__ = (UniqueConstraint("channel", "external_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(16))
    external_id: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(100))
    org_unit_id: Mapped[int | None] = mapped_column(ForeignKey("org_unit.id"), index=True)
    department_id: Mapped[int | None] = mapped_column(ForeignKey("department.id"), index=True)
    route_kind: Mapped[str] = mapped_column(String(16))
    route_target: Mapped[str] = mapped_column(String(128))
    member_count: Mapped[int] = mapped_column(Integer, default=1)
    # How the bot hears the chat: "all" (every line, through the conversation archive) or
    # "mentions" (a WeCom robot: only lines that @ it reach the bot).
    listening: Mapped[str] = mapped_column(String(16), default="all", server_default="all")
    # The chat's roomid in the conversation archive, when it differs from external_id (a chat created with
    # appchat/create has our chatid there; the archive names every room by WeCom's own id).
    archive_room_id: Mapped[str | None] = mapped_column(String(64), unique=True)

    org_unit: Mapped[OrgUnit | None] = relationship()
    department: Mapped[Department | None] = relationship()
