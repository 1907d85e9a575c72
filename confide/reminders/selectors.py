"""Reads of reminders, always one person's own."""

from __future__ import annotations

from confide.accounts.models import User
from confide.reminders.models import Reminder


def reminders_for(*, user: User) -> dict[str, Reminder]:
    """The person's stored reminders by kind (kinds never turned on have none)."""
    return {reminder.kind: reminder for reminder in Reminder.objects.filter(user=user)}
