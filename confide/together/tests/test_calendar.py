"""The calendar file of one plan, read back with the icalendar library."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from icalendar import Calendar

from confide.accounts.models import User
from confide.pairs.models import Pair
from confide.together.calendar import plan_ics
from confide.together.services import plan_cancel
from confide.together.tests.factories import make_plan

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]
NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


def _event(body: bytes) -> object:
    calendar = Calendar.from_ical(body)
    events = calendar.walk("VEVENT")
    assert len(events) == 1
    assert str(calendar["VERSION"]) == "2.0"
    return events[0]


def test_the_event_has_the_plans_time_in_utc_and_its_what_but_not_its_notes(
    pair: Pair, alex: User
) -> None:
    plan = make_plan(pair, alex, what="Stargazing on the roof", notes="canary-notes-6e2b")
    body = plan_ics(plan=plan, base_url="https://confide.example", now=NOW)
    event = _event(body)
    assert event.decoded("DTSTART") == datetime(2026, 3, 11, 18, 0, tzinfo=UTC)  # type: ignore[attr-defined]
    assert event.decoded("DTEND") == datetime(2026, 3, 11, 19, 30, tzinfo=UTC)  # type: ignore[attr-defined]
    assert event.decoded("DTSTAMP") == NOW  # type: ignore[attr-defined]
    assert str(event["SUMMARY"]) == "Stargazing on the roof"  # type: ignore[index]
    assert str(event["UID"]) == f"together-{plan.pk}@confide"  # type: ignore[index]
    assert str(event["STATUS"]) == "CONFIRMED"  # type: ignore[index]
    assert str(event["DESCRIPTION"]) == "Device-free time together: phones away."  # type: ignore[index]
    assert str(event["URL"]) == (  # type: ignore[index]
        f"https://confide.example/pairs/{pair.pk}/together/plans/{plan.pk}/"
    )
    assert b"canary-notes-6e2b" not in body


def test_a_plan_with_devices_has_no_description_and_a_cancelled_one_says_so(
    pair: Pair, alex: User, blake: User
) -> None:
    plan = make_plan(pair, alex, device_free=False)
    assert "DESCRIPTION" not in _event(plan_ics(plan=plan, base_url="", now=NOW))  # type: ignore[operator]
    plan = plan_cancel(plan=plan, person=blake)
    event = _event(plan_ics(plan=plan, base_url="", now=NOW))
    assert str(event["STATUS"]) == "CANCELLED"  # type: ignore[index]
