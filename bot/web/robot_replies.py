"""What the robot says back in its passive reply: a stream, a stream with a card, or an updated card.

- Every stream we answer is remembered (Redis, a few minutes) by its id, so a `stream` refresh for
  that id gets the same content; an unknown id gets an empty finished stream.
- A reply that names a ticket ("工单 #12") carries that ticket's card: staff buttons while staff
  can act (受理 / 上报 / 办结; in work chats 报到 / 办结 / 上报 / 派 with a department select), the
  rating buttons once it is resolved (in the ticket's own chat), nothing when it is closed.
- A button press is answered with the card redrawn from the ticket's new state; a press that
  changed nothing (refused, or a card drawn before the ticket moved on) updates only the presser's
  card, with the reason.
"""
from __future__ import annotations

import json
import logging
import re
import uuid

import redis
from sqlalchemy import select

from bot.delivery.channels import cards
from bot.runtime.services import Services
from models import Department, GroupChat, Ticket

log = logging.getLogger(__name__)

STREAM_TTL_SECONDS = 600  # WeCom refreshes a stream for at most 6 minutes after the message
TICKET_NAMED = re.compile(r"工单\s*#(\d{1,9})")
FORGED = "这个按钮无效（可能来自旧版本或被篡改），没有执行任何操作。请直接在群里输入命令，例如「受理 #12」。"
MOVED_ON = "工单 #{ticket_id} 已有新进展（当前：{state}），卡片已刷新，请按新的按钮操作。"


def _stream_key(stream_id: str) -> str:
    return f"gridwhistle:robot-stream:{stream_id}"


def stream(svc: Services, content: str, card: dict | None = None) -> dict:
    """A finished stream with this content (and a card), remembered for refreshes."""
    stream_id = uuid.uuid4().hex
    try:
        svc.redis.set(_stream_key(stream_id), content, ex=STREAM_TTL_SECONDS)
    except redis.RedisError:
        log.warning("redis unavailable: stream %s not kept for refreshes", stream_id[:8])
    body = {"id": stream_id, "finish": True, "content": content}
    if card is None:
        return {"msgtype": "stream", "stream": body}
    return {"msgtype": "stream_with_template_card", "stream": body, "template_card": card}


def refresh(svc: Services, stream_id: str) -> dict:
    """A refresh of one of our streams: its content again, finished; unknown ids finish empty."""
    try:
        content = svc.redis.get(_stream_key(stream_id))
    except redis.RedisError:
        content = None
    text = content.decode() if isinstance(content, bytes) else content or ""
    return {"msgtype": "stream", "stream": {"id": stream_id, "finish": True, "content": text}}


def _task_id(ticket_id: int) -> str:
    # WeCom wants every card's task_id unique for the robot: the ticket, then randomness.
    return f"gw-t{ticket_id}-{uuid.uuid4().hex[:12]}"


def _departments(session) -> list[tuple[str, str]]:
    return [(d.code, d.name) for d in session.execute(select(Department).order_by(Department.id)).scalars()]


def _chat(session, chat_external_id: str | None) -> GroupChat | None:
    if not chat_external_id:
        return None
    return session.execute(select(GroupChat).where(GroupChat.channel == "wecom",
                                                   GroupChat.external_id == chat_external_id)).scalar_one_or_none()


def card_for(svc: Services, session, ticket: Ticket, chat_external_id: str | None, note: str,
             task_id: str | None = None) -> dict | None:
    """The card a ticket shows in this chat now (None: nothing to press and nothing to update)."""
    chat = _chat(session, chat_external_id)
    task_id = task_id or _task_id(ticket.id)
    secret = svc.settings.secret_key
    if ticket.state == "resolved":
        if chat is None or chat.id == ticket.chat_id:
            return cards.rating_card(secret, task_id, ticket_id=ticket.id, version=ticket.version, note=note)
        return None
    work_chat = chat is not None and (chat.org_unit is None or chat.org_unit.kind != "grid")
    card = cards.ticket_card(secret, task_id, ticket_id=ticket.id, version=ticket.version, state=ticket.state,
                             category=ticket.category, note=note, work_chat=work_chat,
                             departments=_departments(session) if work_chat else [])
    return card


def reply_with_card(svc: Services, reply: str, chat_external_id: str | None) -> dict:
    """The passive reply to a message: the text as a stream, with the named ticket's card if any."""
    named = TICKET_NAMED.search(reply)
    card = None
    if named:
        with svc.db.session() as session:
            ticket = session.get(Ticket, int(named.group(1)))
            if ticket is not None:
                card = card_for(svc, session, ticket, chat_external_id, reply)
    return stream(svc, reply, card)


def ticket_version(svc: Services, ticket_id: int) -> tuple[int, str] | None:
    with svc.db.session() as session:
        row = session.execute(select(Ticket.version, Ticket.state).where(Ticket.id == ticket_id)).first()
    return (row.version, row.state) if row else None


def updated_card(svc: Services, key: cards.CardKey, task_id: str, note: str, chat_external_id: str | None,
                 *, changed: bool, presser: str) -> dict:
    """The reply to a press: the card redrawn from the ticket as it is now.

    When the press changed nothing only the presser's card changes (`userids`), so a refusal
    shown to one resident does not replace the card the grid leader still needs.
    """
    with svc.db.session() as session:
        ticket = session.get(Ticket, key.ticket_id)
        if ticket is None:
            card = cards.done_card(task_id, ticket_id=key.ticket_id, state="closed", category="other", note=note)
        else:
            card = card_for(svc, session, ticket, chat_external_id, note, task_id) or cards.done_card(
                task_id, ticket_id=ticket.id, state=ticket.state, category=ticket.category, note=note)
    answer: dict = {"response_type": "update_template_card", "template_card": card}
    if not changed:
        answer["userids"] = [presser]
    return answer


def forged_card(task_id: str, presser: str) -> dict:
    card = {"card_type": "text_notice", "source": {"desc": "网格哨"}, "main_title": {"title": "按钮无效"},
            "sub_title_text": FORGED, "task_id": task_id or "gw-invalid", "card_action": {"type": 0}}
    return {"response_type": "update_template_card", "template_card": card, "userids": [presser]}


def to_json(plain: dict) -> str:
    return json.dumps(plain, ensure_ascii=False)
