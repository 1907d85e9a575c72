"""Pure time arithmetic for time together: no database, plain types, tested with tables.

A plan is typed as a local date and time in the planner's zone and stored in UTC. Local times
that do not exist (the hour skipped when clocks go forward) are refused; local times that
happen twice (the hour repeated when clocks go back) mean the first of the two.
"""

from __future__ import annotations

import calendar
import zoneinfo
from datetime import UTC, date, datetime, time, timedelta

from confide.together.models import MAX_MINUTES, MIN_MINUTES


class NoSuchLocalTime(ValueError):
    """The local date and time does not exist in that zone (the clocks skip it)."""


def zone_of(name: str) -> zoneinfo.ZoneInfo:
    """The named zone, or UTC for an empty or unknown name."""
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def local_start(day: date, at: time, zone: zoneinfo.ZoneInfo) -> datetime:
    """The UTC instant of `day` at `at` on the wall clock of `zone`."""
    naive = datetime.combine(day, at.replace(tzinfo=None, fold=0))
    aware = naive.replace(tzinfo=zone)
    # A skipped wall time does not survive a round trip through UTC.
    if aware.astimezone(UTC).astimezone(zone).replace(tzinfo=None) != naive:
        raise NoSuchLocalTime(naive.isoformat())
    return aware.astimezone(UTC)


def day_bounds(day: date, zone: zoneinfo.ZoneInfo) -> tuple[datetime, datetime]:
    """The UTC instants at which `day` begins and the next day begins in `zone`."""
    start = datetime.combine(day, time.min).replace(tzinfo=zone)
    end = datetime.combine(day + timedelta(days=1), time.min).replace(tzinfo=zone)
    return start.astimezone(UTC), end.astimezone(UTC)


def duration_allowed(minutes: int) -> bool:
    return MIN_MINUTES <= minutes <= MAX_MINUTES


def elapsed_seconds(start: datetime, now: datetime) -> int:
    """Whole seconds from `start` to `now`, never negative."""
    return max(0, int((now - start).total_seconds()))


def elapsed_minutes(start: datetime, stop: datetime) -> int:
    """Whole minutes of a timer from `start` to `stop`: never negative, at most MAX_MINUTES
    (a timer left running overnight does not count as a whole night together)."""
    return min(elapsed_seconds(start, stop) // 60, MAX_MINUTES)


def clock_text(seconds: int) -> str:
    """`seconds` as h:mm:ss, e.g. 0:05:09 or 12:00:00."""
    hours, rest = divmod(max(0, seconds), 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}"


def month_days(year: int, month: int) -> tuple[date, date]:
    """The first day of the month and the first day of the next month."""
    first = date(year, month, 1)
    last = calendar.monthrange(year, month)[1]
    return first, first + timedelta(days=last)


def month_weeks(year: int, month: int) -> list[tuple[date, date]]:
    """The month cut into weeks that start on Mondays: (first day, last day), both inside it."""
    first, after = month_days(year, month)
    weeks = []
    start = first
    while start < after:
        end = min(start + timedelta(days=6 - start.weekday()), after - timedelta(days=1))
        weeks.append((start, end))
        start = end + timedelta(days=1)
    return weeks


def shift_month(year: int, month: int, by: int) -> tuple[int, int]:
    """The month `by` months after (or before, when negative) the given one."""
    index = year * 12 + (month - 1) + by
    return index // 12, index % 12 + 1
