"""Reminders each person sets for themselves: a time in their own time zone, on chosen days."""

from __future__ import annotations

from datetime import time
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

ALL_DAYS = 0b1111111  # bit 0 is Monday ... bit 6 is Sunday


class Kind(models.TextChoices):
    CHECKIN = "checkin", _("Daily check-in")
    APPRECIATION = "appreciation", _("Appreciation")
    PLANNED_TIME = "planned_time", _("Time together")
    MEASURES = "measures", _("Short reflections")


def days_to_mask(days: set[int] | frozenset[int] | list[int]) -> int:
    return sum(1 << day for day in set(days))


def mask_to_days(mask: int) -> frozenset[int]:
    return frozenset(day for day in range(7) if mask & (1 << day))


class Reminder(models.Model):
    """One kind of reminder of one person. The time is wall-clock time in the person's time
    zone (User.time_zone), so 08:00 stays 08:00 across daylight-saving changes."""

    Kind = Kind

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminders"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    at = models.TimeField(default=time(19, 0))
    weekdays = models.PositiveSmallIntegerField(default=ALL_DAYS)
    enabled = models.BooleanField(default=False)
    # Slots at or before the last change are never sent: setting 10:00 at 10:20 must not send
    # one at once for the 10:00 just past.
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["user", "kind"], name="one_reminder_per_kind"),
            models.CheckConstraint(
                condition=models.Q(weekdays__gte=0, weekdays__lte=ALL_DAYS),
                name="reminder_weekdays_mask",
            ),
            models.CheckConstraint(
                condition=models.Q(enabled=False) | models.Q(weekdays__gte=1),
                name="reminder_enabled_has_days",
            ),
        ]
        indexes: ClassVar = [
            models.Index(
                fields=["kind"], condition=models.Q(enabled=True), name="reminder_enabled"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} reminder of user {self.user_id}"

    @property
    def days(self) -> frozenset[int]:
        return mask_to_days(self.weekdays)
