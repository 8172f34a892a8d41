"""What a handler may use: the session, the settings, the classifier, the clock, who and where.

Handlers never import bot/: the settings they read are a Protocol (handlers.settings) that
bot.runtime.config.Settings satisfies, and the services the dispatcher needs likewise (below).
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from typing import Protocol

from sqlalchemy.orm import Session

from classifier import Prediction
from handlers.memory import ConversationMemory, Line, SenderState, Snapshot
from handlers.settings import HandlerSettings
from models import GroupChat, Person


class Classifier(Protocol):
    """The loaded model, as far as the dispatcher cares: its confidence thresholds."""

    @property
    def thresholds(self) -> Mapping[str, float]: ...


class Clock(Protocol):
    def now(self) -> datetime: ...


class HandlerServices(Protocol):
    """What the dispatcher takes from the app's services (bot.runtime.services.Services)."""

    @property
    def settings(self) -> HandlerSettings: ...
    @property
    def clock(self) -> Clock: ...
    @property
    def model(self) -> Classifier: ...

    def classify(self, text: str) -> Prediction: ...

    @property
    def memory(self) -> ConversationMemory | None: ...


@dataclass(frozen=True)
class Context:
    """One message's surroundings. Frozen: a handler reads it and returns an Outcome."""

    session: Session
    settings: HandlerSettings
    classify: Callable[[str], Prediction]
    now: datetime
    chat: GroupChat | None  # the group chat it came from; None for a one-to-one message
    inbox_id: int  # the durable inbox row: the message's number for dedup keys and "#M" references
    # Who sent it, looked up (or created) only when a handler asks: most chat messages are
    # chit-chat that never needs the sender's person, roles or identity.
    load_person: Callable[[], Person] = field(repr=False, compare=False)
    # The classifier's confidence thresholds (from the model artifact's metadata).
    thresholds: Mapping[str, float] | None = None
    # The conversation memory (handlers.memory) and where this message lives in it; None: no memory.
    memory: ConversationMemory | None = field(default=None, repr=False, compare=False)
    chat_key: str = ""
    sender_key: str = ""
    line: Line | None = None  # this message as the memory records it (None: not a text line)

    @cached_property
    def person(self) -> Person:
        # cached_property writes the instance __dict__ directly, so it works on a frozen dataclass.
        return self.load_person()

    @cached_property
    def recalled(self) -> Snapshot:
        """What the memory holds for this message, read once (recording the line in the same round trip)."""
        if self.memory is None or self.line is None:
            return Snapshot(SenderState(), ())
        return self.memory.snapshot(self.chat_key, self.sender_key, self.line)

    @property
    def conversation(self) -> SenderState:
        return self.recalled.state
