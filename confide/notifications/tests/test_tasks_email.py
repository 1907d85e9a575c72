"""Email delivery under the production task backend (django-tasks-db), with a frozen clock.

Tasks wait in the database; run_due_tasks() does what the worker would do at that moment.
"""

from __future__ import annotations

import datetime as dt
import smtplib
import zoneinfo
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from confide.accounts.models import User
from confide.notifications import delivery
from confide.notifications.models import Channel, Kind, Notification, NotificationPreference
from confide.notifications.models import QuietHours as Quiet
from confide.notifications.services import notification_mark_read, notify
from confide.notifications.tasks import send_notification_email
from confide.notifications.tests.conftest import PAIR_INVITE, run_due_tasks, waiting_tasks

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("db_tasks")]
EmailState = Notification.EmailState
BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")  # alex's time zone
NOON_UTC = dt.datetime(2026, 1, 15, 12, 0, tzinfo=dt.UTC)


@pytest.fixture
def clock() -> Any:
    with time_machine.travel(NOON_UTC, tick=False) as traveller:
        yield traveller


def _invite(user: User, django_capture_on_commit_callbacks: Any) -> Notification:
    with django_capture_on_commit_callbacks(execute=True):
        notification = notify(user=user, **PAIR_INVITE)
    assert notification is not None
    return notification


def _state(notification: Notification) -> tuple[str, int]:
    notification.refresh_from_db()
    return notification.email_state, notification.email_attempts


def _fail_sending(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    tries: list[str] = []

    def broken(*, subject: str, **kwargs: object) -> int:
        tries.append(subject)
        raise smtplib.SMTPServerDisconnected("connection unexpectedly closed")

    monkeypatch.setattr(delivery, "mail_send", broken)
    return tries


def test_the_email_waits_for_the_worker_and_is_sent_once(
    alex: User, clock: Any, django_capture_on_commit_callbacks: Any
) -> None:
    notification = _invite(alex, django_capture_on_commit_callbacks)
    assert mail.outbox == []
    assert len(waiting_tasks()) == 1

    assert run_due_tasks() == ["sent"]
    assert [m.to for m in mail.outbox] == [[alex.email]]
    assert _state(notification) == (EmailState.SENT, 0)
    assert notification.emailed_at == NOON_UTC

    # A second run (a duplicate task, a retry after a crash) sends nothing.
    send_notification_email.call(notification.pk)
    assert len(mail.outbox) == 1


def test_a_notification_claimed_by_another_worker_is_not_sent_again(
    alex: User, clock: Any, django_capture_on_commit_callbacks: Any
) -> None:
    notification = _invite(alex, django_capture_on_commit_callbacks)
    Notification.objects.filter(pk=notification.pk).update(email_state=EmailState.CLAIMED)
    assert run_due_tasks() == ["skipped"]
    assert mail.outbox == []
    assert _state(notification) == (EmailState.CLAIMED, 0)


def test_only_one_of_two_racing_deliveries_wins_the_claim(
    alex: User, clock: Any, django_capture_on_commit_callbacks: Any
) -> None:
    notification = _invite(alex, django_capture_on_commit_callbacks)
    original = delivery._move
    outcomes: list[str] = []
    raced: list[bool] = []

    def racing(notification_id: int, *, state: str, to: str, **fields: object) -> bool:
        if to == EmailState.CLAIMED and not raced:
            raced.append(True)
            # Another worker runs in full between our read of "pending" and our claim.
            outcomes.append(send_notification_email.call(notification_id))
        return original(notification_id, state=state, to=to, **fields)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(delivery, "_move", racing)
        outcomes.append(send_notification_email.call(notification.pk))
    assert outcomes == ["sent", "skipped"]
    assert len(mail.outbox) == 1


def test_a_failed_send_is_retried_with_backoff_and_then_given_up(
    alex: User,
    clock: Any,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    django_capture_on_commit_callbacks: Any,
) -> None:
    tries = _fail_sending(monkeypatch)
    notification = _invite(alex, django_capture_on_commit_callbacks)
    waits = []
    for attempt in range(1, delivery.MAX_ATTEMPTS):
        started = timezone.now()
        assert run_due_tasks() == ["retry"]
        assert _state(notification) == (EmailState.PENDING, attempt)
        [retry] = waiting_tasks()
        waits.append(retry.run_after - started)
        assert run_due_tasks() == []  # not due yet
        clock.move_to(retry.run_after)

    assert waits == [dt.timedelta(minutes=m) for m in (1, 5, 30, 120)]
    assert run_due_tasks() == ["failed"]
    assert _state(notification) == (EmailState.FAILED, delivery.MAX_ATTEMPTS)
    assert waiting_tasks() == []
    assert len(tries) == delivery.MAX_ATTEMPTS
    assert mail.outbox == []
    # Logs carry ids, never the title or the address.
    assert "failed (attempt 5 of 5)" in caplog.text
    assert PAIR_INVITE["title"] not in caplog.text
    assert alex.email not in caplog.text


def test_a_retry_that_succeeds_sends_exactly_one_email(
    alex: User,
    clock: Any,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Any,
) -> None:
    with monkeypatch.context() as patch:
        _fail_sending(patch)
        notification = _invite(alex, django_capture_on_commit_callbacks)
        assert run_due_tasks() == ["retry"]
    clock.shift(dt.timedelta(minutes=1))
    assert run_due_tasks() == ["sent"]
    assert len(mail.outbox) == 1
    assert _state(notification) == (EmailState.SENT, 1)


def _quiet(user: User, start: dt.time, end: dt.time) -> None:
    Quiet.objects.create(user=user, start=start, end=end, enabled=True)


def test_quiet_hours_over_midnight_hold_the_email_until_morning(
    alex: User, django_capture_on_commit_callbacks: Any
) -> None:
    _quiet(alex, dt.time(22), dt.time(7))
    evening = dt.datetime(2026, 1, 15, 23, 30, tzinfo=BERLIN)
    with time_machine.travel(evening, tick=False) as clock:
        notification = _invite(alex, django_capture_on_commit_callbacks)
        assert run_due_tasks() == ["deferred"]
        [later] = waiting_tasks()
        assert later.run_after == dt.datetime(2026, 1, 16, 7, 0, tzinfo=BERLIN)
        assert _state(notification) == (EmailState.PENDING, 0)

        clock.move_to(dt.datetime(2026, 1, 16, 3, 0, tzinfo=BERLIN))
        assert run_due_tasks() == []
        clock.move_to(dt.datetime(2026, 1, 16, 7, 0, tzinfo=BERLIN))
        assert run_due_tasks() == ["sent"]
    assert len(mail.outbox) == 1


def test_after_midnight_quiet_hours_end_the_same_morning(
    alex: User, django_capture_on_commit_callbacks: Any
) -> None:
    _quiet(alex, dt.time(22), dt.time(7))
    with time_machine.travel(dt.datetime(2026, 1, 16, 2, 15, tzinfo=BERLIN), tick=False):
        _invite(alex, django_capture_on_commit_callbacks)
        assert run_due_tasks() == ["deferred"]
    [later] = waiting_tasks()
    assert later.run_after == dt.datetime(2026, 1, 16, 7, 0, tzinfo=BERLIN)
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("local_time", "outcome"),
    [(dt.time(13, 0), "deferred"), (dt.time(11, 59), "sent"), (dt.time(14, 0), "sent")],
)
def test_quiet_hours_within_a_day(
    alex: User, local_time: dt.time, outcome: str, django_capture_on_commit_callbacks: Any
) -> None:
    _quiet(alex, dt.time(12), dt.time(14))
    now = dt.datetime.combine(dt.date(2026, 1, 15), local_time, tzinfo=BERLIN)
    with time_machine.travel(now, tick=False):
        _invite(alex, django_capture_on_commit_callbacks)
        assert run_due_tasks() == [outcome]
    if outcome == "deferred":
        [later] = waiting_tasks()
        assert later.run_after == dt.datetime(2026, 1, 15, 14, 0, tzinfo=BERLIN)
    assert len(mail.outbox) == (outcome == "sent")


