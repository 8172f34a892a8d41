"""The conversation layer: handlers that read a line against what came before it.

They sit just before Classified (handlers.pipeline), in this order:
- AnswerQuestion: the sender's reply to a question the bot asked (what/where/which), within its window;
- FollowUp: "进度", "怎么样了", "催一下", "我那个下水道的事" → the sender's own ticket, never a new one;
- Vague: "看图", "这里又这样了" → one short question instead of a guessed ticket;
- Continuation: a detail added to the sender's fresh report within a few minutes;
- Neighbour: a differently worded report of a problem reported in this chat lately → follow it.
`remember` runs after every message (handlers.dispatch) and keeps the memory up to date.
"""
from __future__ import annotations

import logging
from dataclasses import replace
from datetime import timedelta

from sqlalchemy import or_, select

from classifier import followups
from classifier.emergency import detect as detect_emergency
from handlers import conversation_texts as say
from handlers import reports, texts
from handlers.context import Context
from handlers.events import IncomingMessage, Outcome
from handlers.loop import Classified
from handlers.memory import Fresh, Line, Question, Report, SenderState, stamp
from handlers.privacy import mask_personal_data
from handlers.similarity import places_agree, problem_concepts, same_problem
from handlers.tickets import TicketDesk
from models import RoleAssignment, Ticket, TicketEvent, TicketFollower
from models.state_machine import FIXED_STATES, OPEN_STATES
from models.vocabulary import category_name, state_name

log = logging.getLogger(__name__)

# The windows are settings (bot.runtime.config, CONVERSATION_*_MINUTES): how long the bot waits for
# an answer to its question; how long a report stays "fresh" (a line from the same sender adding
# details joins it instead of opening another ticket); past that, how long a line of the sender's
# naming the same problem at no other place still joins it ("人出来了 这电梯得好好查查" 25 minutes
# after the lift report); how long a neighbour's agreement ("我家也是", "确实 吵得睡不着") refers
# to the chat's latest report.
# A ticket pressed again within this time is noted, but its holder is not pushed again.
URGE_QUIET_SECONDS = 30 * 60
# Outcomes that never open a ticket: no need to look for one after them.
NOT_REPORTS = {None, "chitchat", "event", "command", "rating", "question", "uncertain", "non_text",
               "followup", "clarify", "detail", "media"}
# Problems that reach past one building (handlers.similarity concepts): a neighbour's "也停了" at another
# building agrees with them.
AREA_WIDE = frozenset({"no_water", "no_power"})
# Longest line the conversation handlers read (a 2,000-character rant goes to the classifier).
MAX_LINE = 300


def keys(msg: IncomingMessage) -> tuple[str, str]:
    """Where a message's conversation lives: its chat (or the one-to-one thread) and its sender."""
    sender = f"{msg.identity_channel}:{msg.sender_id}"
    chat = f"{msg.channel}:{msg.chat_id}" if msg.chat_id else f"{msg.channel}:dm:{msg.sender_id}"
    return chat, sender


def line_of(msg: IncomingMessage, sender_key: str, now, inbox_id: int) -> Line | None:
    """The message as the chat's recent lines keep it; None for what the layer never reads.

    Acknowledgements and emoji ("收到", "1", "👌") are the commonest lines in a grid chat and mean
    nothing to a conversation: they are neither kept nor do they cost a round trip to the memory —
    except a bare number or ordinal, which may pick from the tickets the bot listed.
    """
    text = _text(msg)
    # A bare "1" / "第二个" is kept: it may answer "which ticket?" (AnswerQuestion).
    if not text or (followups.is_ack(text) and not followups.is_choice(text)):
        return None
    return Line(stamp(now), text[:200], sender_key, inbox_id)


def awaits_choice(ctx: Context) -> bool:
    """The bot asked this sender which of their tickets they mean and is still waiting."""
    question = ctx.conversation.question
    return question is not None and question.kind == "which" and question.open_at(stamp(ctx.now))


