"""The durable inbox: store every accepted message once, then process it exactly once.

Dedup is fast in Redis (SET NX EX) and authoritative in the database (unique
channel + msg_id). Processing claims the row with a conditional UPDATE inside the
same transaction that writes its effects, so two deliveries of one message can
never both act; a failure rolls everything back and leaves the row for the worker.
"""
from __future__ import annotations

import logging
import time
from datetime import timedelta

import redis
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from bot.services import Services, services
from handlers.dispatch import handle_message
from handlers.events import IncomingMessage
from bot.outbox import add_outgoing
from models import InboxMessage

log = logging.getLogger(__name__)

REPLAY_WAIT_SECONDS = 3.0


def accept_message(msg: IncomingMessage) -> str:
    """Persist, dedup and process one message; returns the passive reply ("" for none)."""
    svc = services()
    if _seen_in_redis(svc, msg) is True:
        return _replay(svc, msg)
    with svc.db.session() as session:
        row = InboxMessage(
            channel=msg.channel, msg_id=msg.msg_id, msg_type=msg.msg_type, chat_id=msg.chat_id,
            sender_id=msg.sender_id, text=msg.text, quote_id=msg.quote_id, quote_text=msg.quote_text,
            raw=msg.raw, sent_at=msg.sent_at, received_at=svc.clock.now(),
        )
        session.add(row)
        try:
            session.commit()
        except IntegrityError:
            session.rollback()
            return _replay(svc, msg)
        inbox_id = row.id
    log.info("inbox %s accepted channel=%s type=%s", inbox_id, msg.channel, msg.msg_type)
    try:
        return process_inbox(svc, inbox_id) or ""
    except Exception as exc:  # noqa: BLE001 — anything: the row stays, the worker retries
        _record_failure(svc, inbox_id, exc)
        svc.jobs.enqueue("bot.tasks.process_inbox_job", inbox_id)
        return ""


def _seen_in_redis(svc: Services, msg: IncomingMessage) -> bool | None:
    """True if Redis already saw this message; None if Redis is down (the DB decides)."""
    key = f"gridwhistle:dedup:{msg.channel}:{msg.msg_id}"
    try:
        first = svc.redis.set(key, 1, nx=True, ex=svc.settings.dedup_ttl_seconds)
    except redis.RedisError:
        log.warning("redis unavailable for dedup; falling back to the database")
        return None
    return not first


def _replay(svc: Services, msg: IncomingMessage) -> str:
    """A retry of a message we have: give the same reply again, never a second one.

    If the first attempt is still being processed, wait briefly for its reply.
    """
    deadline = time.monotonic() + REPLAY_WAIT_SECONDS
    while True:
        with svc.db.session() as session:
            row = session.execute(
                select(InboxMessage.status, InboxMessage.reply_text).where(
                    InboxMessage.channel == msg.channel, InboxMessage.msg_id == msg.msg_id
                )
            ).first()
        if row is not None and row.status == "processed":
            log.info("duplicate delivery of a processed message; replaying its reply")
            return row.reply_text or ""
        if row is not None and row.status == "failed":
            return ""
        if time.monotonic() > deadline:
            return ""
        time.sleep(0.05)


def process_inbox(svc: Services, inbox_id: int) -> str | None:
    """Run the handlers for one inbox row, once. Returns the reply, or None if already done."""
    with svc.db.session() as session:
        claimed = session.execute(
            update(InboxMessage)
            .where(InboxMessage.id == inbox_id, InboxMessage.status != "processed")
            .values(attempts=InboxMessage.attempts + 1)
        ).rowcount
        if claimed != 1:
            session.rollback()
            return None
        row = session.get(InboxMessage, inbox_id)
        outcome = handle_message(session, svc, row)
        new_outbox = add_outgoing(session, outcome.outgoing, svc.clock.now())
        row.status = "processed"
        row.reply_text = outcome.reply
        row.intent = outcome.intent
        row.processed_at = svc.clock.now()
        row.last_error = None
        session.commit()
        outbox_ids = [item.id for item in new_outbox]
    for outbox_id in outbox_ids:
        svc.jobs.enqueue("bot.tasks.deliver_outbox_job", outbox_id)
    return outcome.reply


def _record_failure(svc: Services, inbox_id: int, exc: Exception) -> None:
    log.exception("inbox %s failed: %s", inbox_id, type(exc).__name__)
    try:
        with svc.db.session() as session:
            session.execute(
                update(InboxMessage)
                .where(InboxMessage.id == inbox_id, InboxMessage.status != "processed")
                .values(status="failed", last_error=f"{type(exc).__name__}"[:300])
            )
            session.commit()
    except Exception:  # noqa: BLE001 — the row is still "received"; the sweeper finds it
        log.exception("could not record the failure of inbox %s", inbox_id)


def retry_backoff(attempts: int) -> timedelta:
    return timedelta(seconds=min(3600, 5 * 2 ** max(0, attempts - 1)))
