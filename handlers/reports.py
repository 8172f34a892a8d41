"""Reports the Classified handler turns into tickets: emergencies, several problems, a missing place.

- An emergency (classifier.emergency) opens an *urgent* ticket: priority "urgent", a deadline of
  URGENT_DEADLINE_MINUTES wall-clock minutes (an emergency does not wait for working hours), pushed
  at once to the grid leaders and the community (its work chats, else its staff), and the passive
  reply starts with what to do now and the number to call (119 / 120 / 110 / 96333).
- Several problems in one message (classifier.problems) open one ticket each; one reply lists them.
  An emergency with another problem after a comma ("煤气味好重，楼道灯也坏了") is two of them: an
  urgent ticket for the emergency and a normal one for the other problem.
- A real report without a place opens the ticket and asks for the place in the same reply.
  The conversation layer fills it in from the answer with `fill_place` (see `awaiting_place`).

Nothing here sends anything: pushes are OutgoingMessage values on the desk, as everywhere.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select

from classifier import Prediction
from classifier.emergency import Emergency
from classifier.places import extract_places
from classifier.problems import Problem, find_problems, may_hold_several
from handlers import texts
from handlers.context import Context
from handlers.points_ledger import award_quietly
from handlers.policy import may_follow
from handlers.privacy import mask_personal_data
from handlers.similarity import places_agree
from handlers.tickets import TicketDesk
from models import GroupChat, OrgUnit, Person, RoleAssignment, Ticket, TicketEvent
from models.state_machine import OPEN_STATES
from models.vocabulary import ROLE_NAMES, category_name, state_name

URGENT_DEADLINE_MINUTES = 60
# Two alarms of one kind in one grid this close together, at no different place, are one emergency.
SAME_ALARM_MINUTES = 30
COMMUNITY_ROLES = ("community_staff",)
GRID_LEADER_ROLES = ("grid_leader",)


@dataclass(frozen=True)
class Filed:
    """One problem's ticket after filing: opened here, or an open one the sender now follows."""

    ticket: Ticket
    joined: bool
    emergency: Emergency | None = None
    newly_following: bool = False  # joined, and not already its reporter or a follower
    may_follow: bool = True  # False: staff or someone of another grid, told it exists, not joined


# --- the place ---------------------------------------------------------------------------
def awaiting_place(ticket: Ticket) -> bool:
    """True while an open ticket still has no place: the bot asked for it when it opened it."""
    return not ticket.place_text and ticket.state in OPEN_STATES


def fill_place(d: TicketDesk, ticket: Ticket, text: str, actor: Person | None) -> str | None:
    """Fill an open ticket's missing place from a resident's answer ("3号楼东门口").

    Returns the reply (PLACE_FILLED) or None when the answer names no place (the caller decides
    whether to ask again). Never overwrites a place already there.
    """
    if not awaiting_place(ticket):
        return None
    places = extract_places(text)
    if not places:
        return None
    ticket.place_text = "；".join(places)[:200]
    d.session.add(TicketEvent(ticket_id=ticket.id, actor_id=actor.id if actor else None, action="place",
                              from_state=ticket.state, to_state=ticket.state, note=ticket.place_text,
                              created_at=d.now))
    return texts.PLACE_FILLED.format(ticket_id=ticket.id, place=ticket.place_text)


def place_part(ticket: Ticket) -> str:
    return f"地点：{ticket.place_text}，" if ticket.place_text else ""


def ask_place(ticket: Ticket) -> str:
    """The sentence that asks for a missing place ("" when the ticket has one)."""
    if ticket.place_text:
        return ""
    return texts.ASK_PLACE_URGENT if ticket.priority == "urgent" else texts.ASK_PLACE


# --- who hears of an emergency -------------------------------------------------------------
def community_of(grid: OrgUnit | None) -> OrgUnit | None:
    parent = grid.parent if grid is not None else None
    return parent if parent is not None and parent.kind == "community" else None


def community_label(grid: OrgUnit | None) -> str:
    if grid is None:
        return ROLE_NAMES["admin"]  # no grid known: the district command centre hears it (push_urgent)
    community = community_of(grid)
    return community.name if community is not None else "社区"


