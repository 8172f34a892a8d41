"""Records that did not open, kept encrypted as they came and tried again until they do.

The cursor moves past a parked record (the chats behind it keep flowing); the record itself is
tried again at every pull once its backoff has passed: after a key rotation the missing version is
configured and the parked records open; a body the SDK could not decrypt is retried as well. The
console's operators see them in the logs (error level, with the reason and seq, never the key).
"""
from __future__ import annotations

import logging
from datetime import timedelta

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from bot.intake.archive.errors import RecordUnreadable
from bot.intake.archive.source import EncryptedRecord
from bot.runtime.services import Services
from models import ArchiveParked

log = logging.getLogger(__name__)


def backoff(attempts: int) -> timedelta:
    return timedelta(seconds=min(3600, 30 * 2 ** max(0, attempts - 1)))


def park(svc: Services, record: EncryptedRecord, exc: RecordUnreadable) -> None:
    now = svc.clock.now()
    log.error("archive record seq=%s parked (%s): %s", record.seq, exc.reason, exc)
    with svc.db.session() as session:
        try:
            session.add(ArchiveParked(
                seq=record.seq, msgid=record.msgid[:128], publickey_ver=record.publickey_ver,
                encrypt_random_key=record.encrypt_random_key, encrypt_chat_msg=record.encrypt_chat_msg,
                reason=exc.reason, detail=str(exc)[:300], state="parked", attempts=1,
                next_attempt_at=now + backoff(1), created_at=now))
            session.commit()
        except IntegrityError:
            session.rollback()  # parked already (a repeated batch)


def due(svc: Services, now, limit: int = 50) -> list[tuple[int, EncryptedRecord, int]]:
    """(parked id, record, attempts) of parked records whose next try is due, oldest first."""
    with svc.db.session() as session:
        rows = session.execute(select(ArchiveParked).where(
            ArchiveParked.state == "parked", ArchiveParked.next_attempt_at <= now)
            .order_by(ArchiveParked.seq).limit(limit)).scalars().all()
        return [(r.id, EncryptedRecord(seq=r.seq, msgid=r.msgid, publickey_ver=r.publickey_ver,
                                       encrypt_random_key=r.encrypt_random_key, encrypt_chat_msg=r.encrypt_chat_msg),
                 r.attempts) for r in rows]


def opened(svc: Services, parked_id: int) -> None:
    with svc.db.session() as session:
        session.execute(update(ArchiveParked).where(ArchiveParked.id == parked_id).values(state="done"))
        session.commit()


def still_closed(svc: Services, parked_id: int, attempts: int, exc: RecordUnreadable) -> None:
    now = svc.clock.now()
    with svc.db.session() as session:
        session.execute(update(ArchiveParked).where(ArchiveParked.id == parked_id).values(
            attempts=attempts + 1, next_attempt_at=now + backoff(attempts + 1), reason=exc.reason,
            detail=str(exc)[:300]))
        session.commit()
