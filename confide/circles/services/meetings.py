"""Meetings: plan, RSVP per occurrence, attendance, reminders, the calendar feed, ratings."""

from __future__ import annotations

import secrets
import zoneinfo
from datetime import UTC, date, datetime, time, timedelta

from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from confide.accounts.models import User
from confide.accounts.tokens import hash_token
from confide.circles import recurrence
from confide.circles.models import (
    MAX_AGENDA,
    MAX_LOCATION,
    MAX_TITLE,
    Attendance,
    CalendarFeed,
    Meeting,
    MeetingRating,
    Membership,
    Round,
    Rsvp,
)
from confide.circles.services import CircleError
from confide.circles.services.common import zone_for
from confide.circles.services.posts import require_can_post
from confide.core.audit import audit_log
from confide.core.models import ScheduledSend
from confide.core.scheduler import Due, SendOutcome, Sent
from confide.notifications.services import notify

REMINDER_BEFORE = timedelta(hours=1)
# Far enough for any plan; it keeps the date arithmetic of repeats clear of the year 9999.
PLAN_AHEAD = timedelta(days=100 * 365)
STARTS_NOW = timedelta(minutes=10)  # "now" on a form filled in over a few minutes
RATING_OPENS_BEFORE_END = timedelta(minutes=15)
RATING_CLOSES_AFTER = timedelta(days=7)
MAX_TOKEN = 100


def meeting_start(meeting: Meeting) -> datetime:
    """The first start, aware in the organiser's time zone."""
    return recurrence.local_start(
        meeting.start_date, meeting.start_time, zoneinfo.ZoneInfo(meeting.time_zone)
    )


def meeting_occurrences(meeting: Meeting, *, after: datetime, before: datetime) -> list[datetime]:
    return recurrence.occurrences(
        rule=meeting.rrule, start=meeting_start(meeting), after=after, before=before
    )


def next_occurrences(meeting: Meeting, *, now: datetime, count: int) -> list[datetime]:
    """Occurrences not yet over, soonest first."""
    after = now - timedelta(minutes=meeting.duration_minutes)
    return meeting_occurrences(meeting, after=after, before=now + timedelta(days=400))[:count]


def check_occurrence(meeting: Meeting, when: datetime) -> None:
    if not recurrence.is_occurrence(rule=meeting.rrule, start=meeting_start(meeting), when=when):
        raise CircleError(_("The meeting does not take place at that time."))


def _zone(name: str) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise CircleError(_("Choose a time zone from the list.")) from None


def _require_facilitator(membership: Membership) -> None:
    if not membership.is_facilitator:
        raise CircleError(_("Only the circle's facilitators can do this."))


@transaction.atomic
def meeting_create(
    *,
    membership: Membership,
    title: str,
    start_date: date,
    start_time: time,
    time_zone: str,
    duration_minutes: int,
    rrule: str,
    location: str,
    agenda: str,
    now: datetime | None = None,
) -> Meeting:
    """A meeting whose start is in `time_zone` (usually the organiser's own)."""
    _require_facilitator(membership)
    now = now or timezone.now()
    title = title.strip()
    if not title or len(title) > MAX_TITLE:
        raise CircleError(
            _("Give the meeting a title of 1 to %(n)d characters.") % {"n": MAX_TITLE}
        )
    if len(location) > MAX_LOCATION or len(agenda) > MAX_AGENDA:
        raise CircleError(_("The place or the agenda is too long."))
    if not 5 <= duration_minutes <= 600:  # noqa: PLR2004 - the model's check constraint
        raise CircleError(_("A meeting lasts from 5 minutes to 10 hours."))
    zone = _zone(time_zone)
    limit = (now + PLAN_AHEAD).date()
    if start_date > limit:
        raise CircleError(
            _(
                "%(day)s is too far ahead for a meeting. Choose a date for the first meeting "
                "before %(limit)s."
            )
            % {
                "day": formats.date_format(start_date, "DATE_FORMAT"),
                "limit": formats.date_format(limit, "DATE_FORMAT"),
            }
        )
    start = recurrence.local_start(start_date, start_time, zone)
    if start < now - STARTS_NOW:
        local_now = now.astimezone(zone)
        raise CircleError(
            _(
                "This start has passed: in %(zone)s it is now %(now)s. Choose a time from now "
                "on (a meeting may start right now)."
            )
            % {"zone": zone.key, "now": formats.date_format(local_now, "DATETIME_FORMAT")}
        )
    try:
        rule = recurrence.normalise_rule(rrule)
        recurrence.validate(rule, start)
    except recurrence.RecurrenceError as error:
        raise CircleError(str(error)) from None
    meeting = Meeting(
        circle_id=membership.circle_id,
        space_id=membership.circle.space_id,
        organiser=membership,
        title=title,
        location=location.strip(),
        agenda=agenda.strip(),
        start_date=start_date,
        start_time=start_time,
        time_zone=zone.key,
        duration_minutes=duration_minutes,
        rrule=rule,
        first_start=start.astimezone(UTC),
    )
    meeting.save()
    audit_log(actor=membership.user, action="circles.meeting.created", target=meeting)
    return meeting


