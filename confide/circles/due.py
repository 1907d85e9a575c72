"""Today's circle meetings, for the home page's calm list of what is due (confide.core.due)."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from confide.accounts.models import User
from confide.circles.models import Meeting
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
    for meeting in meetings:
        for when in meeting_occurrences(meeting, after=start, before=end):
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
    return items
