"""The durable inbox: store every accepted message once, then process it exactly once.

Dedup is fast in Redis (SET NX EX) and authoritative in the database (unique
channel + msg_id). A first delivery writes the row and everything it causes in one
transaction, so two deliveries of one message can never both act; if handling fails,
the message alone is kept as "failed" and the worker retries it, claiming the row
with a conditional UPDATE inside the transaction that writes the retry's effects.
"""
from __future__ import annotations

import logging
import time
from dataclasses import replace
from datetime import timedelta

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.exc import IntegrityError

from bot.delivery.outbox import add_outgoing, deliver_soon
from bot.intake import admission, counters, media_url
from bot.intake.photos import enqueue_downloads
from bot.runtime.services import Services, services, take_classification_seconds
from handlers.privacy import mask_personal_data
from handlers import conversation
from handlers.dispatch import handle_message
from handlers.events import STAFF_MASKED, IncomingMessage, OutgoingMessage
from handlers.people import reply_route, to_message
from handlers.policy import STAFF_ROLES
from models import Identity, InboxMessage, RoleAssignment

INBOX = InboxMessage.__table__
# Built once and executed with parameters, so SQLAlchemy reuses the compiled statements.
INSERT_ROW = insert(INBOX)
FINISH_ROW = update(INBOX).where(INBOX.c.id == bindparam("inbox_id"))

log = logging.getLogger(__name__)

REPLAY_WAIT_SECONDS = 3.0


def accept_message(msg: IncomingMessage, flood_at: float | None = None) -> str:
    """Persist, dedup and process one message; returns the passive reply ("" for none).

    A reply into a group chat is masked: phone, ID and door numbers never reach a group.
    flood_at: when the flood limits count the message (Unix seconds; default: the bot's clock's
    now; the archive passes when it was sent).
    """
    return _accept(msg, flood_at)


def as_delivered(msg: IncomingMessage, reply: str, masked: bool) -> str:
    """The passive reply as it goes out, and as it is stored for a retry to replay verbatim.

    Into a group it is masked with the residents' rules, unless it is staff text already masked
    where it was written (a knowledge answer with an official hotline: Outcome.reply_masked).
    Stored as delivered, a retry cannot mask it differently from the first delivery.
    """
    return mask_personal_data(reply) if reply and msg.chat_id and not masked else reply


def _accept(msg: IncomingMessage, flood_at: float | None = None) -> str:
    """One durable commit per message: the inbox row and everything it caused together.

    If handling fails, the transaction rolls back and the message alone is stored as
    "failed" for the worker to retry. A concurrent duplicate blocks on the unique key
    until this commits, then replays the stored reply.
    """
    svc = services()
    s = svc.settings
    memory_read = _memory_read(svc, msg)
    admitted = admission.admit(svc.redis, msg.channel, msg.msg_id, msg.sender_id, msg.chat_id,
                            s.dedup_ttl_seconds, s.flood_per_sender_per_minute, s.flood_per_chat_per_minute,
                            at=svc.clock.now().timestamp() if flood_at is None else flood_at,
                            also=memory_read[3] if memory_read else None)
    if memory_read and admitted.also is not None:
        svc.memory.keep_prefetched(*memory_read[:3], admitted.also)
    if admitted.first is False:
        replayed = _replay(svc, msg)
        if replayed is not None:
            return replayed
        # Redis saw it but the database never stored it (the first try died): process it now.
    try:
        return _store_and_handle(svc, msg, admitted)
    except Exception:
        admission.forget(svc.redis, msg.channel, msg.msg_id)  # so WeChat's retry is processed, not replayed
        raise


def _memory_read(svc: Services, msg: IncomingMessage):
    """(chat, sender, line, script call): the conversation memory's read for this message, carried on
    the admission's round trip so the conversation layer costs no round trip of its own."""
    chat, sender = conversation.keys(msg)
    # Stamped with the message's own time: the bot's clock may cost a Redis read (sandbox, tests).
    line = conversation.line_of(_storable(msg), sender, msg.sent_at, 0)
    if line is None:
        return None
    return chat, sender, line, svc.memory.snapshot_call(chat, sender, line)


