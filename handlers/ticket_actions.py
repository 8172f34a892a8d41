"""Staff actions on one ticket, for every way of asking: chat commands, console buttons, card buttons.

受理 #12 in a chat, the 受理 button on the console and a template-card click are one action:
the same permission check (policy.may_act), the same state machine, the same texts and the
same pushes. What differs between them is an `Origin`, not a copy of the code:
- where the answer is shown: a passive reply into a chat needs no push into that same chat;
- how pushes are deduplicated: per inbox message (a chat line or a card click), or per person
  and ticket version (a console form can be posted again after the ticket moved on);
- what a missing note means: the chat's 办结 stands for "已处理", the console asks for one;
- how to ask for what is missing, in the words of that place.

Every change runs in a savepoint; a move the state does not allow (IllegalTransition) or a
lost race with another person (StaleDataError) becomes a sentence, caught in one place (`attempt`).
"""
from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from handlers import texts
from handlers.events import OutgoingMessage
from handlers.deadlines import format_deadline
from handlers.people import with_identities
from handlers.policy import followers_may_rate_from, may_act
from handlers.privacy import mask_staff_text, masked_excerpt
from handlers.tickets import TicketDesk, categories
from models import CategoryCorrection, Department, GroupChat, Person, Ticket, TicketEvent, TicketFollower
from models.state_machine import OPEN_STATES, IllegalTransition, may_start
from models.vocabulary import category_name, state_name

log = logging.getLogger(__name__)

# What the console offers, in the order its buttons appear; the chat's words are in handlers.commands.
CONSOLE_ACTIONS = ("accept", "escalate", "dispatch", "claim", "resolve", "reject", "merge", "unmerge", "comment")
CHAT_ACTIONS = ("accept", "resolve", "escalate", "dispatch", "claim", "reject", "recategorise", "merge", "unmerge")


@dataclass(frozen=True)
class Origin:
    """Where an action was asked for: what changes between the chat, the console and a button."""

    actions: tuple[str, ...]  # the actions this place offers
    tag: str  # names the request in dedup keys: "12" (inbox message 12), "console7" (person 7)
    versioned: bool = False  # add the ticket's version to the key (the same form posted again later)
    reply_chat_id: int | None = None  # the answer lands in this chat as a passive reply: no push there
    default_notes: Mapping[str, str] = field(default_factory=dict)  # action → note when none is given
    # action → how to ask for what is missing, where this place words it its own way (else texts.NEEDS)
    prompts: Mapping[str, str] = field(default_factory=dict)

    def key(self, ticket: Ticket, action: str) -> str:
        version = f":v{ticket.version}" if self.versioned else ""
        return f"t{ticket.id}:{action}:{self.tag}{version}"

    def answers_in(self, chat_id: int | None) -> bool:
        return self.reply_chat_id is not None and self.reply_chat_id == chat_id


def chat_origin(inbox_id: int, chat: GroupChat | None) -> Origin:
    """A chat line (or a card click): keyed by its inbox message, answered in its own chat."""
    return Origin(CHAT_ACTIONS, tag=str(inbox_id), reply_chat_id=chat.id if chat is not None else None,
                  default_notes=texts.CHAT_DEFAULT_NOTES, prompts=texts.CHAT_NEEDS)


def console_origin(person: Person) -> Origin:
    """A console form: keyed by person and ticket version, answered on the page (every chat is told)."""
    return Origin(CONSOLE_ACTIONS, tag=f"console{person.id}", versioned=True)


@dataclass(frozen=True)
class ActionRequest:
    action: str
    note: str = ""
    department_id: int | None = None  # a department chosen from a list (console, buttons)
    department_name: str | None = None  # or named in words (chat: 派 水务局)
    category_name: str | None = None  # recategorise: a category's name or code
    target_ticket_id: int | None = None  # merge: the ticket this (duplicate) one joins
    word: str = ""  # what the person typed or clicked, quoted back in a refusal


@dataclass(frozen=True)
class ActionResult:
    ok: bool
    message: str
    outgoing: tuple[OutgoingMessage, ...] = ()


