"""The reminders app's export and erasure handler: the times a person chose."""

from __future__ import annotations

from typing import Any

from confide.accounts.models import User
from confide.privacy.document import iso
from confide.privacy.registry import privacy_handler_register
from confide.reminders.models import Reminder

_DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def reminders_export(user: User) -> dict[str, Any]:
    return {
        "reminders": [
            {
                "kind": reminder.kind,
                "at": reminder.at.strftime("%H:%M"),
                "days": [_DAYS[day] for day in sorted(reminder.days)],
                "on": reminder.enabled,
                "changed_at": iso(reminder.changed_at),
            }
            for reminder in Reminder.objects.filter(user=user).order_by("kind")
        ]
    }


def reminders_erase(user: User) -> None:
    Reminder.objects.filter(user=user).delete()


def register() -> None:
    privacy_handler_register(
        app="reminders", models=(Reminder,), export=reminders_export, erase=reminders_erase
    )
