"""The worker's jobs. Each takes plain ids and reads everything else from the database."""
from __future__ import annotations

import logging
from datetime import timedelta

import redis
from sqlalchemy import or_, select

from bot.inbox import retry_backoff, retry_inbox
from bot.outbox import SENDING_LEASE, add_outgoing, backoff, claim, mark_send_started
from bot.services import services
from handlers.broadcast import sweep_broadcasts
from handlers.deliberation import sweep_proposals
from handlers.timers import sweep_tickets
from models import InboxMessage, OutboxItem

log = logging.getLogger(__name__)
INBOX_GRACE = timedelta(seconds=30)


def process_inbox_job(inbox_id: int) -> None:
    retry_inbox(services(), inbox_id)


def deliver_outbox_job(outbox_id: int) -> str:
    """Deliver one outbox item; returns its state afterwards (for logs and tests)."""
    from bot.channels.errors import PermanentError, RateLimited, TransientError
    from bot.channels.routes import Route

    svc = services()
    now = svc.clock.now()
    with svc.db.session() as session:
        item = claim(session, outbox_id, now)
        if item is None:
            return "skipped"
        mark_send_started(session, item, now)
        try:
            svc.deliverer.deliver(Route(item.route_kind, item.route_target, item.member_count), item.text)
        except RateLimited as exc:
            # Not a failure: wait as long as the bucket says, and do not count the try.
            item.state, item.attempts = "pending", item.attempts - 1
            item.next_attempt_at = now + timedelta(seconds=max(exc.retry_after, 0.5))
        except (TransientError, PermanentError) as exc:
            item.last_error = str(exc)[:300]
            if isinstance(exc, PermanentError) or item.attempts >= svc.settings.outbox_max_attempts:
                item.state = "dead"
                log.error("outbox %s dead after %s tries: %s", item.id, item.attempts, type(exc).__name__)
            else:
                item.state, item.next_attempt_at = "pending", now + backoff(item.attempts)
        else:
            item.state, item.sent_at, item.last_error = "sent", svc.clock.now(), None
        session.commit()
        return item.state


def sweep_job() -> dict[str, int]:
    """Find work that lost its job (crash, Redis restart) and run the timers."""
    svc = services()
    now = svc.clock.now()
    counts = {"inbox": 0, "outbox": 0, "pushes": 0}
    with svc.db.session() as session:
        stale_inbox = session.execute(
            select(InboxMessage.id, InboxMessage.attempts, InboxMessage.received_at)
            .where(InboxMessage.status.in_(("received", "failed")), InboxMessage.received_at <= now - INBOX_GRACE)
            .order_by(InboxMessage.id).limit(200)
        ).all()
        due_outbox = session.execute(
            select(OutboxItem.id).where(or_(
                (OutboxItem.state == "pending") & (OutboxItem.next_attempt_at <= now),
                (OutboxItem.state == "sending") & (OutboxItem.next_attempt_at <= now - SENDING_LEASE),
            )).order_by(OutboxItem.id).limit(500)
        ).scalars().all()
    for inbox_id, attempts, received_at in stale_inbox:
        if received_at + retry_backoff(attempts) <= now:
            counts["inbox"] += 1
            retry_inbox(svc, inbox_id)
    for outbox_id in due_outbox:
        counts["outbox"] += 1
        svc.jobs.enqueue("bot.tasks.deliver_outbox_job", outbox_id)
    with svc.db.session() as session:
        pushes = sweep_tickets(session, svc.settings, now, digest=_digest_due(svc, now))
        pushes = list(pushes) + sweep_broadcasts(session, svc.settings, now)
        pushes += sweep_proposals(session, svc.settings, now)
        rows = add_outgoing(session, pushes, now)
        session.commit()
        counts["pushes"] = len(rows)
        ids = [r.id for r in rows]
    for outbox_id in ids:
        svc.jobs.enqueue("bot.tasks.deliver_outbox_job", outbox_id)
    _refresh_rollup(svc, now)
    return counts


def _refresh_rollup(svc, now) -> None:
    """Keep the dashboard's daily rollup current (at most every few minutes; never fails the sweep)."""
    from bot.console.rollup import refresh_rollup, rollup_due

    if not rollup_due(svc.redis, now):
        return
    try:
        with svc.db.session() as session:
            refresh_rollup(session, now)
    except Exception:  # noqa: BLE001 — the dashboard falls back to live figures
        log.exception("rollup refresh failed")


def _digest_due(svc, now) -> bool:
    """Run the digest query once an hour per process group, not on every sweep."""
    try:
        return bool(svc.redis.set(f"gridwhistle:digest-check:{now:%Y%m%d%H}", 1, nx=True, ex=7200))
    except redis.RedisError:
        return False
