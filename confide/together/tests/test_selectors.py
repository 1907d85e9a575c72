"""The month view's figures and the home page's "due today" item."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest
import time_machine

from confide.accounts.models import User
from confide.core.due import _PROVIDERS, DueAsk
from confide.pairs.due import person_pairs
from confide.pairs.models import Pair
from confide.pairs.services.pairing import pair_leave
from confide.pairs.tests.factories import make_pair
from confide.together import clock
from confide.together.due import due_today
from confide.together.models import TogetherTime
from confide.together.selectors import month_summary
from confide.together.services import plan_cancel, plan_mark_done, timer_start, timer_stop
from confide.together.tests.factories import make_plan

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]
BERLIN = clock.zone_of("Europe/Berlin")
UTC_ZONE = clock.zone_of("UTC")


def _timer(pair: Pair, person: User, start: datetime, minutes: int) -> None:
    with time_machine.travel(start, tick=False) as traveller:
        timer = timer_start(pair=pair, person=person)
        traveller.shift(timedelta(minutes=minutes))
        timer_stop(timer=timer, person=person)


def test_the_month_adds_minutes_per_week_and_counts_plans_planned_and_done(
    pair: Pair, alex: User, blake: User, frozen: time_machine.Traveller
) -> None:
    done = make_plan(pair, alex, day=date(2026, 3, 11), duration_minutes=60, device_free=False)
    make_plan(pair, blake, day=date(2026, 3, 12))  # still planned
    cancelled = make_plan(pair, alex, day=date(2026, 3, 13))
    make_plan(pair, alex, day=date(2026, 4, 2))  # next month
    plan_cancel(plan=cancelled, person=blake)
    _timer(pair, alex, datetime(2026, 3, 2, 19, 0, tzinfo=UTC), 30)  # week of 2 March
    _timer(pair, blake, datetime(2026, 3, 16, 19, 0, tzinfo=UTC), 20)
    _timer(pair, blake, datetime(2026, 3, 17, 19, 0, tzinfo=UTC), 25)
    # 23:30 UTC on 31 March is already 1 April in Berlin, but still March in UTC.
    _timer(pair, alex, datetime(2026, 3, 31, 22, 30, tzinfo=UTC), 15)
    frozen.move_to(datetime(2026, 3, 12, 0, 0, tzinfo=UTC))
    plan_mark_done(plan=done, person=blake)

    month = month_summary(pair=pair, zone=BERLIN, year=2026, month=3)
    rows = [
        (w.first.day, w.last.day, w.minutes, w.device_free_minutes, w.planned, w.done)
        for w in month.weeks
    ]
    assert rows == [
        (1, 1, 0, 0, 0, 0),
        (2, 8, 30, 30, 0, 0),
        (9, 15, 60, 0, 2, 1),  # the cancelled plan is not counted as planned
        (16, 22, 45, 45, 0, 0),
        (23, 29, 0, 0, 0, 0),
        (30, 31, 0, 0, 0, 0),
    ]
    assert (month.minutes, month.device_free_minutes, month.planned, month.done) == (
        135,
        75,
        2,
        1,
    )
    assert [p.status for p in month.plans] == ["done", "planned", "cancelled"]
    april = month_summary(pair=pair, zone=BERLIN, year=2026, month=4)
    assert (april.minutes, april.planned) == (15, 1)
    # The same month on a UTC clock keeps the late timer in March.
    assert month_summary(pair=pair, zone=UTC_ZONE, year=2026, month=3).minutes == 150


def test_the_month_shows_only_this_pairs_time(pair: Pair, alex: User, casey: User) -> None:
    other = make_pair(alex, casey)
    _timer(other, casey, datetime(2026, 3, 3, 19, 0, tzinfo=UTC), 40)
    make_plan(other, casey)
    month = month_summary(pair=pair, zone=BERLIN, year=2026, month=3)
    assert (month.minutes, month.planned, month.plans) == (0, 0, [])


def test_a_running_timer_is_not_counted_until_it_stops(pair: Pair, alex: User) -> None:
    timer_start(pair=pair, person=alex)
    assert month_summary(pair=pair, zone=BERLIN, year=2026, month=3).minutes == 0
    assert TogetherTime.objects.filter(stopped_at__isnull=True).count() == 1


def test_a_plan_today_is_due_for_both_partners_without_its_words(
    pair: Pair, alex: User, blake: User, casey: User
) -> None:
    make_plan(pair, alex, what="canary-due-5d1e", day=date(2026, 3, 10), start_time=time(19, 30))
    make_plan(pair, alex, day=date(2026, 3, 11))  # tomorrow: not due today
    assert _PROVIDERS["together"] is due_today  # registered for the home page
    for_alex = due_today(alex, date(2026, 3, 10))
    assert [(str(i.title), str(i.detail)) for i in for_alex] == [
        ("Time together with Blake", "at 19:30")
    ]
    # Blake's clock is UTC: 19:30 in Berlin is 18:30 for Blake.
    for_blake = due_today(blake, date(2026, 3, 10))
    assert [(str(i.title), str(i.detail)) for i in for_blake] == [
        ("Time together with Alex", "at 18:30")
    ]
    assert "canary-due-5d1e" not in repr(for_alex + for_blake)
    assert due_today(casey, date(2026, 3, 10)) == []


def test_a_cancelled_plan_or_an_ended_pair_is_not_due(pair: Pair, alex: User, blake: User) -> None:
    plan = make_plan(pair, alex, day=date(2026, 3, 10), start_time=time(19, 30))
    plan_cancel(plan=plan, person=blake)
    make_plan(pair, alex, day=date(2026, 3, 10), start_time=time(20, 30))
    pair_leave(pair=pair, user=blake)
    assert due_today(alex, date(2026, 3, 10)) == []


def test_the_due_provider_makes_one_query_once_the_pairs_are_read(
    pair: Pair, alex: User, casey: User, django_assert_num_queries: Any
) -> None:
    for hour in (15, 17, 19, 21):
        make_plan(pair, alex, day=date(2026, 3, 10), start_time=time(hour))
    ask = DueAsk(alex, date(2026, 3, 10))
    person_pairs(ask)  # the home page reads the person's pairs once, for every provider
    with django_assert_num_queries(1):
        items = due_today(alex, date(2026, 3, 10), ask=ask)
    assert [str(i.detail) for i in items] == ["at 15:00", "at 17:00", "at 19:00", "at 21:00"]
    outsider = DueAsk(casey, date(2026, 3, 10))
    person_pairs(outsider)
    with django_assert_num_queries(0):  # no pair, no plan to look for
        assert due_today(casey, date(2026, 3, 10), ask=outsider) == []
