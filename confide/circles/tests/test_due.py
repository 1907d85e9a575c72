"""Today's circle meetings appear in the home page's list of what is due."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

import pytest
import time_machine
from django.urls import reverse

from confide.accounts.models import User
from confide.circles.models import Circle, Membership
from confide.circles.services.meetings import meeting_create
from confide.circles.tests.factories import owner_of
from tests.personas import client_for

pytestmark = pytest.mark.django_db
BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")


@time_machine.travel(dt.datetime(2026, 12, 2, 9, 0, tzinfo=BERLIN), tick=False)
def test_a_meeting_today_is_listed_with_its_time(
    circle: Circle, alex: User, alex_member: Membership
) -> None:
    _weekly(circle, "Wednesday check-in", dt.date(2026, 12, 2))
    page = client_for(alex).get(reverse("core:home")).content.decode()
    assert "A circle meeting: Wednesday check-in" in page
    assert "at 19:00" in page or "at 7 p.m." in page
    with time_machine.travel(dt.datetime(2026, 12, 3, 9, 0, tzinfo=BERLIN), tick=False):
        page = client_for(alex).get(reverse("core:home")).content.decode()
    assert "A circle meeting: Wednesday check-in" not in page


def _weekly(circle: Circle, title: str, day: dt.date) -> None:
    meeting_create(
        membership=owner_of(circle),
        title=title,
        start_date=day,
        start_time=dt.time(19, 0),
        time_zone="Europe/Berlin",
        duration_minutes=60,
        rrule="FREQ=WEEKLY",
        location="",
        agenda="",
    )


@time_machine.travel(dt.datetime(2026, 12, 2, 9, 0, tzinfo=BERLIN), tick=False)
def test_who_runs_a_circle_sees_its_next_meeting_unless_it_meets_today(
    circle: Circle, dana: User, alex: User, alex_member: Membership
) -> None:
    from confide.circles.due import due_today

    dana.time_zone = "Europe/Berlin"
    _weekly(circle, "Friday round", dt.date(2026, 12, 4))
    assert [(i.kind, str(i.title)) for i in due_today(dana, dt.date(2026, 12, 2))] == [
        ("next_meeting", "Next meeting you facilitate: Friday round")
    ]
    assert due_today(alex, dt.date(2026, 12, 2)) == []  # a member is not asked to run it
    _weekly(circle, "Wednesday check-in", dt.date(2026, 12, 2))
    assert [(i.kind, str(i.title)) for i in due_today(dana, dt.date(2026, 12, 2))] == [
        ("meeting", "A circle meeting: Wednesday check-in")
    ]


@time_machine.travel(dt.datetime(2026, 12, 2, 9, 0, tzinfo=BERLIN), tick=False)
def test_a_cancelled_meeting_or_a_left_circle_lists_nothing(
    circle: Circle, alex: User, alex_member: Membership
) -> None:
    from confide.circles.due import due_today
    from confide.circles.models import Meeting
    from confide.circles.services.meetings import meeting_cancel
    from confide.circles.services.membership import circle_leave

    _weekly(circle, "Wednesday check-in", dt.date(2026, 12, 2))
    _weekly(circle, "Second", dt.date(2026, 12, 2))
    assert len(due_today(alex, dt.date(2026, 12, 2))) == 2
    first = Meeting.objects.filter(circle=circle).order_by("pk").first()
    assert first is not None
    meeting_cancel(membership=owner_of(circle), meeting=first)
    assert len(due_today(alex, dt.date(2026, 12, 2))) == 1
    circle_leave(membership=alex_member)
    assert due_today(alex, dt.date(2026, 12, 2)) == []


def test_outside_any_circle_it_costs_the_shared_read_alone(
    casey: User, django_assert_num_queries: Any
) -> None:
    from confide.circles.due import due_today, person_memberships
    from confide.core.due import DueAsk

    ask = DueAsk(casey, dt.date(2026, 12, 2))
    with django_assert_num_queries(1):
        assert person_memberships(ask) == []
        assert due_today(casey, ask.today, ask=ask) == []
