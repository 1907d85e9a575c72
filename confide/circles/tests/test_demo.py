from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from confide.circles.models import Circle, Contribution, Meeting, Reaction, Reply, Thread

pytestmark = pytest.mark.django_db


def _counts() -> tuple[int, ...]:
    return tuple(
        model.objects.count() for model in (Circle, Thread, Reply, Reaction, Contribution, Meeting)
    )


def test_the_demo_adds_a_living_circle_and_runs_twice_without_duplicates() -> None:
    call_command("demo", stdout=StringIO())
    circle = Circle.objects.get()
    roles = dict(circle.memberships.values_list("user__display_name", "role"))
    assert roles["Dana"] == "owner"
    assert {"Alex", "Blake", "Eli"} <= set(roles)
    assert len(roles) >= 7
    assert Thread.objects.filter(content_note__isnull=False).count() == 3
    assert Reaction.objects.exists()
    goal = circle.goals.get()
    assert 0 < goal.progress < (goal.target or 0)
    meeting = Meeting.objects.get()
    assert meeting.rrule == "FREQ=WEEKLY;BYDAY=TH"
    counts = _counts()
    call_command("demo", stdout=StringIO())
    assert _counts() == counts
    assert all(isinstance(t.body, str) for t in Thread.objects.all())
