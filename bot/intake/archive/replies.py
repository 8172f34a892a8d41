"""Replies to archive-heard lines: never passive (nobody is waiting on a callback), always pushed.

Each reply goes through the outbox on the chat's outbound route (group robot webhook or
appchat/send), so the existing per-route rate limits and retries apply. When a chat was busy
(several replies in one pulled batch) they go as one message that acknowledges each report, so
a lively chat gets one line from the bot, not ten. Dedup keys are built from the messages'
msgids, so a batch repeated after a crash queues nothing twice.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.delivery.outbox import add_outgoing
from bot.intake.archive import texts
from handlers.events import OutgoingMessage
from models import Identity, Person


@dataclass(frozen=True)
class Reply:
    msgid: str
    sender: str
    text: str


@dataclass(frozen=True)
class ChatRoute:
    route_kind: str
    route_target: str
    member_count: int


def reply_messages(session: Session, route: ChatRoute, replies: list[Reply]) -> list[OutgoingMessage]:
    """One push for the chat: the reply itself, or one acknowledging several."""
    if not replies:
        return []
    if len(replies) == 1:
        text = replies[0].text
    else:
        names = _names(session, [r.sender for r in replies])
        lines = [texts.BATCH_HEAD.format(n=len(replies))]
        for i, reply in enumerate(replies):
            mark = texts.MARKS[i] if i < len(texts.MARKS) else f"{i + 1}."
            lines.append(texts.BATCH_LINE.format(mark=mark, name=names.get(reply.sender, texts.SOMEONE),
                                                 reply=reply.text))
        text = "\n".join(lines)
    digest = hashlib.sha256("|".join(r.msgid for r in replies).encode()).hexdigest()[:32]
    return [OutgoingMessage(route_kind=route.route_kind, route_target=route.route_target,
                            member_count=route.member_count, text=text, dedup_key=f"archive:{digest}")]


def queue_replies(session: Session, by_chat: dict[ChatRoute, list[Reply]], now, max_per_message: int = 10):
    """Outbox rows for every chat's replies of one batch (a very busy chat: one message per ten)."""
    rows = []
    for route, replies in by_chat.items():
        for start in range(0, len(replies), max_per_message):
            rows += add_outgoing(session, reply_messages(session, route, replies[start:start + max_per_message]), now)
    return rows


def _names(session: Session, senders: list[str]) -> dict[str, str]:
    found = session.execute(select(Identity.external_id, Person.name).join(Person, Identity.person_id == Person.id)
                            .where(Identity.channel == "wecom", Identity.external_id.in_(set(senders)))).all()
    return dict(found)
