"""The ticket loop in the chat: reports, duplicates, leader commands, ratings.

Each handler is small and says why; handlers.pipeline lists the order they are tried in.
Staff actions on a ticket are handlers.ticket_actions, shared with the console.
"""
from __future__ import annotations

import logging
import re
from datetime import timedelta

from sqlalchemy import select

from classifier import followups
from classifier.emergency import detect as detect_emergency
from handlers import reports, texts, ticket_actions
from handlers.commands import Command, message_ref, parse_command
from handlers.context import Context
from handlers.events import IncomingMessage, Outcome
from handlers.group_buy import about_group_buy
from handlers.knowledge import handle_question
from handlers.people import find_chat, resolve_person, to_message
from handlers.points_ledger import award_quietly
from handlers.deadlines import format_deadline
from handlers.policy import (
    REGISTER_ROLES, acts_over, followers_may_rate_from, is_staff, lives_in, may_follow, may_rate,
    may_see_ticket,
)
from handlers.privacy import mask_personal_data
from handlers.ticket_actions import attempt, find_category
from handlers.tickets import TicketDesk, is_follower
from models import CategoryCorrection, InboxMessage, OrgUnit, RoleAssignment, Ticket, TicketFollower
from models.vocabulary import category_name, state_name

log = logging.getLogger(__name__)

STAFF_COMMANDS = set(ticket_actions.CHAT_ACTIONS)
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


# A sender who keeps sending the same thing (a flood of "+1", one report pasted twenty times) is
# told "您已在关注工单 #17" once in this long, then hears nothing more about it.
SAY_ONCE_WINDOW = timedelta(minutes=30)


def said_lately(ctx: Context, msg: IncomingMessage, text: str) -> bool:
    """Whether this sender already got exactly this answer in this place lately."""
    chat = InboxMessage.chat_id.is_(None) if msg.chat_id is None else InboxMessage.chat_id == msg.chat_id
    return ctx.session.execute(select(InboxMessage.id).where(
        InboxMessage.channel == msg.channel, InboxMessage.sender_id == msg.sender_id, chat,
        InboxMessage.reply_text == text, InboxMessage.processed_at >= ctx.now - SAY_ONCE_WINDOW,
        InboxMessage.id != ctx.inbox_id).limit(1)).first() is not None


def already_following(ctx: Context, msg: IncomingMessage, ticket: Ticket) -> str:
    text = texts.ALREADY_FOLLOWING.format(ticket_id=ticket.id, state=state_name(ticket.state))
    return "" if said_lately(ctx, msg, text) else text


def finish(d: TicketDesk, reply: str = "", intent: str | None = "command", reply_masked: bool = False) -> Outcome:
    return Outcome(reply=reply, outgoing=tuple(d.outgoing), intent=intent, reply_masked=reply_masked)


class NonText:
    """Images, voice, locations…: a polite sentence. Events (enter chat, subscribe): silence."""

    name = "non_text"

    def match(self, msg: IncomingMessage, ctx: Context):
        return msg.msg_type != "text"

    def handle(self, msg: IncomingMessage, ctx: Context, _):
        if msg.msg_type == "event":
            return Outcome(intent="event")
        return Outcome(reply=texts.NON_TEXT, intent="non_text")


class Help:
    name = "help"

    def match(self, msg: IncomingMessage, ctx: Context):
        cmd = command_of(msg)
        return cmd if cmd is not None and cmd.name == "help" and not cmd.arg else None

    def handle(self, msg: IncomingMessage, ctx: Context, cmd):
        return Outcome(reply=texts.HELP, intent="command")


class StaffCommand:
    """受理 / 办结 / 上报 / 派 / 报到 / 驳回 / 改 — by quoting the bot's ticket message or with #n."""

    name = "staff_command"

    def match(self, msg: IncomingMessage, ctx: Context):
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

    def handle(self, msg: IncomingMessage, ctx: Context, cmd: Command):
        d = desk(ctx)
        word = msg.text.strip()[:6]
        if cmd.ticket_id is None:
            return finish(d, texts.NEED_TICKET.format(command=word))
        result = ticket_actions.perform(d, ctx.person, cmd.ticket_id, chat_request(cmd, word),
                                        ticket_actions.chat_origin(ctx.inbox_id, ctx.chat))
        if result is None:
            return finish(d, texts.NO_SUCH_TICKET.format(ticket_id=cmd.ticket_id))
        return Outcome(reply=result.message, outgoing=result.outgoing, intent="command")


