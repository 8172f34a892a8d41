"""Who may do what: every role set and every scope rule, in one place.

A role counts only in its unit (and the units below it) or for its department. Chat
commands, template-card buttons and the console all ask these functions, so a refusal in
one is a refusal in all. The rules read only roles, ids and the unit lineage, so tests can
pass plain objects. The Chinese names of the roles are in models.vocabulary.
"""
from __future__ import annotations

from collections.abc import Iterable

from models import OrgUnit, Person, Ticket

ADMIN = "admin"
# Staff who work a grid.
GRID_STAFF = frozenset({"grid_leader", "grid_worker"})
# Staff of the org tree (grid up to the district): they may act on tickets in their units.
UNIT_STAFF = GRID_STAFF | {"community_staff", "street_staff", ADMIN}
# Everyone who handles tickets, departments included.
STAFF_ROLES = UNIT_STAFF | {"department_responder"}
# Who may log in to the console.
CONSOLE_ROLES = STAFF_ROLES
# Who may send notices (通知) to group chats, in the chat and on the console.
BROADCAST_ROLES = frozenset({"community_staff", "street_staff", ADMIN})
# Who may answer residents' questions and add knowledge entries.
ANSWER_ROLES = UNIT_STAFF
# Who may vote on a proposal (议事) of their own grid, and who may add a note to one.
VOTER_ROLES = frozenset({"resident", "party_member"})
PROPOSAL_NOTE_ROLES = UNIT_STAFF | {"party_member"}
# Who may run the points shop, and who may award points by hand.
SHOP_ROLES = frozenset({"grid_leader", "community_staff", "street_staff", ADMIN})
AWARD_ROLES = UNIT_STAFF
# Who may add an internal comment to a ticket.
COMMENT_ROLES = STAFF_ROLES
# Who may register a message the classifier was unsure about as a ticket (登记 #M12).
REGISTER_ROLES = UNIT_STAFF
# Console: who may edit chats and roles (community staff within their own grids), and the roles
# community staff may give or take there; dead letters and category deadlines are admins' alone.
ORG_EDIT_ROLES = frozenset({ADMIN, "community_staff"})
GRID_ASSIGNABLE_ROLES = ("resident", "grid_worker", "grid_leader")
ADMIN_ROLES = frozenset({ADMIN})
# Which unit kind a role is attached to (department_responder: a department instead).
ROLE_UNIT_KIND = {"resident": "grid", "grid_worker": "grid", "grid_leader": "grid", "community_staff": "community",
                  "street_staff": "street", ADMIN: "district", "party_member": None}

# Which roles may take each ticket action, before scope is checked.
ACTION_ROLES: dict[str, frozenset[str]] = {
    "accept": UNIT_STAFF,
    "recategorise": UNIT_STAFF,
    "reject": UNIT_STAFF,
    "escalate": UNIT_STAFF,
    "dispatch": UNIT_STAFF,
    "claim": frozenset({"community_staff", "street_staff", "department_responder", ADMIN}),
    "resolve": STAFF_ROLES,
    "comment": COMMENT_ROLES,
    # Merging duplicates (and undoing it) is the holding unit's call, like correcting the category.
    "merge": UNIT_STAFF,
    "unmerge": UNIT_STAFF,
}


def has_role(person: Person, roles: Iterable[str]) -> bool:
    wanted = set(roles)
    return any(r.role in wanted for r in person.roles)


def is_staff(person: Person) -> bool:
    return has_role(person, STAFF_ROLES)


def acts_over(person: Person, roles: frozenset[str], unit: OrgUnit | None) -> bool:
    """One of `roles` held in the unit or a unit above it (an admin: anywhere)."""
    lineage = set(unit.lineage_ids()) if unit is not None else set()
    return any(r.role in roles and (r.role == ADMIN or r.org_unit_id in lineage) for r in person.roles)


def staff_unit(person: Person, roles: frozenset[str]) -> OrgUnit | None:
    """The highest unit where the person holds one of `roles` (an admin: the district)."""
    best = None
    for role in person.roles:
        unit = role.org_unit if role.role in roles else None
        if unit is not None and (best is None or len(unit.lineage_ids()) < len(best.lineage_ids())):
            best = unit
    return best


def unit_ids_in_scope(ticket: Ticket) -> set[int]:
    """The ticket's grid and every unit above it: their staff may act on it."""
    return set(ticket.grid.lineage_ids()) if ticket.grid is not None else set()


def may_act(person: Person, ticket: Ticket, action: str) -> bool:
    allowed = ACTION_ROLES.get(action, frozenset())
    units = unit_ids_in_scope(ticket)
    for role in person.roles:
        if role.role not in allowed:
            continue
        if role.role == ADMIN:
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
