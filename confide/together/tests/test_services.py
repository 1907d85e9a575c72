"""Plans and the together timer, with time frozen (see conftest.py)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest
import time_machine
from django.db import connection

from confide.accounts.models import User
from confide.notifications.models import Notification
from confide.pairs.models import Pair
from confide.pairs.services import PairError
from confide.pairs.services.pairing import pair_leave, pair_pause
from confide.pairs.tests.factories import make_pair
from confide.together.models import Plan, TogetherTime
from confide.together.services import (
    TogetherError,
    plan_cancel,
    plan_mark_done,
    timer_start,
    timer_stop,
)
from confide.together.tests.factories import make_plan

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]
WHAT = "canary-what-7f1a"
NOTES = "canary-notes-2c4e"


def _raw(column: str, plan: Plan) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM together_plan WHERE id = %s", [plan.pk.hex])  # noqa: S608
        row = cursor.fetchone()
    if row is None:  # PostgreSQL stores UUIDs natively
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {column} FROM together_plan WHERE id = %s", [plan.pk])  # noqa: S608
            row = cursor.fetchone()
    assert row is not None
    return str(row[0])


def test_a_plan_is_stored_in_utc_sealed_and_announced_without_its_words(
    pair: Pair, alex: User, blake: User
) -> None:
    plan = make_plan(pair, alex, what=WHAT, notes=NOTES)
    plan.refresh_from_db()
    # 19:00 in Berlin (UTC+1 in March) is 18:00 UTC.
    assert plan.starts_at == datetime(2026, 3, 11, 18, 0, tzinfo=UTC)
    assert plan.ends_at == datetime(2026, 3, 11, 19, 30, tzinfo=UTC)
    assert plan.time_zone == "Europe/Berlin"
    assert (plan.what, plan.notes, plan.status) == (WHAT, NOTES, Plan.Status.PLANNED)
    assert WHAT not in _raw("what", plan)
    assert NOTES not in _raw("notes", plan)
    note = Notification.objects.get()
    assert (note.user, note.kind) == (blake, "time_together")
    assert note.title == "Alex planned time together"
    assert WHAT not in note.title
    assert note.url == f"/pairs/{pair.pk}/together/plans/{plan.pk}/"


def test_the_date_and_time_are_on_the_planners_own_clock(pair: Pair, blake: User) -> None:
    plan = make_plan(pair, blake)  # Blake's zone is UTC
    assert plan.starts_at == datetime(2026, 3, 11, 19, 0, tzinfo=UTC)
    assert plan.time_zone == "UTC"


TODAY = date(2026, 3, 10)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"day": date(2026, 3, 9)}, "already passed"),
        # Now is 13:00 in Berlin: 13:00 today has just begun, 12:59 has passed.
        ({"day": TODAY, "start_time": time(13, 0)}, "already passed"),
        ({"day": TODAY, "start_time": time(12, 59)}, "already passed"),
        ({"what": ""}, "Say what you would like to do together."),
        ({"what": "   "}, "Say what you would like to do together."),
        ({"what": "x" * 201}, "200 characters or fewer"),
        ({"notes": "x" * 2001}, "2000 characters or fewer"),
        ({"duration_minutes": 4}, "from 5 minutes to 12 hours"),
        ({"duration_minutes": 0}, "from 5 minutes to 12 hours"),
        ({"duration_minutes": 721}, "from 5 minutes to 12 hours"),
        ({"day": date(2026, 3, 29), "start_time": time(2, 30)}, "clocks skip that time"),
        ({"day": date(2028, 3, 11)}, "at most two years ahead"),
    ],
)
def test_bad_plans_are_refused_with_a_reason_and_nothing_is_saved(
    pair: Pair, alex: User, fields: dict[str, Any], message: str
) -> None:
    with pytest.raises(TogetherError) as caught:
        make_plan(pair, alex, **fields)
    assert message in " ".join(caught.value.messages)
    assert not Plan.objects.exists()
    assert not Notification.objects.exists()


def test_a_plan_that_starts_in_a_minute_is_accepted(pair: Pair, alex: User) -> None:
    plan = make_plan(pair, alex, day=TODAY, start_time=time(13, 1), duration_minutes=5)
    assert plan.starts_at == datetime(2026, 3, 10, 12, 1, tzinfo=UTC)


def test_nothing_new_in_an_ended_or_paused_pair(pair: Pair, alex: User, blake: User) -> None:
    pair_pause(pair=pair, user=blake)
    with pytest.raises(PairError, match="paused"):
        make_plan(pair, alex)
    with pytest.raises(PairError, match="paused"):
        timer_start(pair=pair, person=alex)
    pair.refresh_from_db()
    pair_leave(pair=pair, user=blake)
    with pytest.raises(PairError, match="ended"):
        make_plan(pair, alex)
    assert not Plan.objects.exists()
    assert not TogetherTime.objects.exists()


def test_an_outsider_cannot_plan_or_start_a_timer(pair: Pair, casey: User) -> None:
    with pytest.raises(PairError):
        make_plan(pair, casey)
    with pytest.raises(PairError):
        timer_start(pair=pair, person=casey)
    assert not Plan.objects.exists()
    assert not TogetherTime.objects.exists()


def test_the_timer_starts_once_and_stopping_records_the_minutes(
    pair: Pair, alex: User, blake: User, frozen: time_machine.Traveller
) -> None:
    timer = timer_start(pair=pair, person=alex)
    assert timer.is_running
    assert timer.started_at == datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
    note = Notification.objects.get(user=blake)
    assert (note.kind, note.title) == ("time_together", "Alex started the together timer")

    frozen.shift(timedelta(minutes=3))
    for person in (alex, blake):
        with pytest.raises(TogetherError, match="already running"):
            timer_start(pair=pair, person=person)
    assert TogetherTime.objects.count() == 1

    frozen.shift(timedelta(minutes=22, seconds=40))
    stopped = timer_stop(timer=timer, person=blake)
    assert (stopped.minutes, stopped.device_free, stopped.stopped_by) == (25, True, blake)
    assert stopped.stopped_at == datetime(2026, 3, 10, 12, 25, 40, tzinfo=UTC)
    with pytest.raises(TogetherError, match="already been stopped"):
        timer_stop(timer=timer, person=alex)
    stopped.refresh_from_db()
    assert stopped.minutes == 25
    # With the first one stopped, a new timer can start.
    assert timer_start(pair=pair, person=blake).is_running


def test_a_forgotten_timer_counts_at_most_12_hours(
    pair: Pair, alex: User, frozen: time_machine.Traveller
) -> None:
    timer = timer_start(pair=pair, person=alex)
    frozen.shift(timedelta(hours=30))
    assert timer_stop(timer=timer, person=alex).minutes == 720


def test_a_timer_started_from_a_plan_marks_it_done_when_stopped(
    pair: Pair, alex: User, blake: User, frozen: time_machine.Traveller
) -> None:
    plan = make_plan(pair, alex)
    frozen.move_to(datetime(2026, 3, 11, 17, 55, tzinfo=UTC))  # a little early
    timer = timer_start(pair=pair, person=blake, plan=plan)
    with pytest.raises(TogetherError, match="still running"):
        plan_mark_done(plan=plan, person=alex)
    with pytest.raises(TogetherError, match="still running"):
        plan_cancel(plan=plan, person=alex)
    frozen.shift(timedelta(minutes=75))
    timer_stop(timer=timer, person=alex)
    plan.refresh_from_db()
    assert plan.status == Plan.Status.DONE
    assert (plan.closed_by, plan.closed_at) == (alex, datetime(2026, 3, 11, 19, 10, tzinfo=UTC))
    assert list(TogetherTime.objects.values_list("minutes", flat=True)) == [75]
    with pytest.raises(TogetherError, match="already marked done"):
        plan_mark_done(plan=plan, person=alex)
    assert TogetherTime.objects.count() == 1


def test_a_timer_cannot_start_for_a_plan_that_is_over_or_of_another_pair(
    pair: Pair, alex: User, blake: User, casey: User
) -> None:
    plan = make_plan(pair, alex)
    plan_cancel(plan=plan, person=blake)
    with pytest.raises(TogetherError, match="no longer planned"):
        timer_start(pair=pair, person=alex, plan=plan)
    other = make_pair(casey, alex)
    theirs = make_plan(other, casey)
    with pytest.raises(TogetherError, match="another pair"):
        timer_start(pair=pair, person=alex, plan=theirs)
    assert not TogetherTime.objects.exists()


def test_marking_a_plan_done_records_its_minutes_once_it_has_started(
    pair: Pair, alex: User, blake: User, frozen: time_machine.Traveller
) -> None:
    plan = make_plan(pair, alex, device_free=False, duration_minutes=45)
    with pytest.raises(TogetherError, match="not started yet"):
        plan_mark_done(plan=plan, person=blake)
    assert not TogetherTime.objects.exists()
    frozen.move_to(datetime(2026, 3, 11, 18, 0, tzinfo=UTC))
    plan_mark_done(plan=plan, person=blake)
    plan.refresh_from_db()
    assert (plan.status, plan.closed_by) == (Plan.Status.DONE, blake)
    record = TogetherTime.objects.get()
    assert (record.source, record.plan, record.minutes, record.device_free) == (
        "plan",
        plan,
        45,
        False,
    )
    assert record.started_at == plan.starts_at
    with pytest.raises(TogetherError, match="already marked done"):
        plan_mark_done(plan=plan, person=alex)
    with pytest.raises(TogetherError, match="already marked done"):
        plan_cancel(plan=plan, person=alex)
    assert TogetherTime.objects.count() == 1


def test_cancelling_tells_the_partner_and_happens_once(pair: Pair, alex: User, blake: User) -> None:
    plan = make_plan(pair, alex, what=WHAT)
    plan_cancel(plan=plan, person=blake)
    plan.refresh_from_db()
    assert (plan.status, plan.closed_by) == (Plan.Status.CANCELLED, blake)
    note = Notification.objects.get(user=alex)
    assert note.title == "Blake cancelled a planned time together"
    assert WHAT not in note.title
    with pytest.raises(TogetherError, match="was cancelled"):
        plan_cancel(plan=plan, person=alex)
    with pytest.raises(TogetherError, match="was cancelled"):
        plan_mark_done(plan=plan, person=alex)
    assert Notification.objects.filter(user=alex).count() == 1
    assert not TogetherTime.objects.exists()


def test_the_database_holds_one_running_timer_per_pair(pair: Pair, alex: User) -> None:
    from django.db import IntegrityError, transaction

    timer_start(pair=pair, person=alex)
    with pytest.raises(IntegrityError), transaction.atomic():
        TogetherTime.objects.create(
            pair=pair, source="timer", started_at=datetime(2026, 3, 10, tzinfo=UTC)
        )