def chat_request(cmd: Command, word: str) -> ticket_actions.ActionRequest:
    """The chat's one free argument is a department for 派, a category for 改, else a note."""
    if cmd.name == "dispatch":
        return ticket_actions.ActionRequest(cmd.name, department_name=cmd.arg, word=word)
    if cmd.name == "recategorise":
        return ticket_actions.ActionRequest(cmd.name, category_name=cmd.arg, word=word)
    return ticket_actions.ActionRequest(cmd.name, note=cmd.arg, word=word)


class Register:
    """「登记 #M12 类别」: a leader turns a message the bot was unsure about into a ticket.

    The leader's choice is stored as a correction, so the next model learns from it.
    """

    name = "register"

    def match(self, msg: IncomingMessage, ctx: Context):
        cmd = command_of(msg)
        if cmd is None or cmd.name != "register" or not is_staff(ctx.person):
            return None
        inbox_id = message_ref(msg.text) or message_ref(msg.quote_text)
        return (cmd, inbox_id) if inbox_id is not None else None

    def handle(self, msg: IncomingMessage, ctx: Context, found):
        cmd, inbox_id = found
        d = desk(ctx)
        source = ctx.session.get(InboxMessage, inbox_id)
        if source is None or not source.text:
            return finish(d, texts.NO_SUCH_MESSAGE.format(inbox_id=inbox_id))
        existing = ctx.session.execute(select(Ticket.id).where(Ticket.source_inbox_id == inbox_id)).scalar()
        if existing:
            return finish(d, texts.REGISTERED_ALREADY.format(inbox_id=inbox_id, ticket_id=existing))
        # The tagged message is another, stored one: rebuilt from its row to find its chat and sender.
        tagged = to_message(source)
        chat = find_chat(ctx.session, tagged)
        grid = chat.org_unit if chat is not None and chat.org_unit is not None else None
        if grid is None or not acts_over(ctx.person, REGISTER_ROLES, grid):
            return finish(d, texts.NOT_ALLOWED.format(ticket_id=f"M{inbox_id}", command="登记"))
        category = find_category(re.sub(r"#\s*[Mm]\s*\d+", "", cmd.arg)) if cmd.arg else None
        category = category or ctx.classify(source.text).category or "other"
        reporter = resolve_person(ctx.session, tagged, chat)
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


class Rating:
    """满意 / 基本满意 / 不满意: the resident has the last word; 不满意 sends it back."""

    name = "rating"

    def match(self, msg: IncomingMessage, ctx: Context):
        cmd = command_of(msg)
        if cmd is None or cmd.name not in RATINGS:
            return None
        if cmd.ticket_id is None and msg.text.strip() in ("一般", "还行"):
            return None
        return cmd

    def handle(self, msg: IncomingMessage, ctx: Context, cmd: Command):
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
        follows = is_follower(ctx.session, ticket.id, ctx.person.id)
        if not may_rate(ctx.person, ticket, follows=follows, now=ctx.now):
            log.info("refused rating of ticket %s by person %s", ticket.id, ctx.person.id)
            return finish(d, self._refusal(ctx, ticket, follows))
        rating = RATINGS[cmd.name]
        key = f"t{ticket.id}:rate:{ctx.inbox_id}"

        def rate() -> str:
            ticket.satisfaction = rating
            if cmd.name == "rate_bad":
                d.reopen(ticket, ctx.person, cmd.arg)
                # The reporter's words go to the unit's work chats and to followers: masked.
                reason = f"居民意见：{mask_personal_data(cmd.arg)}" if cmd.arg else ""
                text = texts.REOPENED.format(ticket_id=ticket.id, handler=d.handler_name(ticket),
                                             deadline=d.deadline_text(ticket), reason=reason)
                d.tell_unit(ticket, text, key)
            else:
                d.move(ticket, "rate", ctx.person, rating)
                d.move(ticket, "close", None, "评价后关闭")
                text = texts.RATED.format(ticket_id=ticket.id, rating=rating)
            d.tell_watchers(ticket, text, key, skip_chat=in_ticket_chat(ctx, ticket), skip_person=ctx.person)
            return text

        ok, text = attempt(ctx.session, ticket, rate)
        if not ok:
            return Outcome(reply=text, intent="command")
        award_quietly(ctx.session, ctx.settings, ctx.person, "rating", now=ctx.now,
                      ref=f"rating:t{ticket.id}:p{ctx.person.id}")
        return finish(d, text, intent="rating")

    @staticmethod
    def _refusal(ctx: Context, ticket: Ticket, follows: bool) -> str:
        opens = followers_may_rate_from(ticket)
        if (follows and ticket.state == "resolved" and not is_staff(ctx.person) and lives_in(ctx.person, ticket.grid)
                and opens is not None and ctx.now < opens):
            return texts.RATE_REPORTER_FIRST.format(ticket_id=ticket.id, opens=format_deadline(opens))
        return texts.RATE_NOT_ALLOWED.format(ticket_id=ticket.id)

    @staticmethod
    def _awaiting_rating(ctx: Context) -> list[Ticket]:
        """The resolved tickets this person may rate now (a follower's only after the reporter's window)."""
        followed = select(TicketFollower.ticket_id).where(TicketFollower.person_id == ctx.person.id)
        candidates = ctx.session.execute(
            select(Ticket).where(
                Ticket.state == "resolved",
                (Ticket.reporter_id == ctx.person.id) | Ticket.id.in_(followed),
            ).order_by(Ticket.id)
        ).scalars()
        return [t for t in candidates
                if may_rate(ctx.person, t, follows=t.reporter_id != ctx.person.id, now=ctx.now)]


