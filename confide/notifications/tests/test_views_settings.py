from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from confide.accounts.models import User
from confide.notifications.models import Kind, NotificationPreference, QuietHours
from confide.notifications.selectors import channels_for

pytestmark = pytest.mark.django_db
SETTINGS = reverse("notifications:settings")


@pytest.fixture
def signed_in(client: Client, alex: User) -> Client:
    client.force_login(alex)
    return client


def _form(**change: str | None) -> dict[str, str]:
    form: dict[str, str | None] = {f"channel_{kind}": "in_app" for kind in Kind.values}
    form |= {"quiet_enabled": "on", "quiet_start": "22:00", "quiet_end": "07:00"}
    form |= change
    return {name: value for name, value in form.items() if value is not None}


def test_the_page_shows_the_current_choices_in_labelled_groups(signed_in: Client) -> None:
    response = signed_in.get(SETTINGS)
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count("<fieldset") == 2 + len(Kind.values)
    assert "<legend>Someone invites you to a pair</legend>" in page
    assert (
        '<input type="radio" name="channel_pair_invitation" value="email" required '
        'id="id_channel_pair_invitation_1" checked>'
    ) in page
    assert (
        '<input type="radio" name="channel_partner_checkin" value="in_app" required '
        'id="id_channel_partner_checkin_0" checked>'
    ) in page
    assert '<label for="id_quiet_start">Quiet hours start at</label>' in page
    assert 'type="time" name="quiet_start" value="22:00"' in page
    assert "Europe/Berlin" in page


def test_saving_stores_every_choice_and_the_quiet_hours(signed_in: Client, alex: User) -> None:
    response = signed_in.post(
        SETTINGS,
        _form(
            channel_partner_checkin="email",
            channel_prompt_waiting="off",
            quiet_start="21:15",
            quiet_end="06:30",
        ),
        follow=True,
    )
    assert response.redirect_chain == [(SETTINGS, 302)]
    assert "Your notification settings are saved." in response.content.decode()
    channels = channels_for(user=alex)
    assert channels[Kind.PARTNER_CHECKIN] == "email"
    assert channels[Kind.PROMPT_WAITING] == "off"
    assert channels[Kind.PAIR_INVITATION] == "in_app"
    quiet = QuietHours.objects.get(user=alex)
    assert (quiet.start, quiet.end, quiet.enabled) == (dt.time(21, 15), dt.time(6, 30), True)
    assert 'name="quiet_start" value="21:15"' in response.content.decode()


def test_quiet_hours_can_be_switched_off_without_times(signed_in: Client, alex: User) -> None:
    response = signed_in.post(SETTINGS, _form(quiet_enabled=None, quiet_start="", quiet_end=""))
    assert response.status_code == 302
    quiet = QuietHours.objects.get(user=alex)
    assert (quiet.start, quiet.end, quiet.enabled) == (dt.time(22), dt.time(7), False)


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"quiet_start": "25:00"}, "quiet_start", "Enter a time of day like 22:00"),
        ({"quiet_end": "7 in the morning"}, "quiet_end", "Enter a time of day like 22:00"),
        ({"quiet_end": "12:60"}, "quiet_end", "Enter a time of day like 22:00"),
        ({"quiet_start": ""}, "quiet_start", "Enter a time to use quiet hours."),
        ({"quiet_start": "08:00", "quiet_end": "08:00"}, "quiet_end", "a different time"),
        ({"channel_partner_checkin": "loud"}, "channel_partner_checkin", "Choose In app"),
        ({"channel_partner_left": None}, "channel_partner_left", "Choose In app"),
        ({"channel_no_such_kind": "email"}, "__all__", "does not exist"),
    ],
)
def test_bad_input_explains_itself_and_changes_nothing(
    signed_in: Client, alex: User, change: dict[str, str | None], field: str, message: str
) -> None:
    before = channels_for(user=alex)
    response = signed_in.post(SETTINGS, _form(channel_prompt_waiting="off", **change))
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    page = response.content.decode()
    assert "Nothing was saved" in page
    if field != "__all__":
        assert 'aria-invalid="true"' in page
    assert channels_for(user=alex) == before
    assert not NotificationPreference.objects.exists()
    assert not QuietHours.objects.exists()
