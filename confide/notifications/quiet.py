"""Quiet hours as plain time arithmetic, with no database."""

from __future__ import annotations

import datetime
import zoneinfo


def zone_for(name: str) -> datetime.tzinfo:
    """The named time zone, or UTC for a name this machine does not know."""
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return datetime.UTC


def quiet_until(
    now: datetime.datetime, *, start: datetime.time, end: datetime.time, zone: datetime.tzinfo
) -> datetime.datetime | None:
    """When the quiet window around `now` ends (in UTC), or None if `now` is outside it.

    `start` and `end` are wall-clock times in `zone`; the window includes its start and excludes
    its end. An end earlier than the start means the window crosses midnight (22:00-07:00).
    Equal start and end mean no window at all.
    """
    if start == end:
        return None
    local = now.astimezone(zone)
    clock = local.time().replace(tzinfo=None, fold=0)
    if start < end:
        if not start <= clock < end:
            return None
        end_day = local.date()
    else:
        if end <= clock < start:
            return None
        end_day = local.date() if clock < end else local.date() + datetime.timedelta(days=1)
    until = datetime.datetime.combine(end_day, end, tzinfo=zone).astimezone(datetime.UTC)
    # On the night clocks go back, the end may already have passed once: the window is over.
    return until if until > now else None
