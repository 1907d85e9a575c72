"""Circles, membership, guidelines, threads with reactions, and shared goals."""

from __future__ import annotations

import re
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from confide.privacy.fields import EncryptedTextField
from confide.privacy.models import EncryptedModel, Space

MAX_NAME = 80
MAX_PURPOSE = 1000
MAX_PSEUDONYM = 40
MAX_ABOUT = 1000
MAX_TAG = 80
MAX_GUIDELINES = 8000
MAX_TITLE = 150
MAX_POST = 5000
MAX_CONTENT_NOTE = 120
MAX_GOAL_NOTE = 300
MAX_LOCATION = 300
MAX_AGENDA = 3000
MAX_RRULE = 300


class Role(models.TextChoices):
    OWNER = "owner", _("owner")
    FACILITATOR = "facilitator", _("facilitator")
    MEMBER = "member", _("member")


class Circle(EncryptedModel):
    # A ForeignKey (one space per circle in practice): EncryptedTextField needs a many-to-one.
    space = models.ForeignKey(Space, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=MAX_NAME)
    purpose = EncryptedTextField(blank=True, default="")
    # New members' first posts wait for a facilitator until one of them is approved.
    hold_first_posts = models.BooleanField(default=False)
    guidelines_version = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"circle {self.pk}"


class Membership(EncryptedModel):
    circle = models.ForeignKey(Circle, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="circle_memberships"
    )
    space = models.ForeignKey(Space, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=12, choices=Role.choices, default=Role.MEMBER)
    pseudonym = models.CharField(max_length=MAX_PSEUDONYM)
    about = EncryptedTextField(blank=True, default="")
    pronouns = EncryptedTextField(blank=True, default="")
    background = EncryptedTextField(blank=True, default="")
    brings = EncryptedTextField(blank=True, default="")
    accepted_version = models.PositiveIntegerField(default=0)
    # False until a facilitator approves a held post (or the circle does not hold posts).
    trusted = models.BooleanField(default=False)
    joined_at = models.DateTimeField(default=timezone.now)
    left_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["circle", "user"], name="one_membership_per_circle"),
            models.UniqueConstraint(
                "circle",
                Lower("pseudonym"),
                condition=Q(left_at__isnull=True),
                name="circle_pseudonym_unique_ci",
            ),
        ]
        # The members list: a circle's members by when they joined, a page at a time.
        indexes: ClassVar = [
            models.Index(fields=["circle", "joined_at", "id"], name="circle_members_by_joining"),
        ]

    def __str__(self) -> str:
        return f"member {self.pk} of circle {self.circle_id}"

    @property
    def is_active(self) -> bool:
        return self.left_at is None

    @property
    def is_facilitator(self) -> bool:
        return self.is_active and self.role in (Role.OWNER, Role.FACILITATOR)

    @property
    def has_accepted_guidelines(self) -> bool:
        return self.accepted_version >= self.circle.guidelines_version


_NUMBERING = re.compile(r"^\s*(?:\d{1,3}[.)]|[-*•])\s+")


class Guidelines(models.Model):
    """One published version of a circle's guidelines. Not private: every member reads them."""

    circle = models.ForeignKey(Circle, on_delete=models.CASCADE, related_name="guidelines")
    version = models.PositiveIntegerField()
    text = models.TextField(max_length=MAX_GUIDELINES)
    published_at = models.DateTimeField(default=timezone.now)
    published_by = models.ForeignKey(
        Membership, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name_plural = "guidelines"
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["circle", "version"], name="one_guidelines_per_version"
            ),
        ]

    def __str__(self) -> str:
        return f"guidelines v{self.version} of circle {self.circle_id}"

    @property
    def lines(self) -> list[str]:
        """One guideline per line, without any numbering typed in (the page numbers them)."""
        found = []
        for line in self.text.splitlines():
            text = _NUMBERING.sub("", line).strip()
            if text:
                found.append(text)
        return found


class CircleInvitation(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("not used yet")
        USED = "used", _("used")
        WITHDRAWN = "withdrawn", _("withdrawn")

    circle = models.ForeignKey(Circle, on_delete=models.CASCADE, related_name="invitations")
    created_by = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True)  # only a hash of the link
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        # The invite page: a circle's links not used yet, the newest first.
        indexes: ClassVar = [
            models.Index(fields=["circle", "status", "-created_at", "-id"], name="invitation_open"),
        ]

    def __str__(self) -> str:
        return f"circle invitation {self.pk}"


