"""Signing up sends the verification email through a real SMTP conversation."""

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
from django.test import Client
from pytest_django import Settings

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
