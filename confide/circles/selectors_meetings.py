"""Reads of meetings: upcoming occurrences in the viewer's time zone, RSVPs, attendance,
ratings (only in aggregate), and the calendar feed's events."""

from __future__ import annotations

import uuid
import zoneinfo
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from statistics import mean
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from confide.accounts.models import User
from confide.circles import content
from confide.circles.models import (
    Attendance,
    Circle,
    Meeting,
    MeetingRating,
    Membership,
    Round,
    RoundEntry,
    Rsvp,
)
from confide.circles.services.common import zone_for
from confide.circles.services.meetings import meeting_occurrences, next_occurrences

ANONYMITY_MINIMUM = 3
UPCOMING_ON_CIRCLE_PAGE = 5
OCCURRENCES_ON_MEETING_PAGE = 6
PAST_ON_MEETING_PAGE = 3
FEED_PAST = timedelta(days=30)
FEED_AHEAD = timedelta(days=180)


@dataclass
class Occurrence:
    meeting: Meeting
    start: datetime  # UTC
    zone: zoneinfo.ZoneInfo  # the viewer's
    my_answer: str = ""
    counts: Counter[str] = field(default_factory=Counter)
    attended: bool = False
    rated: bool = False

    @property
    def local(self) -> datetime:
        return self.start.astimezone(self.zone)

    @property
    def local_end(self) -> datetime:
        return self.local + timedelta(minutes=self.meeting.duration_minutes)

    @property
    def key(self) -> str:
        return self.start.isoformat()

    @property
    def zone_name(self) -> str:
        return self.local.tzname() or self.zone.key


def live_meetings(*, circle: Circle) -> QuerySet[Meeting]:
    return Meeting.objects.filter(circle=circle, cancelled_at__isnull=True).select_related(
        "organiser"
    )


def upcoming_for_circle(
    *, circle: Circle, viewer: User, limit: int = UPCOMING_ON_CIRCLE_PAGE
) -> list[Occurrence]:
    now = timezone.now()
    zone = zone_for(viewer)
    found = [
        Occurrence(meeting, start, zone)
        for meeting in live_meetings(circle=circle)
        for start in next_occurrences(meeting, now=now, count=limit)
    ]
    return sorted(found, key=lambda o: o.start)[:limit]


def meeting_page(
    *, meeting: Meeting, viewer: Membership
) -> tuple[list[Occurrence], list[Occurrence]]:
    """Coming occurrences with RSVPs, and the last few past ones with attendance."""
    now = timezone.now()
    zone = zone_for(viewer.user)
    coming = [
        Occurrence(meeting, start, zone)
        for start in next_occurrences(meeting, now=now, count=OCCURRENCES_ON_MEETING_PAGE)
    ]
    past_starts = meeting_occurrences(
        meeting, after=now - timedelta(days=60), before=now + timedelta(minutes=15)
    )[-PAST_ON_MEETING_PAGE:]
    past = [Occurrence(meeting, start, zone) for start in reversed(past_starts)]
    by_start = {o.start: o for o in coming}
    for rsvp in Rsvp.objects.filter(meeting=meeting, occurrence__in=list(by_start)):
        item = by_start[rsvp.occurrence]
        item.counts[rsvp.answer] += 1
        if rsvp.member_id == viewer.pk:
            item.my_answer = rsvp.answer
    past_by_start = {o.start: o for o in past}
    for attendance in Attendance.objects.filter(
        meeting=meeting, occurrence__in=list(past_by_start)
    ):
        item = past_by_start[attendance.occurrence]
        item.counts["attended"] += 1
        item.attended = item.attended or attendance.member_id == viewer.pk
    for rating in MeetingRating.objects.filter(
        meeting=meeting, member=viewer, occurrence__in=list(past_by_start)
    ):
        past_by_start[rating.occurrence].rated = True
    return coming, past


@dataclass(frozen=True)
class RatingItem:
    label: str
    average: float


@dataclass(frozen=True)
class RatingSummary:
    count: int
    items: list[RatingItem]


def rating_summary(*, meeting: Meeting) -> RatingSummary:
    """Averages over every rating of the meeting, or no items below ANONYMITY_MINIMUM ratings,
    so that nobody's answers can be picked out."""
    ratings = list(MeetingRating.objects.filter(meeting=meeting))
    if len(ratings) < ANONYMITY_MINIMUM:
        return RatingSummary(len(ratings), [])
    return RatingSummary(
        len(ratings),
        [
            RatingItem(str(label), round(mean(getattr(r, key) for r in ratings), 1))
            for key, label in content.RATING_ITEMS
        ],
    )


def feed_events(*, user: User, now: datetime) -> list[Occurrence]:
    """Every occurrence, in a window around now, of meetings in the person's circles."""
    zone = zone_for(user)
    meetings = Meeting.objects.filter(
        circle__memberships__user=user,
        circle__memberships__left_at__isnull=True,
        cancelled_at__isnull=True,
    ).distinct()
    return [
        Occurrence(meeting, start, zone)
        for meeting in meetings
        for start in meeting_occurrences(meeting, after=now - FEED_PAST, before=now + FEED_AHEAD)
    ]


def round_state(*, round_id: uuid.UUID | str, viewer: Membership) -> dict[str, Any]:
    """The round as the viewer's page shows it: who holds the piece and who waits, by circle
    name only. Also the shape of every socket message about the round."""
    round_ = Round.objects.select_related("holder").get(pk=round_id)
    waiting = (
        RoundEntry.objects.filter(round=round_, done_at__isnull=True)
        .exclude(member_id=round_.holder_id)
        .select_related("member")
        .order_by("joined_at", "id")
    )
    queue = [{"id": str(e.member_id), "name": e.member.pseudonym} for e in waiting]
    holder = round_.holder
    return {
        "type": "state",
        "version": round_.version,
        "open": round_.is_open,
        "holder": None if holder is None else {"id": str(holder.pk), "name": holder.pseudonym},
        "queue": queue,
        "you": str(viewer.pk),
        "you_hold": holder is not None and holder.pk == viewer.pk,
        "you_wait": any(item["id"] == str(viewer.pk) for item in queue),
        "facilitator": viewer.is_facilitator,
    }


def open_round(*, meeting: Meeting) -> Round | None:
    return Round.objects.filter(meeting=meeting, closed_at__isnull=True).first()


def open_rounds_for_circle(*, circle: Circle) -> list[Round]:
    """Rounds open now in the circle's meetings, so members see one as soon as it opens."""
    return list(
        Round.objects.filter(
            meeting__circle=circle, meeting__cancelled_at__isnull=True, closed_at__isnull=True
        ).select_related("meeting")
    )
