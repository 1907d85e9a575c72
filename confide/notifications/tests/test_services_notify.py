from __future__ import annotations

import contextlib
from typing import Any

import pytest
from django.core import mail
from django.db import transaction

from confide.accounts.models import User
from confide.notifications.models import Channel, Kind, Notification, NotificationPreference
from confide.notifications.services import (
    notification_mark_read,
    notifications_mark_all_read,
    notify,
)
from confide.notifications.tests.conftest import PAIR_INVITE
from confide.notifications.tests.factories import NotificationFactory

pytestmark = pytest.mark.django_db
EmailState = Notification.EmailState
CHECKIN: dict[str, Any] = {
    "kind": Kind.PARTNER_CHECKIN,
    "event_key": "checkin:1",
    "title": "Blake shared a check-in",
    "url": "/pairs/1/checkins/1/",
}


def _prefer(user: User, kind: str, channel: str) -> None:
    NotificationPreference.objects.create(user=user, kind=kind, channel=channel)


def test_a_checkin_is_shown_in_the_app_and_not_emailed_by_default(
    alex: User, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notification = notify(user=alex, **CHECKIN)
    assert notification is not None
    assert (notification.title, notification.url) == (CHECKIN["title"], CHECKIN["url"])
    assert notification.is_unread
    assert notification.email_state == EmailState.NOT_NEEDED
    assert callbacks == []
    assert mail.outbox == []


@pytest.mark.parametrize("kind", [Kind.PAIR_INVITATION, Kind.PARTNER_LEFT])
def test_invitations_and_partners_leaving_are_emailed_by_default(
    alex: User, kind: str, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        notification = notify(user=alex, **{**PAIR_INVITE, "kind": kind})
    assert notification is not None
    notification.refresh_from_db()
    assert notification.email_state == EmailState.SENT
    assert [m.to for m in mail.outbox] == [[alex.email]]


def test_the_same_event_notifies_once(alex: User, django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        first = notify(user=alex, **PAIR_INVITE)
        second = notify(user=alex, **{**PAIR_INVITE, "title": "Blake invited you again"})
    assert first is not None
    assert second is None
    assert Notification.objects.filter(user=alex).count() == 1
    assert len(callbacks) == 1
    assert len(mail.outbox) == 1


def test_the_same_event_notifies_each_person_once(alex: User, blake: User) -> None:
    assert notify(user=alex, **CHECKIN) is not None
    assert notify(user=blake, **CHECKIN) is not None
    assert notify(user=alex, **CHECKIN) is None
    assert Notification.objects.count() == 2


def test_off_stores_nothing_and_sends_nothing(
    alex: User, django_capture_on_commit_callbacks: Any
) -> None:
    _prefer(alex, Kind.PAIR_INVITATION, Channel.OFF)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert notify(user=alex, **PAIR_INVITE) is None
    assert not Notification.objects.exists()
    assert callbacks == []
    assert mail.outbox == []


def test_in_app_stores_without_email(alex: User, django_capture_on_commit_callbacks: Any) -> None:
    _prefer(alex, Kind.PAIR_INVITATION, Channel.IN_APP)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notification = notify(user=alex, **PAIR_INVITE)
    assert notification is not None
    assert notification.email_state == EmailState.NOT_NEEDED
    assert callbacks == []
    assert mail.outbox == []


def test_email_too_stores_and_emails(alex: User, django_capture_on_commit_callbacks: Any) -> None:
    _prefer(alex, Kind.PARTNER_CHECKIN, Channel.EMAIL)
    with django_capture_on_commit_callbacks(execute=True):
        notification = notify(user=alex, **CHECKIN)
    assert notification is not None
    assert Notification.objects.filter(pk=notification.pk).exists()
    assert [m.subject for m in mail.outbox] == ["Something new is waiting for you in Confide"]


def test_the_email_is_enqueued_only_when_the_transaction_commits(
    alex: User, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notify(user=alex, **PAIR_INVITE)
        assert mail.outbox == []
    assert len(callbacks) == 1
    assert mail.outbox == []  # not committed yet
    callbacks[0]()
    assert len(mail.outbox) == 1


def test_a_rolled_back_notification_sends_nothing(
    alex: User, django_capture_on_commit_callbacks: Any
) -> None:
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        contextlib.suppress(RuntimeError),
        transaction.atomic(),
    ):
        notify(user=alex, **PAIR_INVITE)
        raise RuntimeError("the caller's own write failed")
    assert callbacks == []
    assert not Notification.objects.exists()
    assert mail.outbox == []


@pytest.mark.parametrize(
    "change",
    [
        {"kind": "not_a_kind"},
        {"url": "https://elsewhere.example/pairs/1/"},
        {"url": "//elsewhere.example/pairs/1/"},
        {"url": "/\\elsewhere.example"},
        {"url": "javascript:alert(1)"},
        {"url": "pairs/1/"},
        {"url": "/" + "p" * 500},
        {"title": ""},
        {"title": " \n "},
        {"event_key": ""},
        {"event_key": "k" * 201},
    ],
)
def test_bad_arguments_are_refused_and_store_nothing(alex: User, change: dict[str, str]) -> None:
    with pytest.raises(ValueError, match=r"."):
        notify(user=alex, **{**CHECKIN, **change})
    assert not Notification.objects.exists()


def test_a_title_is_kept_to_one_short_line(alex: User) -> None:
    # Titles often hold a name someone typed: they are tidied, never a reason to fail.
    long_name = "Blake " + "x" * 300
    first = notify(user=alex, **{**CHECKIN, "title": "Blake\r\nshared  a\tcheck-in"})
    second = notify(
        user=alex, **{**CHECKIN, "event_key": "checkin:2", "title": f"{long_name} shared"}
    )
    assert first is not None and second is not None
    assert first.title == "Blake shared a check-in"
    assert len(second.title) == 200
    assert second.title.endswith("x\u2026")


def test_marking_read_sets_the_time_once(alex: User) -> None:
    notification = NotificationFactory.create(user=alex)
    notification_mark_read(user=alex, notification=notification)
    first = Notification.objects.get(pk=notification.pk).read_at
    assert first is not None
    notification_mark_read(user=alex, notification=notification)
    assert Notification.objects.get(pk=notification.pk).read_at == first


def test_nobody_marks_another_persons_notification_read(alex: User, casey: User) -> None:
    notification = NotificationFactory.create(user=alex)
    with pytest.raises(ValueError, match="their own"):
        notification_mark_read(user=casey, notification=notification)
    assert Notification.objects.get(pk=notification.pk).read_at is None


def test_mark_all_read_touches_only_the_persons_own(alex: User, casey: User) -> None:
    NotificationFactory.create_batch(3, user=alex)
    NotificationFactory.create(user=casey)
    assert notifications_mark_all_read(user=alex) == 3
    assert not Notification.objects.filter(user=alex, read_at__isnull=True).exists()
    assert Notification.objects.filter(user=casey, read_at__isnull=True).count() == 1
    assert notifications_mark_all_read(user=alex) == 0
