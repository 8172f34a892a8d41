"""Who may do what: every role set and every scope rule, in one place.

A role counts only in its unit (and the units below it) or for its department. Chat
commands, template-card buttons and the console all ask these functions, so a refusal in
one is a refusal in all. The rules read only roles, ids and the unit lineage, so tests can
pass plain objects. The Chinese names of the roles are in models.vocabulary.
"""
from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

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
# Who lives in a grid: the people whose word on a ticket of that grid counts (follow, rate).
RESIDENT_ROLES = frozenset({"resident", "party_member"})
# How long after 办结 the rating is the reporter's alone. Why 24 h: the reporter is the one who
# knows whether their problem is gone, and most answer the same day; yet many never answer
# (elderly reporters, a number that changed), and an unrated ticket closes silently after
# RATING_TIMEOUT_HOURS (72 h by default). So for the rest of that time a neighbour who followed
# the ticket (same grid, same problem) may speak for it. A rating by the reporter — including a
# 不满意 that reopens it — always wins inside the window, because nobody else can rate then.
REPORTER_RATING_WINDOW = timedelta(hours=24)
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


def lives_in(person: Person, grid: OrgUnit | None) -> bool:
    """A resident (or party member) of this grid: their report or rating of its tickets counts."""
    return grid is not None and any(r.role in RESIDENT_ROLES and r.org_unit_id == grid.id for r in person.roles)


def may_follow(person: Person, ticket: Ticket) -> bool:
    """Only the ticket's own grid's residents join it: a follower hears its progress and may rate it.

    Staff and departments never follow (they act on the ticket instead, and are told anyway); a
    stranger — no grid at all, e.g. an Official Account openid nobody knows — never does.
    """
    if is_staff(person):
        return False
    return person.id == ticket.reporter_id or lives_in(person, ticket.grid)


def followers_may_rate_from(ticket: Ticket) -> datetime | None:
    """When the reporter's own rating window ends and followers may rate (None: not resolved)."""
    resolved_at = getattr(ticket, "resolved_at", None)
    return resolved_at + REPORTER_RATING_WINDOW if resolved_at is not None else None


def may_rate(person: Person, ticket: Ticket, *, follows: bool, now: datetime) -> bool:
    """The reporter rates; a follower of the same grid only after the reporter's window.

    Staff and departments never rate — not even a ticket they reported or resolved: a rating is the
    residents' verdict on staff work, and counts in every satisfaction figure. Strangers never rate.
    """
    if is_staff(person) or person.id == getattr(ticket, "resolved_by_id", None):
        return False
    if person.id == ticket.reporter_id:
        return True
    opens = followers_may_rate_from(ticket)
    return follows and lives_in(person, ticket.grid) and opens is not None and now >= opens


def may_see_ticket(person: Person, ticket: Ticket, *, follows: bool) -> bool:
    """进度 #n: its reporter and followers, the residents of its grid, and staff who may act on it."""
    if person.id == ticket.reporter_id or follows or lives_in(person, ticket.grid):
        return True
    return any(may_act(person, ticket, action) for action in ACTION_ROLES)


def may_see_proposal(person: Person, proposal) -> bool:
    """议事 #Y: its proposer, the residents of its grid (who vote), and the staff over that grid."""
    return (person.id == proposal.proposer_id or lives_in(person, proposal.grid)
            or acts_over(person, PROPOSAL_NOTE_ROLES, proposal.grid))
