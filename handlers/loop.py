"""The ticket loop in the chat: reports, duplicates, leader commands, ratings.

Handlers are tried in order (see handlers.registry); each is small and says why.
"""
from __future__ import annotations

import logging
import re

from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from handlers import texts
from handlers.commands import Command, message_ref, parse_command
from handlers.context import Context
from handlers.events import IncomingMessage, Outcome
from handlers.people import find_chat, resolve_person, to_message
from handlers.points import award_quietly
from handlers.registry import registry
from handlers.policy import is_staff, may_act, may_rate
from handlers.tickets import TicketDesk, categories, category_name, is_follower
from models import (
    CategoryCorrection, Department, InboxMessage, OrgUnit, RoleAssignment, Ticket, TicketFollower,
)
from models.state_machine import IllegalTransition, state_name

log = logging.getLogger(__name__)

STAFF_COMMANDS = {"accept", "resolve", "escalate", "dispatch", "claim", "reject", "recategorise"}
# Words that are also everyday chat ("收到", "完成", "一样"): commands only with a ticket number.
AMBIGUOUS_WITHOUT_TICKET = {"收到", "确认", "完成", "一样", "同样", "一般", "还行", "转", "改"}
RATINGS = {"rate_good": "满意", "rate_ok": "基本满意", "rate_bad": "不满意"}


def desk(ctx: Context) -> TicketDesk:
    return TicketDesk(ctx.session, ctx.settings, ctx.now)


def grid_of(ctx: Context) -> OrgUnit | None:
    if ctx.chat is not None and ctx.chat.org_unit is not None and ctx.chat.org_unit.kind == "grid":
        return ctx.chat.org_unit
    for role in ctx.person.roles:
        if role.role == "resident" and role.org_unit_id:
            return ctx.session.get(OrgUnit, role.org_unit_id)
    return None


def command_of(msg: IncomingMessage) -> Command | None:
    return parse_command(msg.text, msg.quote_text) if msg.msg_type == "text" else None


def in_ticket_chat(ctx: Context, ticket: Ticket) -> bool:
    """True when the passive reply already lands in the ticket's own group chat."""
    return ctx.chat is not None and ctx.chat.id == ticket.chat_id


def finish(d: TicketDesk, reply: str = "", intent: str | None = "command") -> Outcome:
    return Outcome(reply=reply, outgoing=tuple(d.outgoing), intent=intent)


@registry.register(order=10)
class NonText:
    """Images, voice, locations…: a polite sentence. Events (enter chat, subscribe): silence."""

    name = "non_text"

    def match(self, msg, ctx):
        return msg.msg_type != "text"

    def handle(self, msg, ctx, _):
        if msg.msg_type == "event":
            return Outcome(intent="event")
        return Outcome(reply=texts.NON_TEXT, intent="non_text")


@registry.register(order=20)
class Help:
    name = "help"

    def match(self, msg, ctx):
        cmd = command_of(msg)
        return cmd if cmd is not None and cmd.name == "help" and not cmd.arg else None

    def handle(self, msg, ctx, cmd):
        return Outcome(reply=texts.HELP, intent="command")


@registry.register(order=30)
class StaffCommand:
    """受理 / 办结 / 上报 / 派 / 报到 / 驳回 / 改 — by quoting the bot's ticket message or with #n."""

    name = "staff_command"

    def match(self, msg, ctx):
        cmd = command_of(msg)
        if cmd is None or cmd.name not in STAFF_COMMANDS:
            return None
        if cmd.ticket_id is None:
            # Without a ticket this is most likely everyday talk, unless staff typed a clear command.
            # The word test comes first: "收到" is the commonest message in a grid chat, and it
            # needs no lookup of the sender to be dismissed.
            word = msg.text.strip()
            if any(word.startswith(w) for w in AMBIGUOUS_WITHOUT_TICKET) or not is_staff(ctx.person):
                return None
        return cmd

    def handle(self, msg, ctx, cmd: Command):
        d = desk(ctx)
        if cmd.ticket_id is None:
            return finish(d, texts.NEED_TICKET.format(command=msg.text.strip()[:6]))
        ticket = d.get_for_update(cmd.ticket_id)
        if ticket is None:
            return finish(d, texts.NO_SUCH_TICKET.format(ticket_id=cmd.ticket_id))
        action = cmd.name
        if not may_act(ctx.person, ticket, action):
            log.info("refused %s on ticket %s for person %s", action, ticket.id, ctx.person.id)
            return finish(d, texts.NOT_ALLOWED.format(ticket_id=ticket.id, command=msg.text.strip()[:6]))
        try:
            with ctx.session.begin_nested():
                reply = ACTIONS[action](d, ctx, ticket, cmd)
                ctx.session.flush()
        except IllegalTransition as err:
            return finish(d, f"工单 #{ticket.id}：{err}")
        except StaleDataError:
            ctx.session.refresh(ticket)
            return finish(d, texts.CONFLICT.format(ticket_id=ticket.id, state=state_name(ticket.state)))
        return finish(d, reply)


