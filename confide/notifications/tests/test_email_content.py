from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.core import mail

from confide.accounts.models import User
from confide.notifications.models import Channel, Kind, Notification, NotificationPreference
from confide.notifications.models import QuietHours as Quiet
from confide.notifications.services import notify

pytestmark = pytest.mark.django_db
CANARY = "canary-7f3a"


def test_the_email_holds_the_title_and_links_and_nothing_else(
    alex: User, django_capture_on_commit_callbacks: Any
) -> None:
    User.objects.filter(pk=alex.pk).update(display_name=f"Alex {CANARY}")
    alex.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        notify(
            user=alex,
            kind=Kind.PAIR_INVITATION,
            event_key=f"invitation:{CANARY}",
            title="Blake invited you to a pair",
            url="/pairs/invitations/12/",
        )
    [message] = mail.outbox
    assert message.to == [alex.email]
    assert message.subject == "Confide: Blake invited you to a pair"
    assert message.body == (
        "Blake invited you to a pair\n"
        "\n"
        "Open Confide to see it:\n"
        "http://testserver/pairs/invitations/12/\n"
        "\n"
        "To choose which emails you get, or to set quiet hours:\n"
        "http://testserver/notifications/settings/\n"
        "\n"
        "-- Confide\n"
    )
    assert CANARY not in message.subject
    assert CANARY not in str(message.message())


def test_the_title_is_not_html_escaped_in_a_plain_text_email(
    alex: User, django_capture_on_commit_callbacks: Any
) -> None:
    NotificationPreference.objects.create(
        user=alex, kind=Kind.PARTNER_CHECKIN, channel=Channel.EMAIL
    )
    with django_capture_on_commit_callbacks(execute=True):
        notify(
            user=alex,
            kind=Kind.PARTNER_CHECKIN,
            event_key="checkin:3",
            title="Sam & Jo's <circle> shared a check-in",
            url="/pairs/3/",
        )
    [message] = mail.outbox
    assert message.subject == "Confide: Sam & Jo's <circle> shared a check-in"
    assert message.body.startswith("Sam & Jo's <circle> shared a check-in\n")
    assert "&amp;" not in message.body


def test_a_backend_that_cannot_wait_leaves_the_email_pending_in_quiet_hours(
    alex: User, django_capture_on_commit_callbacks: Any, caplog: pytest.LogCaptureFixture
) -> None:
    # The test settings' Immediate backend runs tasks at once and cannot defer them.
    Quiet.objects.create(user=alex, start=dt.time(0), end=dt.time(23, 59), enabled=True)
    with (
        time_machine.travel(dt.datetime(2026, 1, 15, 12, 0, tzinfo=dt.UTC), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        notification = notify(
            user=alex,
            kind=Kind.PAIR_INVITATION,
            event_key="invitation:5",
            title="Blake invited you to a pair",
            url="/pairs/invitations/5/",
        )
    assert notification is not None
    assert mail.outbox == []
    notification.refresh_from_db()
    assert notification.email_state == Notification.EmailState.PENDING
    assert "cannot defer" in caplog.text