def _text(msg: IncomingMessage) -> str:
    return msg.text.strip() if msg.msg_type == "text" and msg.text else ""


def _desk(ctx: Context) -> TicketDesk:
    return TicketDesk(ctx.session, ctx.settings, ctx.now)


def _finish(d: TicketDesk, reply: str, intent: str) -> Outcome:
    return Outcome(reply=reply, outgoing=tuple(d.outgoing), intent=intent)


def _save(ctx: Context, **changes) -> None:
    if ctx.memory is not None:
        ctx.memory.save_sender_state(ctx.chat_key, ctx.sender_key, replace(ctx.conversation, **changes))


def _ask(ctx: Context, kind: str, text: str = "", tickets: tuple[int, ...] = ()) -> None:
    now = stamp(ctx.now)
    until = now + ctx.settings.conversation_question_minutes * 60
    _save(ctx, question=Question(kind, now, until, text[:MAX_LINE], tickets, ctx.inbox_id))


def report(msg: IncomingMessage, ctx: Context) -> Outcome:
    """A complete report: a neighbour's paraphrase joins its ticket, anything else goes to Classified."""
    found = Neighbour().match(msg, ctx)
    if found:
        return Neighbour().handle(msg, ctx, found)
    return Classified().handle(msg, ctx, True)


# --- the sender's tickets ------------------------------------------------------------------------
def senders_tickets(ctx: Context) -> list[Ticket]:
    """Tickets the sender reported or follows that are still open or awaiting a rating, newest first."""
    person_id = ctx.person.id
    followed = select(TicketFollower.ticket_id).where(TicketFollower.person_id == person_id)
    return list(ctx.session.execute(
        select(Ticket).where(
            or_(Ticket.reporter_id == person_id, Ticket.id.in_(followed)),
            Ticket.state.in_(OPEN_STATES + FIXED_STATES),
        ).order_by(Ticket.id.desc()).limit(10)
    ).scalars())


def pick(tickets: list[Ticket], text: str) -> list[Ticket]:
    """The tickets a line may mean: narrowed by its problem words and place, else all of them."""
    if len(tickets) <= 1:
        return tickets
    hints = followups.category_hints(text)
    by_category = [t for t in tickets if t.category in hints]
    if len(by_category) == 1:
        return by_category
    place = followups.place_in(text)
    pool = by_category or tickets
    if place:
        by_place = [t for t in pool if place in (t.place_text or "") or place in t.description]
        if len(by_place) == 1:
            return by_place
    scored = [(same_problem(text, t.description), t) for t in pool]
    best = max(score for score, _ in scored)
    if best >= 0.5 and sum(1 for score, _ in scored if score == best) == 1:
        return [t for score, t in scored if score == best]
    return pool


def about_another_problem(text: str, followup: followups.FollowUp, tickets: list[Ticket]) -> bool:
    """"楼道灯坏了一个月了都没人管" from someone whose ticket is about drains: a new report, not an urge.

    Judged by the problems the line names (handlers.similarity's concepts), which are specific;
    category words are not ("楼上", "老人" belong to several categories).
    """
    named = problem_concepts(text)
    if not named:
        if followup.about_report:
            # "还是那样 今天又七点开钻 有人管没": unmistakably about a report and no other problem
            # named, as an urge is: the sender's ticket. (Category words would mislead: "楼上",
            # "老人" in "到底修不修 楼上老人下不来" belong to several categories.)
            return False
        # No known problem named: the sender's ticket, unless the line says much else besides.
        return followup.kind == "progress" and len(followups.clean(followup.rest)) > 8
    return not any(named & problem_concepts(t.description) for t in tickets)


def status_line(d: TicketDesk, ticket: Ticket, template: str = say.FOLLOWUP_STATUS) -> str:
    deadline = f"，期限 {d.deadline_text(ticket)}" if ticket.deadline_at and ticket.state in OPEN_STATES else ""
    return template.format(ticket_id=ticket.id, category=category_name(ticket.category),
                           state=state_name(ticket.state), handler=d.handler_name(ticket), deadline_part=deadline)