def push_urgent(d: TicketDesk, ticket: Ticket, emergency: Emergency, grid: OrgUnit | None, text: str,
                key: str) -> None:
    """At once to the grid leaders (directly) and the community (its work chats, else its staff)."""
    message = texts.URGENT_PUSH.format(
        ticket_id=ticket.id, kind=emergency.name, category=category_name(ticket.category),
        place=f"地点：{ticket.place_text}" if ticket.place_text else "地点未说明",
        text=mask_personal_data(text[:200]), number=emergency.number, deadline=d.deadline_text(ticket))
    if grid is None:
        # A one-to-one report from someone of no known grid: nobody below the district would hear it.
        admins = d.session.execute(select(RoleAssignment).where(RoleAssignment.role == "admin")).scalars()
        for role in admins:
            d.push_to_person(role.person, message, key, ticket)
        return
    leaders = d.session.execute(select(RoleAssignment).where(
        RoleAssignment.org_unit_id == grid.id, RoleAssignment.role.in_(GRID_LEADER_ROLES))).scalars()
    for role in leaders:
        d.push_to_person(role.person, message, key, ticket)
    community = community_of(grid)
    if community is None:
        return
    chats = d.session.execute(select(GroupChat).where(GroupChat.org_unit_id == community.id)).scalars().all()
    for chat in chats:
        d.push_to_chat(chat, message, key, ticket)
    if not chats:
        staff = d.session.execute(select(RoleAssignment).where(
            RoleAssignment.org_unit_id == community.id, RoleAssignment.role.in_(COMMUNITY_ROLES))).scalars()
        for role in staff:
            d.push_to_person(role.person, message, key, ticket)


def mark_urgent(d: TicketDesk, ticket: Ticket, emergency: Emergency, actor: Person | None) -> None:
    """Priority urgent and a deadline of minutes (never later than the one it had)."""
    ticket.priority = "urgent"
    soon = d.now + timedelta(minutes=URGENT_DEADLINE_MINUTES)
    if ticket.deadline_at is None or ticket.deadline_at > soon:
        # The urgent push is the reminder: the sweep's "due in two hours" would only repeat it.
        ticket.deadline_at, ticket.reminded_at = soon, d.now
    d.session.add(TicketEvent(ticket_id=ticket.id, actor_id=actor.id if actor else None, action="urgent",
                              from_state=ticket.state, to_state=ticket.state,
                              note=f"{emergency.name}（{emergency.number}）", created_at=d.now))


# --- filing ------------------------------------------------------------------------------
def file_problem(d: TicketDesk, ctx: Context, grid: OrgUnit | None, text: str, prediction: Prediction,
                 emergency: Emergency | None, key: str, *, category_unsure: bool = False) -> Filed:
    """Open a ticket for one problem, or join the same open problem in this grid.

    category_unsure flags a ticket it opens for the leader (改), set in the INSERT itself.
    """
    category = emergency.category(prediction.category) if emergency else (prediction.category or "other")
    original = d.find_duplicate(grid.id if grid else None, category, text, ctx.person.id)
    if original is None and emergency is not None:
        original = recent_alarm(d, grid, emergency, text)
    if original is not None:
        allowed = may_follow(ctx.person, original)
        newly = d.follow(original, ctx.person) if allowed else False
        if emergency is not None and original.priority != "urgent":
            # Once per ticket: twenty neighbours reporting one fire must not page the leader twenty times.
            mark_urgent(d, original, emergency, ctx.person)
            push_urgent(d, original, emergency, grid, text, f"{key}:urgent")
        return Filed(original, True, emergency, newly, allowed)
    # Places from this problem's own words: the whole message's places may belong to another one.
    places = extract_places(text) if prediction.text != text else tuple(prediction.places)
    ticket = d.open(reporter=ctx.person, chat=ctx.chat, grid=grid, text=text, category=category,
                    places=places, confidence=prediction.category_confidence, inbox_id=ctx.inbox_id,
                    category_unsure=category_unsure)
    award_quietly(ctx.session, ctx.settings, ctx.person, "report", now=ctx.now, ref=f"report:t{ticket.id}")
    if emergency is not None:
        mark_urgent(d, ticket, emergency, ctx.person)
        push_urgent(d, ticket, emergency, grid, text, f"{key}:urgent")
    return Filed(ticket, False, emergency)


