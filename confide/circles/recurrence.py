"""Meeting recurrence: RFC 5545 rules expanded with python-dateutil, with no database.

Occurrences are generated from a start that carries the organiser's time zone (a ZoneInfo), so
each occurrence keeps the same wall-clock time and gets the UTC offset that applies on its own
day: a weekly 19:00 meeting in Berlin is 18:00 UTC in winter and 17:00 UTC in summer. Rules
without COUNT or UNTIL are allowed; only a window is ever expanded.

Costly rules are refused before anything is expanded (hours, minutes and seconds belong in the
time field, and a meeting repeats at most once a day), and every expansion is lazy and capped:
at most `MAX_EXPANDED` starts, and dateutil's search is stopped after the calendar years the
window spans (`_BoundedRule`), so a rule that never matches (30 February) costs a few years of
calendar, not a walk to the year 9999.
"""

from __future__ import annotations

import itertools
import re
import zoneinfo
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta

from dateutil.rrule import rrule, rrulestr
from django.utils.translation import gettext as _

MAX_RULE = 300
MAX_EXPANDED = 500
CHECK_SPAN = timedelta(days=400)
ALLOWED_FREQUENCIES = frozenset({"DAILY", "WEEKLY", "MONTHLY", "YEARLY"})
REFUSED_PARTS = ("BYHOUR", "BYMINUTE", "BYSECOND")
_RULE_TEXT = re.compile(r"^[A-Z0-9=;,+\-]+$")


class RecurrenceError(ValueError):
    """A rule that cannot be used; the message says why, for the person."""


class _SearchExhausted(Exception):
    """dateutil walked past the last calendar year the caller asked about."""


class _BoundedRule(rrule):
    """An rrule whose search stops after `years_left` calendar years.

    dateutil looks for the next match year by year until the year 9999 and yields nothing
    while it looks. Its per-year set-up (`_iterinfo.rebuild`) reads `_byweekno` once for each
    new year, so counting those reads bounds the walk from inside. (A test pins that a rule
    with no match is refused in well under a second, so a dateutil upgrade that changes this
    is noticed.)
    """

    years_left = 0

    @property
    def _byweekno(self) -> object:
        self.years_left -= 1
        if self.years_left < 0:
            raise _SearchExhausted
        return self.__dict__["_byweekno"]

    @_byweekno.setter
    def _byweekno(self, value: object) -> None:
        self.__dict__["_byweekno"] = value


def _walk(parsed: rrule, *, start: datetime, before: datetime) -> Iterator[datetime]:
    """Starts from the rule's first one up to `before` (included), lazily; stops quietly when
    the calendar years up to `before` are searched."""
    bounded = parsed
    bounded.__class__ = _BoundedRule
    assert isinstance(bounded, _BoundedRule)  # noqa: S101 - for the type checker
    # One read on entry, one per calendar year visited, one year of margin.
    bounded.years_left = max(0, before.year - start.year) + 3
    found = iter(bounded)
    while True:
        try:
            when = next(found)
        except (StopIteration, _SearchExhausted):
            return
        if when > before:
            return
        yield when


def normalise_rule(text: str) -> str:
    """Upper case, without spaces or an "RRULE:" prefix. Raises RecurrenceError when it does
    not even look like a rule (so nothing odd reaches the parser)."""
    rule = "".join(text.split()).upper()
    rule = rule.removeprefix("RRULE:")
    if not rule:
        return ""
    if len(rule) > MAX_RULE:
        raise RecurrenceError(_("This repeat rule is too long."))
    if not _RULE_TEXT.match(rule) or "FREQ=" not in rule:
        raise RecurrenceError(
            _(
                "This is not a repeat rule we understand. Start it with FREQ=, for example "
                "FREQ=WEEKLY;BYDAY=TH."
            )
        )
    if "DTSTART" in rule:
        raise RecurrenceError(_("Leave the start out of the rule: choose it in the date field."))
    return rule


def local_start(start_date: date, start_time: time, zone: zoneinfo.ZoneInfo) -> datetime:
    return datetime.combine(start_date, start_time).replace(tzinfo=zone)


def parse(rule: str, start: datetime) -> rrule:
    try:
        parsed = rrulestr(rule, dtstart=start)
    except (ValueError, TypeError, KeyError, IndexError, OverflowError):
        raise RecurrenceError(
            _("This repeat rule is not valid. Check it against the examples.")
        ) from None
    if not isinstance(parsed, rrule):  # pragma: no cover - rrulestr without forceset
        raise RecurrenceError(_("Use a single repeat rule."))
    return parsed


def _refuse_costly(rule: str) -> None:
    """Refuse, before parsing, what would repeat more than once a day."""
    frequency = re.search(r"(?:^|;)FREQ=([A-Z]+)", rule)
    if frequency is not None and frequency.group(1) in {"HOURLY", "MINUTELY", "SECONDLY"}:
        raise RecurrenceError(
            _("A meeting can repeat at most once a day. Use FREQ=DAILY, WEEKLY, MONTHLY or YEARLY.")
        )
    parts = {part.split("=", 1)[0] for part in rule.split(";")}
    if parts.intersection(REFUSED_PARTS):
        raise RecurrenceError(
            _(
                "Leave hours, minutes and seconds (BYHOUR, BYMINUTE, BYSECOND) out of the rule: "
                "choose the time in the time field. A meeting repeats at most once a day."
            )
        )


def validate(rule: str, start: datetime) -> None:
    """Refuse rules that are invalid, repeat more than once a day, or never happen."""
    if not rule:
        return
    _refuse_costly(rule)
    parsed = parse(rule, start)
    frequency = re.search(r"(?:^|;)FREQ=([A-Z]+)", rule)
    if frequency is None or frequency.group(1) not in ALLOWED_FREQUENCIES:
        raise RecurrenceError(
            _("A meeting can repeat at most once a day. Use FREQ=DAILY, WEEKLY, MONTHLY or YEARLY.")
        )
    try:
        first = list(
            itertools.islice(_walk(parsed, start=start, before=start + CHECK_SPAN), MAX_EXPANDED)
        )
    except (ValueError, OverflowError):
        raise RecurrenceError(_("This repeat rule is not valid.")) from None
    if not first:
        raise RecurrenceError(_("This repeat rule gives no meeting in the coming year."))
    days = [when.date() for when in first]
    if len(set(days)) != len(days):  # pragma: no cover - one time a day once BYHOUR is refused
        raise RecurrenceError(
            _(
                "This rule puts more than one meeting on the same day. "
                "Meetings repeat at most once a day."
            )
        )


def occurrences(
    *, rule: str, start: datetime, after: datetime, before: datetime, limit: int = MAX_EXPANDED
) -> list[datetime]:
    """Starts (in UTC) from `after` to `before`, both included, at most `limit` of them."""
    if not rule:
        return [start.astimezone(UTC)] if after <= start <= before else []
    if before < after:
        return []
    walk = _walk(parse(rule, start), start=start, before=before)
    found = itertools.islice((when for when in walk if when >= after), limit)
    return [when.astimezone(UTC) for when in found]


def is_occurrence(*, rule: str, start: datetime, when: datetime) -> bool:
    if not rule:
        return when == start
    return bool(occurrences(rule=rule, start=start, after=when, before=when, limit=1))
