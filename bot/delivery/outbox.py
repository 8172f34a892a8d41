"""Outbox rows: written in the same transaction as the change they report, delivered later.

Delivery claims a row (pending → sending) in its own committed transaction before
the HTTP call, and marks it sent right after. A worker that dies between the two
leaves a "sending" row; after the lease it is retried, and routes with server-side
duplicate checking (WeCom message/send) make that retry harmless.
"""
from __future__ import annotations

import logging
import random
from datetime import timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.delivery.channels import cards
from bot.delivery.channels.errors import PermanentError, RateLimited, TransientError
from bot.delivery.channels.routes import ChannelSettings, Deliverer, Route
from bot.runtime.config import Settings
from bot.runtime.services import Services, services
from handlers.events import OutgoingMessage
from models import OutboxItem, Ticket

log = logging.getLogger(__name__)
SENDING_LEASE = timedelta(seconds=60)


def add_outgoing(session: Session, items, now) -> list[OutboxItem]:
    """Queue pushes; a dedup key already queued (by us or another worker) is skipped."""
    rows = []
    for out in items:
        assert isinstance(out, OutgoingMessage)
        exists = session.execute(select(OutboxItem.id).where(OutboxItem.dedup_key == out.dedup_key)).first()
        if exists:
            continue
        row = OutboxItem(
            dedup_key=out.dedup_key, route_kind=out.route_kind, route_target=out.route_target,
            member_count=out.member_count, text=out.text, ticket_id=out.ticket_id,
            notice_id=out.notice_id, card=out.card, masked=out.masked, next_attempt_at=now, created_at=now,
        )
        try:
            with session.begin_nested():
                session.add(row)
                session.flush()
        except IntegrityError:
            continue
        rows.append(row)
    return rows


def backoff(attempts: int) -> timedelta:
    """Exponential backoff with jitter: 2, 4, 8 … seconds, capped at 10 minutes."""
    base = min(600.0, 2.0 ** attempts)
    return timedelta(seconds=base * random.uniform(0.75, 1.25))


# Routes whose API drops a repeated message by itself (WeCom message/send with
# enable_duplicate_check): re-sending after a crash is harmless there, and only there.
IDEMPOTENT_ROUTES = ("wecom_user",)
UNCERTAIN = "uncertain: a worker stopped during the API call; retry only after checking the chat"


def claim(session: Session, outbox_id: int, now) -> OutboxItem | None:
    """pending (due) or stale sending → sending; None if someone else has it or it is done.

    A stale row whose API call had started is re-sent only on an idempotent route; on a
    group route it goes to the dead letters instead: a chat never sees a message twice,
    and an admin sees the one message that may not have arrived (`outbox-retry`).
    """
    stale = (OutboxItem.state == "sending") & (OutboxItem.next_attempt_at <= now - SENDING_LEASE)
    may_resend = OutboxItem.send_started_at.is_(None) | OutboxItem.route_kind.in_(IDEMPOTENT_ROUTES)
    got = session.execute(
        update(OutboxItem)
        .where(
            OutboxItem.id == outbox_id,
            ((OutboxItem.state == "pending") & (OutboxItem.next_attempt_at <= now)) | (stale & may_resend),
        )
        .values(state="sending", attempts=OutboxItem.attempts + 1, next_attempt_at=now, send_started_at=None)
    ).rowcount
    if got != 1:
        uncertain = session.execute(
            update(OutboxItem).where(OutboxItem.id == outbox_id, stale, ~may_resend)
            .values(state="dead", last_error=UNCERTAIN)
        ).rowcount
        if uncertain:
            log.error("outbox %s: send interrupted on a route without duplicate checking; left for an admin",
                      outbox_id)
    session.commit()
    return session.get(OutboxItem, outbox_id) if got == 1 else None


def mark_send_started(session: Session, item: OutboxItem, now) -> None:
    item.send_started_at = now
    session.commit()


def build_deliverer(s: Settings, redis_client) -> Deliverer:
    """The channel senders for these settings (the app factory hands this to Services)."""
    return Deliverer(ChannelSettings(
        api_base_url=s.wecom_api_base_url, corp_id=s.wecom_corp_id, corp_secret=s.wecom_secret,
        agent_id=s.wecom_agent_id, oa_app_id=s.wechat_app_id, oa_secret=s.wechat_secret,
        oa_template_id=s.wechat_template_id, timeout=s.api_timeout_seconds,
        oa_api_base_url=s.wechat_api_base_url,
    ), redis_client)


def deliver_outbox_job(outbox_id: int) -> str:
    """Deliver one outbox item; returns its state afterwards (for logs and tests)."""
    svc = services()
    now = svc.clock.now()
    with svc.db.session() as session:
        item = claim(session, outbox_id, now)
        if item is None:
            return "skipped"
        mark_send_started(session, item, now)
        try:
            svc.deliverer.deliver(Route(item.route_kind, item.route_target, item.member_count), item.text,
                                  card=render_card(session, svc.settings.secret_key, item), masked=item.masked)
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


def render_card(session: Session, secret: str, item: OutboxItem) -> dict | None:
    """The buttons an outbox row asks for ("rate:12"), drawn from the ticket as it is now."""
    kind, _, ref = (item.card or "").partition(":")
    if kind != "rate" or not ref.isdigit():
        return None
    ticket = session.get(Ticket, int(ref))
    if ticket is None or ticket.state != "resolved":
        return None  # rated or reopened meanwhile: the text alone says what happened
    return cards.rating_card(secret, f"gw-r{ticket.id}-{item.id}", ticket_id=ticket.id, version=ticket.version,
                             note=item.text)


def deliver_soon(svc: Services, outbox_ids) -> None:
    """After the rows are committed: one delivery job each (the sweep re-finds any job lost)."""
    for outbox_id in outbox_ids:
        svc.jobs.enqueue(deliver_outbox_job, outbox_id)


def sweep_outbox(svc: Services, now) -> int:
    """Pushes that are due (retries) or whose worker died mid-send get a new job."""
    with svc.db.session() as session:
        due = session.execute(
            select(OutboxItem.id).where(or_(
                (OutboxItem.state == "pending") & (OutboxItem.next_attempt_at <= now),
                (OutboxItem.state == "sending") & (OutboxItem.next_attempt_at <= now - SENDING_LEASE),
            )).order_by(OutboxItem.id).limit(500)
        ).scalars().all()
    deliver_soon(svc, due)
    return len(due)
