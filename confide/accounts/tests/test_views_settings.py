from __future__ import annotations

from datetime import timedelta

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
SETTINGS = reverse("accounts:settings")
PASSWORD = reverse("accounts:password_change")
EMAIL = reverse("accounts:email_change")
RESET = reverse("accounts:password_reset")


@pytest.fixture
def signed_in(client: Client, alex: User) -> Client:
    client.force_login(alex)
    return client


def _profile(**change: str) -> dict[str, str]:
    return {"display_name": "Alex", "time_zone": "Europe/Berlin", "locale": "en", **change}


def test_changing_the_time_zone_is_saved_and_used(signed_in: Client, alex: User) -> None:
    response = signed_in.post(SETTINGS, _profile(time_zone="Asia/Tokyo"))
    assert response.status_code == 302
    alex.refresh_from_db()
    assert alex.time_zone == "Asia/Tokyo"
    assert "Asia/Tokyo" in signed_in.get(reverse("core:home")).content.decode()
    entry = AuditEntry.objects.get(action="accounts.profile.changed")
    assert entry.data == {"fields": ["time_zone"]}


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"time_zone": "Mars/Olympus"}, "time_zone", "Select a valid choice"),
        ({"display_name": ""}, "display_name", "This field is required."),
        ({"display_name": "n" * 61}, "display_name", "at most 60 characters"),
        ({"locale": "xx"}, "locale", "Select a valid choice"),
    ],
)
def test_bad_settings_change_nothing(
    signed_in: Client, alex: User, change: dict[str, str], field: str, message: str
) -> None:
    response = signed_in.post(SETTINGS, _profile(**change))
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert 'aria-invalid="true"' in response.content.decode()
    fresh = User.objects.get(pk=alex.pk)
    assert (fresh.display_name, fresh.time_zone, fresh.locale) == ("Alex", "Europe/Berlin", "en")


def test_changing_the_password_ends_every_other_session(
    signed_in: Client, alex: User, password: str
) -> None:
    elsewhere = CommitClient()
    elsewhere.force_login(alex)
    new = "a-brand-new-evening-walk"
    response = signed_in.post(
        PASSWORD, {"current_password": password, "password1": new, "password2": new}
    )
    assert response.status_code == 302
    assert signed_in.get(SETTINGS).status_code == 200
    assert elsewhere.get(SETTINGS).status_code == 302
    alex.refresh_from_db()
    assert alex.check_password(new)
    assert AuditEntry.objects.filter(action="accounts.password.changed").exists()
    assert any("password" in m.subject and m.to == [alex.email] for m in mail.outbox)
    assert all(new not in m.body for m in mail.outbox)


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"current_password": "wrong-one-here"}, "current_password", "not your current password"),
        ({"password2": "something-else-entirely"}, "password2", "do not match"),
        ({"password1": "short", "password2": "short"}, "password1", "at least 10"),
        ({"current_password": ""}, "current_password", "This field is required."),
    ],
)
def test_bad_password_change_changes_nothing(
    signed_in: Client, alex: User, password: str, data: dict[str, str], field: str, message: str
) -> None:
    new = "a-brand-new-evening-walk"
    form = {"current_password": password, "password1": new, "password2": new, **data}
    response = signed_in.post(PASSWORD, form)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    alex.refresh_from_db()
    assert alex.check_password(password)


