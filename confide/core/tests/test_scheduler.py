"""The scheduler's slot arithmetic: time zones, daylight-saving changes, weekdays."""

from __future__ import annotations

import zoneinfo
from datetime import UTC, date, datetime, time, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from confide.core.scheduler import (
    CATCH_UP,
    Due,
    slots_between,
    sweep_window,
    wall_clock_instant,
)

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
NEW_YORK = zoneinfo.ZoneInfo("America/New_York")
LORD_HOWE = zoneinfo.ZoneInfo("Australia/Lord_Howe")  # clocks move by half an hour
EVERY_DAY = frozenset(range(7))
ZONES = [
    BERLIN,
    NEW_YORK,
    LORD_HOWE,
    zoneinfo.ZoneInfo("UTC"),
    zoneinfo.ZoneInfo("Asia/Kolkata"),
    zoneinfo.ZoneInfo("Pacific/Chatham"),
    zoneinfo.ZoneInfo("America/Santiago"),
    zoneinfo.ZoneInfo("Europe/London"),
]


def utc(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=UTC)


@pytest.mark.parametrize(
    ("day", "at", "zone", "expected"),
    [
        # Ordinary days: the wall-clock time with that day's offset.
        (date(2026, 1, 15), time(8, 0), BERLIN, utc(2026, 1, 15, 7, 0)),
        (date(2026, 7, 15), time(8, 0), BERLIN, utc(2026, 7, 15, 6, 0)),
        (date(2026, 1, 15), time(8, 0), NEW_YORK, utc(2026, 1, 15, 13, 0)),
        (date(2026, 7, 15), time(8, 0), NEW_YORK, utc(2026, 7, 15, 12, 0)),
        # Spring forward in Berlin (02:00 -> 03:00 on 29 March 2026): 02:30 never shows on a
        # clock, so it comes at the first moment after the gap, 03:00 CEST.
        (date(2026, 3, 29), time(2, 30), BERLIN, utc(2026, 3, 29, 1, 0)),
        (date(2026, 3, 29), time(2, 0), BERLIN, utc(2026, 3, 29, 1, 0)),
        (date(2026, 3, 29), time(1, 59), BERLIN, utc(2026, 3, 29, 0, 59)),
        (date(2026, 3, 29), time(3, 0), BERLIN, utc(2026, 3, 29, 1, 0)),
        # Fall back in Berlin (03:00 -> 02:00 on 25 October 2026): 02:30 shows twice; the first.
        (date(2026, 10, 25), time(2, 30), BERLIN, utc(2026, 10, 25, 0, 30)),
        (date(2026, 10, 25), time(3, 0), BERLIN, utc(2026, 10, 25, 2, 0)),
        # New York: spring forward 8 March 2026 at 02:00, fall back 1 November 2026 at 02:00.
        (date(2026, 3, 8), time(2, 30), NEW_YORK, utc(2026, 3, 8, 7, 0)),
        (date(2026, 11, 1), time(1, 30), NEW_YORK, utc(2026, 11, 1, 5, 30)),
        (date(2026, 11, 1), time(2, 30), NEW_YORK, utc(2026, 11, 1, 7, 30)),
        # A half-hour change: 02:15 falls in Lord Howe's gap from 02:00 to 02:30.
        (date(2026, 10, 4), time(2, 15), LORD_HOWE, utc(2026, 10, 3, 15, 30)),
        # Seconds on the stored time are kept.
        (date(2026, 1, 15), time(8, 0, 30), BERLIN, utc(2026, 1, 15, 7, 0, 30)),
    ],
)
def test_the_instant_a_wall_clock_time_comes_round(
    day: date, at: time, zone: zoneinfo.ZoneInfo, expected: datetime
) -> None:
    assert wall_clock_instant(day, at, zone) == expected


@pytest.mark.parametrize(
    ("weekdays", "after", "until", "expected"),
    [
        # Monday 12 January 2026 to Monday 19 January, 08:00 Berlin (07:00 UTC) on Mon, Wed.
        (
            {0, 2},
            utc(2026, 1, 12, 0, 0),
            utc(2026, 1, 19, 23, 0),
            [utc(2026, 1, 12, 7), utc(2026, 1, 14, 7), utc(2026, 1, 19, 7)],
        ),
        # The window is open at the start and closed at the end.
        ({0}, utc(2026, 1, 12, 7, 0), utc(2026, 1, 19, 7, 0), [utc(2026, 1, 19, 7)]),
        # No days, or an empty window: nothing.
        (set(), utc(2026, 1, 1), utc(2026, 2, 1), []),
        (EVERY_DAY, utc(2026, 1, 12, 8), utc(2026, 1, 12, 8), []),
        (EVERY_DAY, utc(2026, 1, 12, 8), utc(2026, 1, 12, 7), []),
        # Across the spring change in Berlin: one slot each day, 03:00 local on the short day
        # for a 02:30 reminder (see the next table), 08:00 local otherwise.
        (
            EVERY_DAY,
            utc(2026, 3, 28, 0),
            utc(2026, 3, 30, 23),
            [utc(2026, 3, 28, 7), utc(2026, 3, 29, 6), utc(2026, 3, 30, 6)],
        ),
    ],
)
def test_slots_of_an_eight_oclock_reminder_in_berlin(
    weekdays: set[int], after: datetime, until: datetime, expected: list[datetime]
) -> None:
    assert (
        slots_between(at=time(8, 0), weekdays=weekdays, zone=BERLIN, after=after, until=until)
        == expected
    )