def note(d: TicketDesk, ticket: Ticket, ctx: Context, action: str, text: str) -> None:
    """Record a resident's line on the ticket's history (not a state change)."""
    d.session.add(TicketEvent(ticket_id=ticket.id, actor_id=ctx.person.id, action=action,
                              from_state=ticket.state, to_state=ticket.state, note=text[:500], created_at=d.now))


def add_detail(ticket: Ticket, text: str) -> None:
    """Staff read the description: what the resident added goes under it."""
    ticket.description = f"{ticket.description}\n补充：{text[:300]}"[:5000]


def tell_holder(d: TicketDesk, ticket: Ticket, text: str, key: str) -> None:
    """Push to whoever holds the ticket now: the grid's leaders and workers, else that level's staff."""
    if ticket.level != "grid":
        d.tell_unit(ticket, text, key)
        return
    roles = d.session.execute(select(RoleAssignment).where(
        RoleAssignment.org_unit_id == ticket.assignee_unit_id,
        RoleAssignment.role.in_(("grid_leader", "grid_worker")))).scalars()
    for role in roles:
        d.push_to_person(role.person, text, key, ticket)


def follow_up(ctx: Context, d: TicketDesk, ticket: Ticket, kind: str, text: str) -> str:
    """Answer with the ticket's state and record the line; an urge is pushed to the ticket's holder, news
    of an open ticket ("#12 今天晚上又在充") goes under its description."""
    if kind == "fixed":
        # The holder decides whether it is done (办结); the reporter's word goes on the record, and
        # to the holder, so a withdrawn report is not visited in vain.
        note(d, ticket, ctx, "note", say.NOTE_FIXED.format(text=text[:300]))
        if ticket.state in OPEN_STATES:
            tell_holder(d, ticket, f"工单 #{ticket.id}：" + say.NOTE_FIXED.format(text=mask_personal_data(text[:200])),
                        f"t{ticket.id}:fixed:{ctx.inbox_id}")
            return say.FIXED_NOTED.format(ticket_id=ticket.id, category=category_name(ticket.category))
        return say.FIXED_RATE.format(ticket_id=ticket.id, category=category_name(ticket.category))
    if kind == "detail" and ticket.state in OPEN_STATES:
        note(d, ticket, ctx, "note", say.NOTE_DETAIL.format(text=text[:300]))
        add_detail(ticket, text)
        d.attach_photos(ticket, ctx.person)
        return say.DETAIL_ADDED.format(ticket_id=ticket.id, category=category_name(ticket.category))
    reply = status_line(d, ticket)
    if kind != "urge" or ticket.state not in OPEN_STATES:
        note(d, ticket, ctx, "followup", say.NOTE_FOLLOWUP.format(text=text[:200]))
        return reply
    quiet_since = ctx.now - timedelta(seconds=URGE_QUIET_SECONDS)
    recent = ctx.session.execute(select(TicketEvent.id).where(
        TicketEvent.ticket_id == ticket.id, TicketEvent.action == "urge",
        TicketEvent.created_at >= quiet_since)).first()
    note(d, ticket, ctx, "urge", say.NOTE_URGE.format(text=text[:200]))
    handler = d.handler_name(ticket)
    if recent is not None:
        return reply + say.URGED_RECENTLY.format(handler=handler)
    tell_holder(d, ticket, say.URGE_PUSH.format(
        ticket_id=ticket.id, category=category_name(ticket.category), state=state_name(ticket.state),
        deadline=d.deadline_text(ticket), text=mask_personal_data(text[:200])), f"t{ticket.id}:urge:{ctx.inbox_id}")
    return reply + say.URGED.format(handler=handler)


