"""The one periodic scheduler: which moments are due, as plain time arithmetic, and the hook
through which apps say what they sweep for (so core imports no app above it).

A person's reminder is a wall-clock time in their time zone on chosen weekdays. Its slots are
the instants at which that time comes round, with daylight-saving changes handled so that each
chosen day has exactly one slot:

- on the night clocks go forward, a time in the gap (02:30 when 02:00 becomes 03:00) never
  shows on a clock; its slot is the first moment after the gap (03:00 local time);
- on the night clocks go back, a time that shows twice (02:30 when 03:00 becomes 02:00) has its
  slot the first time only.

Each app registers a sweep in its AppConfig.ready:

    from confide.core.scheduler import Due, Sent, register_sweep

    def find(after, until):   # what fell due in (after, until], as Due items
        return [Due(kind="checkin", subject=str(user_id), slot=instant)]

    def send(item, now):       # do one recorded item (a ScheduledSend row); safe to run twice
        notify(...)
        return Sent.DONE       # or Sent.SKIPPED, or Defer(until) to try again later

    register_sweep("reminders", find=find, send=send)

`confide.core.sweep` runs every registered sweep once a minute inside `confide worker`.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from confide.core.models import ScheduledSend

# A worker that was down catches up what fell due in the last hour; older slots are skipped.
CATCH_UP = timedelta(hours=1)
ONE_SECOND = timedelta(seconds=1)


def wall_clock_instant(day: date, at: time, zone: tzinfo) -> datetime:
    """The instant (in UTC) at which clocks in `zone` show `at` on `day`.

    A time that shows twice (clocks go back) is taken the first time; a time that never shows
    (clocks go forward) is moved to the first moment after the gap.
    """
    wall = datetime.combine(day, at.replace(tzinfo=None, fold=0))
    first = wall.replace(tzinfo=zone).astimezone(UTC)
    if first.astimezone(zone).replace(tzinfo=None) == wall:
        return first
    return _end_of_gap(wall, zone)


def _end_of_gap(wall: datetime, zone: tzinfo) -> datetime:
    """The instant the clocks jump, for a wall-clock time inside the jump.

    Read with the offset after the change (fold=1) the time is an instant before the change;
    read with the offset before it (fold=0), an instant after. The change lies between them, on
    a whole second: halve the interval until it is one second wide.
    """
    before = wall.replace(tzinfo=zone, fold=1).astimezone(UTC)
    after = wall.replace(tzinfo=zone, fold=0).astimezone(UTC)
    offset = before.astimezone(zone).utcoffset()
    while after - before > ONE_SECOND:
        middle = before + timedelta(seconds=int((after - before).total_seconds()) // 2)
        if middle.astimezone(zone).utcoffset() == offset:
            before = middle
        else:
            after = middle
    return after


def slots_between(
    *,
    at: time,
    weekdays: Collection[int],
    zone: tzinfo,
    after: datetime,
    until: datetime,
) -> list[datetime]:
    """The slots in (after, until], in order: the instants at which `at` (wall clock in `zone`)
    comes round on one of `weekdays` (0 is Monday, in the local calendar).

    Any split of a window gives the same slots as the whole window, so sweeping minute by
    minute neither misses nor repeats one.
    """
    if until <= after or not weekdays:
        return []
    day = after.astimezone(zone).date() - timedelta(days=1)
    last = until.astimezone(zone).date() + timedelta(days=1)
    slots = []
    while day <= last:
        if day.weekday() in weekdays:
            instant = wall_clock_instant(day, at, zone)
            if after < instant <= until:
                slots.append(instant)
        day += timedelta(days=1)
    return slots


def sweep_window(now: datetime, *, catch_up: timedelta = CATCH_UP) -> tuple[datetime, datetime]:
    """The window each sweep looks at: (now - catch_up, now].

    Every sweep looks back over the whole catch-up window instead of only since the last sweep:
    what was already recorded is skipped by its unique key, so a sweep that failed half-way or a
    worker that was down for a while leaves no hole, and nothing older than `catch_up` is sent.
    """
    return now - catch_up, now


# --- the hook through which apps register what they sweep for ------------------------------


class Sent(enum.StrEnum):
    DONE = "done"  # done (a notification made, or found already made)
    SKIPPED = "skipped"  # nothing to do any more: turned off, cancelled, already done today


@dataclass(frozen=True)
class Defer:
    """Try again at `until` (e.g. when the person's quiet hours end)."""

    until: datetime


SendOutcome = Sent | Defer


@dataclass(frozen=True)
class Due:
    """Something that fell due. (kind, subject, slot) is its unique key within its sweep."""

    kind: str  # what, within the sweep: "checkin", "meeting", ...
    subject: str  # for whom or what: a person's id, a meeting's id
    slot: datetime  # names the occurrence (aware)
    due_at: datetime | None = None  # when to act, if not at the slot itself

    @property
    def when(self) -> datetime:
        return self.slot if self.due_at is None else self.due_at


Find = Callable[[datetime, datetime], Iterable[Due]]
Send = Callable[["ScheduledSend", datetime], SendOutcome]


@dataclass(frozen=True)
class Sweep:
    name: str
    find: Find
    send: Send


_SWEEPS: dict[str, Sweep] = {}


def register_sweep(name: str, *, find: Find, send: Send) -> None:
    """`find(after, until)` returns what is due in (after, until] (by `Due.when`); `send(item,
    now)` does one recorded item and must be safe to run twice. Registering a name again
    replaces it."""
    _SWEEPS[name] = Sweep(name, find, send)


def registered_sweeps() -> list[Sweep]:
    return list(_SWEEPS.values())


def sweep_named(name: str) -> Sweep | None:
    return _SWEEPS.get(name)
