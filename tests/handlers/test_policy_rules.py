"""handlers.policy: who may take which ticket action where, as a table (plain objects, no database).

The district: D → street S → community C → grids G1, G2; and S → community C2 → grid G3.
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from types import SimpleNamespace

import pytest

from handlers import policy
from handlers.ticket_actions import ACTIONS, CHAT_ACTIONS, CONSOLE_ACTIONS

PARENT = {"D": None, "S": "D", "C": "S", "G1": "C", "G2": "C", "C2": "S", "G3": "C2"}
IDS = {code: i for i, code in enumerate(PARENT, start=1)}
WATER, ROADS = 101, 102


def unit(code: str) -> SimpleNamespace:
    lineage, at = [], code
    while at is not None:
        lineage.append(IDS[at])
        at = PARENT[at]
    kind = {"D": "district", "S": "street"}.get(code, "community" if code.startswith("C") else "grid")
    return SimpleNamespace(id=IDS[code], code=code, kind=kind, lineage_ids=lambda: list(lineage))


def person(pid: int, *roles: tuple[str, str | None, int | None]) -> SimpleNamespace:
    return SimpleNamespace(id=pid, roles=[
        SimpleNamespace(role=role, org_unit_id=IDS[code] if code else None, org_unit=unit(code) if code else None,
                        department_id=dept)
        for role, code, dept in roles])


def ticket(grid: str, department: int | None = None, reporter: int = 99) -> SimpleNamespace:
    return SimpleNamespace(grid=unit(grid), department_id=department, reporter_id=reporter)


PEOPLE = {
    "leader_g1": person(1, ("grid_leader", "G1", None)),
    "worker_g1": person(2, ("grid_worker", "G1", None)),
    "community_c": person(3, ("community_staff", "C", None)),
    "street_s": person(4, ("street_staff", "S", None)),
    "admin": person(5, ("admin", "D", None)),
    "water": person(6, ("department_responder", None, WATER)),
    "resident_g1": person(7, ("resident", "G1", None)),
    "party_g1": person(8, ("party_member", "G1", None)),
    "leader_g3": person(9, ("grid_leader", "G3", None)),
    "resident_and_worker": person(10, ("resident", "G3", None), ("grid_worker", "G1", None)),
}
TICKETS = {
    "g1": ticket("G1"),
    "g1_water": ticket("G1", WATER),
    "g1_roads": ticket("G1", ROADS),
    "g3": ticket("G3"),
}
EVERY = set(policy.ACTION_ROLES) | {"rate", "fly"}
UNIT_WORK = {"accept", "recategorise", "reject", "escalate", "dispatch", "resolve", "comment", "merge", "unmerge"}
DEPARTMENT_WORK = {"claim", "resolve", "comment"}

# (person, ticket, the actions they may take there; every other action is refused)
TABLE = [
    ("leader_g1", "g1", UNIT_WORK),  # a grid never 报到: that is for the levels it whistles to
    ("leader_g1", "g1_water", UNIT_WORK),
    ("leader_g1", "g3", set()),  # another community's grid
    ("worker_g1", "g1", UNIT_WORK),
    ("community_c", "g1", UNIT_WORK | {"claim"}),
    ("community_c", "g3", set()),
    ("street_s", "g1", UNIT_WORK | {"claim"}),
    ("street_s", "g3", UNIT_WORK | {"claim"}),
    ("admin", "g1", UNIT_WORK | {"claim"}),
    ("admin", "g3", UNIT_WORK | {"claim"}),
    ("water", "g1", set()),  # not sent to 水务局 (yet)
    ("water", "g1_water", DEPARTMENT_WORK),
    ("water", "g1_roads", set()),
    ("resident_g1", "g1", set()),
    ("party_g1", "g1", set()),
    ("leader_g3", "g1", set()),
    ("leader_g3", "g3", UNIT_WORK),
    ("resident_and_worker", "g1", UNIT_WORK),  # the staff role counts where it is held …
    ("resident_and_worker", "g3", set()),  # … and the resident role grants nothing
]


@pytest.mark.parametrize("who,where,allowed", TABLE, ids=[f"{w}@{t}" for w, t, _ in TABLE])
def test_may_act(who, where, allowed):
    p, t = PEOPLE[who], TICKETS[where]
    assert {action for action in EVERY if policy.may_act(p, t, action)} == allowed


def test_every_staff_action_has_its_roles():
    assert set(ACTIONS) == set(policy.ACTION_ROLES)
    assert set(CHAT_ACTIONS) <= set(ACTIONS) and set(CONSOLE_ACTIONS) <= set(ACTIONS)


@pytest.mark.parametrize("who,staff", [
    ("leader_g1", True), ("water", True), ("admin", True), ("resident_g1", False), ("party_g1", False),
])
def test_is_staff(who, staff):
    assert policy.is_staff(PEOPLE[who]) is staff


@pytest.mark.parametrize("who,roles,code,over", [
    ("leader_g1", policy.REGISTER_ROLES, "G1", True),
    ("leader_g1", policy.REGISTER_ROLES, "G2", False),  # a sibling grid
    ("community_c", policy.REGISTER_ROLES, "G2", True),  # below their community
    ("community_c", policy.REGISTER_ROLES, "S", False),  # not above it
    ("admin", policy.REGISTER_ROLES, "G3", True),
    ("admin", policy.REGISTER_ROLES, None, True),  # admins act anywhere, even without a grid
    ("leader_g1", policy.ANSWER_ROLES, None, False),
    ("party_g1", policy.PROPOSAL_NOTE_ROLES, "G1", True),
    ("party_g1", policy.ANSWER_ROLES, "G1", False),
    ("resident_g1", policy.PROPOSAL_NOTE_ROLES, "G1", False),
    ("water", policy.REGISTER_ROLES, "G1", False),
])
def test_acts_over(who, roles, code, over):
    assert policy.acts_over(PEOPLE[who], roles, unit(code) if code else None) is over


@pytest.mark.parametrize("who,roles,expected", [
    ("leader_g1", policy.SHOP_ROLES, "G1"),
    ("worker_g1", policy.SHOP_ROLES, None),  # a grid worker awards points but does not run the shop
    ("worker_g1", policy.AWARD_ROLES, "G1"),
    ("street_s", policy.AWARD_ROLES, "S"),
    ("admin", policy.SHOP_ROLES, "D"),
    ("resident_g1", policy.AWARD_ROLES, None),
])
def test_staff_unit_is_the_highest_unit_of_those_roles(who, roles, expected):
    found = policy.staff_unit(PEOPLE[who], roles)
    assert (found.code if found else None) == expected


def test_staff_unit_prefers_the_broader_of_two_roles():
    both = person(11, ("grid_leader", "G1", None), ("community_staff", "C", None))
    assert policy.staff_unit(both, policy.AWARD_ROLES).code == "C"


RESOLVED = datetime(2026, 11, 20, 10, 0, tzinfo=timezone.utc)
INSIDE = RESOLVED + policy.REPORTER_RATING_WINDOW - timedelta(minutes=1)
AFTER = RESOLVED + policy.REPORTER_RATING_WINDOW
RATERS = {
    **PEOPLE,
    "reporter": person(99, ("resident", "G1", None)),
    "resident_g3": person(12, ("resident", "G3", None)),
    "stranger": person(13),  # an Official Account openid nobody knows: no role anywhere
}


def resolved(reporter: int = 99, resolved_by: int | None = 1) -> SimpleNamespace:
    t = ticket("G1", reporter=reporter)
    t.resolved_at, t.resolved_by_id = RESOLVED, resolved_by
    return t


# (who, follows the ticket, when, may rate)
RATING_TABLE = [
    ("reporter", False, INSIDE, True),
    ("reporter", False, AFTER, True),
    ("resident_g1", True, INSIDE, False),  # a neighbour who followed: the reporter first …
    ("resident_g1", True, AFTER, True),  # … then the neighbour may speak for the ticket
    ("party_g1", True, AFTER, True),
    ("resident_g1", False, AFTER, False),  # not following: no
    ("resident_g3", True, AFTER, False),  # following from another grid (an old row): no
    ("stranger", True, AFTER, False),
    ("stranger", False, INSIDE, False),
    ("water", True, AFTER, False),  # a department that resolved, then +1: never
    ("leader_g1", True, AFTER, False),
    ("admin", False, AFTER, False),
]


@pytest.mark.parametrize("who,follows,when,may", RATING_TABLE,
                         ids=[f"{w}-{'f' if f else 'nf'}-{'in' if t == INSIDE else 'after'}"
                              for w, f, t, _ in RATING_TABLE])
def test_who_may_rate(who, follows, when, may):
    assert policy.may_rate(RATERS[who], resolved(), follows=follows, now=when) is may


def test_staff_never_rate_even_a_ticket_they_reported_or_resolved():
    assert not policy.may_rate(PEOPLE["worker_g1"], resolved(reporter=2), follows=False, now=AFTER)
    assert not policy.may_rate(RATERS["reporter"], resolved(resolved_by=99), follows=False, now=AFTER)


def test_followers_wait_for_a_resolution():
    assert not policy.may_rate(PEOPLE["resident_g1"], ticket("G1"), follows=True, now=AFTER)


@pytest.mark.parametrize("who,may", [
    ("reporter", True), ("resident_g1", True), ("party_g1", True), ("resident_g3", False),
    ("stranger", False), ("water", False), ("leader_g1", False), ("resident_and_worker", False),
])
def test_who_may_follow(who, may):
    assert policy.may_follow(RATERS[who], ticket("G1")) is may


def test_console_and_broadcast_role_sets():
    assert policy.CONSOLE_ROLES == policy.STAFF_ROLES
    assert policy.BROADCAST_ROLES < policy.UNIT_STAFF and "grid_leader" not in policy.BROADCAST_ROLES
    assert set(policy.GRID_ASSIGNABLE_ROLES) <= set(policy.ROLE_UNIT_KIND)
    assert all(policy.ROLE_UNIT_KIND[r] == "grid" for r in policy.GRID_ASSIGNABLE_ROLES)