class Missing(Exception):
    """The request lacks something the action needs; the text says what."""


def available_actions(person: Person, ticket: Ticket, actions: tuple[str, ...] = CONSOLE_ACTIONS) -> list[str]:
    """The actions this person may take on this ticket now (state machine ∩ role ∩ scope)."""
    return [a for a in actions if (a == "comment" or may_start(ticket.state, a)) and may_act(person, ticket, a)]


def attempt(session: Session, ticket: Ticket, change: Callable[[], str]) -> tuple[bool, str]:
    """Run one change in a savepoint; a refused move or a lost race becomes the sentence to show."""
    try:
        with session.begin_nested():
            text = change()
            session.flush()
    except IllegalTransition as err:
        return False, f"工单 #{ticket.id}：{err}"
    except StaleDataError:
        session.refresh(ticket)
        return False, texts.CONFLICT.format(ticket_id=ticket.id, state=state_name(ticket.state))
    return True, text


def perform(desk: TicketDesk, person: Person, ticket_id: int, request: ActionRequest,
            origin: Origin) -> ActionResult | None:
    """Check and apply one action; None when the ticket does not exist. The caller commits."""
    ticket = desk.get_for_update(ticket_id)
    if ticket is None:
        return None
    action = request.action
    if action not in origin.actions or not may_act(person, ticket, action):
        log.info("refused %s on ticket %s for person %s", action, ticket.id, person.id)
        return ActionResult(False, texts.NOT_ALLOWED.format(ticket_id=ticket.id, command=request.word or action))
    note = (request.note or origin.default_notes.get(action, "")).strip()[:500]
    pushed = len(desk.outgoing)
    # The key is taken before the change: the ticket's version moves with it.
    step = _Step(desk, ticket, person, request, note, origin, origin.key(ticket, action))
    try:
        ok, message = attempt(desk.session, ticket, lambda: ACTIONS[action](step))
    except Missing as need:
        ok, message = False, str(need)
    if not ok:
        del desk.outgoing[pushed:]  # nothing happened: nothing to tell anyone
        return ActionResult(False, message)
    return ActionResult(True, message, tuple(desk.outgoing[pushed:]))


@dataclass(frozen=True)
class _Step:
    """One action being applied: what each entry of the table reads."""

    desk: TicketDesk
    ticket: Ticket
    person: Person
    request: ActionRequest
    note: str
    origin: Origin
    key: str

    def missing(self) -> Missing:
        action = self.request.action
        prompt = self.origin.prompts.get(action) or texts.NEEDS[action]
        return Missing(prompt.format(ticket_id=self.ticket.id))

    def tell_watchers(self, text: str) -> None:
        self.desk.tell_watchers(self.ticket, text, self.key, skip_chat=self.origin.answers_in(self.ticket.chat_id))

    def tell_dispatcher(self, text: str) -> None:
        """The community or street that handed the ticket to a department hears its progress."""
        self.desk.tell_dispatcher(self.ticket, text, self.key, skip_chat_id=self.origin.reply_chat_id)


def _accept(s: _Step) -> str:
    d, t = s.desk, s.ticket
    d.move(t, "accept", s.person, s.note)
    text = texts.ACCEPTED.format(ticket_id=t.id, actor=d.handler_name(t), deadline=d.deadline_text(t))
    s.tell_watchers(text)
    return text


