"""The figures: received, responded, resolved; the three rates; response and resolve times.

Definitions (shown on the dashboard too, so nobody argues about them later):
- 收到 received: tickets created in the period, merged duplicates excluded.
- 受理 responded: of those, tickets some staff member acted on (first_response_at set).
- 办结 resolved: of those, tickets with a resolution (resolved_at set, kept after rating).
- 办结率 = resolved / (received − rejected)  (a rejected report is not work left undone).
- 按期办结率 = resolved on time / resolved; a ticket that ever missed a deadline (the sweep whistled
  it up, missed_deadline_at) is not on time, even if the next level resolved it within its own.
- 满意率 = (满意 + 基本满意) / rated.
- 响应时长 = first_response_at − created_at; 办结时长 = resolved_at − created_at (avg, p90).
Everything is aggregated in SQL (counts with CASE; percentiles with percentile_cont on
PostgreSQL), so the dashboard stays fast on millions of rows. Whole past days (and months) come
from the rollup when it has them (bot/console/rollup.py writes it, rollup_read.py reads it):
the counts and averages are identical, the P90 is then approximate (a fixed histogram, "约").
"""
from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass, field, fields
from datetime import date, datetime, timedelta

from sqlalchemy import Float, and_, case, cast, func, select, text, tuple_
from sqlalchemy.orm import Session, aliased

from bot.console import rollup_read
from bot.console.measures import GOOD_RATINGS, Durations, bucket, is_pg, period_clause, seconds_between
from models import Department, OrgUnit, Ticket, TicketEvent
from models.state_machine import OPEN_STATES

log = logging.getLogger(__name__)


def _count_if(cond):
    return func.sum(case((cond, 1), else_=0))


def _aggregates():
    return (
        func.count(Ticket.id).label("received"),
        func.count(Ticket.first_response_at).label("responded"),
        _count_if(Ticket.state == "rejected").label("rejected"),
        func.count(Ticket.resolved_at).label("resolved"),
        _count_if(Ticket.on_time.is_(True)).label("on_time"),
        func.count(Ticket.satisfaction).label("rated"),
        _count_if(Ticket.satisfaction.in_(GOOD_RATINGS)).label("satisfied"),
    )


@dataclass
class Figures:
    received: int = 0
    responded: int = 0
    rejected: int = 0
    resolved: int = 0
    on_time: int = 0
    rated: int = 0
    satisfied: int = 0
    label: str = ""
    key: object = None

    @staticmethod
    def _rate(num: int, den: int) -> float | None:
        return num / den if den else None

    @property
    def completion_rate(self) -> float | None:
        return self._rate(self.resolved, self.received - self.rejected)

    @property
    def on_time_rate(self) -> float | None:
        return self._rate(self.on_time, self.resolved)

    @property
    def satisfaction_rate(self) -> float | None:
        return self._rate(self.satisfied, self.rated)

    @property
    def score(self) -> float:
        """Ranking score: 40% 办结率, 30% 按期办结率, 30% 满意率 (a missing rate counts as 0)."""
        return 0.4 * (self.completion_rate or 0) + 0.3 * (self.on_time_rate or 0) + 0.3 * (self.satisfaction_rate or 0)

    @classmethod
    def from_row(cls, row, label: str = "", key=None) -> Figures:
        return cls(*(int(v or 0) for v in row[:7]), label=label, key=key)


@dataclass
class Dashboard:
    totals: Figures
    open_now: int
    overdue_now: int
    response: Durations
    resolve: Durations
    by_category: list[Figures] = field(default_factory=list)
    by_grid: list[Figures] = field(default_factory=list)
    by_community: list[Figures] = field(default_factory=list)
    by_department: list[Figures] = field(default_factory=list)
    trend: list[Figures] = field(default_factory=list)


# Dashboard's list fields, for its JSON form (to_json / from_json).
FIGURE_LISTS = ("by_category", "by_grid", "by_community", "by_department", "trend")


def durations(session: Session, scope, period, later, earlier) -> Durations:
    secs = seconds_between(session, later, earlier)
    where = and_(scope, period, later.is_not(None))
    if session.get_bind().dialect.name == "postgresql":
        avg, p90 = session.execute(
            select(func.avg(secs), func.percentile_cont(0.9).within_group(secs)).where(where)
        ).one()
        return Durations(float(avg) if avg is not None else None, float(p90) if p90 is not None else None)
    values = sorted(float(v) for v in session.execute(select(cast(secs, Float)).where(where)).scalars() if v is not None)
    if not values:
        return Durations()
    return Durations(sum(values) / len(values), _percentile(values, 0.9))


