"""The verification email's link arrives whole: 7bit/8bit text with short prose lines."""

from __future__ import annotations

import email
import email.policy

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from confide.core.mail import HARD_LIMIT, WRAP, PlainEmail, wrap_prose

pytestmark = pytest.mark.django_db
LONG_LINK = "https://confide.example.org/account/verify/" + "Ab3_-" * 12 + "/"


def _raw(message: PlainEmail, policy: email.policy.Policy) -> bytes:
    return message.message(policy=policy).as_bytes()


@pytest.mark.parametrize("policy", [email.policy.default, email.policy.SMTP])
@pytest.mark.parametrize("accent", ["", "Thank you — Confide"])
def test_a_long_link_stays_whole_on_its_own_line(policy: email.policy.Policy, accent: str) -> None:
    body = wrap_prose(
        f"Hello,\n\nPlease confirm by opening this link:\n\n{LONG_LINK}\n\n{accent}\n"
    )
    raw = _raw(PlainEmail("Confirm", body, None, ["robin@example.org"]), policy)
    head, _, text = raw.partition(b"\r\n\r\n" if policy is email.policy.SMTP else b"\n\n")
    assert b"quoted-printable" not in head.lower() and b"base64" not in head.lower()
    assert LONG_LINK.encode() in text.splitlines()


def test_the_verification_email_sent_at_signup_carries_the_whole_link(client: Client) -> None:
    client.post(
        reverse("accounts:signup"),
        {
            "display_name": "Robin",
            "email": "robin@example.org",
            "password1": "quiet-harbour-lantern",
            "password2": "quiet-harbour-lantern",
        },
    )
    [sent] = mail.outbox
    raw = sent.message(policy=email.policy.SMTP).as_bytes()
    parsed = email.message_from_bytes(raw, policy=email.policy.default)
    assert parsed["Content-Transfer-Encoding"] in {"7bit", "8bit"}
    links = [line for line in raw.decode().splitlines() if "/account/verify/" in line]
    assert len(links) == 1 and links[0].startswith("http") and links[0].endswith("/")
    for line in raw.decode().splitlines():
        assert len(line) <= HARD_LIMIT
        if " " in line and "/account/verify/" not in line and ":" not in line[:30]:
            assert len(line) <= WRAP


@given(st.text(alphabet="abc defgh\n—", max_size=400))
def test_wrapping_keeps_every_word(text: str) -> None:
    assert wrap_prose(text).split() == text.split()
