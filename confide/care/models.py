"""Care: counsellors, the relationships pairs and people start with them, each person's consent,
homework, the counsellor's own notes, and a figures-only tally of harsh-language findings."""

from __future__ import annotations

import uuid
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from confide.pairs.models import Pair
from confide.privacy.fields import EncryptedTextField
from confide.privacy.models import EncryptedModel, Space

MAX_NOTE = 5000


class CounsellorProfile(models.Model):
    """A person's application to counsel here; an operator verifies or declines it."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for an operator")
        VERIFIED = "verified", _("verified")
        DECLINED = "declined", _("declined")
        REVOKED = "revoked", _("verification withdrawn")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="counsellor_profile"
    )
    name = models.CharField(max_length=120)
    credentials = models.CharField(max_length=300)
    practice = models.CharField(max_length=200)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    applied_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # The counsellor's own space: their notes are sealed in it, readable by nobody else.
    space = models.ForeignKey(Space, on_delete=models.PROTECT, related_name="+")

    class Meta:
        # The console's two lists: applications by date, verified counsellors by name.
        indexes: ClassVar = [
            models.Index(fields=["status", "applied_at", "id"], name="care_profile_status_applied"),
            models.Index(fields=["status", "name", "id"], name="care_profile_status_name"),
        ]

    def __str__(self) -> str:
        return f"counsellor profile {self.pk}"

    @property
    def is_verified(self) -> bool:
        return self.status == self.Status.VERIFIED


class CounsellorDecision(EncryptedModel):
    """An operator's decision on a counsellor: verified, declined, or verification withdrawn.
    The reason (for a decline or a withdrawal) is for the applicant alone: sealed in their own
    space, shown only on their application page, never in a notification, an email or a log."""

    profile = models.ForeignKey(
        CounsellorProfile, on_delete=models.CASCADE, related_name="decisions"
    )
    outcome = models.CharField(max_length=10, choices=CounsellorProfile.Status.choices)
    reason = EncryptedTextField(blank=True, default="")
    space = models.ForeignKey(Space, on_delete=models.PROTECT, related_name="+")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar = ["-at"]

    def __str__(self) -> str:
        return f"counsellor decision {self.pk}"


MAX_REASON = 1000


class Scope(models.IntegerChoices):
    """What one person lets a counsellor see; each scope includes the ones below it."""

    NOTHING = 0, _("Nothing")
    MEASURES = 1, _("Measures only")
    MEASURES_TOPICS = 2, _("Measures and topics")
    FULL = 3, _("Measures, topics, shared check-ins, replies and conversation transcripts")


class CareRelationship(models.Model):
    """A counsellor and the pair (or the one person) who invited them, until either ends it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # Null only once the counsellor's account was erased; the clients keep the history.
    counsellor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # A pair invites together; a person (e.g. a circle member) invites for themselves alone.
    pair = models.ForeignKey(
        Pair, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    started_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering: ClassVar = ["-started_at"]
        # A counsellor's clients page: their open relationships, the newest first.
        indexes: ClassVar = [
            models.Index(
                fields=["counsellor", "ended_at", "-started_at", "-id"],
                name="care_rel_counsellor_open",
            ),
        ]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["counsellor", "pair"],
                condition=Q(ended_at__isnull=True, pair__isnull=False),
                name="care_one_open_relationship_per_pair",
            ),
            models.UniqueConstraint(
                fields=["counsellor", "person"],
                condition=Q(ended_at__isnull=True, person__isnull=False),
                name="care_one_open_relationship_per_person",
            ),
        ]

    def __str__(self) -> str:
        return f"care relationship {self.pk}"

    @property
    def is_active(self) -> bool:
        return self.ended_at is None


class CareConsent(models.Model):
    """One person's current consent in one relationship. Only that person changes it."""

    relationship = models.ForeignKey(
        CareRelationship, on_delete=models.CASCADE, related_name="consents"
    )
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    scope = models.PositiveSmallIntegerField(choices=Scope.choices, default=Scope.NOTHING)
    until = models.DateField(null=True, blank=True)  # the last day it holds; None: until changed
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["relationship", "person"], name="care_one_consent_per_person"
            ),
            models.CheckConstraint(
                condition=Q(scope__gte=0, scope__lte=3), name="care_consent_scope_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"consent {self.pk}"


class ConsentChange(models.Model):
    """The history both partners see: who set what, when (also ending the relationship)."""

    relationship = models.ForeignKey(
        CareRelationship, on_delete=models.CASCADE, related_name="changes"
    )
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    scope = models.PositiveSmallIntegerField(choices=Scope.choices)
    until = models.DateField(null=True, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"consent change {self.pk}"


class HomeworkKind(models.TextChoices):
    MEASURE = "measure", _("Answer a measure")
    DIALOGUE = "dialogue", _("A guided conversation on a topic")
    PROMPTS = "prompts", _("Conversation prompts from a deck")
    GESTURES = "gestures", _("A week of small gestures")


class Homework(models.Model):
    """An exercise a counsellor sets between sessions. `target` names it by id (an instrument,
    a deck, a topic), never by private text."""

    Kind = HomeworkKind

    relationship = models.ForeignKey(
        CareRelationship, on_delete=models.CASCADE, related_name="homework"
    )
    kind = models.CharField(max_length=10, choices=HomeworkKind.choices)
    target = models.CharField(max_length=64, blank=True, default="")
    due_on = models.DateField()
    assigned_at = models.DateTimeField(default=timezone.now)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering: ClassVar = ["due_on", "pk"]

    def __str__(self) -> str:
        return f"homework {self.pk}"

    @property
    def is_done(self) -> bool:
        return self.done_at is not None


class CounsellorNote(EncryptedModel):
    """A counsellor's own note, sealed in their space: never shown to clients or operators."""

    counsellor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    # The note stays the counsellor's when the relationship ends.
    relationship = models.ForeignKey(
        CareRelationship, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    space = models.ForeignKey(Space, on_delete=models.PROTECT, related_name="+")
    text = EncryptedTextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar = ["-created_at"]
        # A counsellor's notes page, newest first, a page at a time.
        indexes: ClassVar = [
            models.Index(
                fields=["counsellor", "-created_at", "-id"], name="care_note_counsellor_recent"
            ),
        ]

    def __str__(self) -> str:
        return f"counsellor note {self.pk}"


class FindingTally(models.Model):
    """How many stored writes of a person the screener found harsh, by subtype and day.
    Figures only: never the text, never which entry."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    label = models.CharField(max_length=20)
    subtype = models.CharField(max_length=40)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["user", "day", "label", "subtype"], name="care_one_tally_per_day"
            ),
        ]

    def __str__(self) -> str:
        return f"tally {self.pk}"
