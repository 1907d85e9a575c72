"""Demo reminders: Alex is nudged to check in on weekday evenings, Blake to notice something
to appreciate on Sundays. Safe to run again: choices already there are left as they are."""

from __future__ import annotations

from collections.abc import Callable
from datetime import time

from confide.accounts.models import User
from confide.reminders.models import Reminder
from confide.reminders.services import ReminderChoice, reminders_save


def demo_reminders(*, alex: User, blake: User, progress: Callable[[str], None]) -> None:
    for person, choice in [
        (alex, ReminderChoice("checkin", True, time(20, 30), frozenset(range(5)))),
        (blake, ReminderChoice("appreciation", True, time(18, 0), frozenset({6}))),
    ]:
        if Reminder.objects.filter(user=person, kind=choice.kind).exists():
            continue
        reminders_save(user=person, choices=[choice])
        progress(f"set a {choice.kind} reminder for {person.display_name}")
