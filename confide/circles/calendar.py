"""The per-person iCalendar feed, built with the `icalendar` library.

A calendar feed is fetched by calendar programs, often from outside this server, so events carry
no private text: a neutral title, the time, and a link to the meeting page.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from django.urls import reverse
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from confide.circles.selectors_meetings import Occurrence


def feed_ics(*, events: Iterable[Occurrence], base_url: str, now: datetime) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//Confide//Circles//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", _("Confide meetings"))
    for item in events:
        meeting = item.meeting
        start = item.start.astimezone(UTC)
        event = Event()
        event.add("uid", f"{meeting.pk}-{start:%Y%m%dT%H%M%SZ}@confide")
        event.add("dtstamp", now.astimezone(UTC))
        event.add("dtstart", start)
        event.add("dtend", start + timedelta(minutes=meeting.duration_minutes))
        event.add("summary", _("Circle meeting"))
        event.add(
            "url", f"{base_url}{reverse('circles:meeting', args=[meeting.circle_id, meeting.pk])}"
        )
        calendar.add_component(event)
    return calendar.to_ical()
