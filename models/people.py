"""People, their channel identities and their roles scoped to a unit or department."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, UTCDateTime, utcnow

# Role codes; their Chinese names are in models.vocabulary.ROLE_NAMES.
ROLES = (
    "resident",
    "grid_worker",
    "grid_leader",
    "community_staff",
    "street_staff",
    "department_responder",
    "party_member",
    "admin",
)


class Person(Base):
    __tablename__ = "person"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(50))
    # Kept for staff with the right role; never shown in a group chat or a log.
    phone: Mapped[str] = mapped_column(String(20), default="")
    address: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    identities: Mapped[list[Identity]] = relationship(back_populates="person")
    roles: Mapped[list[RoleAssignment]] = relationship(back_populates="person")


class Identity(Base):
    """How a person appears on a channel (WeCom userid, OA openid, sandbox id)."""

    __tablename__ = "identity"
    __table_args__ = (UniqueConstraint("channel", "external_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    channel: Mapped[str] = mapped_column(String(16))
    external_id: Mapped[str] = mapped_column(String(64))
    # How to reach this person directly (wecom_user / oa_user / sandbox_user).
    route_kind: Mapped[str] = mapped_column(String(16))

    person: Mapped[Person] = relationship(back_populates="identities")


class RoleAssignment(Base):
    __tablename__ = "role_assignment"
    __table_args__ = (UniqueConstraint("person_id", "role", "org_unit_id", "department_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    role: Mapped[str] = mapped_column(String(24))
    org_unit_id: Mapped[int | None] = mapped_column(ForeignKey("org_unit.id"), index=True)
    department_id: Mapped[int | None] = mapped_column(ForeignKey("department.id"), index=True)

    person: Mapped[Person] = relationship(back_populates="roles")
    org_unit: Mapped[OrgUnit | None] = relationship()  # noqa: F821
    department: Mapped[Department | None] = relationship()  # noqa: F821