def _store_and_handle(svc: Services, msg: IncomingMessage, admitted: admission.Admission) -> str:
    """The reply as delivered (see as_delivered)."""
    # The handlers get the very message that is stored, NULs removed, not a copy read back.
    msg = _storable(msg)
    throttled = admitted.throttled
    # Core statements, not the ORM's unit of work, for the inbox row: this is the hot path of
    # every message, and most messages (chit-chat) cause nothing else.
    row = _inbox_row(svc, msg)
    with svc.db.session() as session:
        if throttled is not None:
            if admitted.limit == "chat" or _is_staff(session, msg):
                # Deferred, never dropped: a busy chat's messages and staff's commands are kept
                # unprocessed (attempts 0) and the sweep processes them shortly, pushing the reply.
                row.attempts = 0
                log.warning("inbox message deferred by the flood limit (%s)", admitted.limit)
                throttled = ""
            else:
                # A flooding sender's line: kept (status processed, intent throttled), not acted on.
                row.status, row.intent, row.reply_text, row.processed_at = (
                    "processed", "throttled", as_delivered(msg, throttled, False), row.received_at)
        try:
            row.id = session.connection().execute(INSERT_ROW, _columns(row)).inserted_primary_key[0]
        except IntegrityError:
            session.rollback()
            return _replay(svc, msg) or ""
        if throttled is not None:
            session.commit()
            return row.reply_text or ""
        failure = None
        try:
            outcome, outbox_rows, reply = _run_handlers(session, svc, msg, row.id)
            session.commit()
            outbox_ids = [r.id for r in outbox_rows]
        except Exception as exc:  # noqa: BLE001 — anything: keep the message, the worker retries
            session.rollback()
            failure = exc
    if failure is not None:
        inbox_id = _keep_failed(svc, msg, failure)
        log.error("inbox %s failed (%s); the worker will retry it", inbox_id, type(failure).__name__,
                  exc_info=failure)
        if inbox_id is not None:
            svc.jobs.enqueue(process_inbox_job, inbox_id)
        return ""
    log.info("inbox %s processed channel=%s type=%s intent=%s", row.id, msg.channel, msg.msg_type,
             outcome.intent)
    counters.record_message(svc.redis, outcome.intent, take_classification_seconds())
    deliver_soon(svc, outbox_ids)
    if msg.photo_urls:
        enqueue_downloads(svc, row.id)  # after the commit: the download is the worker's, never before the ack
    return reply


def _is_staff(session, msg: IncomingMessage) -> bool:
    """Whether the sender holds a staff role anywhere: their commands are never throttled away."""
    return session.execute(
        select(RoleAssignment.id).join(Identity, Identity.person_id == RoleAssignment.person_id)
        .where(Identity.channel == msg.identity_channel, Identity.external_id == msg.sender_id,
               RoleAssignment.role.in_(STAFF_ROLES)).limit(1)
    ).first() is not None


def _keep_failed(svc: Services, msg: IncomingMessage, exc: Exception) -> int | None:
    """After a failed first try, store the (storable) message alone, status failed, for the worker."""
    row = _inbox_row(svc, msg)
    row.status, row.last_error = "failed", type(exc).__name__[:300]
    with svc.db.session() as session:
        try:
            inbox_id = session.connection().execute(INSERT_ROW, _columns(row)).inserted_primary_key[0]
            session.commit()
        except IntegrityError:
            return None  # a concurrent delivery of the same message got it in first
        return inbox_id


def _no_nul(value: str | None) -> str | None:
    # PostgreSQL text cannot hold NUL characters; they carry no meaning in a chat message.
    return value.replace("\x00", "") if value else value


def _storable(msg: IncomingMessage) -> IncomingMessage:
    """The message as the database can hold it (no NUL characters)."""
    return replace(
        msg, msg_id=_no_nul(msg.msg_id), msg_type=_no_nul(msg.msg_type), chat_id=_no_nul(msg.chat_id),
        sender_id=_no_nul(msg.sender_id), text=_no_nul(msg.text) or "", quote_id=_no_nul(msg.quote_id),
        quote_text=_no_nul(msg.quote_text), raw=_no_nul(msg.raw) or "",
        photo_urls=tuple(_no_nul(u) or "" for u in msg.photo_urls), response_url=_no_nul(msg.response_url),
    )


def _inbox_row(svc: Services, msg: IncomingMessage) -> InboxMessage:
    """A detached row for a storable message, written with Core statements."""
    return InboxMessage(
        channel=msg.channel, msg_id=msg.msg_id, msg_type=msg.msg_type, chat_id=msg.chat_id,
        sender_id=msg.sender_id, text=msg.text, quote_id=msg.quote_id, quote_text=msg.quote_text, raw=msg.raw,
        sent_at=msg.sent_at, received_at=svc.clock.now(), status="received", attempts=1,
        extras=msg.extras_json(),
    )


def _columns(row: InboxMessage) -> dict:
    return {c.key: getattr(row, c.key) for c in INBOX.columns if c.key != "id"}


