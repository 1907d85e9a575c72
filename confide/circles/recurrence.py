"""Meeting recurrence: RFC 5545 rules expanded with python-dateutil, with no database.

Occurrences are generated from a start that carries the organiser's time zone (a ZoneInfo), so
each occurrence keeps the same wall-clock time and gets the UTC offset that applies on its own
day: a weekly 19:00 meeting in Berlin is 18:00 UTC in winter and 17:00 UTC in summer. Rules
without COUNT or UNTIL are allowed; only a window is ever expanded.
"""

from __future__ import annotations

import re
import zoneinfo
from datetime import UTC, date, datetime, time, timedelta

from dateutil.rrule import rrule, rrulestr
from django.utils.translation import gettext as _

MAX_RULE = 300
MAX_EXPANDED = 500
CHECK_SPAN = timedelta(days=400)
ALLOWED_FREQUENCIES = frozenset({"DAILY", "WEEKLY", "MONTHLY", "YEARLY"})
_RULE_TEXT = re.compile(r"^[A-Z0-9=;,+\-]+$")


class RecurrenceError(ValueError):
    """A rule that cannot be used; the message says why, for the person."""


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


def validate(rule: str, start: datetime) -> None:
    """Refuse rules that are invalid, repeat more than once a day, or never happen."""
    if not rule:
        return
    parsed = parse(rule, start)
    frequency = re.search(r"(?:^|;)FREQ=([A-Z]+)", rule)
    if frequency is None or frequency.group(1) not in ALLOWED_FREQUENCIES:
        raise RecurrenceError(
            _("A meeting can repeat at most once a day. Use FREQ=DAILY, WEEKLY, MONTHLY or YEARLY.")
        )
    try:
        first = parsed.between(start, start + CHECK_SPAN, inc=True)[:MAX_EXPANDED]
    except (ValueError, OverflowError):
        raise RecurrenceError(_("This repeat rule is not valid.")) from None
    if not first:
        raise RecurrenceError(_("This repeat rule gives no meeting in the coming year."))
    days = [when.date() for when in first]
    if len(set(days)) != len(days):
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
    found = parse(rule, start).between(after, before, inc=True)
    return [when.astimezone(UTC) for when in found[:limit]]


def is_occurrence(*, rule: str, start: datetime, when: datetime) -> bool:
    if not rule:
        return when == start
    return bool(occurrences(rule=rule, start=start, after=when, before=when, limit=1))
