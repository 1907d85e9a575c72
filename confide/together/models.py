"""Time together: planned activities and the time a pair spent together.

A plan's words (what, notes) are sealed in the pair's space. Time spent together is one table:
a running timer (no `stopped_at` yet), a stopped timer, or a plan marked done.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from confide.pairs.models import Pair
from confide.privacy.fields import EncryptedTextField
from confide.privacy.models import EncryptedModel, Space

MAX_WHAT = 200
MAX_NOTES = 2000
MIN_MINUTES = 5
MAX_MINUTES = 12 * 60  # a plan lasts at most 12 hours; a forgotten timer counts at most that


class Plan(EncryptedModel):
    """An activity one partner planned for both: what, when, for how long, device-free or not."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        DONE = "done", _("done")
        CANCELLED = "cancelled", _("cancelled")

    pair = models.ForeignKey(Pair, on_delete=models.CASCADE, related_name="together_plans")
    space = models.ForeignKey(Space, on_delete=models.PROTECT, related_name="+")
    planned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    what = EncryptedTextField()
    notes = EncryptedTextField(blank=True, default="")
    starts_at = models.DateTimeField()  # UTC
    duration_minutes = models.PositiveSmallIntegerField()
    # The planner's time zone when they planned it: the date and time they typed were in it.
    time_zone = models.CharField(max_length=64, default="UTC")
    device_free = models.BooleanField(default=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PLANNED)
    created_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)  # marked done or cancelled
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering: ClassVar = ["starts_at"]
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=MIN_MINUTES, duration_minutes__lte=MAX_MINUTES),
                name="together_plan_duration_5_to_720",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["planned", "done", "cancelled"]),
                name="together_plan_status_valid",
            ),
        ]
        indexes: ClassVar = [models.Index(fields=["pair", "starts_at"], name="together_plan_when")]

    def __str__(self) -> str:
        return f"plan {self.pk}"

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + timedelta(minutes=self.duration_minutes)

    @property
    def is_planned(self) -> bool:
        return self.status == self.Status.PLANNED


class TogetherTime(models.Model):
    """Time the pair spent together. While `stopped_at` is empty it is the pair's running timer
    (at most one per pair); `minutes` is set when it stops, or when a plan is marked done."""

    class Source(models.TextChoices):
        TIMER = "timer", _("the together timer")
        PLAN = "plan", _("a plan marked done")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    pair = models.ForeignKey(Pair, on_delete=models.CASCADE, related_name="together_times")
    source = models.CharField(max_length=10, choices=Source.choices)
    plan = models.ForeignKey(
        Plan, on_delete=models.SET_NULL, null=True, blank=True, related_name="times"
    )
    started_at = models.DateTimeField()
    stopped_at = models.DateTimeField(null=True, blank=True)
    minutes = models.PositiveSmallIntegerField(null=True, blank=True)
    device_free = models.BooleanField(default=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    stopped_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering: ClassVar = ["-started_at"]
        constraints: ClassVar = [
            # Two partners pressing "start" at once still make one timer.
            models.UniqueConstraint(
                fields=["pair"],
                condition=Q(stopped_at__isnull=True),
                name="together_one_running_timer_per_pair",
            ),
            models.UniqueConstraint(
                fields=["plan"],
                condition=Q(plan__isnull=False),
                name="together_one_record_per_plan",
            ),
            models.CheckConstraint(
                condition=(
                    Q(stopped_at__isnull=True, minutes__isnull=True)
                    | Q(stopped_at__isnull=False, minutes__isnull=False, minutes__lte=MAX_MINUTES)
                ),
                name="together_minutes_when_stopped",
            ),
            models.CheckConstraint(
                condition=Q(source__in=["timer", "plan"]), name="together_time_source_valid"
            ),
        ]
        indexes: ClassVar = [
            models.Index(fields=["pair", "-started_at"], name="together_time_when"),
        ]

    def __str__(self) -> str:
        return f"time together {self.pk}"

    @property
    def is_running(self) -> bool:
        return self.stopped_at is None