def which(ctx: Context, d: TicketDesk, tickets: list[Ticket], kind: str) -> Outcome:
    tickets = sorted(tickets, key=lambda t: t.id)[-5:]  # oldest first: "第二个" is the second one listed
    items = "、".join(say.WHICH_ITEM.format(ticket_id=t.id, category=category_name(t.category),
                                            state=state_name(t.state)) for t in tickets[:5])
    _ask(ctx, "which", kind, tuple(t.id for t in tickets[:5]))
    return _finish(d, say.WHICH_TICKET.format(count=len(tickets), items=items, first=tickets[0].id), "followup")


def ask_what(ctx: Context, d: TicketDesk, text: str, question_text: str) -> Outcome:
    """Ask the sender what the problem is and where, once: a second vague line while it waits is quiet."""
    question = ctx.conversation.question
    if question is not None and question.kind == "what" and question.open_at(stamp(ctx.now)):
        return _finish(d, "", "clarify")
    _ask(ctx, "what", text)
    return _finish(d, question_text, "clarify")


# --- the handlers --------------------------------------------------------------------------------
class AnswerQuestion:
    """The sender answers the bot's question (what and where / which ticket / the place) in time."""

    name = "answer_question"

    def match(self, msg: IncomingMessage, ctx: Context):
        text = _text(msg)
        if not text or ctx.memory is None or ctx.line is None:
            return None
        question = ctx.conversation.question
        if question is None or not question.open_at(stamp(ctx.now)):
            return None
        if followups.is_ack(text) and not (question.kind == "which" and followups.is_choice(text)):
            return None
        if question.kind == "place":
            place = followups.place_in(text)
            # Only a line that just says where: one naming a problem is a report (or a continuation).
            # Words of the report itself do not count as another problem ("就是我楼上那家" under a
            # report about the neighbours upstairs).
            if not place or len(followups.clean(text)) > 30:
                return None
            hints = followups.category_hints(text) - {question.text}
            if hints and question.tickets:
                ticket = ctx.session.get(Ticket, question.tickets[0])
                hints -= followups.category_hints(ticket.description) if ticket is not None else set()
            return None if hints else (question, place)
        if question.kind == "which":
            chosen = followups.chosen_ticket(text, list(question.tickets))
            return (question, chosen) if chosen is not None else None
        if question.kind == "what" and len(text) <= MAX_LINE and not followups.is_vague_report(text):
            return question, None
        return None

    def handle(self, msg: IncomingMessage, ctx: Context, found):
        question, answer = found
        taken = ctx.memory.take_question(ctx.chat_key, ctx.sender_key)
        d = _desk(ctx)
        if taken is None or taken.asked_at != question.asked_at:
            # Another delivery of this sender's line answered it a moment ago: treat this one afresh.
            return report(msg, ctx)
        if question.kind == "what":
            # The vague line said only that there is a problem; the answer says which, and where.
            return report(msg, ctx)
        ticket = d.get_for_update(question.tickets[0] if question.kind == "place" else answer)
        if ticket is None:
            return report(msg, ctx)
        if question.kind == "place":
            # The place extractor of the reports fills it where it reads one; gates and landmarks it
            # does not know ("大门口") are taken as answered.
            reply = reports.fill_place(d, ticket, msg.text, ctx.person)
            if reply is None:
                if not ticket.place_text:
                    ticket.place_text = answer[:200]
                note(d, ticket, ctx, "place", say.NOTE_PLACE.format(place=answer))
                reply = say.PLACE_FILLED.format(ticket_id=ticket.id, place=ticket.place_text)
            if followups.clean(msg.text) != followups.clean(answer):
                add_detail(ticket, msg.text)  # "就在3号楼门口，已经两天了": the rest is a detail too
            return _finish(d, reply, "detail")
        return _finish(d, follow_up(ctx, d, ticket, question.text or "progress", msg.text), "followup")


