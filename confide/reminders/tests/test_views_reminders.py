from __future__ import annotations

from datetime import time
from typing import Any

import pytest
from django.urls import reverse

from confide.accounts.models import User
from confide.notifications.models import Kind as NotificationKind
from confide.notifications.models import NotificationPreference, QuietHours
from confide.reminders.models import Reminder
from tests.personas import client_for

pytestmark = pytest.mark.django_db
URL = reverse("reminders:settings")


def form(**changes: Any) -> dict[str, Any]:
    """The page's form as a browser sends it: every kind off, at its suggested time, every day."""
    data: dict[str, Any] = {}
    for kind, at in [
        ("checkin", "20:00"),
        ("appreciation", "18:00"),
        ("planned_time", "10:00"),
        ("measures", "19:00"),
    ]:
        data[f"{kind}-at"] = at
        data[f"{kind}-weekdays"] = [str(day) for day in range(7)]
    return data | changes


def test_the_page_shows_each_kind_off_at_first_with_the_persons_time_zone(alex: User) -> None:
    response = client_for(alex).get(URL)
    assert response.status_code == 200
    body = response.content.decode()
    for legend in ("Daily check-in", "Appreciation", "Time together", "Short reflections"):
        assert f"<legend>{legend}</legend>" in body
    assert "Europe/Berlin" in body
    assert 'name="checkin-enabled"' in body
    assert 'name="checkin-enabled" id="id_checkin-enabled" checked' not in body
    assert "Reminders come in the app." in body


def test_saving_turns_a_reminder_on_at_the_chosen_time_and_days(alex: User) -> None:
    response = client_for(alex).post(
        URL,
        form(**{"checkin-enabled": "on", "checkin-at": "21:15", "checkin-weekdays": ["0", "6"]}),
        follow=True,
    )
    assert response.redirect_chain == [(URL, 302)]
    assert "Your reminders are saved." in response.content.decode()
    reminder = Reminder.objects.get(user=alex)
    assert (reminder.kind, reminder.enabled, reminder.at, reminder.days) == (
        "checkin",
        True,
        time(21, 15),
        frozenset({0, 6}),
    )
    body = response.content.decode()
    assert 'value="21:15"' in body


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"checkin-at": "25:00"}, "Enter a time of day like 19:30, between 00:00 and 23:59."),
        ({"checkin-at": "12:60"}, "Enter a time of day like 19:30, between 00:00 and 23:59."),
        ({"checkin-at": "half past seven"}, "Enter a time of day like 19:30"),
        ({"checkin-at": ""}, "Choose a time for this reminder, or turn it off."),
        ({"checkin-weekdays": []}, "Choose at least one day for this reminder, or turn it off."),
        ({"checkin-weekdays": ["7"]}, "Choose days of the week from the list."),
        ({"checkin-weekdays": ["monday"]}, "Choose days of the week from the list."),
    ],
)
def test_bad_input_gets_a_clear_error_and_nothing_is_saved(
    alex: User, changes: dict[str, Any], message: str
) -> None:
    client = client_for(alex)
    client.post(URL, form(**{"measures-enabled": "on", "measures-at": "09:00"}))
    before = list(Reminder.objects.values())
    # Turn the check-in reminder on with a bad field, and change the measures one: neither
    # is saved.
    response = client.post(
        URL, form(**{"checkin-enabled": "on", "measures-enabled": "on", **changes})
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Nothing was saved." in body
    assert message in body
    assert 'href="#reminder-checkin"' in body
    assert list(Reminder.objects.values()) == before


def test_an_impossible_time_is_refused_even_for_a_reminder_left_off(alex: User) -> None:
    response = client_for(alex).post(URL, form(**{"appreciation-at": "24:30"}))
    assert "Nothing was saved." in response.content.decode()
    assert not Reminder.objects.exists()


def test_the_page_says_when_reminders_are_off_or_emailed_and_about_quiet_hours(
    alex: User,
) -> None:
    client = client_for(alex)
    QuietHours.objects.create(user=alex, start=time(22, 0), end=time(7, 0), enabled=True)
    preference = NotificationPreference.objects.create(
        user=alex, kind=NotificationKind.REMINDER, channel="off"
    )
    body = client.get(URL).content.decode()
    assert "Reminders are turned off in your notification settings" in body
    assert "Your quiet hours run from 22:00 to 07:00." in body
    preference.channel = "email"
    preference.save()
    assert "Reminders come in the app and by email." in client.get(URL).content.decode()


def test_one_person_never_sees_or_changes_anothers_reminders(alex: User, casey: User) -> None:
    client_for(alex).post(URL, form(**{"checkin-enabled": "on", "checkin-at": "06:45"}))
    body = client_for(casey).get(URL).content.decode()
    assert 'value="06:45"' not in body
    client_for(casey).post(URL, form())
    assert Reminder.objects.get().user == alex
    assert Reminder.objects.get().enabled


def test_signed_out_visitors_are_sent_to_log_in(client: Any) -> None:
    response = client.post(URL, form(**{"checkin-enabled": "on"}))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))
    assert not Reminder.objects.exists()


def test_the_account_and_notification_settings_pages_link_here(alex: User) -> None:
    client = client_for(alex)
    for page in ("accounts:settings", "notifications:settings"):
        assert f'href="{URL}"' in client.get(reverse(page)).content.decode(), page


def test_the_page_takes_a_fixed_number_of_queries(
    alex: User, django_assert_max_num_queries: Any
) -> None:
    client = client_for(alex)
    client.post(URL, form(**{f"{k}-enabled": "on" for k in ("checkin", "measures")}))
    with django_assert_max_num_queries(10):
        assert client.get(URL).status_code == 200