class TicketCommand:
    """A resident's command about one ticket, named by #n or by quoting the bot's message."""

    name = ""

    def match(self, msg: IncomingMessage, ctx: Context):
        cmd = command_of(msg)
        return cmd if cmd is not None and cmd.name == self.name and cmd.ticket_id is not None else None


class Follow(TicketCommand):
    """"+1" / "我家也是" quoting a ticket message (or with #n): join it instead of a new ticket."""

    name = "follow"

    def handle(self, msg: IncomingMessage, ctx: Context, cmd: Command):
        d = desk(ctx)
        ticket = ctx.session.get(Ticket, cmd.ticket_id)
        if ticket is None:
            return finish(d, texts.NO_SUCH_TICKET.format(ticket_id=cmd.ticket_id))
        if ticket.merged_into_id:
            ticket = ctx.session.get(Ticket, ticket.merged_into_id)
        if not may_follow(ctx.person, ticket):
            # A follower hears the ticket's progress and may rate it: only its own grid's residents.
            log.info("refused follow of ticket %s by person %s", ticket.id, ctx.person.id)
            resident_elsewhere = any(r.role == "resident" and r.org_unit_id for r in ctx.person.roles)
            template = texts.FOLLOW_OTHER_GRID if resident_elsewhere else texts.FOLLOW_NOT_ALLOWED
            return finish(d, template.format(ticket_id=ticket.id))
        if not d.follow(ticket, ctx.person):
            return finish(d, already_following(ctx, msg, ticket))
        return finish(d, texts.FOLLOWED.format(ticket_id=ticket.id, category=category_name(ticket.category),
                                               state=state_name(ticket.state)), intent="complaint")


class Status(TicketCommand):
    name = "status"

    def handle(self, msg: IncomingMessage, ctx: Context, cmd: Command):
        d = desk(ctx)
        ticket = ctx.session.get(Ticket, cmd.ticket_id)
        if ticket is None:
            return finish(d, texts.NO_SUCH_TICKET.format(ticket_id=cmd.ticket_id))
        if not may_see_ticket(ctx.person, ticket, follows=is_follower(ctx.session, ticket.id, ctx.person.id)):
            log.info("refused status of ticket %s to person %s", ticket.id, ctx.person.id)
            return finish(d, texts.NOT_IN_SCOPE.format(ticket_id=ticket.id))
        deadline = f"，期限 {d.deadline_text(ticket)}" if ticket.deadline_at and ticket.state != "closed" else ""
        return finish(d, texts.STATUS.format(ticket_id=ticket.id, category=category_name(ticket.category),
                                             state=state_name(ticket.state), handler=d.handler_name(ticket),
                                             deadline_part=deadline))