class FollowUp:
    """A progress question or an urge about the sender's own report: answered, recorded, never a new ticket."""

    name = "follow_up"

    def match(self, msg: IncomingMessage, ctx: Context):
        text = _text(msg)
        if not text or len(text) > MAX_LINE:
            return None
        found = followups.followup(text)
        if found is None or detect_emergency(text) is not None:
            return None  # "快来人！有人从脚手架上摔下来了" is an alarm (Classified), not an urge
        return found

    def handle(self, msg: IncomingMessage, ctx: Context, followup: followups.FollowUp):
        d = _desk(ctx)
        if followup.ticket_id is not None:
            ticket = ctx.session.get(Ticket, followup.ticket_id)
            if ticket is None:
                return _finish(d, texts.NO_SUCH_TICKET.format(ticket_id=followup.ticket_id), "followup")
            if ticket.merged_into_id:
                ticket = ctx.session.get(Ticket, ticket.merged_into_id)
            if ticket.id not in {t.id for t in senders_tickets(ctx)}:
                return _finish(d, say.OTHERS_TICKET.format(
                    ticket_id=ticket.id, category=category_name(ticket.category), state=state_name(ticket.state)),
                    "followup")
            return _finish(d, follow_up(ctx, d, ticket, followup.kind, msg.text), "followup")
        tickets = senders_tickets(ctx)
        if tickets:
            if about_another_problem(msg.text, followup, tickets):
                return report(msg, ctx)
        elif followups.names_problem(msg.text) or not followup.about_report:
            # No ticket: a complaint about the wait that names the problem ("路灯坏了一个月了没人管")
            # is a report; "怎么样了" alone is talk between neighbours.
            return report(msg, ctx)
        else:
            # "进度" or "催一下" with nothing to press: ask what it is about.
            vague = followups.is_vague_report(msg.text)
            return ask_what(ctx, d, msg.text, say.ASK_WHAT if vague else say.NO_TICKET_ASK)
        chosen = pick(tickets, msg.text)
        if len(chosen) > 1:
            open_ones = [t for t in chosen if t.state in OPEN_STATES]
            chosen = open_ones if len(open_ones) == 1 else chosen
        if len(chosen) > 1:
            return which(ctx, d, chosen, followup.kind)
        return _finish(d, follow_up(ctx, d, chosen[0], followup.kind, msg.text), "followup")


class Vague:
    """"看图", "这里又这样了": one short question; the sender's next line makes it a report."""

    name = "vague"

    def match(self, msg: IncomingMessage, ctx: Context):
        text = _text(msg)
        return (bool(text) and len(text) <= MAX_LINE and followups.is_vague_report(text)
                and detect_emergency(text) is None)

    def handle(self, msg: IncomingMessage, ctx: Context, _):
        return ask_what(ctx, _desk(ctx), msg.text, say.ASK_WHAT)


class Continuation:
    """A line adding details to the report the sender made a few minutes ago joins that ticket."""

    name = "continuation"

    def match(self, msg: IncomingMessage, ctx: Context):
        text = _text(msg)
        if not text or len(text) > MAX_LINE or ctx.memory is None:
            return None
        fresh = ctx.conversation.fresh
        if fresh is None or followups.is_ack(text):
            return None
        age = stamp(ctx.now) - fresh.at
        if age > ctx.settings.conversation_same_problem_minutes * 60 or not followups.adds_detail(text):
            return None
        tickets = [t for t in (ctx.session.get(Ticket, i) for i in fresh.tickets)
                   if t is not None and t.state in OPEN_STATES]
        if age > ctx.settings.conversation_continuation_minutes * 60:
            # Later, only a line about the same problem, at no other place, is still this report.
            named = problem_concepts(text)
            tickets = [t for t in tickets if named & problem_concepts(t.description)
                       and places_agree(text, t.description)]
        if not tickets:
            return None
        prediction = ctx.classify(text)
        categories = {t.category for t in tickets}
        if prediction.intent == "complaint" and prediction.category not in categories \
                and not prediction.needs_review and followups.category_hints(text) - categories:
            return None  # a second, different problem: its own ticket
        chosen = pick(tickets, text)[0]
        if followups.clean(text) in followups.clean(chosen.description):
            return None  # the report pasted again adds nothing: the duplicate check answers it
        return chosen

    def handle(self, msg: IncomingMessage, ctx: Context, ticket: Ticket):
        d = _desk(ctx)
        note(d, ticket, ctx, "note", say.NOTE_DETAIL.format(text=msg.text[:300]))
        add_detail(ticket, msg.text)
        place = followups.place_in(msg.text)
        if place and not ticket.place_text:
            ticket.place_text = place
        d.attach_photos(ticket, ctx.person)
        _save(ctx, fresh=Fresh(ctx.conversation.fresh.tickets, stamp(ctx.now)))
        return _finish(d, say.DETAIL_ADDED.format(ticket_id=ticket.id, category=category_name(ticket.category)),
                       "detail")


