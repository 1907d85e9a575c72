"""Reminders through the scheduler: frozen time across daylight-saving changes, two workers at
once, a worker that was down, quiet hours."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta
from typing import Any

import pytest
import time_machine
from django.core import mail

from confide.accounts.models import User
from confide.core import sweep as sweep_module
from confide.core.models import ScheduledSend
from confide.core.sweep import sweep_run
from confide.notifications.models import Kind, Notification, NotificationPreference, QuietHours
from confide.pairs.models import Pair
from confide.reminders.models import ALL_DAYS, Reminder

pytestmark = pytest.mark.django_db
LONG_AGO = datetime(2026, 1, 1, tzinfo=UTC)
Sweep = Callable[[datetime], Any]


def remind(user: User, kind: str = "checkin", at: time = time(20, 0), days: int = ALL_DAYS) -> None:
    Reminder.objects.create(
        user=user, kind=kind, at=at, weekdays=days, enabled=True, changed_at=LONG_AGO
    )


def reminders(user: User) -> list[Notification]:
    return list(Notification.objects.filter(user=user, kind=Kind.REMINDER).order_by("created_at"))


@pytest.fixture
def sweep(django_capture_on_commit_callbacks: Any) -> Sweep:
    def run(now: datetime) -> Any:
        with time_machine.travel(now, tick=False), django_capture_on_commit_callbacks(execute=True):
            return sweep_run()

    return run


def sweep_every_minute(sweep: Sweep, start: datetime, end: datetime) -> None:
    now = start
    while now <= end:
        sweep(now)
        now += timedelta(minutes=1)


@pytest.mark.parametrize(
    ("zone", "at", "start", "expected"),
    [
        # Berlin springs forward at 01:00 UTC on 29 March 2026 (02:00 -> 03:00): a 02:30
        # reminder comes once, at 03:00 local time.
        (
            "Europe/Berlin",
            time(2, 30),
            datetime(2026, 3, 28, 23, 50, tzinfo=UTC),
            datetime(2026, 3, 29, 1, 0, tzinfo=UTC),
        ),
        # Berlin falls back at 01:00 UTC on 25 October 2026 (03:00 -> 02:00): 02:30 shows twice,
        # the reminder comes the first time only.
        (
            "Europe/Berlin",
            time(2, 30),
            datetime(2026, 10, 24, 23, 50, tzinfo=UTC),
            datetime(2026, 10, 25, 0, 30, tzinfo=UTC),
        ),
        # New York: spring forward at 07:00 UTC on 8 March, fall back at 06:00 UTC on 1 November.
        (
            "America/New_York",
            time(2, 30),
            datetime(2026, 3, 8, 5, 50, tzinfo=UTC),
            datetime(2026, 3, 8, 7, 0, tzinfo=UTC),
        ),
        (
            "America/New_York",
            time(1, 30),
            datetime(2026, 11, 1, 4, 50, tzinfo=UTC),
            datetime(2026, 11, 1, 5, 30, tzinfo=UTC),
        ),
    ],
)
def test_a_reminder_across_a_daylight_saving_change_comes_once_at_the_right_moment(
    pair: Pair, alex: User, sweep: Sweep, zone: str, at: time, start: datetime, expected: datetime
) -> None:
    alex.time_zone = zone
    alex.save(update_fields=["time_zone"])
    remind(alex, at=at)
    sweep_every_minute(sweep, start, start + timedelta(hours=2, minutes=30))
    [reminder] = reminders(alex)
    assert reminder.created_at == expected
    assert reminder.title == "Your check-in reminder"


def test_a_worker_down_for_three_hours_sends_only_what_fell_due_in_the_last_hour(
    pair: Pair, alex: User, blake: User, sweep: Sweep
) -> None:
    # Alex is in Berlin (UTC+2 in May), Blake in UTC.
    remind(alex, "checkin", time(10, 0))  # 08:00 UTC: three hours before the worker is back
    remind(alex, "appreciation", time(12, 30))  # 10:30 UTC: within the last hour
    remind(blake, "checkin", time(9, 0))  # 09:00 UTC: two hours before
    remind(blake, "planned_time", time(10, 45))  # 10:45 UTC: within the last hour
    sweep(datetime(2026, 5, 4, 7, 59, tzinfo=UTC))
    back = datetime(2026, 5, 4, 11, 0, tzinfo=UTC)  # the worker was down from 08:00 to 11:00
    report = sweep(back)
    assert report.recorded == 2
    assert [n.title for n in reminders(alex)] == ["Your appreciation reminder"]
    assert [n.title for n in reminders(blake)] == ["Your reminder for time together"]
    sweep(back + timedelta(minutes=1))
    assert Notification.objects.filter(kind=Kind.REMINDER).count() == 2


def test_a_reminder_in_quiet_hours_waits_until_they_end(
    pair: Pair, alex: User, sweep: Sweep
) -> None:
    # Alex (Berlin) wants a 06:30 reminder, with quiet hours 22:00-07:00.
    QuietHours.objects.create(user=alex, start=time(22, 0), end=time(7, 0), enabled=True)
    remind(alex, at=time(6, 30))
    slot = datetime(2026, 5, 5, 4, 30, tzinfo=UTC)  # 06:30 in Berlin
    sweep_every_minute(sweep, slot - timedelta(minutes=2), slot + timedelta(minutes=40))
    [reminder] = reminders(alex)
    assert reminder.created_at == datetime(2026, 5, 5, 5, 0, tzinfo=UTC)  # 07:00 in Berlin
    item = ScheduledSend.objects.get(sweep="reminders")
    assert (item.slot, item.state) == (slot, ScheduledSend.State.DONE)


def test_quiet_hours_that_are_turned_off_do_not_hold_a_reminder(
    pair: Pair, alex: User, sweep: Sweep
) -> None:
    QuietHours.objects.create(user=alex, start=time(22, 0), end=time(7, 0), enabled=False)
    remind(alex, at=time(6, 30))
    sweep(datetime(2026, 5, 5, 4, 30, tzinfo=UTC))
    assert len(reminders(alex)) == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("simultaneous", [False, True], ids=["one-after-the-other", "at-once"])
def test_two_workers_sweeping_at_once_send_one_email(
    alex: User, blake: User, monkeypatch: pytest.MonkeyPatch, simultaneous: bool
) -> None:
    from django.db import connection

    from confide.pairs.tests.factories import make_pair

    if simultaneous and connection.vendor != "postgresql":
        pytest.skip(
            "SQLite's in-memory test database refuses a second writer at once instead of "
            "waiting for it; the one-after-the-other race covers SQLite"
        )

    make_pair(alex, blake)
    NotificationPreference.objects.create(user=alex, kind=Kind.REMINDER, channel="email")
    remind(alex, at=time(20, 0))
    now = datetime(2026, 5, 4, 18, 0, tzinfo=UTC)  # 20:00 in Berlin
    # Two workers, each in its own thread with its own database connection, both read
    # "nothing recorded yet" before either inserts, then both insert: only the database's
    # unique key stops the second. One after the other, the second inserts only once the first
    # has sent; at once (PostgreSQL), the second insert waits on the first's row, then fails.
    both_read = threading.Barrier(2, timeout=30)
    first_done = threading.Event()
    read = sweep_module._existing_keys

    def read_then_wait(sweep: str, items: list[Any]) -> Any:
        keys = read(sweep, items)
        if sweep == "reminders":
            both_read.wait()
            if threading.current_thread().name == "second" and not simultaneous:
                assert first_done.wait(timeout=30)
        return keys

    monkeypatch.setattr(sweep_module, "_existing_keys", read_then_wait)
    reports: dict[str, Any] = {}
    errors: list[BaseException] = []

    def worker() -> None:
        name = threading.current_thread().name
        try:
            reports[name] = sweep_run(now=now)
        except BaseException as error:  # reported below, in the test's own thread
            errors.append(error)
        finally:
            if name == "first":
                first_done.set()
            connection.close()

    with time_machine.travel(now, tick=False):
        threads = [threading.Thread(target=worker, name=name) for name in ("first", "second")]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    assert not errors, errors
    assert sorted(report.recorded for report in reports.values()) == [0, 1]
    if not simultaneous:
        assert (reports["first"].recorded, reports["second"].recorded) == (1, 0)
    assert ScheduledSend.objects.filter(sweep="reminders").count() == 1
    assert len(reminders(alex)) == 1
    assert [message.to for message in mail.outbox] == [[alex.email]]
