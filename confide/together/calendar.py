"""One plan as an iCalendar file, built with the `icalendar` library.

A person downloads the file for their own calendar, so the summary carries what was planned;
the private notes stay here. Times are written in UTC.
"""

from __future__ import annotations

from datetime import UTC, datetime

from django.urls import reverse
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from confide.together.models import Plan


def plan_ics(*, plan: Plan, base_url: str, now: datetime) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//Confide//Time together//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    event = Event()
    event.add("uid", f"together-{plan.pk}@confide")
    event.add("dtstamp", now.astimezone(UTC))
    event.add("dtstart", plan.starts_at.astimezone(UTC))
    event.add("dtend", plan.ends_at.astimezone(UTC))
    event.add("summary", plan.what)
    if plan.device_free:
        event.add("description", _("Device-free time together: phones away."))
    event.add("status", "CANCELLED" if plan.status == Plan.Status.CANCELLED else "CONFIRMED")
    event.add("url", f"{base_url}{reverse('together:plan', args=[plan.pair_id, plan.pk])}")
    calendar.add_component(event)
    return calendar.to_ical()
