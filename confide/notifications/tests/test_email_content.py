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


GENERIC_SUBJECT = "Something new is waiting for you in Confide"
# Words that would tell someone reading over the recipient's shoulder what Confide is about.
TELLING_WORDS = (
    "circle",
    "crisis",
    "support",
    "safety",
    "risk",
    "pair",
    "partner",
    "check-in",
    "counsel",
    "recovery",
    "report",
    "moderat",
)


def test_the_email_says_only_that_something_is_waiting_and_links_to_it(
    alex: User, django_capture_on_commit_callbacks: Any
) -> None:
    User.objects.filter(pk=alex.pk).update(display_name=f"Alex {CANARY}")
    alex.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        notification = notify(
            user=alex,
            kind=Kind.PAIR_INVITATION,
            event_key=f"invitation:{CANARY}",
            title="Blake invited you to a pair",
            url="/pairs/invitations/12/",
        )
    assert notification is not None
    [message] = mail.outbox
    assert message.to == [alex.email]
    assert message.subject == GENERIC_SUBJECT
    assert message.body == (
        "Something new is waiting for you in Confide.\n"
        "\n"
        "Open it here (you may be asked to log in first):\n"
        f"http://testserver/notifications/{notification.pk}/open/\n"
        "\n"
        "To choose which emails you get, or to set quiet hours:\n"
        "http://testserver/notifications/settings/\n"
        "\n"
        "-- Confide\n"
    )
    assert CANARY not in str(message.message())
    assert "Blake" not in str(message.message())


@pytest.mark.parametrize("kind", [Kind.SAFETY_ALERT, Kind.PARTNER_CHECKIN, Kind.PAIR_INVITATION])
def test_no_email_carries_the_in_app_title_or_its_link(
    alex: User, django_capture_on_commit_callbacks: Any, kind: str
) -> None:
    NotificationPreference.objects.create(user=alex, kind=kind, channel=Channel.EMAIL)
    title = "A member of Thursday evening circle may need support: crisis, safety risk"
    with django_capture_on_commit_callbacks(execute=True):
        notify(user=alex, kind=kind, event_key="e:1", title=title, url="/circles/7/threads/9/")
    [message] = mail.outbox
    text = f"{message.subject}\n{message.body}".lower()
    assert "thursday" not in text
    assert "/circles/" not in text
    for word in TELLING_WORDS:
        assert word not in text, word


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