def test_password_reset_answers_the_same_for_known_and_unknown_addresses(
    client: Client, alex: User
) -> None:
    known = client.post(RESET, {"email": alex.email})
    unknown = CommitClient().post(RESET, {"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    assert [m.to for m in mail.outbox] == [[alex.email]]


def test_password_reset_link_sets_a_new_password_once(client: Client, alex: User) -> None:
    client.post(RESET, {"email": alex.email})
    link = link_in_last_email(alex.email)
    new = "the-river-after-rain"
    assert client.get(link).status_code == 200
    response = client.post(link, {"password1": new, "password2": new})
    assert response.status_code == 302
    alex.refresh_from_db()
    assert alex.check_password(new)
    assert AuditEntry.objects.filter(action="accounts.password.reset").exists()
    reused = client.post(
        link, {"password1": "another-long-phrase", "password2": "another-long-phrase"}
    )
    assert reused.status_code == 400
    assert "already been used" in reused.content.decode()


def test_an_expired_reset_link_is_refused(client: Client, alex: User, password: str) -> None:
    client.post(RESET, {"email": alex.email})
    link = link_in_last_email(alex.email)
    with time_machine.travel(timezone.now() + timedelta(hours=4)):
        response = client.post(
            link, {"password1": "the-river-after-rain", "password2": "the-river-after-rain"}
        )
    assert response.status_code == 400
    alex.refresh_from_db()
    assert alex.check_password(password)


@pytest.mark.parametrize(
    "path", ["/account/password/reset/%%%/abc/", "/account/password/reset/OTk5OTk/abc/"]
)
def test_a_malformed_reset_link_is_refused(client: Client, path: str) -> None:
    assert client.get(path).status_code in {400, 404}


def test_mismatched_reset_passwords_change_nothing(
    client: Client, alex: User, password: str
) -> None:
    client.post(RESET, {"email": alex.email})
    link = link_in_last_email(alex.email)
    response = client.post(
        link, {"password1": "the-river-after-rain", "password2": "the-river-after-snow"}
    )
    assert response.status_code == 200
    assert "do not match" in response.content.decode()
    alex.refresh_from_db()
    assert alex.check_password(password)


def test_a_bad_reset_request_gets_a_clear_message(client: Client) -> None:
    response = client.post(RESET, {"email": "not an address"})
    assert response.status_code == 200
    assert "Enter an email address like" in response.content.decode()
    assert not mail.outbox


def test_changing_the_email_takes_effect_only_after_the_new_address_confirms(
    signed_in: Client, alex: User, password: str
) -> None:
    response = signed_in.post(
        EMAIL, {"new_email": "Alex.New@example.org", "current_password": password}
    )
    assert response.status_code == 302
    alex.refresh_from_db()
    assert alex.email == "alex@example.org"
    link = link_in_last_email("alex.new@example.org")
    assert signed_in.post(link).status_code == 302
    alex.refresh_from_db()
    assert alex.email == "alex.new@example.org"
    assert alex.email_verified
    assert any(m.to == ["alex@example.org"] and "was changed" in m.subject for m in mail.outbox)
    assert signed_in.post(link).status_code == 400


def test_an_address_of_another_account_is_never_taken(
    signed_in: Client, alex: User, blake: User, password: str
) -> None:
    response = signed_in.post(EMAIL, {"new_email": blake.email, "current_password": password})
    assert response.status_code == 302  # the same answer as for a free address
    alex.refresh_from_db()
    assert alex.email == "alex@example.org"
    notice = [m for m in mail.outbox if m.to == [blake.email]]
    assert len(notice) == 1
    assert "/account/email/confirm/" not in notice[0].body


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"new_email": "alex@example.org"}, "new_email", "already your email address"),
        ({"new_email": "nope"}, "new_email", "Enter an email address like"),
        ({"new_email": ""}, "new_email", "This field is required."),
        ({"current_password": "wrong-password-x"}, "current_password", "not your current password"),
    ],
)
def test_bad_email_change_changes_nothing(
    signed_in: Client, alex: User, password: str, data: dict[str, str], field: str, message: str
) -> None:
    form = {"new_email": "alex.new@example.org", "current_password": password, **data}
    response = signed_in.post(EMAIL, form)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not mail.outbox
    alex.refresh_from_db()
    assert alex.email == "alex@example.org"


def test_changing_the_password_closes_the_persons_open_sockets(
    signed_in: Client, alex: User, password: str
) -> None:
    from unittest import mock

    new = "a-brand-new-evening-walk"
    with mock.patch("confide.accounts.services.close_person_sockets") as close:
        signed_in.post(PASSWORD, {"current_password": password, "password1": new, "password2": new})
    close.assert_called_once_with(alex.pk)
