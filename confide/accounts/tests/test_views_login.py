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
from confide.accounts.tests.factories import UserFactory
from confide.accounts.throttle import DEVICE_COOKIE
from confide.core.models import AuditEntry
from tests.personas import CommitClient

pytestmark = pytest.mark.django_db
LOGIN = reverse("accounts:login")


def _login(client: Client, email: str, password: str, address: str = "10.0.0.1") -> Any:
    return client.post(LOGIN, {"email": email, "password": password}, REMOTE_ADDR=address)


def test_login_with_the_right_password_signs_in(client: Client, alex: User, password: str) -> None:
    response = _login(client, "Alex@Example.org", password)
    assert response.status_code == 302
    assert client.get(reverse("accounts:settings")).status_code == 200
    assert AuditEntry.objects.filter(action="accounts.login", actor_id=alex.pk).exists()


def test_wrong_password_and_unknown_address_get_the_same_answer(client: Client, alex: User) -> None:
    wrong = _login(client, "alex@example.org", "not-the-password")
    unknown = _login(CommitClient(), "nobody@example.org", "not-the-password")
    assert wrong.status_code == unknown.status_code == 200

    def body(response: Any) -> str:
        text = response.content.decode()
        text = re.sub(r'nonce="[^"]*"|name="csrfmiddlewaretoken" value="[^"]*"', "", text)
        return text.replace("alex@example.org", "nobody@example.org")

    assert body(wrong) == body(unknown)
    assert "do not match an account" in body(wrong)


def test_an_unverified_person_is_sent_a_new_link_instead_of_being_let_in(client: Client) -> None:
    UserFactory(email="new@example.org", email_verified_at=None)
    response = _login(client, "new@example.org", "a-long-and-unusual-passphrase")
    assert "confirm your email address first" in response.content.decode()
    assert client.get(reverse("accounts:settings")).status_code == 302
    assert [m.to for m in mail.outbox] == [["new@example.org"]]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"email": "", "password": "x"}, "This field is required."),
        ({"email": "not-an-email", "password": "x"}, "Enter an email address like"),
        ({"email": "a@example.org", "password": ""}, "This field is required."),
        ({"email": "a@example.org", "password": "p" * 300}, "at most 256 characters"),
    ],
)
def test_bad_login_input_gets_a_clear_message(
    client: Client, data: dict[str, str], message: str
) -> None:
    response = client.post(LOGIN, data)
    assert response.status_code == 200
    assert message in response.content.decode()


def test_repeated_failures_answer_429_with_retry_after(client: Client, alex: User) -> None:
    for _ in range(5):
        assert _login(client, "alex@example.org", "guess").status_code == 200
    blocked = _login(client, "alex@example.org", "a-long-and-unusual-passphrase")
    assert blocked.status_code == 429
    assert 0 < int(blocked["Retry-After"]) <= 15 * 60
    assert "Too many attempts" in blocked.content.decode()


def test_an_attacker_elsewhere_cannot_lock_the_owner_out(
    client: Client, alex: User, password: str
) -> None:
    attacker = CommitClient()
    for _ in range(10):
        _login(attacker, "alex@example.org", "guess", address="203.0.113.9")
    assert _login(attacker, "alex@example.org", password, address="203.0.113.9").status_code == 429
    assert _login(client, "alex@example.org", password, address="198.51.100.7").status_code == 302


def test_one_address_guessing_many_accounts_is_slowed_down(client: Client) -> None:
    for n in range(30):
        _login(client, f"someone{n}@example.org", "guess")
    assert _login(client, "another@example.org", "guess").status_code == 429


def test_a_wide_attack_on_one_account_spares_a_browser_it_logged_in_from(
    alex: User, password: str
) -> None:
    earlier = CommitClient()
    assert _login(earlier, "alex@example.org", password, address="198.51.100.7").status_code == 302
    owner = CommitClient()  # the same browser after logging out: only the device cookie stays
    owner.cookies[DEVICE_COOKIE] = earlier.cookies[DEVICE_COOKIE].value
    for n in range(50):
        _login(CommitClient(), "alex@example.org", "guess", address=f"203.0.113.{n}")
    stranger = _login(CommitClient(), "alex@example.org", password, address="192.0.2.1")
    assert stranger.status_code == 429
    assert _login(owner, "alex@example.org", password, address="192.0.2.2").status_code == 302


def test_the_block_lifts_when_the_window_has_passed(
    client: Client, alex: User, password: str
) -> None:
    for _ in range(5):
        _login(client, "alex@example.org", "guess")
    assert _login(client, "alex@example.org", password).status_code == 429
    with time_machine.travel(timezone.now() + timedelta(minutes=16)):
        assert _login(client, "alex@example.org", password).status_code == 302


def test_logout_is_a_post_that_clears_the_site_data(client: Client, alex: User) -> None:
    client.force_login(alex)
    assert client.get(reverse("accounts:logout")).status_code == 405
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert '"cookies"' in response["Clear-Site-Data"]
    assert '"storage"' in response["Clear-Site-Data"]
    assert client.get(reverse("accounts:settings")).status_code == 302


def test_login_only_follows_next_to_this_site(client: Client, alex: User, password: str) -> None:
    response = client.post(
        f"{LOGIN}?next=https://evil.example/", {"email": alex.email, "password": password}
    )
    assert response["Location"] == reverse("core:home")
    other = CommitClient().post(
        LOGIN, {"email": alex.email, "password": password, "next": "/account/"}
    )
    assert other["Location"] == "/account/"


def test_a_session_ends_twelve_hours_after_login_however_active(
    client: Client, alex: User, password: str
) -> None:
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        _login(client, alex.email, password)
    for minutes in range(20, 12 * 60, 20):  # active every 20 minutes, never idle
        with time_machine.travel(start + timedelta(minutes=minutes), tick=False):
            assert client.get(reverse("accounts:settings")).status_code == 200
    with time_machine.travel(start + timedelta(hours=12, minutes=5), tick=False):
        assert client.get(reverse("accounts:settings")).status_code == 302


def test_a_session_ends_after_thirty_idle_minutes(
    client: Client, alex: User, password: str
) -> None:
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        _login(client, alex.email, password)
    with time_machine.travel(start + timedelta(minutes=31), tick=False):
        assert client.get(reverse("accounts:settings")).status_code == 302
