from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from confide.notifications.quiet import quiet_until, zone_for

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
UTC = dt.UTC


def berlin(year: int, month: int, day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=BERLIN)


NIGHT = {"start": dt.time(22, 0), "end": dt.time(7, 0)}
LUNCH = {"start": dt.time(12, 0), "end": dt.time(14, 0)}


@pytest.mark.parametrize(
    ("now", "window", "until"),
    [
        # A window over midnight: before midnight it ends tomorrow morning ...
        (berlin(2026, 1, 15, 23, 30), NIGHT, berlin(2026, 1, 16, 7, 0)),
        (berlin(2026, 1, 15, 22, 0), NIGHT, berlin(2026, 1, 16, 7, 0)),
        # ... after midnight it ends this morning.
        (berlin(2026, 1, 16, 0, 0), NIGHT, berlin(2026, 1, 16, 7, 0)),
        (berlin(2026, 1, 16, 6, 59), NIGHT, berlin(2026, 1, 16, 7, 0)),
        (berlin(2026, 1, 16, 7, 0), NIGHT, None),
        (berlin(2026, 1, 16, 12, 0), NIGHT, None),
        (berlin(2026, 1, 16, 21, 59), NIGHT, None),
        # A window within one day.
        (berlin(2026, 1, 16, 12, 0), LUNCH, berlin(2026, 1, 16, 14, 0)),
        (berlin(2026, 1, 16, 13, 15), LUNCH, berlin(2026, 1, 16, 14, 0)),
        (berlin(2026, 1, 16, 11, 59), LUNCH, None),
        (berlin(2026, 1, 16, 14, 0), LUNCH, None),
        (berlin(2026, 1, 16, 23, 0), LUNCH, None),
        # The night the clocks go forward (02:00 -> 03:00): 07:00 is still 07:00 local.
        (berlin(2026, 3, 29, 1, 30), NIGHT, berlin(2026, 3, 29, 7, 0)),
        # An empty window is no window.
        (berlin(2026, 1, 16, 12, 0), {"start": dt.time(9), "end": dt.time(9)}, None),
    ],
)
def test_quiet_until(
    now: dt.datetime, window: dict[str, dt.time], until: dt.datetime | None
) -> None:
    result = quiet_until(now.astimezone(UTC), zone=BERLIN, **window)
    assert result == until
    if result is not None:
        assert result.tzinfo is UTC


def test_the_window_is_read_in_the_persons_time_zone() -> None:
    # 23:30 in Berlin is 22:30 UTC: inside quiet hours in Berlin, outside in Tokyo (07:30).
    now = dt.datetime(2026, 1, 15, 22, 30, tzinfo=UTC)
    assert quiet_until(now, zone=BERLIN, **NIGHT) == berlin(2026, 1, 16, 7, 0)
    assert quiet_until(now, zone=zoneinfo.ZoneInfo("Asia/Tokyo"), **NIGHT) is None


def test_an_unknown_time_zone_falls_back_to_utc() -> None:
    assert zone_for("Mars/Olympus_Mons") is UTC
    assert zone_for("") is UTC
    assert zone_for("Europe/Berlin") == BERLIN


minutes = st.integers(min_value=0, max_value=24 * 60 - 1)


def _clock(minute: int) -> dt.time:
    return dt.time(minute // 60, minute % 60)


@given(
    now=st.datetimes(
        # Hypothesis wants naive bounds; the values it draws are aware (UTC).
        min_value=dt.datetime(2020, 1, 1),  # noqa: DTZ001
        max_value=dt.datetime(2035, 1, 1),  # noqa: DTZ001
        timezones=st.just(UTC),
    ),
    start=minutes,
    end=minutes,
    zone=st.sampled_from(["UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata"]),
)
def test_a_deferral_always_lies_ahead_and_lands_outside_the_window(
    now: dt.datetime, start: int, end: int, zone: str
) -> None:
    tz = zoneinfo.ZoneInfo(zone)
    window = {"start": _clock(start), "end": _clock(end)}
    until = quiet_until(now, zone=tz, **window)
    if until is None:
        return
    assert now < until <= now + dt.timedelta(hours=25)
    assert quiet_until(until, zone=tz, **window) is None
