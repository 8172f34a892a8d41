"""What a handler may use: the session, the settings, the classifier, the clock, who and where."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from models import GroupChat, InboxMessage, Person


@dataclass
class Context:
    session: Session
    settings: Any
    classify: Callable[[str], Any]
    now: datetime
    chat: GroupChat | None
    inbox: InboxMessage
    # Who sent it, looked up (or created) only when a handler asks: most chat messages are
    # chit-chat that never needs the sender's person, roles or identity.
    load_person: Callable[[], Person] = field(repr=False, default=None)
    # The classifier's confidence thresholds (from the model artifact's metadata).
    thresholds: dict | None = None
    _person: Person | None = field(default=None, repr=False)

    @property
    def person(self) -> Person:
        if self._person is None:
            self._person = self.load_person()
        return self._person
