"""The pure time arithmetic: local times to UTC across clock changes, timer minutes, weeks."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from confide.together import clock

BERLIN = clock.zone_of("Europe/Berlin")


@pytest.mark.parametrize(
    ("day", "at", "zone", "expected"),
    [
        (date(2026, 3, 10), time(19, 0), "Europe/Berlin", datetime(2026, 3, 10, 18, 0, tzinfo=UTC)),
        (date(2026, 7, 10), time(19, 0), "Europe/Berlin", datetime(2026, 7, 10, 17, 0, tzinfo=UTC)),
        (date(2026, 3, 10), time(19, 0), "UTC", datetime(2026, 3, 10, 19, 0, tzinfo=UTC)),
        (
            date(2026, 3, 10),
            time(19, 0),
            "America/New_York",
            datetime(2026, 3, 10, 23, 0, tzinfo=UTC),
        ),
        # The hour repeated when clocks go back means the first of the two (still summer time).
        (
            date(2026, 10, 25),
            time(2, 30),
            "Europe/Berlin",
            datetime(2026, 10, 25, 0, 30, tzinfo=UTC),
        ),
        # An unknown zone name falls back to UTC rather than failing.
        (date(2026, 3, 10), time(19, 0), "Mars/Olympus", datetime(2026, 3, 10, 19, 0, tzinfo=UTC)),
    ],
)
def test_a_local_start_becomes_utc(day: date, at: time, zone: str, expected: datetime) -> None:
    assert clock.local_start(day, at, clock.zone_of(zone)) == expected


@pytest.mark.parametrize(
    ("day", "at", "zone"),
    [
        (date(2026, 3, 29), time(2, 0), "Europe/Berlin"),
        (date(2026, 3, 29), time(2, 30), "Europe/Berlin"),
        (date(2026, 3, 8), time(2, 15), "America/New_York"),
    ],
)
def test_a_local_time_the_clocks_skip_is_refused(day: date, at: time, zone: str) -> None:
    with pytest.raises(clock.NoSuchLocalTime):
        clock.local_start(day, at, clock.zone_of(zone))


def test_the_day_the_clocks_go_forward_has_23_hours() -> None:
    start, end = clock.day_bounds(date(2026, 3, 29), BERLIN)
    assert start == datetime(2026, 3, 28, 23, 0, tzinfo=UTC)
    assert end == datetime(2026, 3, 29, 22, 0, tzinfo=UTC)
    assert end - start == timedelta(hours=23)


@pytest.mark.parametrize(
    ("seconds", "minutes"),
    [
        (-30, 0),  # a clock that went backwards never counts negative time
        (0, 0),
        (59, 0),
        (60, 1),
        (25 * 60 + 30, 25),
        (12 * 3600, 720),
        (20 * 3600, 720),  # a timer left running overnight counts at most 12 hours
    ],
)
def test_timer_minutes_are_whole_and_capped(seconds: int, minutes: int) -> None:
    start = datetime(2026, 3, 10, 19, 0, tzinfo=UTC)
    assert clock.elapsed_minutes(start, start + timedelta(seconds=seconds)) == minutes


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(-5, "0:00:00"), (0, "0:00:00"), (309, "0:05:09"), (3723, "1:02:03"), (43200, "12:00:00")],
)
def test_clock_text(seconds: int, text: str) -> None:
    assert clock.clock_text(seconds) == text


@pytest.mark.parametrize(
    ("minutes", "allowed"),
    [(0, False), (4, False), (5, True), (90, True), (720, True), (721, False)],
)
def test_durations_from_5_minutes_to_12_hours(minutes: int, allowed: bool) -> None:
    assert clock.duration_allowed(minutes) is allowed


@pytest.mark.parametrize(
    ("year", "month", "weeks"),
    [
        # 1 March 2026 is a Sunday: a one-day first week.
        (2026, 3, [(1, 1), (2, 8), (9, 15), (16, 22), (23, 29), (30, 31)]),
        # 1 June 2026 is a Monday.
        (2026, 6, [(1, 7), (8, 14), (15, 21), (22, 28), (29, 30)]),
        # February 2027 starts on a Monday and has exactly four weeks.
        (2027, 2, [(1, 7), (8, 14), (15, 21), (22, 28)]),
    ],
)
def test_a_month_in_weeks_from_monday(year: int, month: int, weeks: list[tuple[int, int]]) -> None:
    got = clock.month_weeks(year, month)
    assert [(first.day, last.day) for first, last in got] == weeks


@given(st.integers(min_value=2000, max_value=2100), st.integers(min_value=1, max_value=12))
def test_month_weeks_cover_every_day_once_and_never_cross_a_monday(year: int, month: int) -> None:
    first, after = clock.month_days(year, month)
    days = []
    for start, end in clock.month_weeks(year, month):
        assert start <= end
        assert start == first or start.weekday() == 0
        assert (end - start).days <= 6
        days += [start + timedelta(days=n) for n in range((end - start).days + 1)]
    assert days == [first + timedelta(days=n) for n in range((after - first).days)]


@pytest.mark.parametrize(
    ("year", "month", "by", "expected"),
    [
        (2026, 3, 0, (2026, 3)),
        (2026, 1, -1, (2025, 12)),
        (2026, 12, 1, (2027, 1)),
        (2026, 3, -15, (2024, 12)),
    ],
)
def test_shift_month(year: int, month: int, by: int, expected: tuple[int, int]) -> None:
    assert clock.shift_month(year, month, by) == expected