class Neighbour:
    """Another resident's differently worded report of a problem reported in this chat lately."""

    name = "neighbour"

    def match(self, msg: IncomingMessage, ctx: Context):
        text = _text(msg)
        if not text or ctx.memory is None or ctx.chat is None:
            return None
        reports = [r for r in ctx.recalled.reports if r.sender != ctx.sender_key]
        if not reports:
            return None
        prediction = ctx.classify(text[:2000])
        since = stamp(ctx.now) - ctx.settings.conversation_agreement_minutes * 60
        agreed = agreement(text, [r for r in reports if r.at >= since], prediction.intent == "complaint",
                           ctx.recalled.before)
        if agreed is not None:
            return self._open(ctx, agreed, text)
        if prediction.intent != "complaint":
            return None
        during = during_an_alarm(ctx, reports, text)
        if during is not None:
            return during
        window = stamp(ctx.now) - ctx.settings.duplicate_window_hours * 3600
        best, best_score = None, ctx.settings.duplicate_similarity
        for r in reports:
            if r.at < window:
                continue
            score = same_problem(text, r.text)
            if r.category != prediction.category:
                score *= 0.8  # the model may file a paraphrase elsewhere; ask for a clearer match then
            if score >= best_score:
                best, best_score = r, score
        if best is None:
            return None
        return self._open(ctx, best, text)

    @staticmethod
    def _open(ctx: Context, best: Report, text: str) -> Ticket | None:
        ticket = ctx.session.get(Ticket, best.ticket_id)
        if ticket is not None and ticket.merged_into_id:
            ticket = ctx.session.get(Ticket, ticket.merged_into_id)
        if ticket is None or ticket.state not in OPEN_STATES:
            return None
        if ticket.priority == "urgent" and detect_emergency(text) is not None:
            return None  # an alarm's joined reply (what to do, the number) is Classified's
        return ticket

    def handle(self, msg: IncomingMessage, ctx: Context, ticket: Ticket):
        d = _desk(ctx)
        joined = d.follow(ticket, ctx.person)
        template = texts.FOLLOWED if joined else texts.ALREADY_FOLLOWING
        return _finish(d, template.format(ticket_id=ticket.id, category=category_name(ticket.category),
                                          state=state_name(ticket.state)), "complaint")


def during_an_alarm(ctx: Context, recent: list[Report], text: str) -> Ticket | None:
    """While an emergency is minutes old, what neighbours report about it is about it: "我就在旁边，人还有气，
    我们没敢动他" under "有个师傅从脚手架上摔下来了" joins that urgent ticket instead of opening a 噪音扰民 one.
    Only the chat's latest report, urgent, within reports.SAME_ALARM_MINUTES, and a line naming no other
    problem at no other place (a second, different problem still gets its own ticket)."""
    if detect_emergency(text) is not None:
        return None  # an alarm itself: Classified joins it with what to do and the number
    latest = max(recent, key=lambda r: r.at)
    if stamp(ctx.now) - latest.at > reports.SAME_ALARM_MINUTES * 60 or not places_agree(text, latest.text):
        return None
    named = problem_concepts(text)
    if named and not named & problem_concepts(latest.text):
        return None
    ticket = ctx.session.get(Ticket, latest.ticket_id)
    if ticket is None or ticket.priority != "urgent" or ticket.state not in OPEN_STATES:
        return None
    if followups.category_hints(text) - {ticket.category}:
        return None  # "12号楼车库道闸坏了" names its own problem: a report of its own
    return ticket


