"""Daily rollup of ticket figures, so long dashboard periods read a few thousand rows, not millions.

One row per (China-time day a ticket was created, grid, category, department). Only whole
past days are stored; the dashboard computes today (and any day not yet rolled up or
changed since the last refresh) live. Durations keep a sum (for the exact average) and a
small fixed histogram (for an approximate P90: the page says so).
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Date, Float, Index, Integer, String
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


class TicketDailyStats(Base):
    """Counts of one day's tickets (merged ones only in `merged`; every other count excludes them)."""

    __tablename__ = "ticket_daily_stats"
    __table_args__ = (Index("ix_ticket_daily_stats_day", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(Date)
    grid_id: Mapped[int | None] = mapped_column(Integer)
    category: Mapped[str] = mapped_column(String(40))
    department_id: Mapped[int | None] = mapped_column(Integer)
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
    """A day whose rows in ticket_daily_stats are complete (a day with no tickets has no stats rows)."""

    __tablename__ = "ticket_rollup_day"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    built_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The newest TicketEvent id seen when the day was built: events after it mark days to recompute.
    event_watermark: Mapped[int] = mapped_column(BigInteger, default=0)
