"""SQL pieces both the live figures (stats.py) and the rollup (rollup.py, rollup_read.py) are built from.

A module of its own so that the rollup can use them without importing stats, and stats can read
the rollup without the rollup importing it back: China calendar days and periods, durations in
seconds, time buckets, histogram columns, and the Durations result.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import and_, case, func, literal_column
from sqlalchemy.orm import Session

from bot.console.queries import CHINA, local_day_start
from models import Ticket
from models.rollup import HIST_BOUNDS

GOOD_RATINGS = ("满意", "基本满意")
GRAINS = ("day", "week", "month")


@dataclass
class Durations:
    avg: float | None = None
    p90: float | None = None
    approx: bool = False  # p90 read from the rollup's histogram (the page says "约")


def is_pg(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def today_in_china(now: datetime) -> date:
    return now.astimezone(CHINA).date()


def period_clause(start: date, end: date):
    """Tickets created from start to end inclusive (China calendar days), merged excluded."""
    return and_(Ticket.created_at >= local_day_start(start), Ticket.created_at < local_day_start(end + timedelta(days=1)),
                Ticket.state != "merged")


def seconds_between(session: Session, later, earlier):
    if is_pg(session):
        return func.extract("epoch", later - earlier)
    return (func.julianday(later) - func.julianday(earlier)) * 86400.0


def bucket(session: Session, grain: str):
    """A column naming the China-time day/week/month a ticket was created in (as text)."""
    col = Ticket.created_at
    if is_pg(session):
        # Literals, not bound parameters: GROUP BY must see the very same expression as SELECT.
        if grain not in GRAINS:
            raise ValueError(grain)
        local = func.timezone(literal_column("'Asia/Shanghai'"), col)
        return func.to_char(func.date_trunc(literal_column(f"'{grain}'"), local), literal_column("'YYYY-MM-DD'"))
    if grain == "day":
        return func.strftime("%Y-%m-%d", col, "+8 hours")
    if grain == "week":
        return func.date(col, "+8 hours", "weekday 0", "-6 days")
    return func.strftime("%Y-%m-01", col, "+8 hours")


def hist_columns(secs, present, names: tuple[str, ...]) -> list:
    """One count column per histogram bucket (HIST_BOUNDS) of the durations `secs` where `present`."""
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


def day_ranges(days) -> list[tuple[date, date]]:
    """Consecutive days joined into (first, last) ranges, in order."""
    out: list[tuple[date, date]] = []
    for d in sorted(set(days)):
        if out and out[-1][1] + timedelta(days=1) == d:
            out[-1] = (out[-1][0], d)
        else:
            out.append((d, d))
    return out