def _percentile(sorted_values: list[float], q: float) -> float:
    """Linear interpolation, the same as PostgreSQL's percentile_cont."""
    pos = (len(sorted_values) - 1) * q
    lo = int(pos)
    hi = min(lo + 1, len(sorted_values) - 1)
    return sorted_values[lo] + (sorted_values[hi] - sorted_values[lo]) * (pos - lo)


def grouped(session: Session, where, key, label_of) -> list[Figures]:
    rows = session.execute(select(*_aggregates(), key).where(where).group_by(key)).all()
    out = [Figures.from_row(r, label_of(r[7]), r[7]) for r in rows]
    return sorted(out, key=lambda f: (-f.received, str(f.label)))


def totals(session: Session, where) -> Figures:
    return Figures.from_row(session.execute(select(*_aggregates()).where(where)).one())


def _breakdowns(session: Session, where, grain: str) -> dict[str, list]:
    """Rows per category, grid, department and time bucket: one scan on PostgreSQL (GROUPING SETS)."""
    b = bucket(session, grain)
    keys = {"category": Ticket.category, "grid": Ticket.grid_id, "department": Ticket.department_id, "bucket": b}
    out: dict[str, list] = {name: [] for name in keys}
    if is_pg(session):
        flags = [func.grouping(col) for col in keys.values()]
        stmt = (select(*_aggregates(), *keys.values(), *flags).where(where)
                .group_by(func.grouping_sets(*(tuple_(col) for col in keys.values()))))
        for row in session.execute(stmt):
            for i, name in enumerate(keys):
                if row[11 + i] == 0:  # grouping() is 0 for the column this row is grouped by
                    out[name].append((row[:7], row[7 + i]))
        return out
    for name, col in keys.items():
        out[name] = [(r[:7], r[7]) for r in session.execute(select(*_aggregates(), col).where(where).group_by(col))]
    return out


def _all_durations(session: Session, scope, period) -> tuple[Durations, Durations]:
    if not is_pg(session):
        return (durations(session, scope, period, Ticket.first_response_at, Ticket.created_at),
                durations(session, scope, period, Ticket.resolved_at, Ticket.created_at))
    resp = seconds_between(session, Ticket.first_response_at, Ticket.created_at)
    done = seconds_between(session, Ticket.resolved_at, Ticket.created_at)
    row = session.execute(select(
        func.avg(resp), func.percentile_cont(0.9).within_group(resp),
        func.avg(done), func.percentile_cont(0.9).within_group(done),
    ).where(scope, period)).one()
    f = [None if v is None else float(v) for v in row]
    return Durations(f[0], f[1]), Durations(f[2], f[3])