def recent_alarm(d: TicketDesk, grid: OrgUnit | None, emergency: Emergency, text: str) -> Ticket | None:
    """The urgent ticket of this kind of emergency opened in the grid within SAME_ALARM_MINUTES, at no
    other place: the same emergency, however the next neighbour words it ("门撬开了 人倒在地上 快叫救护车"
    after "老王头俩天没见人了 敲门不开"; "半条街都是臭鸡蛋味" after "面馆煤气罐漏气")."""
    if grid is None:
        return None
    since = d.now - timedelta(minutes=SAME_ALARM_MINUTES)
    recent = d.session.execute(select(Ticket).where(
        Ticket.grid_id == grid.id, Ticket.priority == "urgent", Ticket.state.in_(OPEN_STATES),
        Ticket.category.in_(emergency.categories()), Ticket.created_at >= since,
    ).order_by(Ticket.id.desc()).limit(5)).scalars()
    return next((t for t in recent if places_agree(text, t.description)), None)


def urgent_reply(d: TicketDesk, filed: Filed, grid: OrgUnit | None) -> str:
    ticket, emergency = filed.ticket, filed.emergency
    head = "\n".join(texts.URGENT_HEAD.format(advice=line) for line in emergency.advice_lines())
    if filed.joined:
        body = texts.URGENT_JOINED.format(ticket_id=ticket.id, state=state_name(ticket.state),
                                          handler=d.handler_name(ticket), community=community_label(grid))
        if filed.may_follow:
            body += texts.URGENT_JOINED_FOLLOWING
    else:
        body = texts.URGENT_OPENED.format(
            ticket_id=ticket.id, category=category_name(ticket.category), place=place_part(ticket),
            handler=d.handler_name(ticket), community=community_label(grid), deadline=d.deadline_text(ticket))
    return "\n".join(part for part in (head, body, ask_place(ticket)) if part)


def several_problems(ctx: Context, text: str, emergency: bool) -> list[Problem]:
    """The distinct problems of a message with several clauses, or of an emergency (`emergency`: the
    message holds one) with another problem beside it after a comma ([] for one clause or one problem)."""
    if not may_hold_several(text, emergency):
        return []
    problems = find_problems(text, lambda pieces: [ctx.classify(p) for p in pieces], ctx.thresholds)
    return problems if len(problems) >= 2 else []


def file_several(d: TicketDesk, ctx: Context, grid: OrgUnit | None, problems: list[Problem]) -> str:
    """One ticket per problem (emergencies first), one reply with every number."""
    ordered = sorted(problems, key=lambda p: p.emergency is None)
    filed = [file_problem(d, ctx, grid, p.text, p.prediction, p.emergency, f"inbox{ctx.inbox_id}:p{k}")
             for k, p in enumerate(ordered)]
    advice: list[str] = []
    for f in filed:
        for line in f.emergency.advice_lines() if f.emergency else ():
            if line not in advice:
                advice.append(line)
    lines = []
    for f in filed:
        t = f.ticket
        if f.joined:
            template = texts.SEVERAL_LINE_JOINED if f.may_follow else texts.SEVERAL_LINE_EXISTS
            lines.append(template.format(ticket_id=t.id, category=category_name(t.category),
                                                          state=state_name(t.state)))
        elif f.emergency is not None:
            lines.append(texts.SEVERAL_LINE_URGENT.format(
                ticket_id=t.id, category=category_name(t.category), place=place_part(t),
                handler=d.handler_name(t), community=community_label(grid), deadline=d.deadline_text(t)))
        else:
            lines.append(texts.SEVERAL_LINE_OPENED.format(
                ticket_id=t.id, category=category_name(t.category), place=place_part(t),
                handler=d.handler_name(t), deadline=d.deadline_text(t)))
    reply = texts.SEVERAL_OPENED.format(count=len(filed), lines="\n".join(lines))
    if advice:
        reply = "\n".join(texts.URGENT_HEAD.format(advice=a) for a in advice[:2]) + "\n" + reply
    if any(not f.joined and not f.ticket.place_text for f in filed):
        reply += "\n" + texts.ASK_PLACE
    return reply