@transaction.atomic
def meeting_cancel(*, membership: Membership, meeting: Meeting) -> Meeting:
    _require_facilitator(membership)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk, circle=membership.circle)
    if meeting.cancelled_at is not None:
        raise CircleError(_("This meeting is already cancelled."))
    meeting.cancelled_at = timezone.now()
    meeting.save(update_fields=["cancelled_at"])
    audit_log(actor=membership.user, action="circles.meeting.cancelled", target=meeting)
    return meeting


@transaction.atomic
def rsvp_set(
    *, membership: Membership, meeting: Meeting, occurrence: datetime, answer: str
) -> Rsvp:
    if answer not in Rsvp.Answer.values:
        raise CircleError(_("Choose yes, maybe or no."))
    if answer != Rsvp.Answer.NO:
        require_can_post(membership)  # joining a meeting needs the current guidelines
    if meeting.cancelled_at is not None:
        raise CircleError(_("This meeting is cancelled."))
    check_occurrence(meeting, occurrence)
    if occurrence <= timezone.now():
        raise CircleError(_("This meeting has already started, so it no longer takes answers."))
    rsvp, _created = Rsvp.objects.update_or_create(
        meeting=meeting,
        member=membership,
        occurrence=occurrence,
        defaults={"answer": answer, "updated_at": timezone.now()},
    )
    return rsvp


@transaction.atomic
def attendance_mark(
    *, membership: Membership, meeting: Meeting, occurrence: datetime, member: Membership
) -> Attendance:
    """A facilitator marks someone present; a member can mark only themselves."""
    if member.pk != membership.pk:
        _require_facilitator(membership)
    if member.circle_id != meeting.circle_id or not member.is_active:
        raise CircleError(_("This person is not a member of the circle."))
    require_can_post(member)
    check_occurrence(meeting, occurrence)
    if occurrence - timedelta(minutes=15) > timezone.now():
        raise CircleError(_("Attendance can be noted once the meeting is about to start."))
    attendance, _created = Attendance.objects.get_or_create(
        meeting=meeting, member=member, occurrence=occurrence, defaults={"marked_by": membership}
    )
    return attendance


def rating_is_open(meeting: Meeting, occurrence: datetime, *, now: datetime) -> bool:
    """From shortly before the scheduled end (or once a live round of it has closed) to a
    week after the end."""
    end = occurrence + timedelta(minutes=meeting.duration_minutes)
    if now > end + RATING_CLOSES_AFTER:
        return False
    if now >= end - RATING_OPENS_BEFORE_END:
        return True
    return Round.objects.filter(
        meeting=meeting, occurrence=occurrence, closed_at__isnull=False
    ).exists()


@transaction.atomic
def rating_submit(
    *, membership: Membership, meeting: Meeting, occurrence: datetime, answers: dict[str, int]
) -> MeetingRating:
    check_occurrence(meeting, occurrence)
    now = timezone.now()
    if not rating_is_open(meeting, occurrence, now=now):
        end = occurrence + timedelta(minutes=meeting.duration_minutes)
        if now > end + RATING_CLOSES_AFTER:
            raise CircleError(_("The rating for this meeting has closed."))
        raise CircleError(_("The rating opens at the close of the meeting."))
    if not Attendance.objects.filter(
        meeting=meeting, member=membership, occurrence=occurrence
    ).exists():
        raise CircleError(_("Only people who were at the meeting can rate it."))
    items = ("heard", "safe", "together", "come_back")
    if set(answers) != set(items) or any(not 1 <= answers[i] <= 5 for i in items):  # noqa: PLR2004
        raise CircleError(_("Answer every statement with a number from 1 to 5."))
    if MeetingRating.objects.filter(
        meeting=meeting, member=membership, occurrence=occurrence
    ).exists():
        raise CircleError(_("You have already rated this meeting. Thank you!"))
    return MeetingRating.objects.create(
        meeting=meeting, member=membership, occurrence=occurrence, **answers
    )