def joined_reply(ctx: Context, msg: IncomingMessage, filed: reports.Filed) -> str:
    """What a sender hears when the same problem is already open: followed, already following, or
    (someone who may not follow it) just told it exists."""
    ticket = filed.ticket
    if not filed.may_follow:
        return texts.DUPLICATE_EXISTS.format(ticket_id=ticket.id, category=category_name(ticket.category),
                                             state=state_name(ticket.state))
    if not filed.newly_following:
        return already_following(ctx, msg, ticket)
    return texts.FOLLOWED.format(ticket_id=ticket.id, category=category_name(ticket.category),
                                 state=state_name(ticket.state))


class Classified:
    """Everything else goes to the classifier: complaints open (or join) a ticket,
    questions go to the grid leader, chit-chat gets no answer at all."""

    name = "classified"

    def match(self, msg: IncomingMessage, ctx: Context):
        return bool(msg.text.strip())

    def handle(self, msg: IncomingMessage, ctx: Context, _):
        d = desk(ctx)
        # Read once: it decides whether commas cut the message, and then what kind of ticket it is.
        emergency = detect_emergency(msg.text)
        # Several problems first: judged as a whole, the second (often the dangerous) one is lost.
        problems = reports.several_problems(ctx, msg.text, emergency is not None)
        if problems:
            grid = grid_of(ctx)
            reply = reports.file_several(d, ctx, grid, problems)
            if ctx.chat is None:
                self._to_grid_staff(d, ctx, grid, reply + f"\n问题：{msg.text[:200]}")
            return finish(d, reply, intent="complaint")
        prediction = ctx.classify(msg.text)
        # Emergencies before the model's verdict: a fire is never chit-chat, never "unsure".
        if emergency is not None:
            grid = grid_of(ctx)
            filed = reports.file_problem(d, ctx, grid, msg.text, prediction, emergency, f"inbox{ctx.inbox_id}")
            return finish(d, reports.urgent_reply(d, filed, grid), intent="complaint")
        if prediction.intent == "chitchat":
            return finish(d, "", intent="chitchat")
        grid = grid_of(ctx)
        # The bar: classifier.Prediction.action_bar (question 0.6, complaint 0.9, a short fault report 0.5).
        if ctx.thresholds and prediction.intent_confidence < prediction.action_bar(ctx.thresholds):
            # Not sure this is a request at all: never guess in the group; the leader tags it.
            self._to_grid_staff(d, ctx, grid, texts.UNSURE_FOR_LEADER.format(
                grid=grid.name if grid else "", text=msg.text[:300], inbox_id=ctx.inbox_id))
            return finish(d, "", intent="uncertain")
        if prediction.intent == "question" and about_group_buy(ctx, msg.text):
            return finish(d, "", intent="chitchat")  # "啥时候到货啊" under a 接龙: for its organiser
        if prediction.intent == "question" and ctx.chat is not None and followups.to_a_neighbour(msg.text):
            return finish(d, "", intent="chitchat")  # "王姐，要空腹吗": for 王姐 to answer
        if prediction.intent == "question":
            # The knowledge base answers if it can; otherwise it forwards to the grid leader.
            # A knowledge answer is staff text masked where it was read (official hotlines kept); the
            # resident's own question is never in it.
            return finish(d, handle_question(ctx, d, msg.text, grid), intent="question", reply_masked=True)
        # An unsure category is never shown as guesses: a ticket it opens is flagged for the leader (改).
        filed = reports.file_problem(d, ctx, grid, msg.text, prediction, None, f"inbox{ctx.inbox_id}",
                                     category_unsure=bool(prediction.needs_review))
        ticket = filed.ticket
        if filed.joined:
            return finish(d, joined_reply(ctx, msg, filed), intent="complaint")
        category = ticket.category
        reply = texts.OPENED.format(ticket_id=ticket.id, category=category_name(category),
                                    place=reports.place_part(ticket), handler=d.handler_name(ticket),
                                    deadline=d.deadline_text(ticket))
        reply = "".join((reply, reports.ask_place(ticket)))
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
            d.push_to_person(role.person, text, f"inbox{ctx.inbox_id}:staff")
