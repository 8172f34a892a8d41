"""The ticket life as a pure transition table: no Flask, no database session.

An illegal move raises IllegalTransition with a message a grid leader can read;
every legal move is recorded by the caller as a TicketEvent row. The Chinese names of
states and actions live in models.vocabulary.
"""
from __future__ import annotations

from dataclasses import dataclass

from models.vocabulary import action_name, state_name

# state → type. The type lets queries filter on open / fixed / closed (FixMyStreet's habit).
STATES: dict[str, str] = {
    "new": "open",
    "accepted": "open",
    "escalated": "open",
    "dispatched": "open",
    "claimed": "open",
    "reopened": "open",
    "resolved": "fixed",
    "rated": "fixed",
    "closed": "closed",
    "rejected": "closed",
    "merged": "closed",
}
OPEN_STATES = tuple(s for s, t in STATES.items() if t == "open")
FIXED_STATES = tuple(s for s, t in STATES.items() if t == "fixed")
CLOSED_STATES = tuple(s for s, t in STATES.items() if t == "closed")

# action → (states it may start from, state it leads to). "merge" closes a duplicate into another
# open ticket (handlers.ticket_actions); "unmerge" undoes a wrong merge and starts it afresh as new.
TRANSITIONS: dict[str, tuple[tuple[str, ...], str]] = {
    "accept": (("new",), "accepted"),
    "escalate": (("new", "accepted", "escalated", "reopened"), "escalated"),
    "dispatch": (("new", "accepted", "escalated", "reopened"), "dispatched"),
    "claim": (("escalated", "dispatched"), "claimed"),
    "resolve": (("new", "accepted", "escalated", "dispatched", "claimed", "reopened"), "resolved"),
    "reject": (("new", "accepted", "escalated", "dispatched", "reopened"), "rejected"),
    "merge": (("new", "accepted", "escalated", "dispatched", "claimed", "reopened"), "merged"),
    "unmerge": (("merged",), "new"),
    "rate": (("resolved",), "rated"),
    "reopen": (("resolved",), "reopened"),
    "close": (("resolved", "rated"), "closed"),
}


class IllegalTransition(Exception):
    """A move the ticket's current state does not allow; the text is for the chat."""

    def __init__(self, action: str, state: str):
        self.action, self.state = action, state
        super().__init__(f"工单当前状态为「{state_name(state)}」，不能{action_name(action)}。")


@dataclass(frozen=True)
class Transition:
    action: str
    from_state: str
    to_state: str


def may_start(state: str, action: str) -> bool:
    """True when the state machine allows action from state (unknown actions: False)."""
    return action in TRANSITIONS and state in TRANSITIONS[action][0]


def next_state(state: str, action: str) -> Transition:
    """The transition for action from state, or IllegalTransition."""
    if state not in STATES:
        raise ValueError(f"unknown state {state!r}")
    if action not in TRANSITIONS:
        raise ValueError(f"unknown action {action!r}")
    sources, target = TRANSITIONS[action]
    if state not in sources:
        raise IllegalTransition(action, state)
    return Transition(action, state, target)
