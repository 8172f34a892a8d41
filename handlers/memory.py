"""What the conversation layer remembers between messages, and the interface to where it is kept.

Per chat and per sender, bounded: the sender's last few lines, the sender's fresh report (the
tickets the last report opened, for a continuation a few minutes later), a question the bot is
waiting on (with its expiry), and per chat the last reports (for neighbours' paraphrases).
Times are the bot's clock (Context.now), so the sandbox and tests move them with the clock.

The store lives in bot/ (Redis, so several web and worker processes agree); handlers only see
this Protocol, reached through Context.memory.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Protocol

# Bounds: a chat line is kept this long, at most this many per sender and per chat.
LINE_CHARS = 200
SENDER_LINES = 5
CHAT_LINES = 30
# How many of the chat's previous lines a snapshot brings along (Snapshot.before).
LINES_BEFORE = 4
CHAT_REPORTS = 20
# How long a sender's state is kept at all (the store expires it after this many seconds).
STATE_TTL_SECONDS = 2 * 24 * 3600


@dataclass(frozen=True)
class Line:
    at: float  # POSIX seconds on the bot's clock
    text: str
    sender: str = ""
    inbox_id: int = 0


@dataclass(frozen=True)
class Question:
    """A question the bot asked this sender and is waiting on."""

    kind: str  # "what" (a vague report), "place" (a ticket without a place), "which" (which ticket)
    asked_at: float
    until: float
    text: str = ""  # what the sender said that the question is about
    tickets: tuple[int, ...] = ()  # the ticket(s) it concerns
    inbox_id: int = 0  # the message that raised it

    def open_at(self, now: float) -> bool:
        return self.asked_at <= now < self.until


@dataclass(frozen=True)
class Fresh:
    """The tickets the sender's last report opened, and when."""

    tickets: tuple[int, ...]
    at: float


@dataclass(frozen=True)
class SenderState:
    lines: tuple[Line, ...] = ()
    question: Question | None = None
    fresh: Fresh | None = None

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> SenderState:
        try:
            lines = tuple(Line(**x) for x in data.get("lines", ())[-SENDER_LINES:])
            q = data.get("question")
            question = Question(**{**q, "tickets": tuple(q.get("tickets", ()))}) if q else None
            f = data.get("fresh")
            fresh = Fresh(tuple(f["tickets"]), f["at"]) if f else None
        except (TypeError, KeyError, AttributeError):
            return cls()  # a stored shape from another version: forget it rather than fail the message
        return cls(lines, question, fresh)


@dataclass(frozen=True)
class Report:
    """A report made in a chat: what neighbours' later paraphrases are compared with."""

    ticket_id: int
    sender: str
    category: str
    text: str
    place: str
    at: float


@dataclass(frozen=True)
class Snapshot:
    """What one message needs from the memory, read in one round trip."""

    state: SenderState
    reports: tuple[Report, ...]
    # The chat's lines just before this one, newest first (acknowledgements are never kept): whether a
    # neighbour's "+1" comes right after a report or after talk about something else.
    before: tuple[Line, ...] = ()


class ConversationMemory(Protocol):
    def sender_state(self, chat: str, sender: str) -> SenderState: ...

    def snapshot(self, chat: str, sender: str, line: Line | None) -> Snapshot:
        """The sender's state and the chat's recent reports; records `line` in the same round trip."""

    def save_sender_state(self, chat: str, sender: str, state: SenderState) -> None: ...

    def take_question(self, chat: str, sender: str) -> Question | None:
        """Remove and return the pending question atomically: of two deliveries, one gets it."""

    def remember_line(self, chat: str, line: Line) -> None: ...

    def recent_lines(self, chat: str) -> list[Line]: ...

    def remember_report(self, chat: str, report: Report) -> None: ...

    def recent_reports(self, chat: str) -> list[Report]: ...


def stamp(moment: datetime) -> float:
    return moment.timestamp()
