from __future__ import annotations

import json
import re
import uuid
from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from confide.privacy.fields import EncryptedTextField
from confide.privacy.models import EncryptedModel, Space

MAX_NOTE = 2000
MAX_REPLY = 2000
MAX_ANSWER = 4000
MOOD_RANGE = (1, 5)
RATING_RANGE = (1, 5)


class Pair(models.Model):
    """Two people's shared space. Ended pairs stay, read-only, each seeing only their own words."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("active")
        ENDED = "ended", _("ended")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    space = models.OneToOneField(Space, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    created_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)
    # Either partner may pause joint activities (prompts, dialogue) without saying why.
    joint_paused_at = models.DateTimeField(null=True, blank=True)
    joint_paused_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    def __str__(self) -> str:
        return f"pair {self.pk}"

    @property
    def joint_paused(self) -> bool:
        return self.joint_paused_at is not None

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE


class PairMember(models.Model):
    pair = models.ForeignKey(Pair, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="pair_memberships"
    )
    joined_at = models.DateTimeField(default=timezone.now)
    left_at = models.DateTimeField(null=True, blank=True)
    # The deepest prompt level this person has opted into; a level opens when both have.
    level_opt_in = models.PositiveSmallIntegerField(default=1)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["pair", "user"], name="one_membership_per_pair"),
            models.CheckConstraint(
                condition=Q(level_opt_in__gte=1, level_opt_in__lte=3), name="level_opt_in_1_to_3"
            ),
        ]

    def __str__(self) -> str:
        return f"member {self.user_id} of {self.pair_id}"


class PairInvitation(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for an answer")
        ACCEPTED = "accepted", _("accepted")
        DECLINED = "declined", _("declined")
        WITHDRAWN = "withdrawn", _("withdrawn")

    inviter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="pair_invitations"
    )
    # Only hashes: of the link shown once to the inviter, and of the emailed link (if any).
    token_hash = models.CharField(max_length=64, unique=True)
    email_token_hash = models.CharField(max_length=64, unique=True, null=True, blank=True)
    email = models.EmailField(max_length=254, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    responded_at = models.DateTimeField(null=True, blank=True)
    invitee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    pair = models.ForeignKey(Pair, on_delete=models.SET_NULL, null=True, blank=True)

    def __str__(self) -> str:
        return f"invitation {self.pk}"

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()


class Visibility(models.TextChoices):
    PRIVATE = "private", _("Only me")
    SHARED = "shared", _("My partner and me")


class CheckIn(EncryptedModel):
    pair = models.ForeignKey(Pair, on_delete=models.CASCADE, related_name="checkins")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    mood = models.PositiveSmallIntegerField()
    visibility = models.CharField(max_length=10, choices=Visibility.choices)
    # The pair's space when shared, the author's private space when private.
    space = models.ForeignKey(Space, on_delete=models.PROTECT, related_name="+")
    # Chosen words are as telling as free text, so they are sealed too (comma-separated).
    feelings_text = EncryptedTextField(blank=True, default="")
    needs_text = EncryptedTextField(blank=True, default="")
    note = EncryptedTextField(blank=True, default="")
    # The writer chose to share it, but the screener found words of crisis or fear, so it was
    # kept private until the writer decides (share, keep private, delete): see safety.disclosure.
    withheld = models.BooleanField(default=False)
    understood = models.PositiveSmallIntegerField(null=True, blank=True)
    understood_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar = ["-day", "created_at"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["author", "pair", "day"], name="one_checkin_per_day"),
            models.CheckConstraint(condition=Q(mood__gte=1, mood__lte=5), name="mood_1_to_5"),
            models.CheckConstraint(
                condition=Q(understood__isnull=True) | Q(understood__gte=1, understood__lte=5),
                name="checkin_understood_1_to_5",
            ),
        ]
        indexes: ClassVar = [models.Index(fields=["pair", "-day"], name="checkin_pair_day")]

    def __str__(self) -> str:
        return f"check-in {self.pk}"

    @property
    def feelings(self) -> list[str]:
        return [w for w in self.feelings_text.split(",") if w]

    @property
    def needs(self) -> list[str]:
        return [w for w in self.needs_text.split(",") if w]

    @property
    def is_shared(self) -> bool:
        return self.visibility == Visibility.SHARED


class ReplyKind(models.TextChoices):
    REFLECT = "reflect", _("What I hear is…")
    VALIDATE = "validate", _("It makes sense because…")
    EMPATHISE = "empathise", _("I imagine you might feel…")
    ACKNOWLEDGE = "acknowledge", _("I see you, and I'm here")


# The words each guided reply opens with; the writer finishes the sentence.
REPLY_OPENINGS = {
    ReplyKind.REFLECT: _("What I hear is"),
    ReplyKind.VALIDATE: _("It makes sense because"),
    ReplyKind.EMPATHISE: _("I imagine you might feel"),
}


class ListeningReply(EncryptedModel):
    checkin = models.ForeignKey(CheckIn, on_delete=models.CASCADE, related_name="replies")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=12, choices=ReplyKind.choices)
    space = models.ForeignKey(Space, on_delete=models.PROTECT, related_name="+")
    text = EncryptedTextField(blank=True, default="")
    # The check-in as it was when this reply was written (JSON: mood, feelings, needs, note), so
    # that a later change to the check-in never moves the reply onto words it did not answer.
    answered = EncryptedTextField(null=True, blank=True)
    # Words of crisis or fear: sealed in the writer's private space, unseen by the partner and
    # unannounced, until the writer chooses to share it.
    withheld = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar = ["created_at"]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["checkin", "author", "kind"], name="one_reply_of_each_kind"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} reply {self.pk}"

    @property
    def opening(self) -> str:
        """The words the reply opens with ("What I hear is"), empty for the acknowledgement."""
        opening = REPLY_OPENINGS.get(ReplyKind(self.kind))
        return str(opening) if opening else ""

    @property
    def continuation(self) -> str:
        """The writer's words after the opening; older replies may repeat the opening."""
        return strip_opening(self.text, self.opening)

    def answered_earlier(self, current: CheckIn) -> dict[str, Any] | None:
        """The words this reply answered, when the check-in (`current`) has changed since."""
        if not self.answered:
            return None
        try:
            then = json.loads(self.answered)
        except ValueError:
            return None
        if not isinstance(then, dict) or then == checkin_snapshot(current):
            return None
        return then