def dashboard(session: Session, scope, start: date, end: date, grain: str, now: datetime, category_name,
              *, use_rollup: bool = True) -> Dashboard:
    """The dashboard's figures. Whole past days that are rolled up (bot/console/rollup.py) and
    unchanged since come from ticket_rollup; today and every other day from the tickets.
    The counts and averages are the same either way; a P90 that used the rollup is approximate."""
    plan = rollup_read.plan(session, scope, start, end, now) if use_rollup else None
    period = period_clause(start, end) if plan is None else plan.live_period
    where = and_(scope, period)
    # Plain rows, not ORM objects: a district has hundreds of units and only these three columns count.
    units = {u.id: u for u in session.execute(select(OrgUnit.id, OrgUnit.name, OrgUnit.parent_id))}
    depts = dict(session.execute(select(Department.id, Department.name)).all())
    if is_pg(session):
        # Sorting tens of thousands of rows for GROUPING SETS and percentiles spills to disk
        # at the default 4 MB; this read-only transaction may use a little more.
        session.execute(text("SET LOCAL work_mem = '32MB'"))
    # count(*) and the (state, deadline_at) index: an index-only scan, no table rows read.
    open_now, overdue_now = session.execute(
        select(func.count(), _count_if(Ticket.deadline_at < now))
        .where(scope, Ticket.state.in_(OPEN_STATES))
    ).one()
    rows = _breakdowns(session, where, grain) if plan is None or plan.has_live else {
        name: [] for name in ("category", "grid", "department", "bucket")}
    part = rollup_read.breakdowns(session, plan, grain) if plan is not None else None
    if part is not None:
        rows = rollup_read.merge(rows, part.rows)

    def figures(name: str, label_of) -> list[Figures]:
        return sorted((Figures.from_row(r, label_of(k), k) for r, k in rows[name]),
                      key=lambda f: (-f.received, str(f.label)))

    by_category = figures("category", category_name)
    by_grid = figures("grid", lambda k: units[k].name if k in units else "未分网格")
    # A community's figures are the sum of its grids' (counts add up; rates are recomputed).
    communities: dict[int, Figures] = {}
    for f in by_grid:
        parent = units[f.key].parent_id if f.key in units else None
        if parent is None:
            continue
        c = communities.setdefault(parent, Figures(label=units[parent].name, key=parent))
        for attr in ("received", "responded", "rejected", "resolved", "on_time", "rated", "satisfied"):
            setattr(c, attr, getattr(c, attr) + getattr(f, attr))
    total = Figures()
    for f in by_category:  # every ticket has exactly one category: the sum is the total
        for attr in ("received", "responded", "rejected", "resolved", "on_time", "rated", "satisfied"):
            setattr(total, attr, getattr(total, attr) + getattr(f, attr))
    if plan is None:
        response, resolve = _all_durations(session, scope, period)
    else:
        response, resolve = rollup_read.durations(session, plan, part, scope, period)
    return Dashboard(
        totals=total, open_now=int(open_now or 0), overdue_now=int(overdue_now or 0),
        response=response, resolve=resolve,
        by_category=by_category, by_grid=by_grid,
        by_community=sorted(communities.values(), key=lambda f: (-f.received, f.label)),
        by_department=figures("department", lambda k: depts.get(k, "未派单")),
        trend=sorted(figures("bucket", str), key=lambda f: str(f.key)),
    )


def overdue_clause(now: datetime):
    """Open tickets that are overdue: past their deadline now, or past one before (the sweep then
    whistled them up and gave the next level a new deadline: still a late ticket for the command centre)."""
    return and_(Ticket.state.in_(OPEN_STATES), (Ticket.deadline_at < now) | Ticket.missed_deadline_at.is_not(None))


def overdue_by_department(session: Session, scope, now: datetime) -> list[tuple[str, int]]:
    """Overdue open tickets (overdue_clause) per department holding them (the rest: 网格/社区/街道在办)."""
    rows = session.execute(select(Ticket.department_id, func.count()).where(
        scope, overdue_clause(now)).group_by(Ticket.department_id)).all()
    names = dict(session.execute(select(Department.id, Department.name)).all())
    out = [(names.get(k, "—") if k is not None else "网格/社区/街道在办", int(n)) for k, n in rows]
    return sorted(out, key=lambda kv: (-kv[1], kv[0]))


def ranking(session: Session, scope, start: date, end: date, level: str, now: datetime | None = None) -> list[Figures]:
    """Units of one level (department / grid / community / street) ranked by score.

    With `now`, rolled-up days come from the rollup (a past month reads its month rows) and
    only the others are computed from the tickets; the figures are the same either way."""
    plan = rollup_read.plan(session, scope, start, end, now) if now is not None else None
    if plan is None:
        return _live_ranking(session, scope, start, end, level)
    key = "department" if level == "department" else "grid"
    column = Ticket.department_id if key == "department" else Ticket.grid_id
    rows = rollup_read.by_key(session, plan, key)
    if plan.has_live:
        live = session.execute(select(*_aggregates(), column).where(scope, plan.live_period).group_by(column)).all()
        rows = rollup_read.merge({key: rows}, {key: [(r[:7], r[7]) for r in live]})[key]
    if key == "department":
        names = {d.id: d.name for d in session.execute(select(Department)).scalars()}
        out = [Figures.from_row(c, names.get(k, "—"), k) for c, k in rows if k is not None]
    else:
        units = {u.id: u for u in session.execute(select(OrgUnit)).scalars()}
        acc: dict[object, list[int]] = {}
        for counts, grid_id in rows:
            if grid_id not in units:  # the live query joins the grid's unit (and its community)
                continue
            k = grid_id
            if level in ("community", "street"):
                k = units[grid_id].parent_id
            if level == "street":
                if k not in units:
                    continue
                k = units[k].parent_id
            cur = acc.setdefault(k, [0] * 7)
            for i, v in enumerate(counts[:7]):
                cur[i] += int(v or 0)
        out = [Figures.from_row(c, units[k].name if k in units else "—", k) for k, c in acc.items()]
    return sorted(out, key=lambda f: (-f.score, -f.received, str(f.label)))


