"""Keeps ticket_rollup up to date: whole past days (and whole past months), recomputed when
their tickets change.

Why: the dashboard over a year scanned ~a million tickets on every cold load (4–6 s), and a
rollup keyed by (day, grid, category, department) barely compressed them (~900,000 rows).
ticket_rollup stores every grouping of (grid, department, category) per day and per month
(models/rollup.py), so a district-wide year reads a few thousand rows.

Building is set-based: one INSERT … SELECT … GROUP BY over the tickets of a whole range of
days (the full grouping), then each coarser grouping from those rows, then the month rows
from the day rows — a handful of statements for a year, not one query per day.

A range is rebuilt as a whole (delete + insert inside the caller's transaction), so a
rebuild is idempotent. Staleness is tracked with TicketEvent ids (every ticket change writes
one): a day is stale when an event newer than its watermark belongs to one of its tickets.
The dashboard computes stale days live (and does not use their month's rows), so figures are
never older than the data.

    flask --app 'bot.app:create_app()' rollup-rebuild [--days 400]
"""
from __future__ import annotations

import calendar
import logging
from collections.abc import Iterable
from datetime import date, datetime, timedelta

import click
import redis
from flask import Flask
from sqlalchemy import Date, Integer, String, and_, case, cast, delete, func, insert, literal, literal_column, null, \
    select, text, update
from sqlalchemy.orm import Session

from bot.console.measures import GOOD_RATINGS, bucket, day_ranges, hist_columns, is_pg, seconds_between, \
    today_in_china
from bot.console.queries import local_day_start
from bot.runtime.services import services
from models import Ticket, TicketEvent
from models.rollup import (
    GRAIN_DAY,
    GRAIN_MONTH,
    KIND_ALL,
    KIND_CATEGORY,
    KIND_DEPT,
    KIND_GRID,
    MEASURE_COLUMNS,
    RESOLVE_HIST,
    RESPONSE_HIST,
    TicketRollup as R,
    TicketRollupDay,
)

log = logging.getLogger(__name__)

REFRESH_EVERY_SECONDS = 300
# Re-read a few events below the watermark: an event whose id was taken before the newest
# one but committed after the last refresh must still mark its day stale.
EVENT_OVERLAP = 500
_KEYS = ("kind", "grain", "period", "grid_id", "department_id", "category")


def _local_day(session: Session):
    """The China-time calendar day of Ticket.created_at (literals only: GROUP BY must match SELECT)."""
    if is_pg(session):
        return cast(func.timezone(literal_column("'Asia/Shanghai'"), Ticket.created_at), Date)
    return func.date(Ticket.created_at, literal_column("'+8 hours'"))


def _measures(session: Session) -> list:
    """Every rollup measure of a group of tickets, labelled like the columns (MEASURE_COLUMNS order)."""
    live = Ticket.state != "merged"

    def n(cond):
        return func.coalesce(func.sum(case((cond, 1), else_=0)), 0)

    resp = seconds_between(session, Ticket.first_response_at, Ticket.created_at)
    done = seconds_between(session, Ticket.resolved_at, Ticket.created_at)
    has_resp = and_(live, Ticket.first_response_at.is_not(None))
    has_done = and_(live, Ticket.resolved_at.is_not(None))
    return [
        n(live).label("received"),
        n(and_(live, Ticket.accepted_at.is_not(None))).label("accepted"),
        n(has_resp).label("responded"),
        n(has_done).label("resolved"),
        n(and_(live, Ticket.on_time.is_(True))).label("resolved_on_time"),
        n(and_(live, Ticket.state == "rejected")).label("rejected"),
        n(Ticket.state == "merged").label("merged"),
        n(and_(live, Ticket.satisfaction.is_not(None))).label("rated"),
        n(and_(live, Ticket.satisfaction.in_(GOOD_RATINGS))).label("satisfied"),
        func.coalesce(func.sum(case((has_resp, resp), else_=0.0)), 0.0).label("response_seconds"),
        func.coalesce(func.sum(case((has_done, done), else_=0.0)), 0.0).label("resolve_seconds"),
        *hist_columns(resp, has_resp, RESPONSE_HIST),
        *hist_columns(done, has_done, RESOLVE_HIST),
    ]


def _summed(kind_expr, grain_expr, period_expr, dims: dict) -> list:
    """SELECT list for a coarser grouping of rollup rows: keys, then every measure summed."""
    nulls = {"grid_id": cast(null(), Integer), "department_id": cast(null(), Integer), "category": cast(null(), String)}
    return [kind_expr, grain_expr, period_expr, *(dims.get(k, nulls[k]) for k in ("grid_id", "department_id", "category")),
            *(func.sum(getattr(R, c)) for c in MEASURE_COLUMNS)]


