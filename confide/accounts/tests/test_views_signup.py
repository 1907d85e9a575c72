from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from confide.accounts.models import User
from confide.accounts.tests.conftest import link_in_last_email
from confide.core.models import AuditEntry
from tests.personas import CommitClient

pytestmark = pytest.mark.django_db
SIGNUP = reverse("accounts:signup")
GOOD = {
    "display_name": "Robin",
    "email": "robin@example.org",
    "password1": "quiet-harbour-lantern",
    "password2": "quiet-harbour-lantern",
}


def test_signup_creates_an_unverified_account_and_emails_a_link(client: Client) -> None:
    response = client.post(SIGNUP, GOOD)
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:signup_sent")
    user = User.objects.get(email="robin@example.org")
    assert not user.email_verified
    assert user.password.startswith("argon2")
    assert len(mail.outbox) == 1
    assert "quiet-harbour-lantern" not in mail.outbox[0].body
    assert AuditEntry.objects.filter(action="accounts.signup", actor_id=user.pk).exists()


def test_signup_stores_the_address_in_lower_case(client: Client) -> None:
    client.post(SIGNUP, {**GOOD, "email": "  Robin@Example.ORG "})
    assert User.objects.filter(email="robin@example.org").count() == 1


def _page(response: Any) -> str:
    return re.sub(r'nonce="[^"]*"', "", response.content.decode())


def test_signup_for_an_existing_address_answers_the_same_and_tells_the_owner(
    client: Client, alex: User
) -> None:
    fresh = client.post(SIGNUP, GOOD, follow=True)
    again = CommitClient().post(SIGNUP, {**GOOD, "email": "ALEX@example.org"}, follow=True)
    assert fresh.redirect_chain == again.redirect_chain
    assert _page(fresh) == _page(again)
    assert User.objects.filter(email="alex@example.org").count() == 1
    notice = [m for m in mail.outbox if m.to == ["alex@example.org"]]
    assert len(notice) == 1
    assert "already has an account" in notice[0].body


BAD_SIGNUPS = [
    ("display_name", {"display_name": ""}, "This field is required."),
    ("display_name", {"display_name": "x" * 61}, "at most 60 characters"),
    ("email", {"email": ""}, "This field is required."),
    ("email", {"email": "robin-at-example.org"}, "Enter an email address like"),
    ("email", {"email": "r" * 250 + "@example.org"}, "at most 254 characters"),
    ("password2", {"password2": "different-words-here"}, "do not match"),
    ("password1", {"password1": "short", "password2": "short"}, "at least 10 characters"),
    ("password1", {"password1": "qwertyuiop", "password2": "qwertyuiop"}, "too common"),
    ("password1", {"password1": "1234987650", "password2": "1234987650"}, "entirely numeric"),
    ("password1", {"password1": "x" * 300, "password2": "x" * 300}, "at most 256 characters"),
]


@pytest.mark.parametrize(("field", "change", "message"), BAD_SIGNUPS)
def test_bad_signup_input_is_refused_next_to_its_field(
    client: Client, field: str, change: dict[str, str], message: str
) -> None:
    response = client.post(SIGNUP, {**GOOD, **change})
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors.get(field, []))
    assert message in errors
    assert f'id="id_{field}_error"' in response.content.decode()
    assert not User.objects.exists()
    assert not mail.outbox


def _signup_and_get_link(client: Client) -> str:
    client.post(SIGNUP, GOOD)
    return link_in_last_email("robin@example.org")


def test_opening_the_link_asks_before_using_it(client: Client) -> None:
    link = _signup_and_get_link(client)
    response = client.get(link)
    assert response.status_code == 200
    assert "Confirm my email address" in response.content.decode()
    assert not User.objects.get(email="robin@example.org").email_verified


def test_confirming_verifies_the_address_once(client: Client) -> None:
    link = _signup_and_get_link(client)
    response = client.post(link)
    assert response.status_code == 302
    assert User.objects.get(email="robin@example.org").email_verified
    again = client.post(link)
    assert again.status_code == 400
    assert "already been used" in again.content.decode()


def test_an_expired_link_is_refused_with_a_clear_message(client: Client) -> None:
    link = _signup_and_get_link(client)
    with time_machine.travel(timezone.now() + timedelta(days=4)):
        response = client.post(link)
    assert response.status_code == 400
    assert "expired" in response.content.decode()
    assert not User.objects.get(email="robin@example.org").email_verified


@pytest.mark.parametrize("token", ["nonsense", "x" * 150])
def test_an_unknown_link_is_refused(client: Client, token: str) -> None:
    for method in (client.get, client.post):
        response = method(reverse("accounts:verify", args=[token]))
        assert response.status_code == 400
        assert "not valid" in response.content.decode()


def test_signed_in_people_are_sent_home_from_signup(client: Client, alex: User) -> None:
    client.force_login(alex)
    assert client.get(SIGNUP)["Location"] == reverse("core:home")


def test_signup_takes_the_time_zone_the_person_chose(client: Client) -> None:
    response = client.post(SIGNUP, GOOD | {"time_zone": "Europe/Berlin"})
    assert response.status_code == 302
    assert User.objects.get(email="robin@example.org").time_zone == "Europe/Berlin"
    page = client.get(SIGNUP).content.decode()
    assert "data-browser-time-zone" in page and "core/time-zone.js" in page


def test_a_time_zone_that_does_not_exist_is_refused_and_nothing_is_created(
    client: Client,
) -> None:
    response = client.post(SIGNUP, GOOD | {"time_zone": "Mars/Olympus_Mons"})
    assert response.status_code == 200
    assert "Choose a time zone from the list." in response.content.decode()
    assert not User.objects.exists()
    assert not mail.outbox