def test_quiet_hours_follow_the_persons_own_time_zone(
    alex: User, blake: User, clock: Any, django_capture_on_commit_callbacks: Any
) -> None:
    # Noon UTC is 13:00 for Alex in Berlin (quiet) and 12:00 for Blake in UTC (not yet quiet).
    for person in (alex, blake):
        _quiet(person, dt.time(12, 30), dt.time(14))
        _invite(person, django_capture_on_commit_callbacks)
    assert sorted(run_due_tasks()) == ["deferred", "sent"]
    assert [m.to for m in mail.outbox] == [[blake.email]]


def test_disabled_quiet_hours_hold_nothing(
    alex: User, clock: Any, django_capture_on_commit_callbacks: Any
) -> None:
    Quiet.objects.create(user=alex, start=dt.time(0), end=dt.time(23, 59), enabled=False)
    _invite(alex, django_capture_on_commit_callbacks)
    assert run_due_tasks() == ["sent"]


@pytest.mark.parametrize(
    "change",
    [
        pytest.param("read", id="read in the app meanwhile"),
        pytest.param("in_app", id="preference changed to in app"),
        pytest.param("unverified", id="address not confirmed"),
        pytest.param("inactive", id="account deactivated"),
    ],
)
def test_an_email_no_longer_wanted_is_not_sent(
    alex: User, clock: Any, change: str, django_capture_on_commit_callbacks: Any
) -> None:
    notification = _invite(alex, django_capture_on_commit_callbacks)
    if change == "read":
        notification_mark_read(user=alex, notification=notification)
    elif change == "in_app":
        NotificationPreference.objects.create(
            user=alex, kind=Kind.PAIR_INVITATION, channel=Channel.IN_APP
        )
    elif change == "unverified":
        User.objects.filter(pk=alex.pk).update(email_verified_at=None)
    else:
        User.objects.filter(pk=alex.pk).update(is_active=False)
    assert run_due_tasks() == ["not_needed"]
    assert mail.outbox == []
    assert _state(notification) == (EmailState.NOT_NEEDED, 0)


def test_a_deleted_notification_is_skipped(alex: User, clock: Any) -> None:
    assert send_notification_email.call(987654) == "skipped"
    assert mail.outbox == []