def _run_handlers(session, svc: Services, msg: IncomingMessage, inbox_id: int):
    """Handle the message; the outcome, its outbox rows and the passive reply as delivered."""
    outcome = handle_message(session, svc, msg, inbox_id)
    outbox_rows = add_outgoing(session, outcome.outgoing, svc.clock.now())
    reply = as_delivered(msg, outcome.reply, outcome.reply_masked)
    session.connection().execute(FINISH_ROW, {
        "inbox_id": inbox_id, "status": "processed", "reply_text": reply, "intent": outcome.intent,
        "processed_at": svc.clock.now(), "last_error": None})
    return outcome, outbox_rows, reply


def _replay(svc: Services, msg: IncomingMessage) -> str | None:
    """A retry of a message we have: give the same reply again, never a second one.

    If the first attempt is still being processed, wait briefly for its reply. None means
    the database has no such message after all (its first delivery died before storing it).
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
            return "" if row is not None else None
        time.sleep(0.05)


def process_inbox(svc: Services, inbox_id: int) -> str | None:
    """The worker's retry of one inbox row, once. Returns the reply, or None if already done.

    The conditional UPDATE claims the row inside the same transaction that writes the
    effects, so two workers retrying one row can never both act.
    """
    with svc.db.session() as session:
        claimed = session.execute(
            update(InboxMessage)
            .where(InboxMessage.id == inbox_id, InboxMessage.status != "processed")
            .values(attempts=InboxMessage.attempts + 1)
        ).rowcount
        if claimed != 1:
            session.rollback()
            return None
        # The retry has only the stored row: the message is rebuilt from it once, here.
        msg = to_message(session.get(InboxMessage, inbox_id))
        outcome, outbox_rows, _ = _run_handlers(session, svc, msg, inbox_id)
        if outcome.reply:
            # WeChat's connection is long gone: the reply the resident was owed is pushed instead,
            # through the robot's one-shot response_url while it is valid, else into the chat.
            route = late_reply_route(svc, msg, session)
            if route is not None:
                outbox_rows += add_outgoing(session, [OutgoingMessage(
                    route_kind=route[0], route_target=route[1], member_count=route[2],
                    text=outcome.reply, dedup_key=f"inbox{inbox_id}:reply",
                    masked=STAFF_MASKED if outcome.reply_masked else None)], svc.clock.now())
        session.commit()
        outbox_ids = [r.id for r in outbox_rows]
    deliver_soon(svc, outbox_ids)
    if msg.photo_urls:
        enqueue_downloads(svc, inbox_id)
    return outcome.reply


# WeCom accepts one POST to a robot's response_url within an hour of the message.
RESPONSE_URL_VALID = timedelta(minutes=55)


def late_reply_route(svc: Services, msg: IncomingMessage, session) -> tuple[str, str, int] | None:
    """Where a reply ready after the passive window goes: response_url (robot, fresh), else the chat."""
    if (msg.channel == "robot" and msg.response_url and svc.clock.now() - msg.sent_at < RESPONSE_URL_VALID
            and media_url.allowed(msg.response_url, (svc.settings.wecom_api_base_url,), media_url.RESPONSE_PATH)):
        return "robot_response", msg.response_url, 1
    return reply_route(session, msg)


def retry_inbox(svc: Services, inbox_id: int) -> str | None:
    """process_inbox for the worker: a failure is counted (for backoff) and kept for later."""
    try:
        return process_inbox(svc, inbox_id)
    except Exception as exc:  # noqa: BLE001 — counted; the sweep retries with backoff
        log.error("retry of inbox %s failed (%s)", inbox_id, type(exc).__name__, exc_info=exc)
        with svc.db.session() as session:
            session.execute(
                update(InboxMessage)
                .where(InboxMessage.id == inbox_id, InboxMessage.status != "processed")
                .values(status="failed", attempts=InboxMessage.attempts + 1, last_error=type(exc).__name__[:300])
            )
            session.commit()
        return None


def retry_backoff(attempts: int) -> timedelta:
    return timedelta(seconds=min(3600, 5 * 2 ** max(0, attempts - 1)))


def process_inbox_job(inbox_id: int) -> None:
    """The worker's job for one inbox row that failed or lost its first processing."""
    retry_inbox(services(), inbox_id)


# A row younger than this may still be in its first processing: the sweep leaves it alone.
INBOX_GRACE = timedelta(seconds=30)


def sweep_inbox(svc: Services, now) -> int:
    """Retry inbox rows that failed or were never processed (crash, restart), with backoff."""
    with svc.db.session() as session:
        stale = session.execute(
            select(InboxMessage.id, InboxMessage.attempts, InboxMessage.received_at)
            .where(InboxMessage.status.in_(("received", "failed")), InboxMessage.received_at <= now - INBOX_GRACE)
            .order_by(InboxMessage.id).limit(200)
        ).all()
    retried = 0
    for inbox_id, attempts, received_at in stale:
        if received_at + retry_backoff(attempts) <= now:
            retried += 1
            retry_inbox(svc, inbox_id)
    return retried
