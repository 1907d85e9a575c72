"""Emails through a real SMTP conversation: the verification link on sign-up, and a safety
alert that tells an onlooker nothing."""

from __future__ import annotations

import email
import email.policy
import re
import socket
from collections.abc import Iterator
from email.message import EmailMessage
from email.utils import parseaddr
from typing import Any
from urllib.parse import urlsplit

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import Envelope
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import Client, TestCase
from pytest_django import Settings

from confide.accounts.models import User
from confide.circles.services.posts import thread_create
from confide.circles.tests.factories import join, make_circle
from confide.notifications.models import Notification

pytestmark = pytest.mark.django_db

SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
PASSWORD = "quiet harbour lantern 42"
URL = re.compile(r"https?://[^\s<>\"']+")


class Inbox:
    """An aiosmtpd handler that keeps every message it is given."""

    def __init__(self) -> None:
        self.envelopes: list[Envelope] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Envelope) -> str:  # noqa: N802
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    cache.clear()  # the signup throttle counts per client address across the whole suite


@pytest.fixture
def smtp_inbox(settings: Settings) -> Iterator[Inbox]:
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        # Django 6.1 configures mail through MAILERS (the EMAIL_* settings are deprecated).
        settings.MAILERS = {
            "default": {
                "BACKEND": SMTP_BACKEND,
                "OPTIONS": {
                    "host": controller.hostname,
                    "port": controller.port,
                    "use_tls": False,
                    "timeout": 10,
                },
            }
        }
        yield inbox
    finally:
        controller.stop()


def text_of(message: EmailMessage) -> str:
    parts = [part.get_content() for part in message.walk() if part.get_content_maintype() == "text"]
    return "\n".join(parts)


def test_signup_sends_the_verification_link_over_smtp_and_nothing_private(
    client: Client, smtp_inbox: Inbox
) -> None:
    # The suite's client runs on-commit callbacks, so the email task runs within the request.
    response = client.post(
        "/account/signup/",
        {
            "display_name": "Sam",
            "email": "sam@example.org",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert response.status_code == 302, response.content.decode()

    assert len(smtp_inbox.envelopes) == 1
    envelope = smtp_inbox.envelopes[0]
    assert envelope.rcpt_tos == ["sam@example.org"]
    assert parseaddr(str(envelope.mail_from))[1] == parseaddr(django_settings.DEFAULT_FROM_EMAIL)[1]

    raw = envelope.original_content or b""
    message = email.message_from_bytes(raw, policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    assert parseaddr(str(message["To"]))[1] == "sam@example.org"
    assert not message["Cc"]
    assert not message["Bcc"]
    body = text_of(message)
    everything = f"{message['Subject']}\n{body}\n{raw.decode('utf-8', 'replace')}"

    base = django_settings.CONFIDE_BASE_URL
    links = re.findall(re.escape(base) + r"/account/verify/[^/\s]+/", body)
    assert len(links) == 1, body

    user = get_user_model().objects.get(email="sam@example.org")
    assert PASSWORD not in everything
    assert user.password not in everything
    # Every address in the email is Confide's own: no tracking pixels, no third-party hosts.
    for url in URL.findall(body):
        assert urlsplit(url).netloc == urlsplit(base).netloc, url

    # The link really verifies: its page offers the confirmation button.
    page = client.get(urlsplit(links[0]).path)
    assert page.status_code == 200
    assert "Confirm my email address" in page.text


def test_a_safety_alert_email_names_no_circle_and_nothing_about_the_app(
    smtp_inbox: Inbox, alex: User, dana: User
) -> None:
    circle = make_circle(dana, name="Thursday evening circle")
    member = join(circle, alex, "Harbour")

    with TestCase.captureOnCommitCallbacks(execute=True):
        thread_create(
            membership=member,
            title="Tonight",
            body="I want to kill myself tonight.",
            content_note="",
        )

    # The facilitator's in-app alert is specific; the email is not.
    alert = Notification.objects.get(user=dana, kind="safety_alert")
    assert "Thursday evening circle" in alert.title
    [envelope] = smtp_inbox.envelopes
    assert envelope.rcpt_tos == [dana.email]
    message = email.message_from_bytes(
        envelope.original_content or b"", policy=email.policy.default
    )
    assert isinstance(message, EmailMessage)
    assert message["Subject"] == "Something new is waiting for you in Confide"
    visible = f"{message['Subject']}\n{message['From']}\n{text_of(message)}".lower()
    for word in ("thursday", "evening", "circle", "crisis", "support", "safety", "risk", "kill"):
        assert word not in visible, word
    links = URL.findall(text_of(message))
    assert [urlsplit(link).path for link in links] == [
        f"/notifications/{alert.pk}/open/",
        "/notifications/settings/",
    ]
