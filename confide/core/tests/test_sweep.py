"""The sweep: each slot once, catch-up without a flood, retries, deferral, and the worker."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.core.management import call_command

from confide.core import scheduler
from confide.core.models import ScheduledSend
from confide.core.scheduler import Defer, Due, SendOutcome, Sent
from confide.core.sweep import (
    KEEP,
    MAX_ATTEMPTS,
    RETRY_AFTER,
    SweepThread,
    scheduled_send_run,
    sweep_run,
)

pytestmark = pytest.mark.django_db
NOON = datetime(2026, 5, 4, 12, 0, tzinfo=UTC)
State = ScheduledSend.State


@dataclass
class Clock:
    """A test sweep: an item every `every` minutes, for one subject; records what it sends."""

    every: timedelta = timedelta(minutes=15)
    sent: list[datetime] = field(default_factory=list)
    outcome: Callable[[ScheduledSend, datetime], SendOutcome] = lambda item, now: Sent.DONE

    def find(self, after: datetime, until: datetime) -> list[Due]:
        slot = NOON - timedelta(days=1)
        while slot <= after:
            slot += self.every
        found = []
        while slot <= until:
            found.append(Due(kind="tick", subject="1", slot=slot))
            slot += self.every
        return found

    def send(self, item: ScheduledSend, now: datetime) -> SendOutcome:
        outcome = self.outcome(item, now)
        if outcome == Sent.DONE:
            self.sent.append(item.slot)
        return outcome


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    found = Clock()
    monkeypatch.setitem(
        scheduler._SWEEPS, "test.clock", scheduler.Sweep("test.clock", found.find, found.send)
    )
    return found


@pytest.fixture
def sweep(django_capture_on_commit_callbacks: Any) -> Callable[[datetime], Any]:
    """Sweep at `now`, running the queued tasks as the worker would (the test backend runs
    them at once, after the commit)."""

    def run(now: datetime) -> Any:
        with time_machine.travel(now, tick=False), django_capture_on_commit_callbacks(execute=True):
            return sweep_run()

    return run


def test_each_slot_is_sent_once_however_often_the_sweep_runs(
    clock: Clock, sweep: Callable[[datetime], Any]
) -> None:
    for minute in range(0, 61):
        sweep(NOON + timedelta(minutes=minute))
    sweep(NOON + timedelta(minutes=60))
    expected = [NOON + timedelta(minutes=m) for m in (0, 15, 30, 45, 60)]
    # The first sweep catches up the hour before noon; then each slot comes in its minute.
    first = [NOON - timedelta(minutes=m) for m in (45, 30, 15)]
    assert clock.sent == first + expected
    assert ScheduledSend.objects.filter(sweep="test.clock", state=State.DONE).count() == 8


def test_a_worker_down_for_three_hours_catches_up_only_the_last_hour(
    clock: Clock, sweep: Callable[[datetime], Any]
) -> None:
    sweep(NOON)
    clock.sent.clear()
    report = sweep(NOON + timedelta(hours=3, minutes=5))
    # Twelve slots passed; only the four of the last hour are sent, the rest never.
    assert clock.sent == [NOON + timedelta(hours=2, minutes=m) for m in (15, 30, 45, 60)]
    assert report.recorded == 4
    sweep(NOON + timedelta(hours=3, minutes=6))
    assert len(clock.sent) == 4


def test_a_failed_send_is_tried_again_by_a_later_sweep_and_given_up_after_max_attempts(
    clock: Clock, sweep: Callable[[datetime], Any]
) -> None:
    clock.every = timedelta(days=1)
    failures = iter([True, False])

    def flaky(item: ScheduledSend, now: datetime) -> SendOutcome:
        if next(failures, True):
            raise ConnectionError
        return Sent.DONE

    clock.outcome = flaky
    sweep(NOON)
    [item] = ScheduledSend.objects.filter(sweep="test.clock")
    assert (item.state, item.attempts) == (State.PENDING, 1)
    sweep(NOON + RETRY_AFTER - timedelta(minutes=1))  # not yet
    item.refresh_from_db()
    assert item.attempts == 1
    sweep(NOON + RETRY_AFTER)
    item.refresh_from_db()
    assert (item.state, item.attempts) == (State.DONE, 1)
    assert clock.sent == [NOON]

    # A send that keeps failing is given up, and the next slot is not affected.
    failures = iter([])
    for n in range(MAX_ATTEMPTS + 2):
        sweep(NOON + timedelta(days=1) + RETRY_AFTER * n)
    failed = ScheduledSend.objects.get(sweep="test.clock", slot=NOON + timedelta(days=1))
    assert (failed.state, failed.attempts) == (State.FAILED, MAX_ATTEMPTS)
    clock.outcome = lambda item, now: Sent.DONE
    sweep(NOON + timedelta(days=2))
    assert clock.sent == [NOON, NOON + timedelta(days=2)]


def test_a_deferred_item_comes_when_its_time_comes_and_once(
    clock: Clock, sweep: Callable[[datetime], Any]
) -> None:
    clock.every = timedelta(days=1)
    later = NOON + timedelta(minutes=40)
    clock.outcome = lambda item, now: Defer(later) if now < later else Sent.DONE
    sweep(NOON)
    item = ScheduledSend.objects.get(sweep="test.clock")
    assert (item.state, item.due_at, item.slot) == (State.PENDING, later, NOON)
    for minute in range(1, 50):
        sweep(NOON + timedelta(minutes=minute))
    assert clock.sent == [NOON]
    item.refresh_from_db()
    assert (item.state, item.finished_at) == (State.DONE, later)


def test_a_deferred_item_missed_by_more_than_an_hour_is_skipped(
    clock: Clock, sweep: Callable[[datetime], Any]
) -> None:
    clock.every = timedelta(days=1)
    clock.outcome = lambda item, now: Defer(NOON + timedelta(minutes=30))
    sweep(NOON)
    clock.outcome = lambda item, now: Sent.DONE
    report = sweep(NOON + timedelta(hours=2))  # the worker was down when it was due
    assert report.missed == 1
    assert clock.sent == []
    assert ScheduledSend.objects.get(sweep="test.clock").state == State.SKIPPED


def test_a_task_that_runs_twice_sends_once(clock: Clock) -> None:
    clock.every = timedelta(days=1)
    with time_machine.travel(NOON, tick=False):
        sweep_run()  # recorded; its task waits for the commit, which never comes here
        [item] = ScheduledSend.objects.filter(sweep="test.clock")
        assert scheduled_send_run(send_id=item.pk) == "done"
        assert scheduled_send_run(send_id=item.pk) == "gone"
    assert clock.sent == [NOON]


def test_an_item_of_a_sweep_no_longer_registered_is_skipped(clock: Clock) -> None:
    item = ScheduledSend.objects.create(
        sweep="removed.app", kind="x", subject="1", slot=NOON, due_at=NOON
    )
    assert scheduled_send_run(send_id=item.pk, now=NOON) == "unknown sweep"
    item.refresh_from_db()
    assert item.state == State.SKIPPED


def test_one_sweeps_failure_does_not_stop_the_others(
    clock: Clock, monkeypatch: pytest.MonkeyPatch, sweep: Callable[[datetime], Any]
) -> None:
    def broken(after: datetime, until: datetime) -> list[Due]:
        raise RuntimeError

    monkeypatch.setitem(
        scheduler._SWEEPS,
        "a.broken",
        scheduler.Sweep("a.broken", broken, lambda item, now: Sent.DONE),
    )
    report = sweep(NOON)
    assert report.failed == ["a.broken"]
    assert NOON in clock.sent


def test_finished_items_are_forgotten_after_two_weeks(
    clock: Clock, sweep: Callable[[datetime], Any]
) -> None:
    clock.every = timedelta(days=1)
    sweep(NOON)
    assert sweep(NOON + KEEP).pruned == 0
    assert sweep(NOON + KEEP + timedelta(minutes=1)).pruned == 1
    assert not ScheduledSend.objects.filter(slot=NOON).exists()


def test_the_worker_can_sweep_once_and_say_what_it_did(clock: Clock) -> None:
    out = io.StringIO()
    with time_machine.travel(NOON + timedelta(minutes=1), tick=False):
        call_command("worker", "--sweep-once", stdout=out)
    assert out.getvalue().startswith("Sweep: recorded 4, ")
    assert ScheduledSend.objects.filter(sweep="test.clock").count() == 4


@pytest.mark.django_db(transaction=True)
def test_the_worker_in_batch_mode_sweeps_then_runs_the_tasks(clock: Clock, settings: Any) -> None:
    from confide.notifications.tests.conftest import DATABASE_TASKS, waiting_tasks

    settings.TASKS = DATABASE_TASKS  # the queue is in the database, as in production
    clock.every = timedelta(days=1)
    with time_machine.travel(NOON + timedelta(minutes=1), tick=False):
        call_command("worker", "--batch", "--interval", "0", verbosity=0)
    assert clock.sent == [NOON]
    assert waiting_tasks() == []


@pytest.mark.django_db(transaction=True)
def test_the_sweep_thread_sweeps_at_once_and_stops_when_asked(clock: Clock) -> None:
    thread = SweepThread(every=3600)
    with time_machine.travel(NOON, tick=False):
        thread.start()
        try:
            assert thread.swept.wait(timeout=30)
        finally:
            thread.stop()
    assert not thread.is_alive()
    assert ScheduledSend.objects.filter(sweep="test.clock").count() == 4


def test_a_failing_sweep_in_the_thread_is_logged_and_the_thread_goes_on(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(**kwargs: Any) -> Any:
        raise RuntimeError("anything")

    monkeypatch.setattr("confide.core.sweep.sweep_run", broken)
    thread = SweepThread()
    monkeypatch.setattr("confide.core.sweep.connections.close_all", lambda: None)
    assert thread.sweep_once() is None
    assert "The sweep failed; it runs again in a minute: RuntimeError" in caplog.text
    assert "anything" not in caplog.text
