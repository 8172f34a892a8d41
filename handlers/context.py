"""What a handler may use: the session, the settings, the classifier, the clock, who and where."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from collections.abc import Callable

from sqlalchemy.orm import Session

from models import GroupChat, InboxMessage, Person


@dataclass
class Context:
    session: Session
    settings: Any
    classify: Callable[[str], Any]
    now: datetime
    person: Person
    chat: GroupChat | None
    inbox: InboxMessage
    # The classifier's confidence thresholds (from the model artifact's metadata).
    thresholds: dict | None = None