def _accept(d: TicketDesk, ctx: Context, ticket: Ticket, cmd: Command) -> str:
    d.move(ticket, "accept", ctx.person, cmd.arg)
    text = texts.ACCEPTED.format(ticket_id=ticket.id, actor=d.handler_name(ticket), deadline=d.deadline_text(ticket))
    d.tell_watchers(ticket, text, f"t{ticket.id}:accept:{ctx.inbox.id}", skip_chat=in_ticket_chat(ctx, ticket))
    return text


def _resolve(d: TicketDesk, ctx: Context, ticket: Ticket, cmd: Command) -> str:
    note = cmd.arg or "已处理"
    d.move(ticket, "resolve", ctx.person, note)
    key = f"t{ticket.id}:resolve:{ctx.inbox.id}"
    group_text = texts.RESOLVED.format(ticket_id=ticket.id, note=note)
    if not in_ticket_chat(ctx, ticket):
        d.push_to_chat(ticket.chat, group_text, key, ticket)
    for person in [ticket.reporter] + [f.person for f in ticket.followers]:
        if person is not None:
            d.push_to_person(person, texts.ASK_RATING.format(ticket_id=ticket.id, note=note), key, ticket)
    return group_text


def _escalate(d: TicketDesk, ctx: Context, ticket: Ticket, cmd: Command) -> str:
    if not d.escalate(ticket, ctx.person, cmd.arg):
        return texts.NO_HIGHER_LEVEL.format(ticket_id=ticket.id)
    reason = f"原因：{cmd.arg}" if cmd.arg else ""
    text = texts.ESCALATED.format(ticket_id=ticket.id, unit=d.handler_name(ticket),
                                  deadline=d.deadline_text(ticket), reason=reason)
    key = f"t{ticket.id}:escalate:{ctx.inbox.id}"
    d.tell_unit(ticket, text + f"\n问题：{ticket.description[:200]}", key)
    d.tell_watchers(ticket, text, key, skip_chat=in_ticket_chat(ctx, ticket))
    return text


def find_department(ctx: Context, name: str) -> Department | None:
    departments = ctx.session.execute(select(Department).order_by(Department.id)).scalars().all()
    for dept in departments:
        if name and (name in dept.name or dept.name in name or name == dept.code):
            return dept
    return None


def _dispatch(d: TicketDesk, ctx: Context, ticket: Ticket, cmd: Command) -> str:
    dept = find_department(ctx, cmd.arg)
    if dept is None:
        names = "、".join(x.name for x in ctx.session.execute(select(Department)).scalars())
        return texts.UNKNOWN_DEPARTMENT.format(name=cmd.arg or "（未填写）", choices=names)
    d.dispatch(ticket, ctx.person, dept)
    text = texts.DISPATCHED.format(ticket_id=ticket.id, department=dept.name, deadline=d.deadline_text(ticket))
    key = f"t{ticket.id}:dispatch:{ctx.inbox.id}"
    d.tell_unit(ticket, text + f"\n问题：{ticket.description[:200]}\n请回复「报到 #{ticket.id}」认领。", key)
    d.tell_watchers(ticket, text, key, skip_chat=in_ticket_chat(ctx, ticket))
    return text


def _claim(d: TicketDesk, ctx: Context, ticket: Ticket, cmd: Command) -> str:
    d.move(ticket, "claim", ctx.person, cmd.arg)
    text = texts.CLAIMED.format(ticket_id=ticket.id, department=d.handler_name(ticket))
    d.tell_watchers(ticket, text, f"t{ticket.id}:claim:{ctx.inbox.id}",
                    skip_chat=in_ticket_chat(ctx, ticket))
    return text


