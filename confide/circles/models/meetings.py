"""Meetings: occurrences of a one-off or recurring meeting, answers, attendance, the calendar
feed, the end-of-meeting rating and the live round."""

from __future__ import annotations

import uuid
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from confide.circles.models.community import MAX_RRULE, Circle, Membership
from confide.privacy.fields import EncryptedTextField
from confide.privacy.models import EncryptedModel, Space


class Meeting(EncryptedModel):
    """A one-off or recurring meeting. The start is kept as wall-clock date and time in the
    organiser's time zone, so a weekly 19:00 meeting stays at 19:00 across daylight-saving
    changes; each occurrence is computed from it (see recurrence.py)."""

    circle = models.ForeignKey(Circle, on_delete=models.CASCADE, related_name="meetings")
    space = models.ForeignKey(Space, on_delete=models.PROTECT, related_name="+")
    organiser = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="+")
    title = EncryptedTextField()
    location = EncryptedTextField(blank=True, default="")
    agenda = EncryptedTextField(blank=True, default="")
    start_date = models.DateField()
    start_time = models.TimeField()
    time_zone = models.CharField(max_length=64)
    duration_minutes = models.PositiveSmallIntegerField(default=60)
    rrule = models.CharField(max_length=MAX_RRULE, blank=True, default="")
    first_start = models.DateTimeField()  # UTC, for ordering and finding current meetings
    created_at = models.DateTimeField(default=timezone.now)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=5, duration_minutes__lte=600),
                name="meeting_duration_5_to_600",
            ),
        ]

    def __str__(self) -> str:
        return f"meeting {self.pk}"

    @property
    def is_recurring(self) -> bool:
        return bool(self.rrule)

    @property
    def repeats_in_words(self) -> str:
        """ "Every Thursday at 19:00", in the organiser's wall-clock time."""
        from confide.circles.repeat_words import describe

        return describe(self.rrule, start=self.start_date, at=self.start_time)


class Rsvp(models.Model):
    class Answer(models.TextChoices):
        YES = "yes", _("I'll be there")
        MAYBE = "maybe", _("Maybe")
        NO = "no", _("I can't come")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="rsvps")
    member = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="+")
    occurrence = models.DateTimeField()  # the occurrence's start, UTC
    answer = models.CharField(max_length=5, choices=Answer.choices)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["meeting", "member", "occurrence"], name="one_rsvp_per_occurrence"
            ),
        ]

    def __str__(self) -> str:
        return f"rsvp {self.pk}"


class Attendance(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    member = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="+")
    occurrence = models.DateTimeField()
    marked_by = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="+")
    marked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["meeting", "member", "occurrence"], name="one_attendance_per_occurrence"
            ),
        ]

    def __str__(self) -> str:
        return f"attendance {self.pk}"


class CalendarFeed(models.Model):
    """A person's secret calendar link. Only a hash of its token is stored."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="circle_calendar_feed"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"calendar feed of person {self.user_id}"


class MeetingRating(models.Model):
    """One attendee's end-of-meeting rating; facilitators only ever see averages."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="ratings")
    member = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="+")
    occurrence = models.DateTimeField()
    heard = models.PositiveSmallIntegerField()
    safe = models.PositiveSmallIntegerField()
    together = models.PositiveSmallIntegerField()
    come_back = models.PositiveSmallIntegerField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["meeting", "member", "occurrence"], name="one_rating_per_occurrence"
            ),
            models.CheckConstraint(
                condition=Q(heard__gte=1, heard__lte=5)
                & Q(safe__gte=1, safe__lte=5)
                & Q(together__gte=1, together__lte=5)
                & Q(come_back__gte=1, come_back__lte=5),
                name="rating_items_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        return f"meeting rating {self.pk}"


class Round(models.Model):
    """A live round in a meeting: a talking piece passed along a queue, one speaker at a time.

    `version` grows with every change, so a client can tell a fresh state from an old one.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="rounds")
    occurrence = models.DateTimeField()
    opened_by = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="+")
    holder = models.ForeignKey(
        Membership, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)
    opened_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["meeting"],
                condition=Q(closed_at__isnull=True),
                name="one_open_round_per_meeting",
            ),
        ]

    def __str__(self) -> str:
        return f"round {self.pk}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class RoundEntry(models.Model):
    """A place in the queue; `done_at` is set when the person has spoken or stepped out."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="entries")
    member = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="+")
    joined_at = models.DateTimeField(default=timezone.now)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["round", "member"],
                condition=Q(done_at__isnull=True),
                name="one_place_in_the_round_queue",
            ),
        ]

    def __str__(self) -> str:
        return f"round entry {self.pk}"