def checkin_snapshot(checkin: CheckIn) -> dict[str, Any]:
    return {
        "mood": checkin.mood,
        "feelings": checkin.feelings,
        "needs": checkin.needs,
        "note": checkin.note,
    }


def strip_opening(text: str, opening: str) -> str:
    """`text` without a leading `opening` (any case, with or without "…", "...", ":" or ",")."""
    if not opening:
        return text
    pattern = re.compile(re.escape(opening) + r"\s*(?:…|\.\.\.|[:,])?\s*", re.IGNORECASE)
    match = pattern.match(text.strip())
    return text.strip()[match.end() :] if match else text


class PromptRound(models.Model):
    """One prompt drawn by a pair. Answers stay sealed from the partner until both have answered."""

    pair = models.ForeignKey(Pair, on_delete=models.CASCADE, related_name="prompt_rounds")
    prompt_id = models.CharField(max_length=40)
    level = models.PositiveSmallIntegerField()
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    drawn_at = models.DateTimeField(default=timezone.now)
    revealed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering: ClassVar = ["-drawn_at"]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["pair"],
                condition=Q(revealed_at__isnull=True),
                name="one_open_prompt_per_pair",
            ),
        ]

    def __str__(self) -> str:
        return f"prompt round {self.pk}"

    @property
    def is_revealed(self) -> bool:
        return self.revealed_at is not None


class PromptAnswer(EncryptedModel):
    round = models.ForeignKey(PromptRound, on_delete=models.CASCADE, related_name="answers")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    space = models.ForeignKey(Space, on_delete=models.PROTECT, related_name="+")
    text = EncryptedTextField()
    # Words of crisis or fear: kept private to the writer and not counted towards the reveal
    # until they choose to share it; meanwhile they may write another answer to share.
    withheld = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["round", "author"],
                condition=Q(withheld=False),
                name="one_answer_per_round",
            ),
        ]

    def __str__(self) -> str:
        return f"answer {self.pk}"
