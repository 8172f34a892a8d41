"""Reading ticket_rollup for the dashboard and the rankings: which days it may answer, and its sums.

Only whole past days that are rolled up and unchanged since (no TicketEvent newer than
their watermark) are read from the rollup; every other day of the period is computed live
from the tickets, so the figures equal the live ones. A calendar month that lies inside the
period with every day usable is read from its month rows (one row per key instead of ~30).

The viewer's scope must be "everything", "grid in G", "department in P" or "grid in G or
department in P" (what Viewer.ticket_clause() builds). Each breakdown then reads the grouping
made of the scope's columns plus the breakdown's own; "G or P" is G + P − (G and P), all
three exact sums. A scope on any other ticket column disables the rollup.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import and_, false, func, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.sql import operators
from sqlalchemy.sql.elements import BinaryExpression, BindParameter, BooleanClauseList, Grouping, True_
from sqlalchemy.sql.schema import Column

from bot.console.measures import Durations, day_ranges, hist_columns, period_clause, seconds_between, today_in_china
from bot.console.rollup import built_days, stale_days
from models import Ticket
from models.rollup import (
    GRAIN_DAY,
    GRAIN_MONTH,
    HIST_BOUNDS,
    KIND_CATEGORY,
    KIND_DEPT,
    KIND_GRID,
    RESOLVE_HIST,
    RESPONSE_HIST,
    TicketRollup as R,
)

# The seven counts in Figures order.
FIGURE_COLUMNS = ("received", "responded", "rejected", "resolved", "resolved_on_time", "rated", "satisfied")
DURATION_COLUMNS = ("responded", "response_seconds", "resolved", "resolve_seconds") + RESPONSE_HIST + RESOLVE_HIST
# Breakdown name → (its bit in the kind, the rollup column it is keyed by).
BREAKDOWNS = {"category": (KIND_CATEGORY, R.category), "grid": (KIND_GRID, R.grid_id),
              "department": (KIND_DEPT, R.department_id)}


@dataclass(frozen=True)
class Term:
    """sign × (the tickets with grid in grids and department in departments; None = any)."""
    sign: int
    grids: tuple[int, ...] | None = None
    departments: tuple[int, ...] | None = None

    @property
    def kind(self) -> int:
        return (KIND_GRID if self.grids is not None else 0) | (KIND_DEPT if self.departments is not None else 0)

    def where(self):
        conds = []
        if self.grids is not None:
            conds.append(R.grid_id.in_(self.grids))
        if self.departments is not None:
            conds.append(R.department_id.in_(self.departments))
        return and_(*conds) if conds else None


def _in_values(el) -> tuple[str, tuple[int, ...]] | None:
    """('grid_id', ids) for `Ticket.grid_id IN (…)` / `== id` (likewise department_id), else None."""
    while isinstance(el, Grouping):
        el = el.element
    if not isinstance(el, BinaryExpression) or not isinstance(el.right, BindParameter):
        return None
    col = el.left
    if not (isinstance(col, Column) and col.table is Ticket.__table__ and col.name in ("grid_id", "department_id")):
        return None
    value = el.right.effective_value
    if el.operator is operators.in_op and isinstance(value, list | tuple):
        return col.name, tuple(sorted({int(v) for v in value}))
    if el.operator is operators.eq and isinstance(value, int):
        return col.name, (value,)
    return None


def scope_terms(scope) -> list[Term] | None:
    """The scope as signed terms the rollup can sum, or None when it cannot express it."""
    if isinstance(scope, True_):
        return [Term(1)]
    parts = [scope]
    if isinstance(scope, BooleanClauseList) and scope.operator is operators.or_:
        parts = list(scope.clauses)
    found: dict[str, tuple[int, ...]] = {}
    for part in parts:
        got = _in_values(part)
        if got is None or got[0] in found:
            return None
        found[got[0]] = got[1]
    grids, depts = found.get("grid_id"), found.get("department_id")
    if grids is not None and depts is not None:
        return [Term(1, grids=grids), Term(1, departments=depts), Term(-1, grids=grids, departments=depts)]
    return [Term(1, grids=grids, departments=depts)]


@dataclass
class Plan:
    terms: list[Term]
    months: list[date]                    # first days of whole months read from month rows
    day_ranges: list[tuple[date, date]]   # the other usable days, read from day rows
    usable_ranges: list[tuple[date, date]]  # every usable day (day-grain trends read day rows)
    live_period: object                   # period clause on Ticket for the days computed live
    has_live: bool
    rollup_days: int

    def rows_where(self, by_day: bool = False):
        """Rollup rows covering the usable days: month rows where possible, unless by_day."""
        ranges = self.usable_ranges if by_day else self.day_ranges
        parts = []
        if ranges:
            parts.append(and_(R.grain == GRAIN_DAY, or_(*(R.period.between(a, b) for a, b in ranges))))
        if self.months and not by_day:
            parts.append(and_(R.grain == GRAIN_MONTH, R.period.in_(self.months)))
        return or_(*parts) if parts else false()


def _whole_months(start: date, end: date, usable: set[date]) -> list[date]:
    out = []
    first = start.replace(day=1)
    while first <= end:
        nxt = (first.replace(day=28) + timedelta(days=4)).replace(day=1)
        last = nxt - timedelta(days=1)
        if first >= start and last <= end and all(first + timedelta(days=i) in usable for i in range(last.day)):
            out.append(first)
        first = nxt
    return out


def plan(session: Session, scope, start: date, end: date, now: datetime) -> Plan | None:
    """None when the rollup cannot answer any day of the period (then everything is live)."""
    last_full = min(end, today_in_china(now) - timedelta(days=1))
    if last_full < start:
        return None
    terms = scope_terms(scope)
    if terms is None:
        return None
    usable = built_days(session, start, last_full)
    if usable:
        usable -= stale_days(session, start, last_full)
    if not usable:
        return None
    months = _whole_months(start, end, usable)
    in_months = {m + timedelta(days=i) for m in months
                 for i in range(((m.replace(day=28) + timedelta(days=4)).replace(day=1) - m).days)}
    every = [start + timedelta(days=i) for i in range((end - start).days + 1)]
    live = day_ranges(d for d in every if d not in usable)
    return Plan(
        terms=terms, months=months, day_ranges=day_ranges(usable - in_months), usable_ranges=day_ranges(usable),
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


def _add(acc: dict, key, values, sign: int) -> None:
    cur = acc.get(key)
    if cur is None:
        cur = acc[key] = [0] * len(values)
    for i, v in enumerate(values):
        cur[i] += sign * (v or 0)


def _read(session: Session, kind: int, where, key, extra: tuple[str, ...] = ()) -> list:
    cols = [func.sum(getattr(R, c)) for c in FIGURE_COLUMNS + extra]
    stmt = select(key, *cols).where(R.kind == kind, where).group_by(key)
    return session.execute(stmt).all()


def _keyed(session: Session, p: Plan, names: tuple[str, ...]) -> dict[str, dict]:
    """{breakdown: {key: seven counts}} over the rolled-up days, the terms' signs applied."""
    out: dict[str, dict] = {name: {} for name in names}
    for term in p.terms:
        where = and_(p.rows_where(), *([term.where()] if term.where() is not None else []))
        for name in names:
            bit, col = BREAKDOWNS[name]
            for row in _read(session, term.kind | bit, where, col):
                _add(out[name], row[0], row[1:], term.sign)
    return out


