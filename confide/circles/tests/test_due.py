"""Today's circle meetings appear in the home page's list of what is due."""

from __future__ import annotations

import datetime as dt
import zoneinfo

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
    meeting_create(
        membership=owner_of(circle),
        title="Wednesday check-in",
        start_date=dt.date(2026, 12, 2),
        start_time=dt.time(19, 0),
        time_zone="Europe/Berlin",
        duration_minutes=60,
        rrule="FREQ=WEEKLY",
        location="",
        agenda="",
    )
    page = client_for(alex).get(reverse("core:home")).content.decode()
    assert "A circle meeting: Wednesday check-in" in page
    assert "at 19:00" in page or "at 7 p.m." in page
    with time_machine.travel(dt.datetime(2026, 12, 3, 9, 0, tzinfo=BERLIN), tick=False):
        page = client_for(alex).get(reverse("core:home")).content.decode()
    assert "A circle meeting: Wednesday check-in" not in page
