"""What time causes: reminders, overdue escalation (逐级吹哨), unrated closing, digests.

Timers live in the database (deadline_at, reminded_at, rating_due_at), so they survive
restarts; every push has a dedup key, so two workers sweeping at once send nothing twice.
"""
from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

from sqlalchemy import ColumnElement, and_, bindparam, exists, func, select
from sqlalchemy.orm import Session

from handlers import texts
from handlers.settings import HandlerSettings
from handlers.deadlines import CHINA, format_deadline
from handlers.events import OutgoingMessage
from handlers.privacy import masked_excerpt
from handlers.tickets import TicketDesk
from models import Department, OrgUnit, RoleAssignment, Ticket
from models.state_machine import OPEN_STATES
from models.vocabulary import category_name

log = logging.getLogger(__name__)
BATCH = 200


def sweep_tickets(session: Session, settings: HandlerSettings, now, *, digest: bool = True) -> list[OutgoingMessage]:
    d = TicketDesk(session, settings, now)
    # One round trip says which of the three has work: most sweeps find none (the worker sweeps
    # every few seconds), and each locked batch query is a statement of its own.
    reminders, overdue, unrated = session.execute(DUE, _times(d)).one()
    if reminders:
        _remind(d)
    if overdue:
        _escalate_overdue(d)
    if unrated:
        _close_unrated(d)
    if digest:
        _digest(d)
    return d.outgoing


def _stamp(deadline: datetime) -> str:
    """A deadline in a dedup key, always in UTC: one read from the database is UTC, one set in this
    session (deadline_after) is China time, and the same deadline must give the same key."""
    return f"{deadline.astimezone(UTC):%Y%m%d%H%M}"


# What each part of the sweep looks for, written once and built once (the worker sweeps every few
# seconds; composing these costs about as much CPU as running them). Times are bound per sweep.
REMINDER_DUE = and_(Ticket.state.in_(OPEN_STATES), Ticket.reminded_at.is_(None),
                    Ticket.deadline_at <= bindparam("soon"), Ticket.deadline_at > bindparam("now"))
OVERDUE = and_(Ticket.state.in_(OPEN_STATES), Ticket.deadline_at <= bindparam("now"))
UNRATED = and_(Ticket.state == "resolved", Ticket.rating_due_at <= bindparam("now"))
DUE = select(exists().where(REMINDER_DUE), exists().where(OVERDUE), exists().where(UNRATED))


def _times(d: TicketDesk) -> dict[str, datetime]:
    return {"now": d.now, "soon": d.now + timedelta(minutes=d.settings.reminder_before_minutes)}


def _locked(d: TicketDesk, due: ColumnElement[bool]) -> list[Ticket]:
    # SKIP LOCKED: several workers share the sweep without waiting on each other.
    query = select(Ticket).where(due).with_for_update(skip_locked=True).limit(BATCH)
    return list(d.session.execute(query, _times(d)).scalars())


def _remind(d: TicketDesk) -> None:
    for t in _locked(d, REMINDER_DUE):
        t.reminded_at = d.now
        text = texts.REMINDER.format(ticket_id=t.id, category=category_name(t.category),
                                     deadline=format_deadline(t.deadline_at))
        key = f"t{t.id}:remind:{_stamp(t.deadline_at)}"
        if t.level == "grid":
            for role in d.session.execute(select(RoleAssignment).where(
                    RoleAssignment.org_unit_id == t.grid_id, RoleAssignment.role == "grid_leader")).scalars():
                d.push_to_person(role.person, text, key, t)
        else:
            d.tell_unit(t, text, key)


def _department_for(d: TicketDesk, category: str) -> Department | None:
    for dept in d.session.execute(select(Department).order_by(Department.id)).scalars():
        if category in dept.categories.split(","):
            return dept
    return None


def _escalate_overdue(d: TicketDesk) -> None:
    for t in _locked(d, OVERDUE):
        key = f"t{t.id}:overdue:{_stamp(t.deadline_at)}"
        t.missed_deadline_at = t.missed_deadline_at or t.deadline_at
        if d.escalate(t, None, "超期自动上报"):
            text = texts.AUTO_ESCALATED.format(ticket_id=t.id, unit=d.handler_name(t), deadline=format_deadline(t.deadline_at))
        elif t.level != "department" and (dept := _department_for(d, t.category)) is not None:
            d.dispatch(t, None, dept, "超期自动派单")
            text = texts.DISPATCHED.format(ticket_id=t.id, department=dept.name, deadline=format_deadline(t.deadline_at))
        else:
            # Nowhere higher to go: push the department again and give it another day.
            text = texts.OVERDUE_AT_TOP.format(ticket_id=t.id, department=d.handler_name(t))
            d._event(t, None, "overdue", t.state, t.state, "超期督办")
            t.deadline_at = d.deadline_after(24)
        d.tell_unit(t, text + f"\n问题：{masked_excerpt(t.description, 200)}", key)
        d.tell_watchers(t, text, key)


def _close_unrated(d: TicketDesk) -> None:
    for t in _locked(d, UNRATED):
        d.move(t, "close", None, "未评价，自动关闭")
        d.tell_watchers(t, texts.CLOSED_UNRATED.format(ticket_id=t.id), f"t{t.id}:close-unrated")


def _digest(d: TicketDesk) -> None:
    """Once a day after DIGEST_HOUR (China time), each grid leader gets the grid's figures."""
    local = d.now.astimezone(CHINA)
    if local.hour < d.settings.digest_hour:
        return
    day = local.strftime("%Y-%m-%d")
    start = local.replace(hour=0, minute=0, second=0, microsecond=0)
    yesterday = (start - timedelta(days=1), start)
    leaders = d.session.execute(select(RoleAssignment).where(RoleAssignment.role == "grid_leader")).scalars().all()
    for role in leaders:
        grid = d.session.get(OrgUnit, role.org_unit_id)
        if grid is None:
            continue

        def count(*conds, grid_id=grid.id):
            return d.session.execute(select(func.count(Ticket.id)).where(Ticket.grid_id == grid_id, *conds)).scalar()

        text = texts.DIGEST.format(
            date=day, grid=grid.name,
            open=count(Ticket.state.in_(OPEN_STATES)),
            overdue=count(Ticket.state.in_(OPEN_STATES), Ticket.deadline_at < d.now),
            new=count(Ticket.created_at >= yesterday[0], Ticket.created_at < yesterday[1]),
            resolved=count(Ticket.resolved_at >= yesterday[0], Ticket.resolved_at < yesterday[1]),
        )
        d.push_to_person(role.person, text, f"digest:{day}:grid{grid.id}")
