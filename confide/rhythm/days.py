"""Weeks, months and the weekly bids summary: pure functions on plain values, no database.

Nothing here counts consecutive days. The recovery contract's calendar marks each day on its
own (kept, stated, or quiet), so a day without an entry never "breaks" anything.
"""

from __future__ import annotations

import calendar
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Final, Literal

# A calendar day of the recovery contract, as the viewer sees it.
CellState = Literal["kept", "stated", "quiet", "before", "future", "outside"]
TURNED_TOWARD: Final = "turned_toward"
# Nothing in a pair's rhythm is older than this; earlier dates in a link fall back to today.
EARLIEST: Final = date(2000, 1, 3)
CAME_BACK: Final = "came_back"


def week_start(day: date) -> date:
    """The Monday of the week that holds `day`."""
    return day - timedelta(days=day.weekday())


def parse_week(raw: str | None, *, today: date) -> date:
    """The Monday of the week named by `raw` ("2026-03-04"), or of this week when `raw` is
    absent, malformed or in the future."""
    try:
        chosen = date.fromisoformat(raw) if raw else today
    except ValueError:
        chosen = today
    if chosen < EARLIEST:
        chosen = today
    return week_start(min(chosen, today))


def parse_month(raw: str | None, *, today: date) -> date:
    """The first of the month named by `raw` ("2026-03"), else this month; never the future."""
    try:
        year, month = (int(part) for part in (raw or "").split("-"))
        chosen = date(year, month, 1)
    except ValueError:
        chosen = today.replace(day=1)
    if chosen < EARLIEST:
        chosen = today.replace(day=1)
    return min(chosen, today.replace(day=1))


def previous_month(first: date) -> date:
    return (first - timedelta(days=1)).replace(day=1)


def next_month(first: date) -> date:
    return (first + timedelta(days=32)).replace(day=1)


@dataclass(frozen=True)
class Cell:
    day: date
    state: CellState


def month_grid(
    first: date, *, kept: Iterable[date], stated: Iterable[date], since: date | None, today: date
) -> list[list[Cell]]:
    """The weeks (Monday first) of the month starting at `first`.

    `kept`: days with an acknowledged intention; `stated`: days with an intention not (yet)
    acknowledged; `since`: the first day of the contract (None: never began). Days of other
    months are "outside"; days before the contract "before"; days after today "future"; any
    other day without an entry is "quiet", a neutral word, never a miss.
    """
    kept_days, stated_days = set(kept), set(stated)
    weeks = []
    for week in calendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month):
        row = []
        for day in week:
            state: CellState
            if day.month != first.month:
                state = "outside"
            elif day in kept_days:
                state = "kept"
            elif day in stated_days:
                state = "stated"
            elif day > today:
                state = "future"
            elif since is None or day < since:
                state = "before"
            else:
                state = "quiet"
            row.append(Cell(day, state))
        weeks.append(row)
    return weeks


@dataclass(frozen=True)
class PersonBids:
    turned_toward: int = 0
    came_back: int = 0

    @property
    def noticed(self) -> int:
        return self.turned_toward + self.came_back


@dataclass(frozen=True)
class BidWeek:
    week_start: date
    by_person: dict[int, PersonBids]

    @property
    def noticed(self) -> int:
        return sum(p.noticed for p in self.by_person.values())

    def of(self, person_id: int) -> PersonBids:
        return self.by_person.get(person_id, PersonBids())


def bid_weeks(
    rows: Iterable[tuple[date, int, str]], *, people: Iterable[int], today: date, weeks: int
) -> list[BidWeek]:
    """The last `weeks` weeks up to today, newest first: for each person, how many of their
    partner's bids they turned toward at once and how many they came back to later.
    `rows` are (day, person id, kind). Weeks without a tap are listed too, with zeros."""
    counts: Counter[tuple[date, int, str]] = Counter(
        (week_start(day), person, kind) for day, person, kind in rows
    )
    ids = list(people)
    this_week = week_start(today)
    found = []
    for n in range(weeks):
        start = this_week - timedelta(weeks=n)
        found.append(
            BidWeek(
                start,
                {
                    person: PersonBids(
                        counts[(start, person, TURNED_TOWARD)], counts[(start, person, CAME_BACK)]
                    )
                    for person in ids
                },
            )
        )
    return found
