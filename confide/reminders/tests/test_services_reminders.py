from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from confide.accounts.models import User
from confide.core.models import ScheduledSend
from confide.core.scheduler import Sent
from confide.core.sweep import sweep_run
from confide.notifications.models import Kind as NotificationKind
from confide.notifications.models import Notification, NotificationPreference
from confide.pairs.models import Pair
from confide.pairs.services.checkins import checkin_submit
from confide.pairs.services.pairing import pair_pause
from confide.pairs.tests.factories import make_pair
from confide.reminders import services
from confide.reminders.models import ALL_DAYS, Kind, Reminder
from confide.reminders.services import (
    ReminderChoice,
    ReminderError,
    reminder_deliver,
    reminders_due,
    reminders_save,
)

pytestmark = pytest.mark.django_db
MONDAY = datetime(2026, 5, 4, 8, 20, tzinfo=UTC)  # 10:20 in Berlin
PRIVATE_NOTE = "canary-reminder-note-4e1f"


def choice(
    kind: str = "checkin",
    enabled: bool = True,
    at: time | None = time(10, 0),
    days: frozenset[int] = frozenset(range(7)),
) -> ReminderChoice:
    return ReminderChoice(kind=kind, enabled=enabled, at=at, weekdays=days)


def item(user: User, kind: str = "checkin", slot: datetime = MONDAY) -> ScheduledSend:
    return ScheduledSend(sweep="reminders", kind=kind, subject=str(user.pk), slot=slot, due_at=slot)


def remind(user: User, kind: str = "checkin") -> Reminder:
    return Reminder.objects.create(
        user=user, kind=kind, enabled=True, changed_at=MONDAY - timedelta(days=30)
    )


def reminder_titles(user: User) -> list[str]:
    return list(
        Notification.objects.filter(user=user, kind=NotificationKind.REMINDER).values_list(
            "title", flat=True
        )
    )


# --- saving --------------------------------------------------------------------------------


def test_saving_stores_the_reminders_turned_on_and_nothing_for_kinds_never_used(
    alex: User,
) -> None:
    saved = reminders_save(
        user=alex,
        choices=[
            choice("checkin", at=time(20, 15, 40), days=frozenset({0, 2, 4})),
            choice("appreciation", enabled=False),
        ],
        now=MONDAY,
    )
    [checkin] = saved
    assert (checkin.kind, checkin.at, checkin.days, checkin.enabled) == (
        "checkin",
        time(20, 15),  # minutes are enough for a reminder
        frozenset({0, 2, 4}),
        True,
    )
    assert list(Reminder.objects.values_list("kind", flat=True)) == ["checkin"]


def test_turning_a_reminder_off_keeps_its_time_and_days(alex: User) -> None:
    reminders_save(user=alex, choices=[choice(days=frozenset({5, 6}))], now=MONDAY)
    reminders_save(user=alex, choices=[choice(enabled=False, at=None, days=frozenset())])
    reminder = Reminder.objects.get(user=alex)
    assert (reminder.enabled, reminder.at, reminder.weekdays) == (False, time(10, 0), 0)


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        (choice(at=None), "Choose a time for the reminder “Daily check-in”."),
        (choice(days=frozenset()), "Choose at least one day for the reminder “Daily check-in”."),
        (choice(days=frozenset({7})), "Choose days of the week from the list."),
        (choice(days=frozenset({-1})), "Choose days of the week from the list."),
        (choice(kind="horoscope"), "This kind of reminder does not exist. Reload the page."),
    ],
)
def test_bad_input_gets_a_clear_error_and_changes_nothing(
    alex: User, bad: ReminderChoice, message: str
) -> None:
    reminders_save(user=alex, choices=[choice("measures", at=time(9, 0))], now=MONDAY)
    before = list(Reminder.objects.values())
    with pytest.raises(ReminderError) as raised:
        reminders_save(user=alex, choices=[choice("measures", at=time(21, 0)), bad])
    assert str(raised.value) == message
    assert list(Reminder.objects.values()) == before


