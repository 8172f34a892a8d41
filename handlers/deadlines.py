"""Deadlines in working hours: a configurable working day and week.

With the default calendar (every day, all day) working hours are plain hours.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

CHINA = ZoneInfo("Asia/Shanghai")


@dataclass(frozen=True)
class WorkCalendar:
    day_start: time = time(0, 0)
    day_end: time = time(23, 59, 59, 999999)
    weekdays: frozenset[int] = frozenset(range(7))  # Monday = 0
    tz: ZoneInfo = CHINA

    @classmethod
    def parse(cls, hours: str, days: str) -> WorkCalendar:
        """hours "09:00-18:00" (or "" for all day); days "1-5" (ISO weekdays) or "1,2,3"."""
        start, end = time(0, 0), time(23, 59, 59, 999999)
        if hours:
            a, b = hours.split("-")
            start, end = time.fromisoformat(a.strip()), time.fromisoformat(b.strip())
        weekdays = set(range(7))
        if days:
            weekdays = set()
            for part in days.split(","):
                lo, _, hi = part.partition("-")
                weekdays.update(d - 1 for d in range(int(lo), int(hi or lo) + 1))
        return cls(start, end, frozenset(weekdays))


def add_working_hours(start: datetime, hours: float, cal: WorkCalendar = WorkCalendar()) -> datetime:
    """The moment `hours` working hours after `start` (both timezone-aware)."""
    remaining = timedelta(hours=hours)
    local = start.astimezone(cal.tz)
    for _ in range(3660):  # at most ten years of days: a guard, never reached
        day_open = datetime.combine(local.date(), cal.day_start, cal.tz)
        day_close = datetime.combine(local.date(), cal.day_end, cal.tz)
        if local.weekday() in cal.weekdays and local < day_close:
            begin = max(local, day_open)
            if begin + remaining <= day_close:
                return (begin + remaining).astimezone(start.tzinfo)
            remaining -= day_close - begin
        local = datetime.combine(local.date() + timedelta(days=1), cal.day_start, cal.tz)
    raise ValueError("working calendar has no working time")


def format_deadline(moment: datetime) -> str:
    local = moment.astimezone(CHINA)
    return f"{local.month}月{local.day}日 {local:%H:%M}"
