"""Today's circle meetings, and for facilitators the next meeting of each circle they run, for
the home page's calm list of what is due (confide.core.due)."""

from __future__ import annotations

import datetime as dt
import uuid

from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from confide.accounts.models import User
from confide.circles.models import Meeting, Role
from confide.circles.services.common import zone_for
from confide.circles.services.meetings import meeting_occurrences
from confide.core.due import DueItem


def due_today(user: User, today: dt.date) -> list[DueItem]:
    """Meetings of the person's circles that start today, in their own time zone."""
    zone = zone_for(user)
    start = dt.datetime.combine(today, dt.time.min, tzinfo=zone)
    end = start + dt.timedelta(days=1)
    meetings = Meeting.objects.filter(
        circle__memberships__user=user,
        circle__memberships__left_at__isnull=True,
        cancelled_at__isnull=True,
    ).distinct()
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
    return items + _next_for_facilitator(user, zone, end, skip=today_meetings)


NEXT_WITHIN = dt.timedelta(days=31)


def _next_for_facilitator(
    user: User, zone: dt.tzinfo, after: dt.datetime, *, skip: set[uuid.UUID]
) -> list[DueItem]:
    """The next meeting after today of each circle the person runs (none today)."""
    meetings = Meeting.objects.filter(
        circle__memberships__user=user,
        circle__memberships__left_at__isnull=True,
        circle__memberships__role__in=(Role.OWNER, Role.FACILITATOR),
        cancelled_at__isnull=True,
    ).exclude(circle_id__in=skip)
    soonest: dict[uuid.UUID, tuple[dt.datetime, Meeting]] = {}
    for meeting in meetings.distinct():
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
