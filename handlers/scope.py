"""Who may act on a ticket: a role in the right grid/unit or department, nothing else."""
from __future__ import annotations

from models import Person, Ticket

GRID_ROLES = {"grid_leader", "grid_worker"}
UNIT_STAFF = {"grid_leader", "grid_worker", "community_staff", "street_staff", "admin"}
STAFF_ROLES = UNIT_STAFF | {"department_responder"}

# Which roles may take each action, before scope is checked.
ACTION_ROLES: dict[str, set[str]] = {
    "accept": UNIT_STAFF,
    "recategorise": UNIT_STAFF,
    "reject": UNIT_STAFF,
    "escalate": UNIT_STAFF,
    "dispatch": UNIT_STAFF,
    "claim": {"community_staff", "street_staff", "department_responder", "admin"},
    "resolve": STAFF_ROLES,
}


def is_staff(person: Person) -> bool:
    return any(r.role in STAFF_ROLES for r in person.roles)


def unit_ids_in_scope(ticket: Ticket) -> set[int]:
    """The ticket's grid and every unit above it: their staff may act on it."""
    return set(ticket.grid.lineage_ids()) if ticket.grid is not None else set()


def may_act(person: Person, ticket: Ticket, action: str) -> bool:
    allowed = ACTION_ROLES.get(action, set())
    units = unit_ids_in_scope(ticket)
    for role in person.roles:
        if role.role not in allowed:
            continue
        if role.role == "admin":
            return True
        if role.role == "department_responder":
            if ticket.department_id is not None and role.department_id == ticket.department_id:
                return True
            continue
        if role.org_unit_id in units:
            return True
    return False


def may_rate(person: Person, ticket: Ticket) -> bool:
    from sqlalchemy.orm import object_session

    from handlers.tickets import is_follower

    return person.id == ticket.reporter_id or is_follower(object_session(ticket), ticket.id, person.id)