def _resolve(s: _Step) -> str:
    d, t = s.desk, s.ticket
    if not s.note:
        raise s.missing()
    d.move(t, "resolve", s.person, s.note)
    d.attach_photos(t, s.person, role="resolution")  # a photo sent with (or just before) 办结
    text = texts.RESOLVED.format(ticket_id=t.id, note=s.note)
    if not s.origin.answers_in(t.chat_id):
        d.push_to_chat(t.chat, text, s.key, t)
    s.tell_dispatcher(texts.DEPARTMENT_RESOLVED.format(department=d.handler_name(t), ticket_id=t.id, note=s.note))
    # The reporter is asked to rate (not just told), so they get ASK_RATING with 满意 / 基本满意 /
    # 不满意 buttons where the route has them. Followers are told, masked (the note may carry the
    # reporter's phone or door), and when they may rate if the reporter does not (policy).
    followers = d.followers_of(t)
    with_identities(d.session, [p for p in (t.reporter, *followers) if p is not None])  # one round trip
    if t.reporter is not None:
        d.push_to_person(t.reporter, texts.ASK_RATING.format(ticket_id=t.id, note=s.note), s.key, t,
                         card=f"rate:{t.id}")
    opens = followers_may_rate_from(t)
    for follower in followers:
        if follower.id != t.reporter_id:
            d.push_to_person(follower, mask_staff_text(texts.FOLLOWER_RESOLVED.format(
                ticket_id=t.id, note=s.note, opens=format_deadline(opens) if opens else "—")), s.key, t)
    return text


def _escalate(s: _Step) -> str:
    d, t = s.desk, s.ticket
    if not d.escalate(t, s.person, s.note):
        raise s.missing()
    text = texts.ESCALATED.format(ticket_id=t.id, unit=d.handler_name(t), deadline=d.deadline_text(t),
                                  reason=f"原因：{s.note}" if s.note else "")
    d.tell_unit(t, text + f"\n问题：{masked_excerpt(t.description, 200)}", s.key)
    s.tell_watchers(text)
    return text


def find_department(session: Session, name: str) -> Department | None:
    departments = session.execute(select(Department).order_by(Department.id)).scalars().all()
    for dept in departments:
        if name and (name in dept.name or dept.name in name or name == dept.code):
            return dept
    return None


def _department(s: _Step) -> Department:
    session, req = s.desk.session, s.request
    if req.department_name is not None:
        dept = find_department(session, req.department_name)
        if dept is None:
            names = "、".join(x.name for x in session.execute(select(Department)).scalars())
            raise Missing(texts.UNKNOWN_DEPARTMENT.format(name=req.department_name or "（未填写）", choices=names))
        return dept
    dept = session.get(Department, req.department_id) if req.department_id else None
    if dept is None:
        raise s.missing()
    return dept


def _dispatch(s: _Step) -> str:
    d, t = s.desk, s.ticket
    dept = _department(s)
    d.dispatch(t, s.person, dept, s.note)
    text = texts.DISPATCHED.format(ticket_id=t.id, department=dept.name, deadline=d.deadline_text(t))
    d.tell_unit(t, text + f"\n问题：{masked_excerpt(t.description, 200)}\n请回复「报到 #{t.id}」认领。", s.key)
    s.tell_watchers(text)
    return text


def _claim(s: _Step) -> str:
    d, t = s.desk, s.ticket
    d.move(t, "claim", s.person, s.note)
    text = texts.CLAIMED.format(ticket_id=t.id, department=d.handler_name(t))
    s.tell_watchers(text)
    s.tell_dispatcher(text)
    return text


def _reject(s: _Step) -> str:
    d, t = s.desk, s.ticket
    if not s.note:
        raise s.missing()
    d.move(t, "reject", s.person, s.note)
    text = texts.REJECTED.format(ticket_id=t.id, reason=s.note)
    s.tell_watchers(text)
    return text


def find_category(name: str) -> str | None:
    """A category code from its code or (part of) its Chinese name."""
    name = name.strip()
    cats = categories()
    if name in cats:
        return name
    for code, cat in cats.items():
        if name and (name == cat.name_zh or name in cat.name_zh or cat.name_zh in name):
            return code
    return None


def _recategorise(s: _Step) -> str:
    d, t = s.desk, s.ticket
    wanted = s.request.category_name or ""
    code = find_category(wanted)
    if code is None:
        choices = "、".join(c.name_zh for c in categories().values())
        raise Missing(texts.UNKNOWN_CATEGORY.format(name=wanted or "（未填写）", choices=choices))
    # The staff's choice is a training example for the next model.
    d.session.add(CategoryCorrection(
        ticket_id=t.id, text=t.description, old_intent="complaint", old_category=t.category,
        new_intent="complaint", new_category=code, by_id=s.person.id, created_at=d.now,
    ))
    d.recategorise(t, s.person, code)
    return texts.RECATEGORISED.format(ticket_id=t.id, category=category_name(code))


