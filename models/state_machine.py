"""The ticket life as a pure transition table: no Flask, no database session.

An illegal move raises IllegalTransition with a message a grid leader can read;
every legal move is recorded by the caller as a TicketEvent row.
"""
from __future__ import annotations

from dataclasses import dataclass

# state → (Chinese name, type). The type lets queries filter on open / fixed / closed.
STATES: dict[str, tuple[str, str]] = {
    "new": ("待受理", "open"),
    "accepted": ("已受理", "open"),
    "escalated": ("已上报", "open"),
    "dispatched": ("已派单", "open"),
    "claimed": ("已报到", "open"),
    "reopened": ("已退回", "open"),
    "resolved": ("已办结", "fixed"),
    "rated": ("已评价", "fixed"),
    "closed": ("已关闭", "closed"),
    "rejected": ("已驳回", "closed"),
    "merged": ("已合并", "closed"),
}
OPEN_STATES = tuple(s for s, (_, t) in STATES.items() if t == "open")
FIXED_STATES = tuple(s for s, (_, t) in STATES.items() if t == "fixed")
CLOSED_STATES = tuple(s for s, (_, t) in STATES.items() if t == "closed")

# action → (states it may start from, state it leads to)
TRANSITIONS: dict[str, tuple[tuple[str, ...], str]] = {
    "accept": (("new",), "accepted"),
    "escalate": (("new", "accepted", "escalated", "reopened"), "escalated"),
    "dispatch": (("new", "accepted", "escalated", "reopened"), "dispatched"),
    "claim": (("escalated", "dispatched"), "claimed"),
    "resolve": (("new", "accepted", "escalated", "dispatched", "claimed", "reopened"), "resolved"),
    "reject": (("new", "accepted", "escalated", "dispatched", "reopened"), "rejected"),
    "merge": (("new",), "merged"),
    "rate": (("resolved",), "rated"),
    "reopen": (("resolved",), "reopened"),
    "close": (("resolved", "rated"), "closed"),
}
ACTION_NAMES_ZH = {
    "accept": "受理",
    "escalate": "上报",
    "dispatch": "派单",
    "claim": "报到",
    "resolve": "办结",
    "reject": "驳回",
    "merge": "合并",
    "rate": "评价",
    "reopen": "退回",
    "close": "关闭",
}


class IllegalTransition(Exception):
    """A move the ticket's current state does not allow; the text is for the chat."""

    def __init__(self, action: str, state: str):
        self.action, self.state = action, state
        super().__init__(
            f"工单当前状态为「{state_name(state)}」，不能{ACTION_NAMES_ZH.get(action, action)}。"
        )


@dataclass(frozen=True)
class Transition:
    action: str
    from_state: str
    to_state: str


def state_name(state: str) -> str:
    return STATES[state][0]


def state_type(state: str) -> str:
    return STATES[state][1]


def is_open(state: str) -> bool:
    return state_type(state) == "open"


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


def allowed_actions(state: str) -> list[str]:
    return [a for a, (sources, _) in TRANSITIONS.items() if state in sources]