def agreement(text: str, recent: list[Report], complaint: bool, before: tuple[Line, ...] = ()) -> Report | None:
    """The report a neighbour's "我家也是 / +1 / 确实 吵得睡不着" agrees with: the chat's latest recent one.

    Agreement alone ("+1", "我家也是") or with words about the same problem joins it; words about
    another problem or place do not ("我家也包饺子了" is talk: no problem, not a complaint). Right
    after the report (`before`: the chat's previous lines, newest first; other agreements may come
    between), any agreement naming no other problem joins it: "是的嘛 我路过都要捂到鼻子",
    "+1 上次我还踩到了", "同款 水龙头细得像根线".
    """
    rest = followups.agrees(text)
    if rest is None:
        return None
    if not recent:
        return None
    latest = max(recent, key=lambda r: r.at)
    named, theirs = problem_concepts(text), problem_concepts(latest.text)
    # An outage is the area's, not one building's: "我们10号楼也停了" under "9号楼停水了" is the same cut.
    if not (theirs & AREA_WIDE) and not places_agree(text, latest.text):
        return None
    if named & theirs:
        return latest
    if named:
        return None
    if len(rest) <= 2 and followups.clean(text) in ("1", "+1"):
        # A bare "+1" agrees with whatever was said last: a report only if that was the report (a "+1"
        # under a 接龙 an hour after someone's report signs up for rice).
        return latest if right_after(latest, before) else None
    if len(rest) <= 2 or complaint:
        return latest
    return latest if followups.agrees_plainly(text) and right_after(latest, before) else None


def right_after(report: Report, before: tuple[Line, ...]) -> bool:
    """The chat's last lines, newest first, are agreements with `report`, its reporter's own words
    ("#8咋样了，还堵着呢") or acknowledgements ("收到，我马上过去"), and then `report` itself."""
    for line in before:
        # The report's words are the line's (or a piece of it, one of several problems). Not its time:
        # a line is stamped with the message's own time, a report with the bot's clock.
        if line.sender == report.sender and report.text[:20] in line.text:
            return True
        if line.sender != report.sender and followups.agrees(line.text) is None \
                and not followups.acknowledges(line.text):
            return False
    return False


# --- after every message ---------------------------------------------------------------------------
def remember(msg: IncomingMessage, ctx: Context, outcome: Outcome) -> None:
    """Keep the chat's recent lines, and the tickets a report opened (fresh; the chat's reports)."""
    if ctx.memory is None or ctx.line is None:
        return
    now = stamp(ctx.now)
    if "recalled" not in ctx.__dict__:
        # No handler asked the memory (a command, a rating…): record the line on its own.
        ctx.memory.remember_line(ctx.chat_key, ctx.line)
    if outcome.intent in NOT_REPORTS:
        return
    opened = ctx.session.execute(
        select(Ticket.id, Ticket.category, Ticket.place_text, Ticket.description)
        .where(Ticket.source_inbox_id == ctx.inbox_id).order_by(Ticket.id)).all()
    if not opened:
        return
    for row in opened:
        ctx.memory.remember_report(ctx.chat_key, Report(row.id, ctx.sender_key, row.category,
                                                        row.description[:200], row.place_text or "", now))
    state: SenderState = ctx.conversation
    question = state.question
    unplaced = [row for row in opened if not row.place_text]
    if unplaced and (question is None or not question.open_at(now)):
        # The report has no place: the sender's next line naming one fills it in (the question
        # keeps the ticket's category: "路灯在南门" answers it, "下水道堵了" does not).
        until = now + ctx.settings.conversation_question_minutes * 60
        question = Question("place", now, until, unplaced[0].category, (unplaced[0].id,),
                            ctx.inbox_id)
    ctx.memory.save_sender_state(ctx.chat_key, ctx.sender_key,
                                 replace(state, fresh=Fresh(tuple(r.id for r in opened), now), question=question))
