"""Recurrence rules, with no database: parametrised tables, and a daylight-saving change."""

from __future__ import annotations

import time as time_module
import zoneinfo
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta

import pytest

from confide.circles.recurrence import (
    RecurrenceError,
    is_occurrence,
    local_start,
    normalise_rule,
    occurrences,
    validate,
)

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
NEW_YORK = zoneinfo.ZoneInfo("America/New_York")
START = local_start(date(2026, 3, 19), time(19, 0), BERLIN)  # Thursday; DST starts 29 March


def test_a_weekly_meeting_keeps_its_wall_clock_time_across_the_change_to_summer_time() -> None:
    found = occurrences(
        rule="FREQ=WEEKLY",
        start=START,
        after=START,
        before=START + timedelta(days=21),
    )
    assert found == [
        datetime(2026, 3, 19, 18, 0, tzinfo=UTC),  # CET, UTC+1
        datetime(2026, 3, 26, 18, 0, tzinfo=UTC),
        datetime(2026, 4, 2, 17, 0, tzinfo=UTC),  # CEST, UTC+2
        datetime(2026, 4, 9, 17, 0, tzinfo=UTC),
    ]
    assert {when.astimezone(BERLIN).time() for when in found} == {time(19, 0)}


def test_a_viewer_in_another_zone_sees_the_hour_move_when_only_one_side_changes() -> None:
    # The US changes on 8 March and Europe on 29 March: for three weeks the gap is 5 hours.
    start = local_start(date(2026, 3, 5), time(19, 0), BERLIN)
    found = occurrences(
        rule="FREQ=WEEKLY;COUNT=5", start=start, after=start, before=start + timedelta(days=40)
    )
    in_new_york = [when.astimezone(NEW_YORK).strftime("%d %H:%M") for when in found]
    assert in_new_york == ["05 13:00", "12 14:00", "19 14:00", "26 14:00", "02 13:00"]


def test_the_change_back_to_winter_time() -> None:
    start = local_start(date(2026, 10, 22), time(9, 30), BERLIN)
    found = occurrences(
        rule="FREQ=WEEKLY;COUNT=2", start=start, after=start, before=start + timedelta(days=30)
    )
    assert found == [
        datetime(2026, 10, 22, 7, 30, tzinfo=UTC),
        datetime(2026, 10, 29, 8, 30, tzinfo=UTC),
    ]


def test_an_unbounded_rule_is_only_expanded_in_the_window() -> None:
    found = occurrences(
        rule="FREQ=DAILY", start=START, after=START, before=START + timedelta(days=9)
    )
    assert len(found) == 10


def test_until_and_count_bound_a_rule() -> None:
    end = START + timedelta(days=365)
    assert len(occurrences(rule="FREQ=WEEKLY;COUNT=3", start=START, after=START, before=end)) == 3
    until = "FREQ=WEEKLY;UNTIL=20260410T000000Z"
    assert len(occurrences(rule=until, start=START, after=START, before=end)) == 4


def test_a_one_off_meeting_has_one_occurrence() -> None:
    assert occurrences(rule="", start=START, after=START, before=START) == [START.astimezone(UTC)]
    assert is_occurrence(rule="", start=START, when=START.astimezone(UTC))
    assert not is_occurrence(rule="", start=START, when=START.astimezone(UTC) + timedelta(hours=1))


def test_only_real_occurrences_count() -> None:
    assert is_occurrence(
        rule="FREQ=WEEKLY", start=START, when=datetime(2026, 4, 2, 17, 0, tzinfo=UTC)
    )
    assert not is_occurrence(
        rule="FREQ=WEEKLY", start=START, when=datetime(2026, 4, 2, 18, 0, tzinfo=UTC)
    )
    assert not is_occurrence(
        rule="FREQ=WEEKLY", start=START, when=datetime(2026, 4, 3, 17, 0, tzinfo=UTC)
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("freq=weekly;byday=th", "FREQ=WEEKLY;BYDAY=TH"),
        ("RRULE:FREQ=MONTHLY;BYDAY=1MO", "FREQ=MONTHLY;BYDAY=1MO"),
        ("  ", ""),
    ],
)
def test_rules_are_normalised(text: str, expected: str) -> None:
    assert normalise_rule(text) == expected


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ("FREQ=HOURLY", "at most once a day"),
        ("FREQ=MINUTELY;INTERVAL=5", "at most once a day"),
        ("FREQ=SECONDLY", "at most once a day"),
        ("FREQ=DAILY;BYHOUR=9,17", "Leave hours, minutes and seconds"),
        ("FREQ=WEEKLY;BYDAY=MO;BYHOUR=8,20", "Leave hours, minutes and seconds"),
        ("FREQ=WEEKLY;BYHOUR=8", "Leave hours, minutes and seconds"),
        ("FREQ=MONTHLY;BYMINUTE=30", "Leave hours, minutes and seconds"),
        ("FREQ=YEARLY;BYSECOND=1", "Leave hours, minutes and seconds"),
        ("FREQ=HOURLY;BYHOUR=1", "at most once a day"),
        ("FREQ=FORTNIGHTLY", "not valid"),
        ("FREQ=WEEKLY;BYDAY=XX", "not valid"),
        ("FREQ=WEEKLY;COUNT=abc", "not valid"),
        ("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=31", "no meeting"),
        ("FREQ=WEEKLY;UNTIL=20200101T000000Z", "no meeting"),
    ],
)
def test_bad_rules_are_refused_with_a_reason(rule: str, message: str) -> None:
    with pytest.raises(RecurrenceError, match=message):
        validate(normalise_rule(rule), START)