def _reject(d: TicketDesk, ctx: Context, ticket: Ticket, cmd: Command) -> str:
    if not cmd.arg:
        return texts.NEED_REASON.format(what="驳回理由", example=f"驳回 #{ticket.id} 不属于本网格")
    d.move(ticket, "reject", ctx.person, cmd.arg)
    text = texts.REJECTED.format(ticket_id=ticket.id, reason=cmd.arg)
    d.tell_watchers(ticket, text, f"t{ticket.id}:reject:{ctx.inbox.id}",
                    skip_chat=in_ticket_chat(ctx, ticket))
    return text


def find_category(name: str) -> str | None:
    name = name.strip()
    cats = categories()
    if name in cats:
        return name
    for code, cat in cats.items():
        if name and (name == cat.name_zh or name in cat.name_zh or cat.name_zh in name):
            return code
    return None


def _recategorise(d: TicketDesk, ctx: Context, ticket: Ticket, cmd: Command) -> str:
    code = find_category(cmd.arg)
    if code is None:
        choices = "、".join(c.name_zh for c in categories().values())
        return texts.UNKNOWN_CATEGORY.format(name=cmd.arg or "（未填写）", choices=choices)
    ctx.session.add(CategoryCorrection(
        ticket_id=ticket.id, text=ticket.description, old_intent="complaint", old_category=ticket.category,
        new_intent="complaint", new_category=code, by_id=ctx.person.id, created_at=ctx.now,
    ))
    d.recategorise(ticket, ctx.person, code)
    return texts.RECATEGORISED.format(ticket_id=ticket.id, category=category_name(code))


ACTIONS = {
    "accept": _accept, "resolve": _resolve, "escalate": _escalate, "dispatch": _dispatch,
    "claim": _claim, "reject": _reject, "recategorise": _recategorise,
}


@registry.register(order=31)
class Register:
    """「登记 #M12 类别」: a leader turns a message the bot was unsure about into a ticket.

    The leader's choice is stored as a correction, so the next model learns from it.
    """

    name = "register"

    def match(self, msg, ctx):
        cmd = command_of(msg)
        if cmd is None or cmd.name != "register" or not is_staff(ctx.person):
            return None
        inbox_id = message_ref(msg.text) or message_ref(msg.quote_text)
        return (cmd, inbox_id) if inbox_id is not None else None

    def handle(self, msg, ctx, found):
        cmd, inbox_id = found
        d = desk(ctx)
        source = ctx.session.get(InboxMessage, inbox_id)
        if source is None or not source.text:
            return finish(d, texts.NO_SUCH_MESSAGE.format(inbox_id=inbox_id))
        existing = ctx.session.execute(select(Ticket.id).where(Ticket.source_inbox_id == inbox_id)).scalar()
        if existing:
            return finish(d, texts.REGISTERED_ALREADY.format(inbox_id=inbox_id, ticket_id=existing))
        chat = find_chat(ctx.session, to_message(source))
        grid = chat.org_unit if chat is not None and chat.org_unit is not None else None
        if grid is None or not _staff_over(ctx.person, grid):
            return finish(d, texts.NOT_ALLOWED.format(ticket_id=f"M{inbox_id}", command="登记"))
        category = find_category(re.sub(r"#\s*[Mm]\s*\d+", "", cmd.arg)) if cmd.arg else None
        category = category or ctx.classify(source.text).category or "other"
        reporter = resolve_person(ctx.session, to_message(source), chat)
        ticket = d.open(reporter=reporter, chat=chat, grid=grid, text=source.text, category=category,
                        places=(), confidence=None, inbox_id=inbox_id)
        ctx.session.add(CategoryCorrection(
            ticket_id=ticket.id, text=source.text, old_intent=source.intent, old_category=None,
            new_intent="complaint", new_category=category, by_id=ctx.person.id, created_at=ctx.now))
        text = texts.OPENED.format(ticket_id=ticket.id, category=category_name(category), place="",
                                   handler=d.handler_name(ticket), deadline=d.deadline_text(ticket))
        if not in_ticket_chat(ctx, ticket):
            d.push_to_chat(chat, text, f"t{ticket.id}:register")
        return finish(d, text)


def _staff_over(person, grid: OrgUnit) -> bool:
    lineage = set(grid.lineage_ids())
    return any(r.role == "admin" or (r.role in ("grid_leader", "grid_worker", "community_staff", "street_staff")
                                     and r.org_unit_id in lineage) for r in person.roles)


