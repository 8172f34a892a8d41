"""Photos in the ticket loop: kept when they arrive, attached when a ticket is opened, joined or resolved.

The door turns each image of a message into a download URL; here every one becomes a `Photo` row
in the message's own transaction (`receive`), before any handler runs, and waits unattached. The
ticket desk then attaches the sender's waiting photos (those of this message and of the last
`PHOTO_WINDOW_MINUTES`) to the ticket the message opens or joins (role "report"), and a staff
member's 办结 attaches theirs as the resolution photo (`attach_waiting`). A photo that nothing
claims keeps waiting for the sender's next report, and the bot asks for words (`after`).

Handlers never download: the worker fetches, decrypts and stores each row after the commit
(bot/intake/photos.py). Photos never go into a group push; staff see them on the console.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.orm import Session

from handlers.events import IncomingMessage, Outcome
from models import Identity, Person, Photo, Ticket, TicketEvent

log = logging.getLogger(__name__)

# One WeCom mixed message carries at most a handful of images; more in one message is not a report.
MAX_PER_MESSAGE = 9

RECEIVED = "已收到 {count} 张照片。"
RECEIVED_NEED_WORDS = "已收到 {count} 张照片，请补充文字说明（什么问题、在哪里），我会和照片一起登记。"
TOO_MANY = "照片太多了：每人每分钟最多 {limit} 张，这次有 {refused} 张没有收下，请挑几张清楚的再发。"
ATTACHED_NOTE = {"report": "附反映照片 {count} 张", "resolution": "附办结照片 {count} 张"}


@dataclass(frozen=True)
class Receipt:
    """What `receive` kept of one message's photos."""

    ids: tuple[int, ...] = ()
    refused: int = 0
    limit: int = 0


def receive(session: Session, msg: IncomingMessage, now: datetime, per_minute: int,
            inbox_id: int | None) -> Receipt:
    """A Photo row per image of the message, within the sender's per-minute allowance."""
    if not msg.photo_urls:
        return Receipt()
    recent = session.execute(
        select(func.count(Photo.id)).where(
            Photo.sender_channel == msg.identity_channel, Photo.sender_id == msg.sender_id,
            Photo.created_at > now - timedelta(minutes=1))
    ).scalar_one()
    allowed = max(0, min(per_minute - recent, MAX_PER_MESSAGE))
    kept = msg.photo_urls[:allowed]
    rows = [Photo(inbox_id=inbox_id, sender_channel=msg.identity_channel, sender_id=msg.sender_id, chat_external_id=msg.chat_id,
                  position=i, source_url=url, state="pending", attempts=0, next_attempt_at=now, created_at=now)
            for i, url in enumerate(kept)]
    session.add_all(rows)
    session.flush()
    refused = len(msg.photo_urls) - len(kept)
    if refused:
        log.info("photos refused: %d over the per-minute allowance", refused)
    return Receipt(tuple(r.id for r in rows), refused, per_minute)


# The person's unattached photos, sent under any of their identities (WeCom, the Official Account):
# the identities joined in, not read first (a lazy load when the sender came in by their identity),
# and matched column by column, which ix_photo_sender_pending serves. Asked at every report, join
# and 办结, almost always finding nothing: built once (composing it costs as much CPU as running it).
WAITING = (
    select(Photo.id)
    .join(Identity, (Identity.channel == Photo.sender_channel) & (Identity.external_id == Photo.sender_id))
    .where(Identity.person_id == bindparam("person_id"), Photo.ticket_id.is_(None), Photo.state != "failed",
           Photo.created_at >= bindparam("since"))
)


def attach_waiting(session: Session, ticket: Ticket, person: Person | None, role: str, now: datetime,
                   window_minutes: int, actor: Person | None = None) -> int:
    """Attach the person's unattached photos of the last window to the ticket; returns how many.

    Called by the ticket desk where a ticket is opened or joined (role "report") and by 办结
    (role "resolution"). The ticket's timeline notes it, so the console shows them in order.
    """
    if person is None or person.id is None:
        return 0
    ids = session.execute(WAITING, {"person_id": person.id,
                                    "since": now - timedelta(minutes=window_minutes)}).scalars().all()
    if not ids:
        return 0
    session.execute(update(Photo).where(Photo.id.in_(ids), Photo.ticket_id.is_(None))
                    .values(ticket_id=ticket.id, role=role, attached_at=now))
    session.add(TicketEvent(ticket_id=ticket.id, actor_id=(actor or person).id, action="photo",
                            from_state=ticket.state, to_state=ticket.state,
                            note=ATTACHED_NOTE[role].format(count=len(ids)), created_at=now))
    return len(ids)


def after(session: Session, msg: IncomingMessage, receipt: Receipt, outcome: Outcome) -> Outcome:
    """Tell the sender what became of the photos: counted on the ticket, or waiting for words."""
    if not msg.photo_urls:
        return outcome
    notes = []
    if receipt.ids:
        attached = session.execute(select(func.count(Photo.id)).where(
            Photo.id.in_(receipt.ids), Photo.ticket_id.is_not(None))).scalar_one()
        template = RECEIVED if attached else RECEIVED_NEED_WORDS
        notes.append(template.format(count=len(receipt.ids)))
    if receipt.refused:
        notes.append(TOO_MANY.format(limit=receipt.limit, refused=receipt.refused))
    reply = "\n".join(part for part in (outcome.reply, *notes) if part)
    return replace(outcome, reply=reply, intent=outcome.intent or "photo")
