from __future__ import annotations

import datetime as dt

import pytest

from confide.accounts.models import User
from confide.core.models import AuditEntry
from confide.notifications.models import Channel, Kind, NotificationPreference, QuietHours
from confide.notifications.selectors import channels_for, quiet_hours_for
from confide.notifications.services import preferences_update

pytestmark = pytest.mark.django_db


def test_defaults_email_only_invitations_partners_leaving_and_meeting_reminders(
    alex: User,
) -> None:
    # Safety alerts to circle facilitators email by default too (confide.moderation).
    by_email = {Kind.PAIR_INVITATION, Kind.PARTNER_LEFT, Kind.CIRCLE_MEETING, Kind.SAFETY_ALERT}
    # Reactions to one's circle posts are off until chosen; replies are on.
    off = {Kind.CIRCLE_REACTION}
    assert channels_for(user=alex) == {
        kind: Channel.OFF
        if kind in off
        else (Channel.EMAIL if kind in by_email else Channel.IN_APP)
        for kind in Kind
    }
    quiet = quiet_hours_for(user=alex)
    assert (quiet.enabled, quiet.pk) == (False, None)


def test_preferences_are_saved_and_audited_without_content(alex: User) -> None:
    preferences_update(
        user=alex,
        channels={Kind.PARTNER_CHECKIN: Channel.EMAIL, Kind.PAIR_INVITATION: Channel.OFF},
        quiet_start=dt.time(21, 30),
        quiet_end=dt.time(6, 45),
        quiet_enabled=True,
    )
    channels = channels_for(user=alex)
    assert channels[Kind.PARTNER_CHECKIN] == Channel.EMAIL
    assert channels[Kind.PAIR_INVITATION] == Channel.OFF
    assert channels[Kind.PARTNER_LEFT] == Channel.EMAIL  # left out: unchanged
    quiet = QuietHours.objects.get(user=alex)
    assert (quiet.start, quiet.end, quiet.enabled) == (dt.time(21, 30), dt.time(6, 45), True)
    entry = AuditEntry.objects.get(action="notifications.preferences.changed")
    assert entry.actor_id == alex.pk
    assert entry.data == {
        "channels": {"partner_checkin": "email", "pair_invitation": "off"},
        "quiet_enabled": True,
    }


def test_saving_twice_updates_the_same_rows(alex: User) -> None:
    for channel in (Channel.OFF, Channel.EMAIL):
        preferences_update(
            user=alex,
            channels={Kind.PROMPT_WAITING: channel},
            quiet_start=None,
            quiet_end=None,
            quiet_enabled=False,
        )
    assert NotificationPreference.objects.get(user=alex, kind=Kind.PROMPT_WAITING).channel == (
        Channel.EMAIL
    )
    assert QuietHours.objects.filter(user=alex).count() == 1


def test_saving_without_a_change_is_not_audited_again(alex: User) -> None:
    arguments = {
        "channels": {Kind.PROMPT_WAITING: Channel.OFF},
        "quiet_start": dt.time(22),
        "quiet_end": dt.time(7),
        "quiet_enabled": False,
    }
    preferences_update(user=alex, **arguments)  # type: ignore[arg-type]
    preferences_update(user=alex, **arguments)  # type: ignore[arg-type]
    assert AuditEntry.objects.filter(action="notifications.preferences.changed").count() == 1


@pytest.mark.parametrize(
    ("channels", "start", "end"),
    [
        ({"no_such_kind": Channel.EMAIL}, None, None),
        ({Kind.PARTNER_CHECKIN: "loud"}, None, None),
        ({Kind.PARTNER_CHECKIN: Channel.OFF}, dt.time(8), dt.time(8)),
    ],
)
def test_bad_preferences_change_nothing(
    alex: User, channels: dict[str, str], start: dt.time | None, end: dt.time | None
) -> None:
    with pytest.raises(ValueError, match=r"."):
        preferences_update(
            user=alex, channels=channels, quiet_start=start, quiet_end=end, quiet_enabled=True
        )
    assert not NotificationPreference.objects.exists()
    assert not QuietHours.objects.exists()
    assert not AuditEntry.objects.filter(action="notifications.preferences.changed").exists()
