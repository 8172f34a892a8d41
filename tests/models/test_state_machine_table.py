"""The state machine, every state × every action: the legal target, or IllegalTransition."""
from __future__ import annotations

import pytest

from models.state_machine import (
    CLOSED_STATES, FIXED_STATES, OPEN_STATES, STATES, TRANSITIONS, IllegalTransition, may_start, next_state,
)
from models.vocabulary import ACTION_NAMES, STATE_NAMES

# Written out by hand from the ticket's life, not derived from TRANSITIONS.
LEGAL = {
    ("new", "accept"): "accepted",
    ("new", "escalate"): "escalated",
    ("new", "dispatch"): "dispatched",
    ("new", "resolve"): "resolved",
    ("new", "reject"): "rejected",
    ("new", "merge"): "merged",
    ("accepted", "merge"): "merged",  # a duplicate found late is merged from any open state
    ("escalated", "merge"): "merged",
    ("dispatched", "merge"): "merged",
    ("claimed", "merge"): "merged",
    ("reopened", "merge"): "merged",
    ("merged", "unmerge"): "new",  # a wrong merge undone: the ticket starts afresh
    ("accepted", "escalate"): "escalated",
    ("accepted", "dispatch"): "dispatched",
    ("accepted", "resolve"): "resolved",
    ("accepted", "reject"): "rejected",
    ("escalated", "escalate"): "escalated",  # whistled up once more (community → street)
    ("escalated", "dispatch"): "dispatched",
    ("escalated", "claim"): "claimed",
    ("escalated", "resolve"): "resolved",
    ("escalated", "reject"): "rejected",
    ("dispatched", "claim"): "claimed",
    ("dispatched", "resolve"): "resolved",
    ("dispatched", "reject"): "rejected",
    ("claimed", "resolve"): "resolved",  # once claimed, the department finishes it
    ("reopened", "escalate"): "escalated",
    ("reopened", "dispatch"): "dispatched",
    ("reopened", "resolve"): "resolved",
    ("reopened", "reject"): "rejected",
    ("resolved", "rate"): "rated",
    ("resolved", "reopen"): "reopened",
    ("resolved", "close"): "closed",
    ("rated", "close"): "closed",
}
STATE_LIST = ["new", "accepted", "escalated", "dispatched", "claimed", "reopened", "resolved", "rated",
              "closed", "rejected", "merged"]
ACTION_LIST = ["accept", "escalate", "dispatch", "claim", "resolve", "reject", "merge", "unmerge", "rate", "reopen",
               "close"]


def test_the_table_covers_every_state_and_action():
    assert sorted(STATES) == sorted(STATE_LIST)
    assert sorted(TRANSITIONS) == sorted(ACTION_LIST)


@pytest.mark.parametrize("state", STATE_LIST)
@pytest.mark.parametrize("action", ACTION_LIST)
def test_next_state(state, action):
    expected = LEGAL.get((state, action))
    assert may_start(state, action) is (expected is not None)
    if expected is not None:
        step = next_state(state, action)
        assert (step.action, step.from_state, step.to_state) == (action, state, expected)
    else:
        with pytest.raises(IllegalTransition) as refused:
            next_state(state, action)
        # The refusal is a sentence for the chat: the state and the action in Chinese.
        assert STATE_NAMES[state] in str(refused.value) and ACTION_NAMES[action] in str(refused.value)
        assert (refused.value.state, refused.value.action) == (state, action)


def test_unknown_states_and_actions_are_programming_errors():
    with pytest.raises(ValueError):
        next_state("lost", "accept")
    with pytest.raises(ValueError):
        next_state("new", "fly")
    assert may_start("new", "fly") is False


def test_state_types_split_the_states():
    assert set(OPEN_STATES) | set(FIXED_STATES) | set(CLOSED_STATES) == set(STATES)
    assert not (set(OPEN_STATES) & set(FIXED_STATES) or set(FIXED_STATES) & set(CLOSED_STATES))
    # Nothing leaves a closed state but a wrong merge undone; everything open can still be resolved.
    assert not any(state in CLOSED_STATES for state, action in LEGAL if action != "unmerge")
    assert all((state, "resolve") in LEGAL for state in OPEN_STATES)
