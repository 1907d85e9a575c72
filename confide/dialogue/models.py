from __future__ import annotations

import uuid
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from confide.dialogue.machine import MAX_TURN, State
from confide.pairs.models import Pair
from confide.privacy.fields import EncryptedTextField
from confide.privacy.models import EncryptedModel, Space

MAX_TITLE = 200
MAX_STARTUP = 1000
__all__ = ["MAX_TURN", "DialogueSession", "Reflection", "Step", "Topic", "WithheldTurn"]


class Topic(EncryptedModel):
    """A topic on the pair's list of things to talk about (unresolved issues)."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        SCHEDULED = "scheduled", _("scheduled")
        TALKED_THROUGH = "talked_through", _("talked through")
        RESOLVED = "resolved", _("resolved")
        REVISIT = "revisit", _("to revisit")

    pair = models.ForeignKey(Pair, on_delete=models.CASCADE, related_name="topics")
    space = models.ForeignKey(Space, on_delete=models.PROTECT, related_name="+")
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    title = EncryptedTextField()
    startup = EncryptedTextField(blank=True, default="")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.OPEN)
    # Words of crisis or fear: only the person who raised it sees it (sealed in their private
    # space) until they choose to share it.
    withheld = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar = ["-created_at"]
        indexes: ClassVar = [models.Index(fields=["pair", "-created_at"], name="topic_pair_recent")]

    def __str__(self) -> str:
        return f"topic {self.pk}"


class DialogueSession(models.Model):
    """One guided conversation. `state` is the machine's State as a dict; `last_seq` the
    sequence number of its latest step (every step is numbered 1, 2, 3, ... per session)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    pair = models.ForeignKey(Pair, on_delete=models.CASCADE, related_name="dialogues")
    topic = models.ForeignKey(
        Topic, on_delete=models.SET_NULL, null=True, blank=True, related_name="sessions"
    )
    # Role "a" started and speaks first; role "b" is the partner.
    person_a = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    person_b = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    state = models.JSONField(default=dict)
    last_seq = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)
    transcript_kept_at = models.DateTimeField(null=True, blank=True)
    transcript_deleted_at = models.DateTimeField(null=True, blank=True)
    # The transcript is both partners' words: one asks to delete it, the other agrees.
    transcript_delete_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    transcript_delete_requested_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering: ClassVar = ["-created_at"]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["pair"], condition=Q(closed_at__isnull=True), name="one_open_dialogue"
            ),
        ]

    def __str__(self) -> str:
        return f"dialogue {self.pk}"

    @property
    def machine_state(self) -> State:
        return State.from_dict(self.state)

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None


class Step(EncryptedModel):
    """One accepted move, stored before anyone is told of it. `state` is the state after it."""

    session = models.ForeignKey(DialogueSession, on_delete=models.CASCADE, related_name="steps")
    seq = models.PositiveIntegerField()
    kind = models.CharField(max_length=12)
    role = models.CharField(max_length=1)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    space = models.ForeignKey(Space, on_delete=models.PROTECT, related_name="+")
    text = EncryptedTextField(blank=True, default="")
    state = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar = ["session", "seq"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["session", "seq"], name="one_step_per_seq"),
            models.CheckConstraint(condition=Q(seq__gte=1), name="step_seq_positive"),
        ]

    def __str__(self) -> str:
        return f"step {self.seq} of {self.session_id}"


class WithheldTurn(EncryptedModel):
    """A turn whose words raised crisis or fear: kept with its writer, sealed in their private
    space, never broadcast, until they share it (it is then played as the move it was) or delete
    it. The conversation does not move on because of it."""

    session = models.ForeignKey(
        DialogueSession, on_delete=models.CASCADE, related_name="withheld_turns"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=12)
    space = models.ForeignKey(Space, on_delete=models.PROTECT, related_name="+")
    text = EncryptedTextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar = ["created_at"]

    def __str__(self) -> str:
        return f"withheld turn {self.pk}"


class Reflection(models.Model):
    """After closing: how understood one person felt (1-5)."""

    session = models.ForeignKey(
        DialogueSession, on_delete=models.CASCADE, related_name="reflections"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    understood = models.PositiveSmallIntegerField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["session", "author"], name="one_reflection_each"),
            models.CheckConstraint(
                condition=Q(understood__gte=1, understood__lte=5), name="reflection_1_to_5"
            ),
        ]

    def __str__(self) -> str:
        return f"reflection {self.pk}"