def _build_days(session: Session, lo: date, hi: date) -> int:
    """Day rows of lo..hi (inclusive), every kind, from the tickets (their old rows already deleted)."""
    day = _local_day(session)
    base = (select(literal_column(str(KIND_ALL)), literal_column(f"'{GRAIN_DAY}'"), day, Ticket.grid_id,
                   Ticket.department_id, Ticket.category, *_measures(session))
            .where(Ticket.created_at >= local_day_start(lo), Ticket.created_at < local_day_start(hi + timedelta(days=1)))
            .group_by(day, Ticket.grid_id, Ticket.department_id, Ticket.category))
    written = session.execute(insert(R).from_select(_KEYS + MEASURE_COLUMNS, base)).rowcount or 0
    in_range = and_(R.kind == KIND_ALL, R.grain == GRAIN_DAY, R.period >= lo, R.period <= hi)
    dims_of = {KIND_GRID: ("grid_id", R.grid_id), KIND_DEPT: ("department_id", R.department_id),
               KIND_CATEGORY: ("category", R.category)}
    if is_pg(session):
        # One pass over the full grouping for the seven coarser ones; grouping() has a bit set
        # for each column a row is NOT grouped by (category the high bit, grid the low one).
        kind = literal_column(str(KIND_ALL)) - func.grouping(R.category, R.department_id, R.grid_id)
        sets = ", ".join("(" + ", ".join(col for bit, (col, _) in dims_of.items() if k & bit) + ")"
                         for k in range(KIND_ALL))
        stmt = (select(kind, R.grain, R.period, R.grid_id, R.department_id, R.category,
                       *(func.sum(getattr(R, c)) for c in MEASURE_COLUMNS))
                .where(in_range).group_by(R.grain, R.period, text(f"GROUPING SETS ({sets})")))
        written += session.execute(insert(R).from_select(_KEYS + MEASURE_COLUMNS, stmt)).rowcount or 0
    else:
        for k in range(KIND_ALL):
            dims = {name: col for bit, (name, col) in dims_of.items() if k & bit}
            stmt = (select(*_summed(literal_column(str(k)), R.grain, R.period, dims)).where(in_range)
                    .group_by(R.grain, R.period, *dims.values()))
            written += session.execute(insert(R).from_select(_KEYS + MEASURE_COLUMNS, stmt)).rowcount or 0
    # The full grouping is only ever read for tickets sent to a department (G ∧ P scopes).
    written -= session.execute(delete(R).where(in_range, R.department_id.is_(None))).rowcount or 0
    return written


def _month_bounds(first: date) -> tuple[date, date]:
    return first, first.replace(day=calendar.monthrange(first.year, first.month)[1])


def _rebuild_months(session: Session, months: Iterable[date]) -> int:
    """Month rows (sums of the day rows) for each month whose every day is rolled up; a month
    missing a day has no month rows (the dashboard then reads its day rows)."""
    written = 0
    for first in sorted(set(months)):
        lo, hi = _month_bounds(first)
        session.execute(delete(R).where(R.grain == GRAIN_MONTH, R.period == first))
        built = session.execute(select(func.count()).select_from(TicketRollupDay)
                                .where(TicketRollupDay.day >= lo, TicketRollupDay.day <= hi)).scalar()
        if built != (hi - lo).days + 1:
            continue
        dims = {"grid_id": R.grid_id, "department_id": R.department_id, "category": R.category}
        stmt = (select(*_summed(R.kind, literal(GRAIN_MONTH, String), literal(first, Date), dims))
                .where(R.grain == GRAIN_DAY, R.period >= lo, R.period <= hi)
                .group_by(R.kind, R.grid_id, R.department_id, R.category))
        written += session.execute(insert(R).from_select(_KEYS + MEASURE_COLUMNS, stmt)).rowcount or 0
    return written


def newest_event_id(session: Session) -> int:
    return int(session.execute(select(func.max(TicketEvent.id))).scalar() or 0)


def rebuild_days(session: Session, days: Iterable[date], now: datetime, watermark: int | None = None) -> int:
    """Recompute the rollup rows of these days and of their months (no commit); returns rows written.

    The watermark is read before the tickets, so a change racing the rebuild leaves a newer
    event behind and the day is found stale (and recomputed) next time — never silently wrong.
    """
    watermark = newest_event_id(session) if watermark is None else watermark
    days = sorted(set(days))
    if not days:
        return 0
    if is_pg(session):
        # Grouping a year of tickets by (day, grid, department, category) hashes ~a million
        # groups: more memory than the default 4 MB keeps it off the disk.
        session.execute(text("SET LOCAL work_mem = '64MB'"))
    written = 0
    for lo, hi in day_ranges(days):
        session.execute(delete(R).where(R.grain == GRAIN_DAY, R.period >= lo, R.period <= hi))
        session.execute(delete(TicketRollupDay).where(TicketRollupDay.day >= lo, TicketRollupDay.day <= hi))
        written += _build_days(session, lo, hi)
        session.execute(insert(TicketRollupDay), [{"day": lo + timedelta(days=i), "built_at": now,
                                                   "event_watermark": watermark} for i in range((hi - lo).days + 1)])
    written += _rebuild_months(session, {d.replace(day=1) for d in days})
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

    Cheap: a handful of days (and their months, from day rows) a time. Days older than
    days_back that were never rolled up stay live until `rollup-rebuild` backfills them.
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
    """Backfill: the last `days` whole days (today stays live) in one transaction; commits."""
    today = today_in_china(now)
    written = rebuild_days(session, [today - timedelta(days=i) for i in range(days, 0, -1)], now)
    session.commit()
    return written


def register(app: Flask) -> None:
    @app.cli.command("rollup-rebuild")
    @click.option("--days", default=400, show_default=True, help="whole past days to recompute")
    def rollup_rebuild_command(days: int) -> None:
        """Recompute the dashboard's rollup (backfill after deploy or a data fix)."""
        svc = services()
        with svc.db.session() as session:
            rows = rebuild(session, svc.clock.now(), days)
        click.echo(f"rollup rebuilt: {days} days, {rows} rows")
