"""A meeting's repeat rule in words for people: "Every Thursday at 19:00".

Covers the rules a meeting may have (recurrence.validate: at most one a day; FREQ with
INTERVAL, BYDAY, BYMONTHDAY, BYMONTH, COUNT and UNTIL); anything else gets a plain fallback
sentence instead of the rule's text. Pure: no database.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time

from django.utils import formats
from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

_DAY_CODES = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
_BYDAY = re.compile(r"^([+-]?\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)$")
WORKING_DAYS = [0, 1, 2, 3, 4]
LAST_MONTH_DAY = 31
_KNOWN = {"FREQ", "INTERVAL", "BYDAY", "BYMONTHDAY", "BYMONTH", "COUNT", "UNTIL", "WKST"}


def _day_names() -> list[str]:
    return [
        _("Monday"),
        _("Tuesday"),
        _("Wednesday"),
        _("Thursday"),
        _("Friday"),
        _("Saturday"),
        _("Sunday"),
    ]


def _plural_day_names() -> list[str]:
    return [
        _("Mondays"),
        _("Tuesdays"),
        _("Wednesdays"),
        _("Thursdays"),
        _("Fridays"),
        _("Saturdays"),
        _("Sundays"),
    ]


def _ordinal(number: int) -> str | None:
    words = {
        1: _("first"),
        2: _("second"),
        3: _("third"),
        4: _("fourth"),
        5: _("fifth"),
        -1: _("last"),
        -2: _("second to last"),
    }
    return words.get(number)


def fallback() -> str:
    return _("Repeats on a schedule of its own: the coming dates are listed below.")


def _parts(rule: str) -> dict[str, str] | None:
    parts: dict[str, str] = {}
    for piece in rule.split(";"):
        key, sep, value = piece.partition("=")
        if not sep or key not in _KNOWN or key in parts or not value:
            return None
        parts[key] = value
    return parts


def _int(text: str | None, default: int) -> int | None:
    if text is None:
        return default
    return int(text) if text.lstrip("-+").isdigit() else None


def _days(text: str) -> list[tuple[int | None, int]] | None:
    found = []
    for code in text.split(","):
        match = _BYDAY.match(code)
        if match is None:
            return None
        number = int(match.group(1)) if match.group(1) else None
        found.append((number, _DAY_CODES.index(match.group(2))))
    return found


def _every(parts: dict[str, str], start: date) -> str | None:  # noqa: PLR0911 - a case each
    """The "Every ..." part, without the time and the end."""
    interval = _int(parts.get("INTERVAL"), 1)
    days = _days(parts["BYDAY"]) if "BYDAY" in parts else []
    if interval is None or interval < 1 or days is None:
        return None
    numbered = [d for d in days if d[0] is not None]
    plain = sorted({d[1] for d in days if d[0] is None})
    frequency = parts["FREQ"]
    if frequency in {"DAILY", "WEEKLY"}:
        if numbered or parts.keys() & {"BYMONTHDAY", "BYMONTH"}:
            return None
        return _daily_or_weekly(frequency, interval, plain, start)
    if frequency == "MONTHLY" and "BYMONTH" not in parts:
        where = _month_position(parts, numbered, plain, start)
        if where is None:
            return None
        if interval == 1:
            return _("Every month on %(where)s") % {"where": where}
        return ngettext(
            "Every %(n)d month on %(where)s", "Every %(n)d months on %(where)s", interval
        ) % {"n": interval, "where": where}
    if frequency == "YEARLY" and not days:
        return _yearly(parts, interval, start)
    return None


def _daily_or_weekly(  # noqa: PLR0911 - one sentence per kind of rule
    frequency: str, interval: int, plain: list[int], start: date
) -> str | None:
    if frequency == "DAILY" and not plain:
        if interval == 1:
            return _("Every day")
        return ngettext("Every %(n)d day", "Every %(n)d days", interval) % {"n": interval}
    if frequency == "DAILY" and interval != 1:
        return None
    weekdays = plain or [start.weekday()]
    names = get_text_list([_day_names()[d] for d in weekdays], _("and"))
    if frequency == "WEEKLY" and interval != 1:
        return ngettext(
            "Every %(n)d week on %(days)s", "Every %(n)d weeks on %(days)s", interval
        ) % {"n": interval, "days": names}
    if len(weekdays) == len(_DAY_CODES):
        return _("Every day")
    if weekdays == WORKING_DAYS:
        return _("Every weekday, Monday to Friday")
    return _("Every %(days)s") % {"days": names}


def _yearly(parts: dict[str, str], interval: int, start: date) -> str | None:
    month = _int(parts.get("BYMONTH"), start.month)
    day = _int(parts.get("BYMONTHDAY"), start.day)
    if month is None or day is None:
        return None
    try:
        when = formats.date_format(date(2000, month, day), "MONTH_DAY_FORMAT")  # a leap year
    except ValueError:
        return None
    if interval == 1:
        return _("Every year on %(day)s") % {"day": when}
    return ngettext("Every %(n)d year on %(day)s", "Every %(n)d years on %(day)s", interval) % {
        "n": interval,
        "day": when,
    }


def _month_position(
    parts: dict[str, str],
    numbered: list[tuple[int | None, int]],
    plain: list[int],
    start: date,
) -> str | None:
    if plain or len(numbered) > 1 or ("BYMONTHDAY" in parts and numbered):
        return None
    if numbered:
        number, weekday = numbered[0]
        word = _ordinal(number or 0)
        if word is None:
            return None
        return _("the %(nth)s %(day)s") % {"nth": word, "day": _day_names()[weekday]}
    day = _int(parts.get("BYMONTHDAY"), start.day)
    if day == -1:
        return _("the last day")
    if day is None or not 1 <= day <= LAST_MONTH_DAY:
        return None
    return _("day %(n)d") % {"n": day}


def _until(text: str) -> date | None:
    try:
        return datetime.strptime(text[:8], "%Y%m%d").date()  # noqa: DTZ007 - a calendar date
    except ValueError:
        return None


def describe(rule: str, *, start: date, at: time) -> str:
    """The rule in words with the meeting's local time, or the fallback sentence."""
    parts = _parts(rule) if rule else None
    if not parts or "FREQ" not in parts:
        return fallback()
    every = _every(parts, start)
    if every is None:
        return fallback()
    text = _("%(every)s at %(time)s") % {"every": every, "time": at.strftime("%H:%M")}
    if "COUNT" in parts:
        count = _int(parts["COUNT"], 0)
        if count is None or count < 1:
            return fallback()
        text = ngettext("%(text)s, once", "%(text)s, %(n)d times", count) % {
            "text": text,
            "n": count,
        }
    if "UNTIL" in parts:
        until = _until(parts["UNTIL"])
        if until is None:
            return fallback()
        text = _("%(text)s, until %(day)s") % {
            "text": text,
            "day": formats.date_format(until, "DATE_FORMAT"),
        }
    return text
