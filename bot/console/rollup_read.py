"""Reading the daily rollup for the dashboard: which days it may answer, and its sums.

Only whole past days that are rolled up and unchanged since (no TicketEvent newer than
their watermark) are read from ticket_daily_stats; every other day of the period is
computed live from the tickets, so the figures equal the live ones. The viewer's scope is
a clause on Ticket.grid_id / Ticket.department_id; it is re-pointed at the rollup's
columns of the same name, and a scope using any other ticket column disables the rollup.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import and_, false, func, or_, select, tuple_
from sqlalchemy.orm import Session
from sqlalchemy.sql import visitors
from sqlalchemy.sql.schema import Column

from bot.console.rollup import _hist_columns, _seconds, built_days, stale_days
from bot.console.stats import Durations, _is_pg, period_clause, today_in_china
from models import Ticket
from models.rollup import HIST_BOUNDS, RESOLVE_HIST, RESPONSE_HIST, TicketDailyStats as S

# The seven counts in Figures order.
FIGURE_COLUMNS = ("received", "responded", "rejected", "resolved", "resolved_on_time", "rated", "satisfied")
_MAPPED = {"grid_id": S.__table__.c.grid_id, "department_id": S.__table__.c.department_id}


@dataclass
class Plan:
    rollup_where: object   # clause on ticket_daily_stats: scope and the rolled-up days
    live_period: object    # period clause on Ticket for the days computed live
    has_live: bool
    rollup_days: int


def translate_scope(scope):
    """The scope clause on the rollup table, or None when it uses columns the rollup lacks."""
    for el in visitors.iterate(scope):
        if isinstance(el, Column) and el.table is Ticket.__table__ and el.name not in _MAPPED:
            return None

    def swap(el):
        if isinstance(el, Column) and el.table is Ticket.__table__:
            return _MAPPED[el.name]
        return None

    return visitors.replacement_traverse(scope, {}, swap)


def _ranges(days: list[date]) -> list[tuple[date, date]]:
    out: list[tuple[date, date]] = []
    for d in sorted(days):
        if out and out[-1][1] + timedelta(days=1) == d:
            out[-1] = (out[-1][0], d)
        else:
            out.append((d, d))
    return out


def plan(session: Session, scope, start: date, end: date, now: datetime) -> Plan | None:
    """None when the rollup cannot answer any day of the period (then everything is live)."""
    last_full = min(end, today_in_china(now) - timedelta(days=1))
    if last_full < start:
        return None
    rscope = translate_scope(scope)
    if rscope is None:
        return None
    usable = built_days(session, start, last_full)
    if usable:
        usable -= stale_days(session, start, last_full)
    if not usable:
        return None
    every = [start + timedelta(days=i) for i in range((end - start).days + 1)]
    live = _ranges([d for d in every if d not in usable])
    days = or_(*(S.day.between(a, b) for a, b in _ranges(sorted(usable))))
    return Plan(
        rollup_where=and_(rscope, days),
        live_period=or_(*(period_clause(a, b) for a, b in live)) if live else false(),
        has_live=bool(live), rollup_days=len(usable),
    )


def _bucket_of(day: date, grain: str) -> str:
    """The same text as stats.bucket() gives for a ticket created that day."""
    if grain == "week":
        day = day - timedelta(days=day.weekday())
    elif grain == "month":
        day = day.replace(day=1)
    return day.isoformat()


def _duration_sums():
    return [func.sum(S.responded), func.sum(S.response_seconds), func.sum(S.resolved), func.sum(S.resolve_seconds),
            *(func.sum(getattr(S, n)) for n in RESPONSE_HIST + RESOLVE_HIST)]


@dataclass
class Part:
    """The rolled-up share of a dashboard: breakdown rows and the duration sums/histograms."""
    rows: dict[str, list]
    duration_sums: list[float]


def breakdowns(session: Session, p: Plan, grain: str) -> Part:
    """Like stats._breakdowns, from the rollup rows: {name: [(seven counts, key)]}, plus the
    duration sums. Two scans, not one: the 26 duration sums inside the GROUPING SETS would be
    computed once per set (the aggregation, not the scan, is the cost: ~3× slower measured)."""
    sums = [func.sum(getattr(S, c)) for c in FIGURE_COLUMNS]
    keys = {"category": S.category, "grid": S.grid_id, "department": S.department_id, "bucket": S.day}
    out: dict[str, list] = {name: [] for name in keys}
    dur = _duration_sums()
    totals: list = [None] * len(dur)
    if _is_pg(session):
        flags = [func.grouping(col) for col in keys.values()]
        stmt = (select(*sums, *keys.values(), *flags).where(p.rollup_where)
                .group_by(func.grouping_sets(*(tuple_(col) for col in keys.values()))))
        for row in session.execute(stmt):
            for i, name in enumerate(keys):
                if row[11 + i] == 0:  # grouping() is 0 for the column this row is grouped by
                    out[name].append((row[:7], row[7 + i]))
    else:
        for name, col in keys.items():
            out[name] = [(r[:7], r[7]) for r in session.execute(select(*sums, col).where(p.rollup_where).group_by(col))]
    totals = list(session.execute(select(*dur).where(p.rollup_where)).one())
    by_bucket: dict[str, list[int]] = {}
    for counts, day in out["bucket"]:
        day = day if isinstance(day, date) else date.fromisoformat(str(day))
        acc = by_bucket.setdefault(_bucket_of(day, grain), [0] * 7)
        for i, v in enumerate(counts):
            acc[i] += int(v or 0)
    out["bucket"] = [(tuple(v), k) for k, v in by_bucket.items()]
    # A group of merged tickets only has a rollup row but no live group (merged ones are excluded).
    rows = {name: [(c, k) for c, k in group if int(c[0] or 0) > 0] for name, group in out.items()}
    return Part(rows, [float(v or 0) for v in totals])


def merge(a: dict[str, list], b: dict[str, list]) -> dict[str, list]:
    """Add two breakdowns key by key (a live part and a rolled-up part of one period)."""
    out: dict[str, list] = {}
    for name in a.keys() | b.keys():
        acc: dict[object, list[int]] = {}
        for counts, key in list(a.get(name, [])) + list(b.get(name, [])):
            cur = acc.setdefault(key, [0] * 7)
            for i, v in enumerate(counts[:7]):
                cur[i] += int(v or 0)
        out[name] = [(tuple(v), k) for k, v in acc.items()]
    return out


def hist_percentile(counts: list[int], q: float) -> float | None:
    """Approximate percentile from bucket counts: the rank's position, spread evenly in its bucket."""
    n = sum(counts)
    if not n:
        return None
    rank = (n - 1) * q
    seen = 0
    for i, c in enumerate(counts):
        if c and rank < seen + c:
            lower = HIST_BOUNDS[i - 1] if i > 0 else 0
            upper = HIST_BOUNDS[i] if i < len(HIST_BOUNDS) else 2 * HIST_BOUNDS[-1]
            return lower + (upper - lower) * (rank - seen + 0.5) / c
        seen += c
    return float(HIST_BOUNDS[-1])


