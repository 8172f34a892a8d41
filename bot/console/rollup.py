"""Keeps ticket_daily_stats up to date: whole past days, recomputed when their tickets change.

Why: the dashboard over a year scanned ~a million tickets on every cold load (4–6 s).
With the rollup a year is ~365 × (grids × categories) small rows, and only today (plus
any day changed since the last refresh, or never rolled up) is computed from tickets.

A day is rebuilt as a whole (delete + insert inside the caller's transaction), so a
rebuild is idempotent. Staleness is tracked with TicketEvent ids (every ticket change
writes one): a day is stale when an event newer than its watermark belongs to one of its
tickets. The dashboard computes stale days live, so figures are never older than the data.

    flask --app 'bot.app:create_app()' rollup-rebuild [--days 400]
"""
from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import date, datetime, timedelta

import click
import redis
from flask import Flask
from sqlalchemy import and_, case, delete, func, insert, select, update
from sqlalchemy.orm import Session

from bot.console.queries import local_day_start
from bot.console.stats import GOOD_RATINGS, _seconds, bucket, today_in_china
from models import Ticket, TicketEvent
from models.rollup import HIST_BOUNDS, RESOLVE_HIST, RESPONSE_HIST, TicketDailyStats, TicketRollupDay

log = logging.getLogger(__name__)

REFRESH_EVERY_SECONDS = 300
# Re-read a few events below the watermark: an event whose id was taken before the newest
# one but committed after the last refresh must still mark its day stale.
EVENT_OVERLAP = 500


def _hist_columns(session: Session, secs, present, names: tuple[str, ...]) -> list:
    out = []
    lower = None
    for i, name in enumerate(names):
        upper = HIST_BOUNDS[i] if i < len(HIST_BOUNDS) else None
        cond = [present]
        if lower is not None:
            cond.append(secs >= lower)
        if upper is not None:
            cond.append(secs < upper)
        out.append(func.coalesce(func.sum(case((and_(*cond), 1), else_=0)), 0).label(name))
        lower = upper
    return out


def _day_select(session: Session, day: date):
    """One day's tickets grouped by (grid, category, department), with every rollup column."""
    live = Ticket.state != "merged"

    def n(cond):
        return func.coalesce(func.sum(case((cond, 1), else_=0)), 0)

    resp = _seconds(session, Ticket.first_response_at, Ticket.created_at)
    done = _seconds(session, Ticket.resolved_at, Ticket.created_at)
    has_resp = and_(live, Ticket.first_response_at.is_not(None))
    has_done = and_(live, Ticket.resolved_at.is_not(None))
    cols = [
        Ticket.grid_id.label("grid_id"), Ticket.category.label("category"),
        Ticket.department_id.label("department_id"),
        n(live).label("received"),
        n(and_(live, Ticket.accepted_at.is_not(None))).label("accepted"),
        n(has_resp).label("responded"),
        n(has_done).label("resolved"),
        n(and_(live, Ticket.on_time.is_(True))).label("resolved_on_time"),
        n(and_(live, Ticket.state == "rejected")).label("rejected"),
        n(Ticket.state == "merged").label("merged"),
        n(and_(live, Ticket.satisfaction.is_not(None))).label("rated"),
        n(and_(live, Ticket.satisfaction.in_(GOOD_RATINGS))).label("satisfied"),
        func.coalesce(func.sum(case((has_resp, resp), else_=0)), 0).label("response_seconds"),
        func.coalesce(func.sum(case((has_done, done), else_=0)), 0).label("resolve_seconds"),
        *_hist_columns(session, resp, has_resp, RESPONSE_HIST),
        *_hist_columns(session, done, has_done, RESOLVE_HIST),
    ]
    return (select(*cols)
            .where(Ticket.created_at >= local_day_start(day), Ticket.created_at < local_day_start(day + timedelta(days=1)))
            .group_by(Ticket.grid_id, Ticket.category, Ticket.department_id))


def newest_event_id(session: Session) -> int:
    return int(session.execute(select(func.max(TicketEvent.id))).scalar() or 0)