def _live_ranking(session: Session, scope, start: date, end: date, level: str) -> list[Figures]:
    where = and_(scope, period_clause(start, end))
    if level == "department":
        names = {d.id: d.name for d in session.execute(select(Department)).scalars()}
        rows = grouped(session, and_(where, Ticket.department_id.is_not(None)), Ticket.department_id,
                       lambda k: names.get(k, "—"))
    else:
        units = {u.id: u for u in session.execute(select(OrgUnit)).scalars()}
        grid = aliased(OrgUnit)
        community = aliased(OrgUnit)
        key = {"grid": grid.id, "community": grid.parent_id, "street": community.parent_id}[level]
        stmt = select(*_aggregates(), key).join(grid, grid.id == Ticket.grid_id)
        if level == "street":
            stmt = stmt.join(community, community.id == grid.parent_id)
        result = session.execute(stmt.where(where).group_by(key)).all()
        rows = [Figures.from_row(r, units[r[7]].name if r[7] in units else "—", r[7]) for r in result]
    return sorted(rows, key=lambda f: (-f.score, -f.received, str(f.label)))


def month_bounds(month: str | None, today: date) -> tuple[date, date, str]:
    """'2026-11' → first and last day; anything unparsable means this month."""
    try:
        year, mon = (int(x) for x in (month or "").split("-"))
        first = date(year, mon, 1)
    except ValueError:
        first = today.replace(day=1)
    if not 2000 <= first.year <= 2099:  # 9999-12 would overflow on its last day + 1
        first = today.replace(day=1)
    nxt = (first.replace(day=28) + timedelta(days=4)).replace(day=1)
    return first, nxt - timedelta(days=1), f"{first.year:04d}-{first.month:02d}"


# --- cache --------------------------------------------------------------------------------
# A dashboard over a long period scans many rows; the command center reloads it often.
# The key holds the newest ticket and event ids, so any new ticket or state change (every
# change writes a TicketEvent) makes a new key: a cached figure is never stale, only reused.
CACHE_SECONDS = 300
_CACHE_KEY = "gridwhistle:console:dash:{}"


def freshness(session: Session) -> tuple[int, int]:
    return (session.execute(select(func.max(Ticket.id))).scalar() or 0,
            session.execute(select(func.max(TicketEvent.id))).scalar() or 0)


def cache_key(*parts) -> str:
    return _CACHE_KEY.format(hashlib.sha256(repr(parts).encode()).hexdigest()[:32])


def to_json(d: Dashboard) -> str:
    # By hand, not dataclasses.asdict: that deep-copies every one of ~500 rows (~10 ms a page).
    names = [f.name for f in fields(Figures)]

    def fig(f: Figures) -> dict:
        return {n: getattr(f, n) for n in names}

    data = {"totals": fig(d.totals), "open_now": d.open_now, "overdue_now": d.overdue_now,
            "response": vars(d.response), "resolve": vars(d.resolve),
            **{k: [fig(f) for f in getattr(d, k)] for k in FIGURE_LISTS}}
    return json.dumps(data, ensure_ascii=False, default=str)


def from_json(raw: str | bytes) -> Dashboard:
    data = json.loads(raw)

    def fig(x: dict) -> Figures:
        return Figures(**x)

    return Dashboard(
        totals=fig(data["totals"]), open_now=data["open_now"], overdue_now=data["overdue_now"],
        response=Durations(**data["response"]), resolve=Durations(**data["resolve"]),
        **{k: [fig(x) for x in data[k]] for k in FIGURE_LISTS},
    )


def cached_dashboard(session: Session, redis_client, scope_key, scope, start: date, end: date, grain: str,
                     now: datetime, category_name) -> Dashboard:
    """dashboard(), reused for identical data, viewer scope, period and minute."""
    key = cache_key(scope_key, start, end, grain, now.replace(second=0, microsecond=0), freshness(session))
    try:
        raw = redis_client.get(key)
    except Exception:  # noqa: BLE001 — the cache is an optimisation, never a failure
        raw = None
    if raw:
        return from_json(raw)
    d = dashboard(session, scope, start, end, grain, now, category_name)
    try:
        redis_client.set(key, to_json(d), ex=CACHE_SECONDS)
    except Exception as exc:  # noqa: BLE001
        log.warning("dashboard cache unavailable: %s", type(exc).__name__)
    return d
