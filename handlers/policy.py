"""Who may do what: every role set and every scope rule, in one place.

A role counts only in its unit (and the units below it) or for its department. Chat
commands, template-card buttons and the console all ask these functions, so a refusal in
one is a refusal in all.
"""
from __future__ import annotations

from models import Person, Ticket

# Staff who work a grid.
GRID_STAFF = frozenset({"grid_leader", "grid_worker"})
# Staff of the org tree (grid up to the district): they may act on tickets in their units.
UNIT_STAFF = GRID_STAFF | {"community_staff", "street_staff", "admin"}
# Everyone who handles tickets, departments included.
STAFF_ROLES = UNIT_STAFF | {"department_responder"}
# Who may log in to the console.
CONSOLE_ROLES = STAFF_ROLES
# Who may send notices (通知) to group chats.
BROADCAST_ROLES = frozenset({"community_staff", "street_staff", "admin"})
# Who may answer residents' questions and add knowledge entries.
ANSWER_ROLES = UNIT_STAFF
# Who may add a note to a proposal (议事).
PROPOSAL_NOTE_ROLES = UNIT_STAFF | {"party_member"}
# Who may run the points shop, and who may award points by hand.
SHOP_ROLES = frozenset({"grid_leader", "community_staff", "street_staff", "admin"})
AWARD_ROLES = UNIT_STAFF
# Who may add an internal comment to a ticket.
COMMENT_ROLES = STAFF_ROLES

# Which roles may take each ticket action, before scope is checked.
ACTION_ROLES: dict[str, frozenset[str]] = {
    "accept": UNIT_STAFF,
    "recategorise": UNIT_STAFF,
    "reject": UNIT_STAFF,
    "escalate": UNIT_STAFF,
    "dispatch": UNIT_STAFF,
    "claim": frozenset({"community_staff", "street_staff", "department_responder", "admin"}),
    "resolve": STAFF_ROLES,
    "comment": COMMENT_ROLES,
}


def is_staff(person: Person) -> bool:
    return any(r.role in STAFF_ROLES for r in person.roles)


def unit_ids_in_scope(ticket: Ticket) -> set[int]:
    """The ticket's grid and every unit above it: their staff may act on it."""
    return set(ticket.grid.lineage_ids()) if ticket.grid is not None else set()


def may_act(person: Person, ticket: Ticket, action: str) -> bool:
    allowed = ACTION_ROLES.get(action, frozenset())
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


def may_rate(person: Person, ticket: Ticket, *, follows: bool) -> bool:
    """The reporter rates; a follower of the ticket may too."""
    return person.id == ticket.reporter_id or follows
