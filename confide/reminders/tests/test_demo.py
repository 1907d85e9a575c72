from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from confide.reminders.models import Reminder

pytestmark = pytest.mark.django_db


def test_the_demo_sets_a_reminder_for_each_partner_and_runs_twice_without_changing_them() -> None:
    call_command("demo", stdout=StringIO())
    rows = list(Reminder.objects.values_list("user__email", "kind", "enabled", "changed_at"))
    assert sorted(row[:3] for row in rows) == [
        ("alex@example.com", "checkin", True),
        ("blake@example.com", "appreciation", True),
    ]
    call_command("demo", stdout=StringIO())
    assert (
        list(Reminder.objects.values_list("user__email", "kind", "enabled", "changed_at")) == rows
    )
