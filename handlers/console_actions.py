"""Console actions on a ticket: the same TicketDesk moves, scope rules and texts as the chat.

The console is one more way to say "受理 #12" or "派 水务局 #12"; it must not be a
back door around the state machine or the scope rules, so it reuses both and
returns the pushes as OutgoingMessage values for the caller to put in the outbox.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from handlers import texts
from handlers.events import OutgoingMessage
from handlers.policy import may_act, unit_ids_in_scope
from handlers.tickets import TicketDesk
from models import Department, Person, Ticket, TicketEvent
from models.state_machine import TRANSITIONS, IllegalTransition, state_name

log = logging.getLogger(__name__)

# What the console offers, in the order buttons appear. "comment" is not a state move.
CONSOLE_ACTIONS = ("accept", "escalate", "dispatch", "claim", "resolve", "reject", "comment")
COMMENT_ROLES = {"grid_leader", "grid_worker", "community_staff", "street_staff", "department_responder", "admin"}


@dataclass(frozen=True)
class ActionResult:
    ok: bool
    message: str
    outgoing: tuple[OutgoingMessage, ...] = ()


def may_comment(person: Person, ticket: Ticket) -> bool:
    units = unit_ids_in_scope(ticket)
    for role in person.roles:
        if role.role not in COMMENT_ROLES:
            continue
        if role.role == "admin" or (role.org_unit_id is not None and role.org_unit_id in units):
            return True
        if role.role == "department_responder" and ticket.department_id and role.department_id == ticket.department_id:
            return True
    return False


def available_actions(person: Person, ticket: Ticket) -> list[str]:
    """The actions this person may take on this ticket now (state machine ∩ role ∩ scope)."""
    out = []
    for action in CONSOLE_ACTIONS:
        if action == "comment":
            if may_comment(person, ticket):
                out.append(action)
        elif ticket.state in TRANSITIONS[action][0] and may_act(person, ticket, action):
            out.append(action)
    return out


def perform(session: Session, settings, now: datetime, person: Person, ticket_id: int, action: str,
            *, note: str = "", department_id: int | None = None) -> ActionResult | None:
    """Apply one action; None when the ticket does not exist. Caller commits."""
    desk = TicketDesk(session, settings, now)
    ticket = desk.get_for_update(ticket_id)
    if ticket is None:
        return None
    note = (note or "").strip()[:500]
    if action not in CONSOLE_ACTIONS or action not in available_actions(person, ticket):
        if action in TRANSITIONS and ticket.state not in TRANSITIONS[action][0]:
            return ActionResult(False, str(IllegalTransition(action, ticket.state)))
        log.info("console refused %s on ticket %s for person %s", action, ticket.id, person.id)
        return ActionResult(False, texts.NOT_ALLOWED.format(ticket_id=ticket.id, command=action))
    key = f"t{ticket.id}:{action}:console{person.id}:v{ticket.version}"
    try:
        with session.begin_nested():
            message = _ACTIONS[action](desk, ticket, person, note, department_id, key)
            session.flush()
    except IllegalTransition as err:
        return ActionResult(False, f"工单 #{ticket.id}：{err}")
    except StaleDataError:
        session.refresh(ticket)
        return ActionResult(False, texts.CONFLICT.format(ticket_id=ticket.id, state=state_name(ticket.state)))
    if message is None:
        return ActionResult(False, _NEEDS[action])
    return ActionResult(True, message, tuple(desk.outgoing))


_NEEDS = {
    "resolve": "请填写办结说明。",
    "reject": "请填写驳回理由。",
    "comment": "请填写备注内容。",
    "dispatch": "请选择要派单的部门。",
    "escalate": "工单已在最高层级，请派单给职能部门。",
}


def _accept(d: TicketDesk, t: Ticket, p: Person, note: str, _dept, key: str) -> str:
    d.move(t, "accept", p, note)
    text = texts.ACCEPTED.format(ticket_id=t.id, actor=d.handler_name(t), deadline=d.deadline_text(t))
    d.tell_watchers(t, text, key)
    return text


def _escalate(d: TicketDesk, t: Ticket, p: Person, note: str, _dept, key: str) -> str | None:
    if not d.escalate(t, p, note):
        return None
    text = texts.ESCALATED.format(ticket_id=t.id, unit=d.handler_name(t), deadline=d.deadline_text(t),
                                  reason=f"原因：{note}" if note else "")
    d.tell_unit(t, text + f"\n问题：{t.description[:200]}", key)
    d.tell_watchers(t, text, key)
    return text


def _dispatch(d: TicketDesk, t: Ticket, p: Person, note: str, dept_id, key: str) -> str | None:
    dept = d.session.get(Department, dept_id) if dept_id else None
    if dept is None:
        return None
    d.dispatch(t, p, dept, note)
    text = texts.DISPATCHED.format(ticket_id=t.id, department=dept.name, deadline=d.deadline_text(t))
    d.tell_unit(t, text + f"\n问题：{t.description[:200]}\n请回复「报到 #{t.id}」认领。", key)
    d.tell_watchers(t, text, key)
    return text


def _claim(d: TicketDesk, t: Ticket, p: Person, note: str, _dept, key: str) -> str:
    d.move(t, "claim", p, note)
    text = texts.CLAIMED.format(ticket_id=t.id, department=d.handler_name(t))
    d.tell_watchers(t, text, key)
    return text


def _resolve(d: TicketDesk, t: Ticket, p: Person, note: str, _dept, key: str) -> str | None:
    if not note:
        return None
    d.move(t, "resolve", p, note)
    text = texts.RESOLVED.format(ticket_id=t.id, note=note)
    d.push_to_chat(t.chat, text, key, t)
    for person in [t.reporter] + [f.person for f in t.followers]:
        if person is not None:
            d.push_to_person(person, texts.ASK_RATING.format(ticket_id=t.id, note=note), key, t)
    return text


def _reject(d: TicketDesk, t: Ticket, p: Person, note: str, _dept, key: str) -> str | None:
    if not note:
        return None
    d.move(t, "reject", p, note)
    text = texts.REJECTED.format(ticket_id=t.id, reason=note)
    d.tell_watchers(t, text, key)
    return text


def _comment(d: TicketDesk, t: Ticket, p: Person, note: str, _dept, key: str) -> str | None:
    # A comment is staff-internal: it is recorded in the audit trail and pushed to nobody.
    if not note:
        return None
    d.session.add(TicketEvent(ticket_id=t.id, actor_id=p.id, action="comment", from_state=t.state,
                              to_state=t.state, note=note, created_at=d.now))
    return "已添加备注。"


_ACTIONS = {
    "accept": _accept, "escalate": _escalate, "dispatch": _dispatch, "claim": _claim,
    "resolve": _resolve, "reject": _reject, "comment": _comment,
}