class JoinRequest(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for a facilitator")
        APPROVED = "approved", _("approved")
        DECLINED = "declined", _("declined")

    circle = models.ForeignKey(Circle, on_delete=models.CASCADE, related_name="join_requests")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    pseudonym = models.CharField(max_length=MAX_PSEUDONYM)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        Membership, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["circle", "user"],
                condition=Q(status="pending"),
                name="one_pending_request_per_circle",
            ),
        ]

    def __str__(self) -> str:
        return f"join request {self.pk}"


class PostStatus(models.TextChoices):
    PUBLISHED = "published", _("published")
    HELD = "held", _("waiting for approval")
    DECLINED = "declined", _("not approved")


class Thread(EncryptedModel):
    circle = models.ForeignKey(Circle, on_delete=models.CASCADE, related_name="threads")
    space = models.ForeignKey(Space, on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="threads")
    title = EncryptedTextField()
    body = EncryptedTextField()
    content_note = EncryptedTextField(blank=True, default="")
    status = models.CharField(max_length=10, choices=PostStatus.choices)
    created_at = models.DateTimeField(default=timezone.now)
    last_activity_at = models.DateTimeField(default=timezone.now)
    reply_count = models.PositiveIntegerField(default=0)

    class Meta:
        indexes: ClassVar = [
            models.Index(fields=["circle", "status", "-last_activity_at"], name="thread_recent"),
        ]

    def __str__(self) -> str:
        return f"thread {self.pk}"


class Reply(EncryptedModel):
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="replies")
    space = models.ForeignKey(Space, on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="replies")
    body = EncryptedTextField()
    content_note = EncryptedTextField(blank=True, default="")
    status = models.CharField(max_length=10, choices=PostStatus.choices)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "replies"
        indexes: ClassVar = [
            models.Index(fields=["thread", "status", "created_at"], name="reply_in_thread"),
        ]

    def __str__(self) -> str:
        return f"reply {self.pk}"


class ReactionKind(models.TextChoices):
    HEAR = "hear", _("I hear you")
    ME_TOO = "me_too", _("Me too")
    THANKS = "thanks", _("Thank you for sharing")
    STRENGTH = "strength", _("Sending strength")


class Reaction(models.Model):
    """A validating reaction to a thread (reply is null) or to one of its replies."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="reactions")
    reply = models.ForeignKey(
        Reply, on_delete=models.CASCADE, null=True, blank=True, related_name="reactions"
    )
    member = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=ReactionKind.choices)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["thread", "member", "kind"],
                condition=Q(reply__isnull=True),
                name="one_reaction_of_each_kind_per_thread",
            ),
            models.UniqueConstraint(
                fields=["reply", "member", "kind"],
                condition=Q(reply__isnull=False),
                name="one_reaction_of_each_kind_per_reply",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} reaction {self.pk}"


class Goal(EncryptedModel):
    circle = models.ForeignKey(Circle, on_delete=models.CASCADE, related_name="goals")
    space = models.ForeignKey(Space, on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="+")
    title = EncryptedTextField()
    due_on = models.DateField()
    target = models.PositiveIntegerField(null=True, blank=True)
    progress = models.PositiveIntegerField(default=0)
    reached_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=Q(target__isnull=True) | Q(target__gte=1), name="goal_target_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"goal {self.pk}"

    @property
    def is_reached(self) -> bool:
        return self.reached_at is not None

    @property
    def percent(self) -> int:
        if not self.target:
            return 100 if self.is_reached else 0
        return min(100, round(100 * self.progress / self.target))


class Contribution(EncryptedModel):
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="contributions")
    space = models.ForeignKey(Space, on_delete=models.PROTECT, related_name="+")
    member = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="+")
    amount = models.PositiveIntegerField(default=1)
    note = EncryptedTextField(blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints: ClassVar = [
            models.CheckConstraint(condition=Q(amount__gte=1), name="contribution_positive"),
        ]

    def __str__(self) -> str:
        return f"contribution {self.pk}"
