"""Who is looking at the console and which tickets they may see.

Scope is computed on the server for every request from RoleAssignment rows:
a grid role sees its grid, a community its grids, a street its communities'
grids, a department the tickets sent to it, an admin everything. Every console
query goes through `Viewer.ticket_clause()`; a ticket outside it is a 404.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import false, or_, select, true
from sqlalchemy.orm import Session
from sqlalchemy.sql import ColumnElement

from bot.console.org_units import descendants
from handlers.policy import ADMIN, BROADCAST_ROLES, CONSOLE_ROLES, ORG_EDIT_ROLES
from models import Department, OrgUnit, Person, Ticket


@dataclass(frozen=True)
class Viewer:
    person_id: int
    account_id: int
    username: str
    name: str
    roles: tuple[str, ...]
    is_admin: bool
    grid_ids: frozenset[int]
    department_ids: frozenset[int]
    unit_ids: frozenset[int]  # every org unit in scope (grids and the units above them that were granted)
    # An operator-issued password not yet replaced: only the set-password page opens.
    must_change_password: bool = False

    def ticket_clause(self) -> ColumnElement[bool]:
        if self.is_admin:
            return true()
        parts = []
        if self.grid_ids:
            parts.append(Ticket.grid_id.in_(sorted(self.grid_ids)))
        if self.department_ids:
            parts.append(Ticket.department_id.in_(sorted(self.department_ids)))
        return or_(*parts) if parts else false()

    def sees_unit(self, unit_id: int) -> bool:
        return self.is_admin or unit_id in self.unit_ids

    def sees_department(self, department_id: int) -> bool:
        return self.is_admin or department_id in self.department_ids

    def holds_any(self, roles) -> bool:
        return bool(set(self.roles) & set(roles))

    @property
    def may_send_notices(self) -> bool:
        return self.holds_any(BROADCAST_ROLES)

    @property
    def may_edit_org(self) -> bool:
        return self.holds_any(ORG_EDIT_ROLES)

    @property
    def is_department_only(self) -> bool:
        return not self.is_admin and not self.grid_ids and bool(self.department_ids)


def build_viewer(session: Session, person: Person, account_id: int, username: str) -> Viewer | None:
    """The viewer for this person, or None when they hold no console role."""
    roles = [r for r in person.roles if r.role in CONSOLE_ROLES]
    if not roles:
        return None
    is_admin = any(r.role == ADMIN for r in roles)
    units = session.execute(select(OrgUnit)).scalars().all()
    kind = {u.id: u.kind for u in units}
    unit_roots = {r.org_unit_id for r in roles if r.org_unit_id is not None and r.role != "department_responder"}
    unit_ids = descendants(units, unit_roots)
    if is_admin:
        unit_ids = {u.id for u in units}
    grid_ids = {uid for uid in unit_ids if kind.get(uid) == "grid"}
    dept_ids = {r.department_id for r in roles if r.role == "department_responder" and r.department_id}
    if is_admin:
        dept_ids = set(session.execute(select(Department.id)).scalars())
    return Viewer(
        person_id=person.id, account_id=account_id, username=username, name=person.name,
        roles=tuple(sorted({r.role for r in roles})), is_admin=is_admin, grid_ids=frozenset(grid_ids),
        department_ids=frozenset(dept_ids), unit_ids=frozenset(unit_ids),
    )