@registry.register(order=40)
class Rating:
    """满意 / 基本满意 / 不满意: the resident has the last word; 不满意 sends it back."""

    name = "rating"

    def match(self, msg, ctx):
        cmd = command_of(msg)
        if cmd is None or cmd.name not in RATINGS:
            return None
        if cmd.ticket_id is None and msg.text.strip() in ("一般", "还行"):
            return None
        return cmd

    def handle(self, msg, ctx, cmd: Command):
        d = desk(ctx)
        ticket = d.get_for_update(cmd.ticket_id) if cmd.ticket_id is not None else None
        if cmd.ticket_id is None:
            waiting = self._awaiting_rating(ctx)
            if not waiting:
                # "满意" with nothing to rate is just talk in a group: stay silent there.
                return finish(d, "" if ctx.chat is not None else texts.NOTHING_TO_RATE, intent="chitchat")
            if len(waiting) > 1:
                ids = "、".join(f"#{t.id}" for t in waiting)
                return finish(d, texts.RATE_WHICH.format(ids=ids, first=waiting[0].id))
            ticket = d.get_for_update(waiting[0].id)
        if ticket is None:
            return finish(d, texts.NO_SUCH_TICKET.format(ticket_id=cmd.ticket_id))
        if not may_rate(ctx.person, ticket, follows=is_follower(ctx.session, ticket.id, ctx.person.id)):
            return finish(d, texts.NOT_ALLOWED.format(ticket_id=ticket.id, command="评价"))
        rating = RATINGS[cmd.name]
        key = f"t{ticket.id}:rate:{ctx.inbox.id}"
        try:
            with ctx.session.begin_nested():
                if cmd.name == "rate_bad":
                    ticket.satisfaction = rating
                    d.reopen(ticket, ctx.person, cmd.arg)
                    reason = f"居民意见：{cmd.arg}" if cmd.arg else ""
                    text = texts.REOPENED.format(ticket_id=ticket.id, handler=d.handler_name(ticket),
                                                 deadline=d.deadline_text(ticket), reason=reason)
                    d.tell_unit(ticket, text, key)
                else:
                    ticket.satisfaction = rating
                    d.move(ticket, "rate", ctx.person, rating)
                    d.move(ticket, "close", None, "评价后关闭")
                    text = texts.RATED.format(ticket_id=ticket.id, rating=rating)
                d.tell_watchers(ticket, text, key, skip_chat=in_ticket_chat(ctx, ticket),
                                skip_person=ctx.person)
                ctx.session.flush()
        except IllegalTransition as err:
            return finish(d, f"工单 #{ticket.id}：{err}")
        except StaleDataError:
            ctx.session.refresh(ticket)
            return finish(d, texts.CONFLICT.format(ticket_id=ticket.id, state=state_name(ticket.state)))
        award_quietly(ctx.session, ctx.settings, ctx.person, "rating", now=ctx.now,
                      ref=f"rating:t{ticket.id}:p{ctx.person.id}")
        return finish(d, text, intent="rating")

    @staticmethod
    def _awaiting_rating(ctx: Context) -> list[Ticket]:
        followed = select(TicketFollower.ticket_id).where(TicketFollower.person_id == ctx.person.id)
        return list(ctx.session.execute(
            select(Ticket).where(
                Ticket.state == "resolved",
                (Ticket.reporter_id == ctx.person.id) | Ticket.id.in_(followed),
            ).order_by(Ticket.id)
        ).scalars())


class TicketCommand:
    """A resident's command about one ticket, named by #n or by quoting the bot's message."""

    name = ""

    def match(self, msg, ctx):
        cmd = command_of(msg)
        return cmd if cmd is not None and cmd.name == self.name and cmd.ticket_id is not None else None


@registry.register(order=50)
class Follow(TicketCommand):
    """"+1" / "我家也是" quoting a ticket message (or with #n): join it instead of a new ticket."""

    name = "follow"

    def handle(self, msg, ctx, cmd: Command):
        d = desk(ctx)
        ticket = ctx.session.get(Ticket, cmd.ticket_id)
        if ticket is None:
            return finish(d, texts.NO_SUCH_TICKET.format(ticket_id=cmd.ticket_id))
        if ticket.merged_into_id:
            ticket = ctx.session.get(Ticket, ticket.merged_into_id)
        grid = grid_of(ctx)
        if ticket.grid_id is not None and grid is not None and grid.id != ticket.grid_id:
            # A follower may rate, and a rating can close the ticket: only its own grid's residents.
            return finish(d, texts.FOLLOW_OTHER_GRID.format(ticket_id=ticket.id))
        if not d.follow(ticket, ctx.person):
            return finish(d, texts.ALREADY_FOLLOWING.format(ticket_id=ticket.id, state=state_name(ticket.state)))
        return finish(d, texts.FOLLOWED.format(ticket_id=ticket.id, category=category_name(ticket.category),
                                               state=state_name(ticket.state)), intent="complaint")


