"""Today's circle meetings, and for facilitators the next meeting of each circle they run, for
the home page's calm list of what is due (confide.core.due); and the person's memberships, read
once for the page and the other apps' providers (`person_memberships`)."""

from __future__ import annotations

import datetime as dt
import uuid

from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from confide.accounts.models import User
from confide.circles.models import Meeting, Membership, Role
from confide.circles.selectors import memberships_for_person
from confide.circles.services.common import zone_for
from confide.circles.services.meetings import meeting_occurrences
from confide.core.due import DueAsk, DueItem

RUNS = (Role.OWNER, Role.FACILITATOR)
# What placing a meeting in time reads (circles.services.meetings.meeting_occurrences).
_WHEN = ("start_date", "start_time", "time_zone", "rrule")


def person_memberships(ask: DueAsk) -> list[Membership]:
    """The person's current memberships with their circles, by circle name: one query the first
    time for this ask, none after. Only what the home page and the providers use is read (no
    "about me", no purpose)."""
    return ask.shared(
        "circles.memberships",
        lambda: list(
            memberships_for_person(user=ask.person).only(
                "circle_id", "user_id", "role", "pseudonym", "left_at", "circle__name"
            )
        ),
    )


def due_today(user: User, today: dt.date, *, ask: DueAsk | None = None) -> list[DueItem]:
    """Meetings of the person's circles that start today, in their own time zone. One query,
    none outside any circle."""
    memberships = person_memberships(ask if ask is not None else DueAsk(user, today))
    if not memberships:
        return []
    zone = zone_for(user)
    start = dt.datetime.combine(today, dt.time.min, tzinfo=zone)
    end = start + dt.timedelta(days=1)
    meetings = list(
        Meeting.objects.filter(
            circle_id__in={m.circle_id for m in memberships}, cancelled_at__isnull=True
        ).only(*_WHEN, "circle_id", "space_id", "title")
    )
    items = []
    today_meetings: set[uuid.UUID] = set()
    for meeting in meetings:
        for when in meeting_occurrences(meeting, after=start, before=end):
            today_meetings.add(meeting.circle_id)
            local = when.astimezone(zone)
            items.append(
                DueItem(
                    kind="meeting",
                    title=_("A circle meeting: %(title)s") % {"title": meeting.title},
                    url=reverse("circles:meeting", args=[meeting.circle_id, meeting.pk]),
                    order=30,
                    detail=_("at %(time)s") % {"time": formats.time_format(local, "TIME_FORMAT")},
                )
            )
    run = {m.circle_id for m in memberships if m.role in RUNS} - today_meetings
    return items + _next_for_facilitator([m for m in meetings if m.circle_id in run], zone, end)


NEXT_WITHIN = dt.timedelta(days=31)


def _next_for_facilitator(
    meetings: list[Meeting], zone: dt.tzinfo, after: dt.datetime
) -> list[DueItem]:
    """The next meeting after today of each circle the person runs (none today)."""
    soonest: dict[uuid.UUID, tuple[dt.datetime, Meeting]] = {}
    for meeting in meetings:
        found = meeting_occurrences(meeting, after=after, before=after + NEXT_WITHIN)
        if found and (meeting.circle_id not in soonest or found[0] < soonest[meeting.circle_id][0]):
            soonest[meeting.circle_id] = (found[0], meeting)
    return [
        DueItem(
            kind="next_meeting",
            title=_("Next meeting you facilitate: %(title)s") % {"title": meeting.title},
            url=reverse("circles:meeting", args=[meeting.circle_id, meeting.pk]),
            order=40,
            detail=formats.date_format(when.astimezone(zone), "l j F, H:i"),
        )
        for when, meeting in sorted(soonest.values(), key=lambda pair: pair[0])
    ]
