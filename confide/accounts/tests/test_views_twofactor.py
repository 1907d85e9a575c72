"""Two-step login through the pages: enrolment, the code step at login, turning it off, and the
facilitator's gate."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from confide.accounts import twofactor
from confide.accounts.models import User
from confide.accounts.otp import key_base32
from confide.accounts.tests.factories import DEFAULT_PASSWORD, current_code
from tests.personas import CommitClient, client_for

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 3, 2, 9, 0, 0, tzinfo=UTC)
LOGIN = reverse("accounts:login")
CODE = reverse("accounts:login_code")
TWO_STEP = reverse("accounts:two_factor")


@pytest.fixture(autouse=True)
def clock() -> Iterator[time_machine.Traveller]:
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def _enrolled(user: User) -> tuple[TOTPDevice, list[str]]:
    device = twofactor.totp_device_pending(user=user)
    return twofactor.totp_enrol_confirm(user=user, code=current_code(device))


def _password(client: Client, user: User, **extra: Any) -> Any:
    return client.post(LOGIN, {"email": user.email, "password": DEFAULT_PASSWORD, **extra})


def _signed_in(client: Client) -> bool:
    return client.get(reverse("accounts:settings")).status_code == 200


def test_enrolment_shows_a_qr_code_drawn_here_and_the_key_then_codes_once(alex: User) -> None:
    client = client_for(alex)
    page = client.get(TWO_STEP).content.decode()
    assert '<img class="qr" src="data:image/svg+xml;base64,' in page
    device = TOTPDevice.objects.get(user=alex, confirmed=False)
    assert " ".join(re.findall(r"[A-Z2-7]{4}", key_base32(device.key))) in page
    assert "<script" not in page.split("<main", 1)[1]
    assert 'style="' not in page

    shown = client.post(TWO_STEP, {"code": current_code(device)})
    codes = re.findall(r"<code>([a-z2-9-]{19})</code>", shown.content.decode())
    assert len(codes) == 10
    assert shown["Cache-Control"] == "no-store, private"
    again = client.get(TWO_STEP).content.decode()
    assert "Two-step login is on" in again
    assert not any(code in again for code in codes)
    assert "This session has given a code." in again


def test_a_wrong_enrolment_code_is_refused_and_nothing_changes(alex: User) -> None:
    client = client_for(alex)
    client.get(TWO_STEP)
    response = client.post(TWO_STEP, {"code": "12345x"})
    assert "That code does not match" in response.content.decode()
    assert not twofactor.has_second_factor(alex)


def test_login_asks_for_the_code_after_the_password(
    client: Client, alex: User, clock: time_machine.Traveller
) -> None:
    device, _ = _enrolled(alex)
    response = _password(client, alex, next="/pairs/")
    assert response.status_code == 302
    assert response["Location"] == CODE
    assert not _signed_in(client)  # halfway is not signed in
    clock.shift(30)
    done = client.post(CODE, {"code": current_code(device)})
    assert done.status_code == 302
    assert done["Location"] == "/pairs/"
    assert _signed_in(client)
    assert "This session has given a code." in client.get(TWO_STEP).content.decode()


def test_a_code_used_at_login_is_refused_the_next_time(
    client: Client, alex: User, clock: time_machine.Traveller
) -> None:
    device, _ = _enrolled(alex)
    clock.shift(30)
    code = current_code(device)
    _password(client, alex)
    client.post(CODE, {"code": code})
    other = CommitClient()
    _password(other, alex)
    refused = other.post(CODE, {"code": code})
    assert refused.status_code == 200
    assert "used already" in refused.content.decode()
    assert not _signed_in(other)


def test_a_recovery_code_logs_in_once(client: Client, alex: User) -> None:
    _, codes = _enrolled(alex)
    _password(client, alex)
    done = client.post(CODE, {"code": codes[0]}, follow=True)
    assert "You used a recovery code. 9 are left" in done.content.decode()
    assert _signed_in(client)
    other = CommitClient()
    _password(other, alex)
    assert "used already" in other.post(CODE, {"code": codes[0]}).content.decode()
    assert not _signed_in(other)


def test_wrong_codes_are_throttled_like_passwords(client: Client, alex: User) -> None:
    device, _ = _enrolled(alex)
    _password(client, alex)
    for _ in range(5):
        assert client.post(CODE, {"code": "abcd-abcd-abcd-abcd"}).status_code == 200
    throttled = client.post(CODE, {"code": current_code(device)})
    assert throttled.status_code == 429
    assert "Too many attempts" in throttled.content.decode()
    assert not _signed_in(client)


def test_the_code_step_expires_and_cannot_be_opened_without_a_password(
    client: Client, alex: User, clock: time_machine.Traveller
) -> None:
    device, _ = _enrolled(alex)
    assert client.get(CODE)["Location"] == LOGIN
    _password(client, alex)
    clock.shift(6 * 60)
    response = client.post(CODE, {"code": current_code(device)})
    assert response["Location"] == LOGIN
    assert not _signed_in(client)


def test_people_without_two_step_login_log_in_with_the_password_alone(
    client: Client, alex: User
) -> None:
    assert _password(client, alex)["Location"] == reverse("core:home")
    assert _signed_in(client)


def test_turning_it_off_needs_the_password_and_a_code(
    alex: User, clock: time_machine.Traveller
) -> None:
    device, _ = _enrolled(alex)
    client = client_for(alex)
    url = reverse("accounts:two_factor_disable")
    clock.shift(30)
    wrong = client.post(url, {"current_password": "not it at all", "code": current_code(device)})
    assert wrong.status_code == 400
    assert "password is not right" in wrong.content.decode()
    no_code = client.post(url, {"current_password": DEFAULT_PASSWORD, "code": ""})
    assert no_code.status_code == 400
    assert twofactor.has_second_factor(alex)
    done = client.post(url, {"current_password": DEFAULT_PASSWORD, "code": current_code(device)})
    assert done["Location"] == TWO_STEP
    assert not twofactor.has_second_factor(alex)


def test_new_recovery_codes_are_shown_once_for_a_code(alex: User) -> None:
    _, old = _enrolled(alex)
    client = client_for(alex)
    url = reverse("accounts:recovery_codes")
    assert client.post(url, {"renew-code": "nope-nope-nope-nope"}).status_code == 400
    page = client.post(url, {"renew-code": old[0]}).content.decode()
    assert len(re.findall(r"<code>([a-z2-9-]{19})</code>", page)) == 10


@pytest.fixture
def dana_circle(dana: User, alex: User) -> Any:
    from confide.circles.tests.factories import join, make_circle

    circle = make_circle(dana)
    join(circle, alex, "Harbour")
    return circle


def test_a_facilitator_is_sent_to_enrol_then_back_to_the_queue(
    dana: User, dana_circle: Any, clock: time_machine.Traveller
) -> None:
    queue = reverse("moderation:queue", args=[dana_circle.pk])
    client = client_for(dana, second_factor=False)
    sent = client.get(queue, follow=True)
    page = sent.content.decode()
    assert sent.redirect_chain[-1][0].startswith(TWO_STEP)
    assert "need two-step login" in page
    assert "before those pages open" in page
    device = TOTPDevice.objects.get(user=dana, confirmed=False)
    done = client.post(sent.redirect_chain[-1][0], {"code": current_code(device), "next": queue})
    assert f'href="{queue}"' in done.content.decode()
    assert client.get(queue).status_code == 200


def test_an_enrolled_facilitator_whose_session_gave_no_code_is_asked_for_one(
    dana: User, dana_circle: Any, clock: time_machine.Traveller
) -> None:
    device, _ = _enrolled(dana)
    queue = reverse("moderation:queue", args=[dana_circle.pk])
    client = client_for(dana, second_factor=False)
    asked = client.get(queue)
    assert asked["Location"].startswith(reverse("accounts:two_factor_verify"))
    wrong = client.post(
        asked["Location"],
        {"code": "000000" if current_code(device) != "000000" else "111111", "next": queue},
    )
    assert "not right" in wrong.content.decode()
    clock.shift(30)
    ok = client.post(asked["Location"], {"code": current_code(device), "next": queue})
    assert ok["Location"] == queue
    assert client.get(queue).status_code == 200
