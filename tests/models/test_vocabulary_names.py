"""models.vocabulary: every code the product stores has one Chinese name."""
from __future__ import annotations

from models import LEVELS, ROLES
from models.org import ORG_KINDS
from models.state_machine import STATES, TRANSITIONS
from models.vocabulary import (
    ACTION_NAMES, LEVEL_NAMES, ROLE_NAMES, STATE_NAMES, UNIT_KIND_NAMES, action_name, category_name, role_name,
    state_name,
)


def test_every_code_has_a_name():
    assert set(STATE_NAMES) == set(STATES)
    assert set(TRANSITIONS) <= set(ACTION_NAMES)
    assert set(ROLE_NAMES) == set(ROLES)
    assert set(LEVEL_NAMES) == set(LEVELS)
    assert set(UNIT_KIND_NAMES) == set(ORG_KINDS)


def test_names_are_distinct_where_people_choose_from_them():
    for names in (STATE_NAMES, ROLE_NAMES):
        assert len(set(names.values())) == len(names)


def test_admin_is_the_district_command_center_everywhere():
    assert role_name("admin") == "区指挥中心"


def test_lookups_fall_back_to_the_code():
    assert state_name("new") == "待受理" and state_name("odd") == "odd"
    assert action_name("accept") == "受理" and role_name("visitor") == "visitor"
    assert category_name("drainage") == "下水排水" and category_name("no_such") == "no_such"