@pytest.mark.parametrize(
    "text",
    ["<script>", "DTSTART:20260101T000000;FREQ=DAILY", "BYDAY=MO", "FREQ=WEEKLY;" + "X" * 400],
)
def test_text_that_is_not_a_rule_is_refused_before_parsing(text: str) -> None:
    with pytest.raises(RecurrenceError):
        normalise_rule(text)


@pytest.mark.parametrize(
    "rule",
    ["FREQ=DAILY", "FREQ=WEEKLY;BYDAY=MO,TH", "FREQ=MONTHLY;BYDAY=-1FR", "FREQ=YEARLY;COUNT=2"],
)
def test_good_rules_pass(rule: str) -> None:
    validate(rule, START)


HOSTILE_RULE = (
    "FREQ=DAILY;BYHOUR="
    + ",".join(str(n) for n in range(24))
    + ";BYMINUTE="
    + ",".join(str(n) for n in range(60))
    + ";BYSECOND="
    + ",".join(str(n) for n in range(10))
)


def _seconds(call: Callable[[], object]) -> float:
    began = time_module.process_time()
    call()
    return time_module.process_time() - began


def _refused(rule: str) -> None:
    with pytest.raises(RecurrenceError):
        validate(rule, START)


@pytest.mark.parametrize(
    "rule",
    [
        pytest.param(HOSTILE_RULE, id="every-second-of-the-day"),
        pytest.param("FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30", id="daily-never"),
        pytest.param("FREQ=WEEKLY;BYMONTH=4;BYMONTHDAY=31", id="weekly-never"),
        pytest.param("FREQ=MONTHLY;BYMONTHDAY=31;BYMONTH=6", id="monthly-never"),
        pytest.param("FREQ=DAILY;INTERVAL=7;BYDAY=MO;BYMONTHDAY=13;BYMONTH=2", id="rare"),
    ],
)
def test_costly_rules_are_refused_quickly(rule: str) -> None:
    # Before the cap these took seconds (the whole calendar up to the year 9999 was searched).
    assert _seconds(lambda: _refused(normalise_rule(rule))) < 0.5


def test_a_rule_that_never_happens_is_expanded_quickly_and_gives_nothing() -> None:
    rule = "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30"
    far = START + timedelta(days=3000)
    found: list[datetime] = []
    took = _seconds(
        lambda: found.extend(
            occurrences(rule=rule, start=START, after=far, before=far + timedelta(days=400))
        )
    )
    assert found == []
    assert took < 0.5
    assert not is_occurrence(rule=rule, start=START, when=far)


def test_expansion_is_capped_and_lazy() -> None:
    found = occurrences(
        rule="FREQ=DAILY",
        start=START,
        after=START,
        before=START + timedelta(days=365 * 50),
        limit=7,
    )
    assert len(found) == 7
    assert found[-1] == datetime(2026, 3, 25, 18, 0, tzinfo=UTC)


def test_a_rare_rule_far_from_its_start_is_still_found() -> None:
    # Leap days: the search covers every calendar year of the window, no more.
    found = occurrences(
        rule="FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29",
        start=START,
        after=START,
        before=START + timedelta(days=365 * 7),
    )
    assert [when.date() for when in found] == [date(2028, 2, 29), date(2032, 2, 29)]


def test_a_window_before_its_after_is_empty() -> None:
    assert (
        occurrences(rule="FREQ=DAILY", start=START, after=START, before=START - timedelta(1)) == []
    )
