"""Write one audit entry (models.AuditEntry) for a sensitive staff act, and log it without text."""
from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy.orm import Session

from models import AuditEntry, Person

log = logging.getLogger(__name__)


def record(session: Session, actor: Person | None, action: str, *, now: datetime,
           subject: Person | None = None, detail: str = "") -> None:
    session.add(AuditEntry(actor_id=actor.id if actor else None, action=action,
                           subject_id=subject.id if subject else None, detail=detail[:300], created_at=now))
    log.info("audit %s by person %s on person %s", action, actor.id if actor else None,
             subject.id if subject else None)