def rebuild_days(session: Session, days: Iterable[date], now: datetime, watermark: int | None = None) -> int:
    """Recompute the rollup rows of these days (delete + insert, no commit); returns rows written.

    The watermark is read before the tickets, so a change racing the rebuild leaves a newer
    event behind and the day is found stale (and recomputed) next time — never silently wrong.
    """
    watermark = newest_event_id(session) if watermark is None else watermark
    written = 0
    for day in sorted(set(days)):
        session.execute(delete(TicketDailyStats).where(TicketDailyStats.day == day))
        session.execute(delete(TicketRollupDay).where(TicketRollupDay.day == day))
        rows = [dict(r._mapping, day=day) for r in session.execute(_day_select(session, day))]
        for r in rows:
            r["response_seconds"] = float(r["response_seconds"] or 0)
            r["resolve_seconds"] = float(r["resolve_seconds"] or 0)
        if rows:
            session.execute(insert(TicketDailyStats), rows)
        session.execute(insert(TicketRollupDay), [{"day": day, "built_at": now, "event_watermark": watermark}])
        written += len(rows)
    return written


def stale_days(session: Session, start: date | None = None, end: date | None = None, overlap: int = 0) -> set[date]:
    """Rolled-up days (within start..end if given) that a ticket change since their build touched."""
    q = select(func.min(TicketRollupDay.event_watermark), func.count())
    if start is not None:
        q = q.where(TicketRollupDay.day >= start, TicketRollupDay.day <= end)
    low, n = session.execute(q).one()
    if not n:
        return set()
    day_col = bucket(session, "day")
    stmt = (select(day_col, func.max(TicketEvent.id)).join(Ticket, Ticket.id == TicketEvent.ticket_id)
            .where(TicketEvent.id > max(int(low or 0) - overlap, 0)).group_by(day_col))
    if start is not None:
        stmt = stmt.where(Ticket.created_at >= local_day_start(start),
                          Ticket.created_at < local_day_start(end + timedelta(days=1)))
    touched = {date.fromisoformat(str(d)): int(m) for d, m in session.execute(stmt)}
    if not touched:
        return set()
    marks = dict(session.execute(select(TicketRollupDay.day, TicketRollupDay.event_watermark)
                                 .where(TicketRollupDay.day.in_(sorted(touched)))).all())
    return {d for d, newest in touched.items() if d in marks and newest > marks[d] - overlap}


def built_days(session: Session, start: date, end: date) -> set[date]:
    return set(session.execute(select(TicketRollupDay.day)
                               .where(TicketRollupDay.day >= start, TicketRollupDay.day <= end)).scalars())


def refresh_rollup(session: Session, now: datetime, days_back: int = 2) -> int:
    """Rebuild the last `days_back` whole days and every rolled-up day changed since; commits.

    Cheap: a handful of days a time. Days older than days_back that were never rolled up
    stay live until `rollup-rebuild` backfills them.
    """
    today = today_in_china(now)
    watermark = newest_event_id(session)
    days = {today - timedelta(days=i) for i in range(1, days_back + 1)}
    days |= {d for d in stale_days(session, overlap=EVENT_OVERLAP) if d < today}
    written = rebuild_days(session, days, now, watermark)
    # Every other rolled-up day was checked against the events up to the watermark: move it
    # along, so the next check (here and on the dashboard) reads only newer events.
    session.execute(update(TicketRollupDay).where(TicketRollupDay.event_watermark < watermark)
                    .values(event_watermark=watermark))
    session.commit()
    log.info("rollup refreshed: %d days, %d rows", len(days), written)
    return len(days)


def rollup_due(redis_client, now: datetime) -> bool:
    """At most one refresh per REFRESH_EVERY_SECONDS across processes (like the digest check)."""
    slot = int(now.timestamp()) // REFRESH_EVERY_SECONDS
    try:
        return bool(redis_client.set(f"gridwhistle:rollup-refresh:{slot}", 1, nx=True, ex=2 * REFRESH_EVERY_SECONDS))
    except redis.RedisError:
        return False


def rebuild(session: Session, now: datetime, days: int) -> int:
    """Backfill: the last `days` whole days (today stays live); commits once per 31 days."""
    today = today_in_china(now)
    all_days = [today - timedelta(days=i) for i in range(days, 0, -1)]
    written = 0
    for i in range(0, len(all_days), 31):
        written += rebuild_days(session, all_days[i:i + 31], now)
        session.commit()
    return written


def register(app: Flask) -> None:
    @app.cli.command("rollup-rebuild")
    @click.option("--days", default=400, show_default=True, help="whole past days to recompute")
    def rollup_rebuild_command(days: int) -> None:
        """Recompute the dashboard's daily rollup (backfill after deploy or a data fix)."""
        from bot.services import services

        svc = services()
        with svc.db.session() as session:
            rows = rebuild(session, svc.clock.now(), days)
        click.echo(f"rollup rebuilt: {days} days, {rows} rows")
