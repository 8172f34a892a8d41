"""Rolled-up ticket figures, so long dashboard periods read a few thousand rows, not millions.

A cube over (grid, department, category) per period: every one of its eight groupings is
stored, marked by `kind` (a bit mask of KIND_GRID | KIND_DEPT | KIND_CATEGORY; a column not
in the kind is NULL). `grain` "d" rows hold one China-time day of created tickets, "m" rows a
whole calendar month (the sum of its day rows, written once every day of the month is).

Why every grouping and not only (grid, department, category): that one barely compresses
(a million tickets a year give ~900,000 rows), while the dashboard's breakdowns need one
dimension at a time, plus the viewer's scope (grids, departments, or both). A district-wide
year reads ~5,000 month rows instead of ~900,000 day rows. The full grouping (kind 7) is
kept only for tickets sent to a department: it answers "grids G or departments P" scopes by
inclusion–exclusion (G + P − G∧P).

Only whole past days are stored; the dashboard computes today (and any day not yet rolled
up or changed since the last refresh) live. Durations keep a sum (for the exact average)
and a small fixed histogram (for an approximate P90: the page says so).
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Date, Float, Index, Integer, SmallInteger, String, text
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, UTCDateTime, utcnow

# Upper bounds (seconds) of the histogram buckets; the last bucket is open-ended.
HIST_BOUNDS: tuple[int, ...] = (
    900, 1800, 3600, 2 * 3600, 4 * 3600, 8 * 3600, 12 * 3600, 24 * 3600, 48 * 3600, 72 * 3600, 7 * 86400,
)
HIST_BUCKETS = len(HIST_BOUNDS) + 1
COUNT_COLUMNS = ("received", "accepted", "responded", "resolved", "resolved_on_time", "rejected", "merged",
                 "rated", "satisfied")
RESPONSE_HIST = tuple(f"response_h{i}" for i in range(HIST_BUCKETS))
RESOLVE_HIST = tuple(f"resolve_h{i}" for i in range(HIST_BUCKETS))
MEASURE_COLUMNS = COUNT_COLUMNS + ("response_seconds", "resolve_seconds") + RESPONSE_HIST + RESOLVE_HIST

KIND_GRID, KIND_DEPT, KIND_CATEGORY = 1, 2, 4
KIND_ALL = KIND_GRID | KIND_DEPT | KIND_CATEGORY
GRAIN_DAY, GRAIN_MONTH = "d", "m"


class TicketRollup(Base):
    """Counts of one period's tickets (merged ones only in `merged`; every other count excludes them)."""

    __tablename__ = "ticket_rollup"
    __table_args__ = (
        Index("ix_ticket_rollup_kind_grain_period", "kind", "grain", "period"),
        # A street's (a department's) rows of one grouping, without reading every grid's.
        *(Index(f"ix_ticket_rollup_{col}", "kind", col, "grain", "period",
                postgresql_where=text(f"{col} IS NOT NULL"), sqlite_where=text(f"{col} IS NOT NULL"))
          for col in ("grid_id", "department_id")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[int] = mapped_column(SmallInteger)
    grain: Mapped[str] = mapped_column(String(1))
    period: Mapped[date] = mapped_column(Date)
    grid_id: Mapped[int | None] = mapped_column(Integer)
    department_id: Mapped[int | None] = mapped_column(Integer)
    category: Mapped[str | None] = mapped_column(String(40))
    received: Mapped[int] = mapped_column(Integer, default=0)
    accepted: Mapped[int] = mapped_column(Integer, default=0)
    responded: Mapped[int] = mapped_column(Integer, default=0)
    resolved: Mapped[int] = mapped_column(Integer, default=0)
    resolved_on_time: Mapped[int] = mapped_column(Integer, default=0)
    rejected: Mapped[int] = mapped_column(Integer, default=0)
    merged: Mapped[int] = mapped_column(Integer, default=0)
    rated: Mapped[int] = mapped_column(Integer, default=0)
    satisfied: Mapped[int] = mapped_column(Integer, default=0)
    response_seconds: Mapped[float] = mapped_column(Float, default=0.0)
    resolve_seconds: Mapped[float] = mapped_column(Float, default=0.0)
    # response_h0 … response_h11, resolve_h0 … resolve_h11: tickets per HIST_BOUNDS bucket.
    for _name in RESPONSE_HIST + RESOLVE_HIST:
        locals()[_name] = mapped_column(_name, Integer, default=0, nullable=False)
    del _name


class TicketRollupDay(Base):
    """A day whose rows in ticket_rollup are complete (a day with no tickets has no rows)."""

    __tablename__ = "ticket_rollup_day"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    built_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The newest TicketEvent id seen when the day was built: events after it mark days to recompute.
    event_watermark: Mapped[int] = mapped_column(BigInteger, default=0)