def _comment(s: _Step) -> str:
    # A comment is staff-internal: it is recorded in the audit trail and pushed to nobody.
    d, t = s.desk, s.ticket
    if not s.note:
        raise s.missing()
    d.session.add(TicketEvent(ticket_id=t.id, actor_id=s.person.id, action="comment", from_state=t.state,
                              to_state=t.state, note=s.note, created_at=d.now))
    return texts.COMMENTED


def _merge(s: _Step) -> str:
    """The duplicate (this ticket) closes as merged into the target; its events and followers move there.

    What moved is marked (TicketEvent.moved_from_id, TicketFollower.merged_from_id), so an unmerge
    moves exactly that back.
    """
    d, dup = s.desk, s.ticket
    target_id = s.request.target_ticket_id
    target = d.get_for_update(target_id) if target_id else None
    if target is None or target.id == dup.id:
        raise Missing(texts.MERGE_NEEDS_TARGET.format(ticket_id=dup.id))
    if target.state not in OPEN_STATES or target.merged_into_id:
        raise Missing(texts.MERGE_TARGET_CLOSED.format(ticket_id=target.id, state=state_name(target.state)))
    if not may_act(s.person, target, "merge"):
        raise Missing(texts.NOT_ALLOWED.format(ticket_id=target.id, command=s.request.word or "合并"))
    session = d.session
    moved = session.execute(select(TicketEvent).where(TicketEvent.ticket_id == dup.id)).scalars().all()
    for event in moved:
        event.ticket_id, event.moved_from_id = target.id, dup.id
    already = {target.reporter_id} | set(session.execute(
        select(TicketFollower.person_id).where(TicketFollower.ticket_id == target.id)).scalars())
    for person_id in [dup.reporter_id] + [f.person_id for f in dup.followers]:
        if person_id is not None and person_id not in already:
            already.add(person_id)
            session.add(TicketFollower(ticket_id=target.id, person_id=person_id, created_at=d.now,
                                       merged_from_id=dup.id))
    d.move(dup, "merge", s.person, texts.MERGED_NOTE.format(target_id=target.id))
    dup.merged_into_id = target.id
    session.add(TicketEvent(ticket_id=target.id, actor_id=s.person.id, action="merge", from_state=target.state,
                            to_state=target.state, note=texts.MERGED_IN_NOTE.format(ticket_id=dup.id),
                            created_at=d.now))
    text = texts.MERGED.format(ticket_id=dup.id, target_id=target.id)
    s.tell_watchers(text)
    return text


def _unmerge(s: _Step) -> str:
    d, dup = s.desk, s.ticket
    target_id = dup.merged_into_id
    session = d.session
    for event in session.execute(select(TicketEvent).where(TicketEvent.moved_from_id == dup.id)).scalars():
        event.ticket_id, event.moved_from_id = dup.id, None
    for follower in session.execute(select(TicketFollower).where(TicketFollower.merged_from_id == dup.id)).scalars():
        session.delete(follower)
    d.move(dup, "unmerge", s.person, s.note or texts.UNMERGED_NOTE.format(target_id=target_id))
    dup.merged_into_id, dup.closed_at = None, None
    if target_id is not None:
        target = session.get(Ticket, target_id)
        session.add(TicketEvent(ticket_id=target_id, actor_id=s.person.id, action="unmerge",
                                from_state=target.state, to_state=target.state,
                                note=texts.UNMERGED_OUT_NOTE.format(ticket_id=dup.id), created_at=d.now))
    text = texts.UNMERGED.format(ticket_id=dup.id, target_id=target_id)
    s.tell_watchers(text)
    return text


# The one table of staff actions.
ACTIONS: dict[str, Callable[[_Step], str]] = {
    "accept": _accept, "resolve": _resolve, "escalate": _escalate, "dispatch": _dispatch,
    "claim": _claim, "reject": _reject, "recategorise": _recategorise, "comment": _comment,
    "merge": _merge, "unmerge": _unmerge,
}
