"""Weeks, months, the contract calendar and the weekly bids summary: pure tables."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from confide.rhythm.days import (
    Cell,
    bid_weeks,
    month_grid,
    next_month,
    parse_month,
    parse_week,
    previous_month,
    week_start,
)

TODAY = date(2026, 3, 18)  # a Wednesday


@pytest.mark.parametrize(
    ("day", "monday"),
    [
        (date(2026, 3, 16), date(2026, 3, 16)),
        (date(2026, 3, 18), date(2026, 3, 16)),
        (date(2026, 3, 22), date(2026, 3, 16)),
        (date(2026, 3, 1), date(2026, 2, 23)),
        (date(2027, 1, 1), date(2026, 12, 28)),
    ],
)
def test_a_week_starts_on_monday(day: date, monday: date) -> None:
    assert week_start(day) == monday


@given(st.dates())
def test_week_start_is_a_monday_at_most_six_days_before(day: date) -> None:
    try:
        start = week_start(day)
    except OverflowError:
        return
    assert start.weekday() == 0
    assert timedelta(0) <= day - start <= timedelta(days=6)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (None, date(2026, 3, 16)),
        ("", date(2026, 3, 16)),
        ("2026-03-04", date(2026, 3, 2)),
        ("not-a-date", date(2026, 3, 16)),
        ("2026-02-30", date(2026, 3, 16)),
        ("2099-01-01", date(2026, 3, 16)),  # never the future
        ("9" * 300, date(2026, 3, 16)),
        ("0001-01-01", date(2026, 3, 16)),  # a week before it would not exist
    ],
)
def test_parse_week(raw: str | None, expected: date) -> None:
    assert parse_week(raw, today=TODAY) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (None, date(2026, 3, 1)),
        ("2026-01", date(2026, 1, 1)),
        ("2026-13", date(2026, 3, 1)),
        ("2026", date(2026, 3, 1)),
        ("abc-de", date(2026, 3, 1)),
        ("2027-05", date(2026, 3, 1)),
        ("0001-01", date(2026, 3, 1)),
    ],
)
def test_parse_month(raw: str | None, expected: date) -> None:
    assert parse_month(raw, today=TODAY) == expected


def test_months_before_and_after() -> None:
    assert previous_month(date(2026, 1, 1)) == date(2025, 12, 1)
    assert next_month(date(2026, 12, 1)) == date(2027, 1, 1)
    assert next_month(date(2026, 1, 1)) == date(2026, 2, 1)


def _states(grid: list[list[Cell]]) -> dict[date, str]:
    return {cell.day: cell.state for week in grid for cell in week}


@pytest.mark.parametrize(
    ("day", "state"),
    [
        (date(2026, 3, 2), "before"),  # before the contract began
        (date(2026, 3, 5), "kept"),
        (date(2026, 3, 6), "quiet"),  # no entry: a neutral word, never "missed"
        (date(2026, 3, 9), "stated"),
        (date(2026, 3, 18), "quiet"),  # today, no entry yet
        (date(2026, 3, 19), "future"),
        (date(2026, 2, 28), "outside"),
        (date(2026, 4, 1), "outside"),
    ],
)
def test_the_contract_calendar_marks_each_day_on_its_own(day: date, state: str) -> None:
    grid = month_grid(
        date(2026, 3, 1),
        kept=[date(2026, 3, 5), date(2026, 3, 7)],
        stated=[date(2026, 3, 9)],
        since=date(2026, 3, 4),
        today=TODAY,
    )
    assert all(len(week) == 7 for week in grid)
    assert _states(grid)[day] == state


def test_a_contract_that_never_began_shows_no_quiet_days() -> None:
    grid = month_grid(date(2026, 3, 1), kept=[], stated=[], since=None, today=TODAY)
    assert "quiet" not in _states(grid).values()


def test_a_missed_day_does_not_change_the_days_around_it() -> None:
    """No streak: the day after a quiet day is kept exactly as if the quiet day were kept."""
    kept = [date(2026, 3, d) for d in (4, 5, 7, 8)]
    with_gap = _states(
        month_grid(date(2026, 3, 1), kept=kept, stated=[], since=kept[0], today=TODAY)
    )
    without = _states(
        month_grid(
            date(2026, 3, 1), kept=[*kept, date(2026, 3, 6)], stated=[], since=kept[0], today=TODAY
        )
    )
    assert with_gap[date(2026, 3, 6)] == "quiet"
    assert {d: s for d, s in with_gap.items() if d != date(2026, 3, 6)} == {
        d: s for d, s in without.items() if d != date(2026, 3, 6)
    }


ALEX, BLAKE = 1, 2


@pytest.mark.parametrize(
    ("rows", "week", "person", "toward", "back"),
    [
        ([], 0, ALEX, 0, 0),
        ([(TODAY, ALEX, "turned_toward")], 0, ALEX, 1, 0),
        ([(TODAY, ALEX, "turned_toward")], 0, BLAKE, 0, 0),
        ([(TODAY, ALEX, "came_back"), (date(2026, 3, 16), ALEX, "came_back")], 0, ALEX, 0, 2),
        ([(date(2026, 3, 15), BLAKE, "turned_toward")], 1, BLAKE, 1, 0),  # Sunday: last week
        ([(date(2026, 2, 23), BLAKE, "turned_toward")], 3, BLAKE, 1, 0),
        ([(date(2026, 2, 22), BLAKE, "turned_toward")], 3, BLAKE, 0, 0),  # older than 4 weeks
    ],
)
def test_bid_weeks_count_each_persons_notes(
    rows: list[tuple[date, int, str]], week: int, person: int, toward: int, back: int
) -> None:
    weeks = bid_weeks(rows, people=[ALEX, BLAKE], today=TODAY, weeks=4)
    assert [w.week_start for w in weeks] == [
        date(2026, 3, 16),
        date(2026, 3, 9),
        date(2026, 3, 2),
        date(2026, 2, 23),
    ]
    counts = weeks[week].of(person)
    assert (counts.turned_toward, counts.came_back) == (toward, back)
    assert counts.noticed == toward + back