@dataclass
class Part:
    """The rolled-up share of a dashboard: breakdown rows and the duration sums/histograms."""
    rows: dict[str, list]
    duration_sums: list[float]


def _nonzero(acc: dict) -> list:
    # A group of merged tickets only has rollup rows but no live group (merged ones are excluded).
    return [(tuple(int(v) for v in counts), key) for key, counts in acc.items() if int(counts[0]) > 0]


def breakdowns(session: Session, p: Plan, grain: str) -> Part:
    """Like stats._breakdowns, from the rollup: {name: [(seven counts, key)]}, plus the duration
    sums. One small grouped read per breakdown and scope term (a few thousand rows for a year)."""
    keyed = _keyed(session, p, ("category", "grid", "department"))
    buckets: dict[str, list] = {}
    durations = [0.0] * len(DURATION_COLUMNS)
    for term in p.terms:
        scope = [term.where()] if term.where() is not None else []
        for row in _read(session, term.kind, and_(p.rows_where(by_day=grain != "month"), *scope), R.period):
            day = row[0] if isinstance(row[0], date) else date.fromisoformat(str(row[0]))
            _add(buckets, _bucket_of(day, grain), row[1:], term.sign)
        # The duration sums once for the period (not per trend bucket: 26 columns × 365 days).
        sums = session.execute(select(*(func.sum(getattr(R, c)) for c in DURATION_COLUMNS))
                               .where(R.kind == term.kind, p.rows_where(), *scope)).one()
        for i, v in enumerate(sums):
            durations[i] += term.sign * float(v or 0)
    rows = {name: _nonzero(acc) for name, acc in keyed.items()}
    rows["bucket"] = _nonzero(buckets)
    return Part(rows, durations)


def by_key(session: Session, p: Plan, name: str) -> list:
    """One breakdown ("grid" or "department") over the rolled-up days: [(seven counts, key)]."""
    return _nonzero(_keyed(session, p, (name,))[name])


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
        resp = seconds_between(session, Ticket.first_response_at, Ticket.created_at)
        done = seconds_between(session, Ticket.resolved_at, Ticket.created_at)
        has_resp, has_done = Ticket.first_response_at.is_not(None), Ticket.resolved_at.is_not(None)
        live = session.execute(select(
            func.count(Ticket.first_response_at), func.sum(resp), func.count(Ticket.resolved_at), func.sum(done),
            *hist_columns(resp, has_resp, RESPONSE_HIST), *hist_columns(done, has_done, RESOLVE_HIST),
        ).where(scope, live_period)).one()
        total = [t + float(v or 0) for t, v in zip(total, live, strict=True)]
    k = len(RESPONSE_HIST)
    resp_hist, done_hist = [int(round(v)) for v in total[4:4 + k]], [int(round(v)) for v in total[4 + k:]]

    def one(n: float, secs: float, hist: list[int]) -> Durations:
        if not round(n):
            return Durations(approx=True)
        return Durations(secs / n, hist_percentile(hist, 0.9), approx=True)

    return one(total[0], total[1], resp_hist), one(total[2], total[3], done_hist)
