"""Periods of a cadence: one response per person, instrument, context and period."""

from __future__ import annotations

from datetime import date, timedelta

ONCE = "once"


def period_of(cadence: str, day: date) -> str:
    if cadence == "daily":
        return day.isoformat()
    if cadence == "weekly":
        year, week, _ = day.isocalendar()
        return f"{year}-W{week:02d}"
    if cadence == "fortnightly":
        year, week, _ = day.isocalendar()
        return f"{year}-F{(week + 1) // 2:02d}"
    if cadence == "monthly":
        return f"{day.year}-{day.month:02d}"
    return ONCE  # "occasion": once per context (a meeting, a reply)


def next_period_start(cadence: str, day: date) -> date | None:
    """The first day on which a new response is due again, or None if it never is."""
    if cadence == "daily":
        return day + timedelta(days=1)
    if cadence in {"weekly", "fortnightly"}:
        start = day + timedelta(days=7 - day.weekday())
        while period_of(cadence, start) == period_of(cadence, day):
            start += timedelta(days=7)
        return start
    if cadence == "monthly":
        return date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return None