def test_one_kind_twice_in_one_save_is_refused(alex: User) -> None:
    with pytest.raises(ReminderError, match="can be set once"):
        reminders_save(user=alex, choices=[choice(), choice(at=time(11, 0))])
    assert not Reminder.objects.exists()


def test_saving_the_same_choices_again_changes_nothing(alex: User) -> None:
    reminders_save(user=alex, choices=[choice()], now=MONDAY)
    reminders_save(user=alex, choices=[choice()], now=MONDAY + timedelta(hours=1))
    assert Reminder.objects.get(user=alex).changed_at == MONDAY


def test_a_time_just_past_when_saved_comes_first_the_next_day(
    pair: Pair, alex: User, django_capture_on_commit_callbacks: Any
) -> None:
    # At 10:20 in Berlin, Alex asks for 10:00: nothing now, although 10:00 is within the hour
    # the sweep looks back over; the next morning it comes.
    reminders_save(user=alex, choices=[choice(at=time(10, 0))], now=MONDAY)
    with time_machine.travel(MONDAY + timedelta(minutes=1), tick=False):
        sweep_run()
    assert reminder_titles(alex) == []
    tuesday = datetime(2026, 5, 5, 8, 0, tzinfo=UTC)
    with (
        time_machine.travel(tuesday, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        sweep_run()
    assert reminder_titles(alex) == ["Your check-in reminder"]


# --- finding what is due -------------------------------------------------------------------


def test_only_reminders_turned_on_for_active_people_are_due(alex: User, blake: User) -> None:
    remind(alex)
    remind(blake, "measures")
    Reminder.objects.create(user=blake, kind="checkin", enabled=False)
    blake.is_active = False
    blake.save(update_fields=["is_active"])
    # Each reminder is at 19:00 in its person's zone: 17:00 UTC for Alex (Berlin, summer),
    # 19:00 UTC for Blake, who is no longer active.
    due = list(reminders_due(MONDAY, MONDAY + timedelta(hours=12)))
    assert [(d.kind, d.subject, d.slot) for d in due] == [
        ("checkin", str(alex.pk), datetime(2026, 5, 4, 17, 0, tzinfo=UTC))
    ]


# --- sending -------------------------------------------------------------------------------


def test_a_reminder_carries_no_private_text_and_leads_to_the_checkin(
    pair: Pair, alex: User, blake: User, django_capture_on_commit_callbacks: Any
) -> None:
    checkin_submit(
        pair=pair,
        author=blake,
        mood=2,
        feelings=[],
        needs=[],
        note=PRIVATE_NOTE,
        visibility="shared",
    )
    NotificationPreference.objects.create(
        user=alex, kind=NotificationKind.REMINDER, channel="email"
    )
    remind(alex)
    with django_capture_on_commit_callbacks(execute=True):
        assert reminder_deliver(item(alex), MONDAY) == Sent.DONE
    notification = Notification.objects.get(user=alex, kind=NotificationKind.REMINDER)
    assert notification.title == "Your check-in reminder"
    assert notification.url == reverse("pairs:checkin", args=[pair.pk])
    [email] = mail.outbox
    for text in (notification.title, email.subject, str(email.body)):
        assert PRIVATE_NOTE not in text
        assert "Blake" not in text


def test_a_checkin_reminder_stays_away_once_the_person_has_checked_in_today(
    pair: Pair, alex: User
) -> None:
    remind(alex)
    with time_machine.travel(MONDAY, tick=False):
        checkin_submit(
            pair=pair, author=alex, mood=4, feelings=[], needs=[], note="", visibility="private"
        )
        assert reminder_deliver(item(alex), MONDAY) == Sent.SKIPPED
    assert reminder_titles(alex) == []


def test_with_two_pairs_waiting_the_checkin_reminder_leads_to_the_list(
    pair: Pair, alex: User, casey: User
) -> None:
    make_pair(alex, casey)
    remind(alex)
    reminder_deliver(item(alex), MONDAY)
    assert Notification.objects.get(user=alex).url == reverse("pairs:list")


@pytest.mark.parametrize("kind", ["checkin", "appreciation", "planned_time"])
def test_without_a_pair_there_is_nothing_to_remind_of(alex: User, kind: str) -> None:
    remind(alex, kind)
    assert reminder_deliver(item(alex, kind), MONDAY) == Sent.SKIPPED
    assert reminder_titles(alex) == []


@pytest.mark.parametrize("kind", ["appreciation", "planned_time"])
def test_no_nudge_toward_a_partner_while_joint_activities_are_paused(
    pair: Pair, alex: User, blake: User, kind: str
) -> None:
    pair_pause(pair=pair, user=blake)
    remind(alex, kind)
    assert reminder_deliver(item(alex, kind), MONDAY) == Sent.SKIPPED


@pytest.mark.parametrize(
    ("kind", "attribute", "title"),
    [
        ("appreciation", "APPRECIATION_PAGES", "Your appreciation reminder"),
        ("planned_time", "TOGETHER_PAGES", "Your reminder for time together"),
    ],
)
def test_pages_that_do_not_exist_yet_fall_back_to_the_pair_page(
    pair: Pair,
    alex: User,
    monkeypatch: pytest.MonkeyPatch,
    kind: str,
    attribute: str,
    title: str,
) -> None:
    monkeypatch.setattr(services, attribute, ("nowhere:page",))
    remind(alex, kind)
    reminder_deliver(item(alex, kind), MONDAY)
    notification = Notification.objects.get(user=alex)
    assert (notification.title, notification.url) == (
        title,
        reverse("pairs:detail", args=[pair.pk]),
    )


def test_every_reminder_leads_to_a_page_the_person_can_open(pair: Pair, alex: User) -> None:
    from tests.personas import client_for

    for kind in Kind.values:
        remind(alex, kind)
        with time_machine.travel(MONDAY, tick=False):
            assert reminder_deliver(item(alex, kind), MONDAY) == Sent.DONE
    client = client_for(alex)
    for notification in Notification.objects.filter(user=alex):
        assert client.get(notification.url).status_code == 200, notification.url


def test_a_measures_reminder_comes_only_while_a_measure_is_due(alex: User, blake: User) -> None:
    remind(alex, "measures")
    assert reminder_deliver(item(alex, "measures"), MONDAY) == Sent.SKIPPED  # no pair: none due
    make_pair(alex, blake)
    with time_machine.travel(MONDAY, tick=False):
        assert reminder_deliver(item(alex, "measures"), MONDAY) == Sent.DONE
    notification = Notification.objects.get(user=alex)
    assert notification.title == "Your reminder for a short reflection"
    assert notification.url == reverse("measures:index")


def test_a_reminder_turned_off_after_it_fell_due_is_not_sent(pair: Pair, alex: User) -> None:
    reminder = remind(alex)
    reminder.enabled = False
    reminder.save(update_fields=["enabled"])
    assert reminder_deliver(item(alex), MONDAY) == Sent.SKIPPED


def test_a_reminder_is_sent_once_per_slot_even_if_delivered_twice(pair: Pair, alex: User) -> None:
    remind(alex)
    reminder_deliver(item(alex), MONDAY)
    reminder_deliver(item(alex), MONDAY)
    reminder_deliver(item(alex, slot=MONDAY + timedelta(days=1)), MONDAY + timedelta(days=1))
    assert len(reminder_titles(alex)) == 2


def test_reminders_turned_off_in_notification_settings_make_nothing(pair: Pair, alex: User) -> None:
    NotificationPreference.objects.create(user=alex, kind=NotificationKind.REMINDER, channel="off")
    remind(alex)
    assert reminder_deliver(item(alex), MONDAY) == Sent.DONE  # done: the person chose silence
    assert reminder_titles(alex) == []


def test_every_kind_has_a_title_and_a_default_mask() -> None:
    assert set(services.TITLES) == set(Kind)
    assert ALL_DAYS == 0b1111111
