"""Notifications: short facts that something happened, never the private text itself."""

from __future__ import annotations

import datetime
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

MAX_TITLE = 200
MAX_URL = 500
MAX_EVENT_KEY = 200


class Kind(models.TextChoices):
    """Every kind of notification, in the order the settings page lists them.

    This is the one list: an app that needs a new kind adds it here (with a migration) and, if
    it should email by default, to EMAIL_BY_DEFAULT below. The label is the legend on the
    settings page.
    """

    PAIR_INVITATION = "pair_invitation", _("Someone invites you to a pair")
    PARTNER_CHECKIN = "partner_checkin", _("Your partner shares a check-in")
    LISTENING_REPLY = "listening_reply", _("Your partner replies to your check-in")
    PROMPT_WAITING = "prompt_waiting", _("A conversation prompt waits for your answer")
    PROMPT_REVEALED = "prompt_revealed", _("Answers to a conversation prompt are revealed")
    PARTNER_LEFT = "partner_left", _("A partner leaves a pair")
    DIALOGUE_STARTED = "dialogue_started", _("Your partner starts a guided conversation")
    DIALOGUE_WAITING = "dialogue_waiting", _("A guided conversation waits for your agreement")
    CIRCLE_REQUEST = "circle_request", _("Someone asks to join a circle you facilitate")
    CIRCLE_GUIDELINES = "circle_guidelines", _("A circle you belong to updates its guidelines")
    CIRCLE_GOAL = "circle_goal", _("A circle you belong to reaches a shared goal")
    CIRCLE_MEETING = "circle_meeting", _("A circle meeting is about to start")
    # Moderation and safety in circles (confide.moderation).
    SAFETY_ALERT = "safety_alert", _("A member of a circle you facilitate may need support")
    MODERATION_OUTCOME = "moderation_outcome", _("A facilitator acts on a post you reported")
    MODERATION_NOTICE = "moderation_notice", _("A facilitator sends you a note about your posts")
    # The rhythm of a pair (confide.rhythm) and one's own reminders (confide.reminders).
    APPRECIATION = "appreciation", _("Your partner notes something they appreciated")
    APPRECIATION_THANKS = "appreciation_thanks", _("Your partner thanks you for an appreciation")
    TIME_TOGETHER = "time_together", _("Your partner plans time together or starts the timer")
    RECOVERY_CONTRACT = "recovery_contract", _("Your partner's daily recovery contract")
    REMINDER = "reminder", _("Reminders you set for yourself")
    # Circles: answers to one's own posts.
    CIRCLE_REPLY = "circle_reply", _("Someone replies to your post in a circle")
    CIRCLE_REACTION = "circle_reaction", _("Someone reacts to your post in a circle")
    # Care (confide.care): never what was shared, only that a choice changed.
    CARE_CONSENT = (
        "care_consent",
        _("Someone changes what a counsellor may see, or ends care with a counsellor"),
    )
    CARE_APPLICATION = (
        "care_application",
        _("An operator decides on your application to counsel here"),
    )


class Channel(models.TextChoices):
    IN_APP = "in_app", _("In app")
    EMAIL = "email", _("Email too")  # in the app and by email
    OFF = "off", _("Off")


# Kinds that change a person's situation, so they hear of them even if they rarely log in.
EMAIL_BY_DEFAULT: frozenset[str] = frozenset(
    {Kind.PAIR_INVITATION, Kind.PARTNER_LEFT, Kind.CIRCLE_MEETING, Kind.SAFETY_ALERT}
)


# Kinds that would be noise for most people until they choose them.
OFF_BY_DEFAULT: frozenset[str] = frozenset({Kind.CIRCLE_REACTION})


def default_channel(kind: str) -> Channel:
    if kind in OFF_BY_DEFAULT:
        return Channel.OFF
    return Channel.EMAIL if kind in EMAIL_BY_DEFAULT else Channel.IN_APP


class Notification(models.Model):
    Kind = Kind

    class EmailState(models.TextChoices):
        NOT_NEEDED = "not_needed", _("not needed")
        PENDING = "pending", _("waiting to be sent")
        CLAIMED = "claimed", _("being sent")
        SENT = "sent", _("sent")
        FAILED = "failed", _("could not be sent")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=40, choices=Kind.choices)
    # Names the event ("checkin:42"), so that the same event never notifies a person twice.
    event_key = models.CharField(max_length=MAX_EVENT_KEY)
    title = models.CharField(max_length=MAX_TITLE)
    url = models.CharField(max_length=MAX_URL)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    email_state = models.CharField(
        max_length=16, choices=EmailState.choices, default=EmailState.NOT_NEEDED
    )
    email_attempts = models.PositiveSmallIntegerField(default=0)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["user", "event_key"], name="one_notification_per_event"
            ),
        ]
        indexes: ClassVar = [
            models.Index(fields=["user", "-created_at", "-id"], name="notification_user_recent"),
            models.Index(
                fields=["user"],
                condition=models.Q(read_at__isnull=True),
                name="notification_user_unread",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} notification {self.pk}"

    @property
    def is_unread(self) -> bool:
        return self.read_at is None


class NotificationPreference(models.Model):
    """A person's choice for one kind. No row means the kind's default_channel."""

    Channel = Channel

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(max_length=40, choices=Kind.choices)
    channel = models.CharField(max_length=8, choices=Channel.choices)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["user", "kind"], name="one_preference_per_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {self.channel}"


DEFAULT_QUIET_START = datetime.time(22, 0)
DEFAULT_QUIET_END = datetime.time(7, 0)


class QuietHours(models.Model):
    """Hours in which no email is sent, in the person's own time zone (User.time_zone).

    A window whose end is earlier than its start crosses midnight (22:00-07:00).
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="quiet_hours"
    )
    start = models.TimeField(default=DEFAULT_QUIET_START)
    end = models.TimeField(default=DEFAULT_QUIET_END)
    enabled = models.BooleanField(default=False)

    class Meta:
        verbose_name_plural = "quiet hours"
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=~models.Q(start=models.F("end")), name="quiet_hours_not_empty"
            ),
        ]

    def __str__(self) -> str:
        return f"quiet hours {self.start}-{self.end} ({'on' if self.enabled else 'off'})"
