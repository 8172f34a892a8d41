"""Console logins for staff: one account per Person, password hash only, lockout counters.

Why a separate table: a Person exists for everyone who ever wrote in a chat; only staff
get a console account, created on purpose (CLI or demo seed), never on first contact.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, UTCDateTime, utcnow
from models.people import Person
from models.tickets import Ticket


class StaffAccount(Base):
    __tablename__ = "staff_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), unique=True)
    # The login name: the person's WeCom user id, so staff use the id they already know.
    username: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(256))
    active: Mapped[bool] = mapped_column(default=True)
    # Set when an operator issued the password (a one-time password from the CLI): the console
    # opens nothing but the set-password page until the owner picks their own.
    must_change_password: Mapped[bool] = mapped_column(default=False, server_default=false())
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    person: Mapped[Person] = relationship()


# Console queries filter a scope (grid or department) and a period together; these
# composite indexes keep the list and the dashboard fast at millions of tickets.
# Declared here (with the console's migration) so the ticket model stays untouched.
Index("ix_ticket_grid_created", Ticket.grid_id, Ticket.created_at)
Index("ix_ticket_department_created", Ticket.department_id, Ticket.created_at)
Index("ix_ticket_state_deadline", Ticket.state, Ticket.deadline_at)
