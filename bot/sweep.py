"""What the worker does every few seconds: re-find lost work and let time act.

Inbox rows that failed or lost their processing are retried, pushes that are due get a
delivery job, the conversation archive gets a pull job every ARCHIVE_PULL_INTERVAL_SECONDS, and the timers run (reminders, overdue escalation, unrated closing, scheduled
notices, proposals that expire, the daily digest). The dashboard's rollup is refreshed every
few minutes. Every part is safe to run in several workers at once (SKIP LOCKED, dedup keys).
"""
from __future__ import annotations

import logging

import redis

from bot.console.rollup import refresh_rollup, rollup_due
from bot.delivery.outbox import add_outgoing, deliver_soon, sweep_outbox
from bot.intake.archive.pull import schedule_pull
from bot.intake.inbox import sweep_inbox
from bot.intake.photos import sweep_photos
from bot.runtime.services import Services, services
from handlers.broadcast import sweep_broadcasts
from handlers.deliberation import sweep_proposals
from handlers.timers import sweep_tickets

log = logging.getLogger(__name__)


def sweep_job() -> dict[str, int]:
    """One sweep; returns what it found (for logs and tests)."""
    svc = services()
    now = svc.clock.now()
    counts = {"inbox": sweep_inbox(svc, now), "outbox": sweep_outbox(svc, now), "photos": sweep_photos(svc, now),
              "archive_pull": int(schedule_pull(svc))}
    with svc.db.session() as session:
        pushes = sweep_tickets(session, svc.settings, now, digest=_digest_due(svc, now))
        pushes = list(pushes) + sweep_broadcasts(session, svc.settings, now)
        pushes += sweep_proposals(session, svc.settings, now)
        rows = add_outgoing(session, pushes, now)
        session.commit()
        counts["pushes"] = len(rows)
        ids = [r.id for r in rows]
    deliver_soon(svc, ids)
    _refresh_rollup(svc, now)
    return counts


def _refresh_rollup(svc: Services, now) -> None:
    """Keep the dashboard's daily rollup current (at most every few minutes; never fails the sweep)."""
    if not rollup_due(svc.redis, now):
        return
    try:
        with svc.db.session() as session:
            refresh_rollup(session, now)
    except Exception:  # noqa: BLE001 — the dashboard falls back to live figures
        log.exception("rollup refresh failed")


def _digest_due(svc: Services, now) -> bool:
    """Run the digest query once an hour per process group, not on every sweep."""
    try:
        return bool(svc.redis.set(f"gridwhistle:digest-check:{now:%Y%m%d%H}", 1, nx=True, ex=7200))
    except redis.RedisError:
        return False