def durations(session: Session, p: Plan, part: Part, scope, live_period) -> tuple[Durations, Durations]:
    """Average (exact: sums and counts) and P90 (approximate: histograms) of both durations."""
    total = list(part.duration_sums)
    if p.has_live:
        resp = _seconds(session, Ticket.first_response_at, Ticket.created_at)
        done = _seconds(session, Ticket.resolved_at, Ticket.created_at)
        has_resp, has_done = Ticket.first_response_at.is_not(None), Ticket.resolved_at.is_not(None)
        live = session.execute(select(
            func.count(Ticket.first_response_at), func.sum(resp), func.count(Ticket.resolved_at), func.sum(done),
            *_hist_columns(session, resp, has_resp, RESPONSE_HIST), *_hist_columns(session, done, has_done, RESOLVE_HIST),
        ).where(scope, live_period)).one()
        total = [t + float(v or 0) for t, v in zip(total, live, strict=True)]
    k = len(RESPONSE_HIST)
    resp_hist, done_hist = [int(v) for v in total[4:4 + k]], [int(v) for v in total[4 + k:]]

    def one(n: float, secs: float, hist: list[int]) -> Durations:
        if not n:
            return Durations(approx=True)
        return Durations(secs / n, hist_percentile(hist, 0.9), approx=True)

    return one(total[0], total[1], resp_hist), one(total[2], total[3], done_hist)
