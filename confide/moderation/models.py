"""Moderation of circles: reports, hidden posts, warnings, members' standing, and blocks.

A report's note is private text, sealed with the circle's space key. Warning texts are written
by the project or a circle's facilitators (never by the warned member), so they are plain.
"""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from confide.circles.models import Circle, Membership, Reply, Thread
from confide.privacy.fields import EncryptedTextField
from confide.privacy.models import EncryptedModel, Space

MAX_NOTE = 1000
MAX_PRESET_LABEL = 80
MAX_PRESET_TEXT = 1000


class Reason(models.TextChoices):
    # The order is the form's order; distress comes first in the queue whatever its age.
    DISTRESS = "distress", _("Distress: someone may be at risk")
    HARASSMENT = "harassment", _("Harassment or bullying")
    HATE = "hate", _("Hate or an attack on a group")
    SPAM = "spam", _("Spam or advertising")
    OTHER = "other", _("Something else")


class Outcome(models.TextChoices):
    NO_ACTION = "no_action", _("reviewed; left up")
    ACTED = "acted", _("a facilitator acted")
    HIDDEN = "hidden", _("post hidden")


class Report(EncryptedModel):
    circle = models.ForeignKey(Circle, on_delete=models.CASCADE, related_name="+")
    space = models.ForeignKey(Space, on_delete=models.PROTECT, related_name="+")
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="+")
    # Null when the report is about the thread's opening post.
    reply = models.ForeignKey(
        Reply, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    reporter = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(max_length=12, choices=Reason.choices)
    note = EncryptedTextField(blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        Membership, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    outcome = models.CharField(max_length=12, choices=Outcome.choices, blank=True, default="")

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["reporter", "thread"],
                condition=Q(reply__isnull=True, resolved_at__isnull=True),
                name="one_open_report_per_thread_and_reporter",
            ),
            models.UniqueConstraint(
                fields=["reporter", "reply"],
                condition=Q(reply__isnull=False, resolved_at__isnull=True),
                name="one_open_report_per_reply_and_reporter",
            ),
        ]
        indexes: ClassVar = [
            models.Index(fields=["circle", "resolved_at", "created_at"], name="report_queue"),
        ]

    def __str__(self) -> str:
        return f"report {self.pk}"

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None

    @property
    def is_distress(self) -> bool:
        return self.reason == Reason.DISTRESS


class HiddenPost(models.Model):
    """A post a facilitator hid. Restoring deletes the row; the audit log keeps the history."""

    circle = models.ForeignKey(Circle, on_delete=models.CASCADE, related_name="+")
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="+")
    reply = models.ForeignKey(
        Reply, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    hidden_by = models.ForeignKey(
        Membership, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    hidden_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["thread"], condition=Q(reply__isnull=True), name="one_hide_per_thread"
            ),
            models.UniqueConstraint(
                fields=["reply"], condition=Q(reply__isnull=False), name="one_hide_per_reply"
            ),
        ]
        # The queue's hidden posts: a circle's, the most recently hidden first.
        indexes: ClassVar = [
            models.Index(fields=["circle", "-hidden_at", "-id"], name="hidden_posts_recent"),
        ]

    def __str__(self) -> str:
        return f"hidden post {self.pk}"


class WarningPreset(models.Model):
    """A reusable note a facilitator can send; each circle starts with the project's own."""

    circle = models.ForeignKey(Circle, on_delete=models.CASCADE, related_name="+")
    label = models.CharField(max_length=MAX_PRESET_LABEL)
    text = models.TextField(max_length=MAX_PRESET_TEXT)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"warning preset {self.pk}"


class MemberWarning(models.Model):
    """A note sent to a member; the text is copied, so later edits of a preset don't change it."""

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="+")
    report = models.ForeignKey(
        Report, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    text = models.TextField(max_length=MAX_PRESET_TEXT)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"warning {self.pk}"


class Standing(models.Model):
    """Restrictions on one member: probation (new posts held for review) and muting."""

    membership = models.OneToOneField(Membership, on_delete=models.CASCADE, related_name="+")
    probation = models.BooleanField(default=False)
    muted_until = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"standing of member {self.membership_id}"

    @property
    def is_muted(self) -> bool:
        return self.muted_until is not None and self.muted_until > timezone.now()


class Block(models.Model):
    """One member blocks another in a circle: the blocked member's posts are collapsed."""

    blocker = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="+")
    blocked = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["blocker", "blocked"], name="one_block_per_member"),
            models.CheckConstraint(
                condition=~Q(blocker=models.F("blocked")), name="no_blocking_oneself"
            ),
        ]

    def __str__(self) -> str:
        return f"block {self.pk}"