@registry.register(order=60)
class Status(TicketCommand):
    name = "status"

    def handle(self, msg, ctx, cmd: Command):
        d = desk(ctx)
        ticket = ctx.session.get(Ticket, cmd.ticket_id)
        if ticket is None:
            return finish(d, texts.NO_SUCH_TICKET.format(ticket_id=cmd.ticket_id))
        deadline = f"，期限 {d.deadline_text(ticket)}" if ticket.deadline_at and ticket.state != "closed" else ""
        return finish(d, texts.STATUS.format(ticket_id=ticket.id, category=category_name(ticket.category),
                                             state=state_name(ticket.state), handler=d.handler_name(ticket),
                                             deadline_part=deadline))


@registry.register(order=100)
class Classified:
    """Everything else goes to the classifier: complaints open (or join) a ticket,
    questions go to the grid leader, chit-chat gets no answer at all."""

    name = "classified"

    def match(self, msg, ctx):
        return bool(msg.text.strip())

    def handle(self, msg, ctx, _):
        prediction = ctx.classify(msg.text)
        d = desk(ctx)
        if prediction.intent == "chitchat":
            return finish(d, "", intent="chitchat")
        grid = grid_of(ctx)
        if (prediction.intent == "complaint" and ctx.thresholds
                and prediction.intent_confidence < ctx.thresholds["intent"]):
            # Not sure this is a request at all: never guess in the group; the leader tags it.
            self._to_grid_staff(d, ctx, grid, texts.UNSURE_FOR_LEADER.format(
                grid=grid.name if grid else "", text=msg.text[:300], inbox_id=ctx.inbox.id))
            return finish(d, "", intent="uncertain")
        if prediction.intent == "question":
            # The knowledge base answers if it can; otherwise it forwards to the grid leader.
            from handlers.knowledge import handle_question

            return finish(d, handle_question(ctx, d, msg.text, grid), intent="question")
        category = prediction.category or "other"
        original = d.find_duplicate(grid.id if grid else None, category, msg.text)
        if original is not None:
            joined = d.follow(original, ctx.person)
            template = texts.FOLLOWED if joined else texts.ALREADY_FOLLOWING
            return finish(d, template.format(ticket_id=original.id, category=category_name(original.category),
                                             state=state_name(original.state)), intent="complaint")
        ticket = d.open(reporter=ctx.person, chat=ctx.chat, grid=grid, text=msg.text, category=category,
                        places=tuple(prediction.places), confidence=prediction.category_confidence,
                        inbox_id=ctx.inbox.id)
        award_quietly(ctx.session, ctx.settings, ctx.person, "report", now=ctx.now, ref=f"report:t{ticket.id}")
        place = f"地点：{ticket.place_text}，" if ticket.place_text else ""
        if prediction.needs_review:
            alternatives = "、".join(category_name(c) for c, _ in prediction.top[1:3]) or "其他"
            reply = texts.OPENED_LOW_CONFIDENCE.format(
                ticket_id=ticket.id, category=category_name(category), alternatives=alternatives,
                handler=d.handler_name(ticket), deadline=d.deadline_text(ticket))
        else:
            reply = texts.OPENED.format(ticket_id=ticket.id, category=category_name(category), place=place,
                                        handler=d.handler_name(ticket), deadline=d.deadline_text(ticket))
        if ctx.chat is None:
            # A one-to-one report: the grid's chat and leaders still need to see it.
            self._to_grid_staff(d, ctx, grid, reply + f"\n问题：{msg.text[:200]}")
        return finish(d, reply, intent="complaint")

    @staticmethod
    def _to_grid_staff(d: TicketDesk, ctx: Context, grid: OrgUnit | None, text: str) -> None:
        if grid is None:
            return
        leaders = ctx.session.execute(
            select(RoleAssignment).where(RoleAssignment.org_unit_id == grid.id,
                                         RoleAssignment.role.in_(("grid_leader",)))
        ).scalars()
        for role in leaders:
            d.push_to_person(role.person, text, f"inbox{ctx.inbox.id}:staff")