# --- reminders ------------------------------------------------------------------------------


def meeting_reminders_due(after: datetime, until: datetime) -> list[Due]:
    """The scheduler's sweep (registered in apps.py): a reminder for each occurrence of a
    meeting that is not cancelled, due REMINDER_BEFORE its start, in (after, until].

    Each occurrence is its own slot, so one reminder that fails never stops the next ones.
    """
    first, last = after + REMINDER_BEFORE, until + REMINDER_BEFORE
    meetings = Meeting.objects.filter(cancelled_at__isnull=True, first_start__lte=last).exclude(
        rrule="", first_start__lte=first
    )
    return [
        Due(kind="meeting", subject=str(meeting.pk), slot=when, due_at=when - REMINDER_BEFORE)
        for meeting in meetings.only(
            "pk", "start_date", "start_time", "time_zone", "rrule", "first_start"
        )
        for when in meeting_occurrences(meeting, after=first, before=last)
        if first < when
    ]


def meeting_reminder_deliver(item: ScheduledSend, now: datetime) -> SendOutcome:
    """Send the reminders of one recorded occurrence (the item's slot is its start)."""
    meeting_reminder_send(meeting_id=item.subject, occurrence=item.slot.isoformat())
    return Sent.DONE


def meeting_reminder_send(*, meeting_id: str, occurrence: str) -> int:
    """Remind every member who has not said no. Safe to run twice: each person's reminder is
    one notification per occurrence (notify ignores a repeated event). Returns how many were
    newly notified. The text says only that a meeting is coming, never its title or place."""
    meeting = Meeting.objects.filter(pk=meeting_id, cancelled_at__isnull=True).first()
    if meeting is None:
        return 0
    try:
        when = datetime.fromisoformat(occurrence)
        check_occurrence(meeting, when)
    except (ValueError, CircleError):
        return 0
    if when < timezone.now() - timedelta(minutes=meeting.duration_minutes):
        return 0
    declined = Rsvp.objects.filter(meeting=meeting, occurrence=when, answer=Rsvp.Answer.NO).values(
        "member"
    )
    members = (
        Membership.objects.filter(circle_id=meeting.circle_id, left_at__isnull=True)
        .exclude(pk__in=declined)
        .select_related("user")
    )
    sent = 0
    for member in members:
        local = when.astimezone(zone_for(member.user))
        created = notify(
            user=member.user,
            kind="circle_meeting",
            event_key=f"circle_meeting:{meeting.pk}:{when.astimezone(UTC):%Y%m%dT%H%M%SZ}",
            title=_("A meeting of your circle starts at %(time)s (%(zone)s)")
            % {"time": local.strftime("%H:%M"), "zone": local.tzname()},
            url=reverse("circles:meeting", args=[meeting.circle_id, meeting.pk]),
        )
        sent += created is not None
    return sent


# --- calendar feed --------------------------------------------------------------------------


@transaction.atomic
def calendar_feed_reset(*, user: User) -> str:
    """A new secret feed token (the old link stops working). Returns the raw token, which is
    never stored."""
    raw = secrets.token_urlsafe(32)
    CalendarFeed.objects.update_or_create(
        user=user, defaults={"token_hash": hash_token(raw), "created_at": timezone.now()}
    )
    audit_log(actor=user, action="circles.calendar_feed.reset", target=user)
    return raw


def calendar_feed_user(raw_token: str) -> User | None:
    if not raw_token or len(raw_token) > MAX_TOKEN:
        return None
    feed = CalendarFeed.objects.select_related("user").filter(token_hash=hash_token(raw_token))
    found = feed.first()
    if found is None or not found.user.is_active:
        return None
    return found.user