@pytest.mark.parametrize(
    ("zone", "at", "after", "until", "expected"),
    [
        # The spring-forward night: exactly one slot, at the first valid time.
        (BERLIN, time(2, 30), utc(2026, 3, 28, 12), utc(2026, 3, 29, 12), [utc(2026, 3, 29, 1)]),
        (NEW_YORK, time(2, 30), utc(2026, 3, 7, 12), utc(2026, 3, 8, 12), [utc(2026, 3, 8, 7)]),
        # The fall-back night: the time shows twice, the slot comes once.
        (
            BERLIN,
            time(2, 30),
            utc(2026, 10, 24, 12),
            utc(2026, 10, 25, 12),
            [utc(2026, 10, 25, 0, 30)],
        ),
        (
            NEW_YORK,
            time(1, 30),
            utc(2026, 10, 31, 12),
            utc(2026, 11, 1, 12),
            [utc(2026, 11, 1, 5, 30)],
        ),
    ],
)
def test_a_reminder_in_a_changing_hour_comes_once(
    zone: zoneinfo.ZoneInfo, at: time, after: datetime, until: datetime, expected: list[datetime]
) -> None:
    assert slots_between(at=at, weekdays=EVERY_DAY, zone=zone, after=after, until=until) == (
        expected
    )


def test_weekdays_are_the_persons_own_not_utcs() -> None:
    # 00:30 on a Tuesday in New York is already 05:30 on Tuesday in UTC, but 23:30 on a Monday
    # in New York is 04:30 on Tuesday in UTC: the day counts where the person lives.
    slots = slots_between(
        at=time(23, 30),
        weekdays={0},  # Monday
        zone=NEW_YORK,
        after=utc(2026, 1, 12, 0),
        until=utc(2026, 1, 14, 0),
    )
    assert slots == [utc(2026, 1, 13, 4, 30)]


def test_the_sweep_window_looks_back_one_hour() -> None:
    now = utc(2026, 5, 1, 12, 0)
    assert sweep_window(now) == (now - CATCH_UP, now)
    assert timedelta(hours=1) == CATCH_UP


def test_an_item_is_done_at_its_slot_unless_told_otherwise() -> None:
    slot = utc(2026, 5, 1, 19)
    assert Due(kind="x", subject="1", slot=slot).when == slot
    assert Due(kind="x", subject="1", slot=slot, due_at=slot - CATCH_UP).when == slot - CATCH_UP


# --- properties ------------------------------------------------------------------------------

instants = st.datetimes(
    min_value=datetime(2024, 1, 1),  # noqa: DTZ001 - made aware by timezones=
    max_value=datetime(2030, 12, 31),  # noqa: DTZ001
    timezones=st.just(UTC),
)


def _changes(zone: zoneinfo.ZoneInfo) -> list[datetime]:
    """Noon (UTC) of each day in 2024-2030 whose offset differs from the day before's."""
    days = [datetime(2024, 1, 1, 12, tzinfo=UTC) + timedelta(days=n) for n in range(7 * 366)]
    return [
        b
        for a, b in zip(days, days[1:], strict=False)
        if a.astimezone(zone).utcoffset() != b.astimezone(zone).utcoffset()
    ]


CHANGES = sorted({change for zone in ZONES for change in _changes(zone)})
# Half the examples start within two days of a daylight-saving change somewhere.
near_changes = st.builds(
    lambda change, shift: change + shift,
    st.sampled_from(CHANGES),
    st.timedeltas(min_value=timedelta(days=-2), max_value=timedelta(days=1)),
)
instants = st.one_of(instants, near_changes)
wall_times = st.times()
day_sets = st.frozensets(st.integers(min_value=0, max_value=6), min_size=1)
zones = st.sampled_from(ZONES)
spans = st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=9))


@given(
    zone=zones, at=wall_times, weekdays=day_sets, after=instants, span=spans, cut=st.floats(0, 1)
)
def test_sweeping_in_pieces_finds_the_same_slots_as_at_once(
    zone: zoneinfo.ZoneInfo,
    at: time,
    weekdays: frozenset[int],
    after: datetime,
    span: timedelta,
    cut: float,
) -> None:
    until = after + span
    middle = after + span * cut
    whole = slots_between(at=at, weekdays=weekdays, zone=zone, after=after, until=until)
    first = slots_between(at=at, weekdays=weekdays, zone=zone, after=after, until=middle)
    second = slots_between(at=at, weekdays=weekdays, zone=zone, after=middle, until=until)
    assert first + second == whole


@given(zone=zones, at=wall_times, weekdays=day_sets, after=instants, span=spans)
def test_each_chosen_local_day_has_exactly_one_slot_at_its_time_or_just_after_a_gap(
    zone: zoneinfo.ZoneInfo,
    at: time,
    weekdays: frozenset[int],
    after: datetime,
    span: timedelta,
) -> None:
    until = after + span
    slots = slots_between(at=at, weekdays=weekdays, zone=zone, after=after, until=until)
    assert slots == sorted(set(slots))
    days = [slot.astimezone(zone).date() for slot in slots]
    assert len(days) == len(set(days))
    for slot in slots:
        assert after < slot <= until
        local = slot.astimezone(zone)
        assert local.weekday() in weekdays
        shown = local.time().replace(tzinfo=None, fold=0)
        if shown != at.replace(fold=0):
            # Only when `at` never showed that day: the slot is the moment the clocks jumped.
            assert shown > at
            assert (slot - timedelta(seconds=1)).astimezone(zone).utcoffset() != local.utcoffset()
    # Every chosen day wholly inside the window has its slot.
    first_day = after.astimezone(zone).date() + timedelta(days=1)
    last_day = until.astimezone(zone).date() - timedelta(days=1)
    day = first_day
    while day <= last_day:
        if day.weekday() in weekdays:
            assert day in days
        day += timedelta(days=1)
