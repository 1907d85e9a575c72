"""The everyday rhythm of a pair: appreciations, small gestures, bids for connection and the
optional daily recovery contract. The journey page only reads (see journey.py)."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from confide.pairs.models import Pair
from confide.privacy.fields import EncryptedTextField
from confide.privacy.models import EncryptedModel, Space

MAX_APPRECIATION = 1000
MAX_IDEA = 200
MAX_INTENTION = 500
MAX_LAPSE_NOTE = 2000


class Appreciation(EncryptedModel):
    """Something one partner noticed and appreciated in the other.

    Shared ones are sealed in the pair's space. After words of crisis or fear the screener keeps
    it with its writer (their private space, `withheld`), unannounced, until they choose to
    share it, keep it private (`shared` stays False) or delete it.
    """

    pair = models.ForeignKey(Pair, on_delete=models.CASCADE, related_name="appreciations")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    space = models.ForeignKey(Space, on_delete=models.PROTECT, related_name="+")
    text = EncryptedTextField()
    shared = models.BooleanField(default=True)
    withheld = models.BooleanField(default=False)
    day = models.DateField()  # the author's own day
    created_at = models.DateTimeField(default=timezone.now)
    thanked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering: ClassVar = ["-created_at"]
        indexes: ClassVar = [
            models.Index(fields=["pair", "day"], name="appreciation_pair_day"),
        ]
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=~Q(shared=True, withheld=True), name="appreciation_withheld_not_shared"
            ),
        ]

    def __str__(self) -> str:
        return f"appreciation {self.pk}"


class GestureKind(models.TextChoices):
    WORDS = "words", _("Words")
    TIME = "time", _("Time")
    HELP = "help", _("Help")
    TOUCH = "touch", _("Touch")
    SURPRISE = "surprise", _("Surprise")


class GestureEffort(models.TextChoices):
    MINUTE = "minute", _("One minute")
    TEN_MINUTES = "ten_minutes", _("Ten minutes")
    EVENING = "evening", _("An evening")


class GestureIdea(EncryptedModel):
    """A person's own gesture idea for their partner, sealed in their private space."""

    pair = models.ForeignKey(Pair, on_delete=models.CASCADE, related_name="+")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    space = models.ForeignKey(Space, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=12, choices=GestureKind.choices)
    effort = models.CharField(max_length=12, choices=GestureEffort.choices)
    text = EncryptedTextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar = ["-created_at"]

    def __str__(self) -> str:
        return f"gesture idea {self.pk}"


class GesturePick(models.Model):
    """The gesture a person chose for one week (Monday to Sunday, in their time zone).

    Private to the person: a gesture is often a surprise. Holds no text, only which idea.
    """

    pair = models.ForeignKey(Pair, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    week_start = models.DateField()
    catalogue_id = models.CharField(max_length=40, blank=True, default="")
    idea = models.ForeignKey(
        GestureIdea, on_delete=models.SET_NULL, null=True, blank=True, related_name="picks"
    )
    picked_at = models.DateTimeField(default=timezone.now)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering: ClassVar = ["-week_start"]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["pair", "person", "week_start"], name="one_gesture_pick_per_week"
            ),
            models.CheckConstraint(
                condition=Q(catalogue_id="") | Q(idea__isnull=True),
                name="gesture_pick_one_source",
            ),
        ]

    def __str__(self) -> str:
        return f"gesture pick {self.pk}"

    @property
    def is_done(self) -> bool:
        return self.done_at is not None


class BidKind(models.TextChoices):
    TURNED_TOWARD = "turned_toward", _("You reached out and I turned toward you")
    CAME_BACK = "came_back", _("I missed your bid earlier — I'm here now")


class Bid(models.Model):
    """One tap: the person noticed their partner's bid for connection and answered it."""

    pair = models.ForeignKey(Pair, on_delete=models.CASCADE, related_name="bids")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=16, choices=BidKind.choices)
    day = models.DateField()  # the person's own day
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar = ["-created_at"]
        indexes: ClassVar = [models.Index(fields=["pair", "day"], name="bid_pair_day")]

    def __str__(self) -> str:
        return f"bid {self.pk}"


class ContractConsent(models.Model):
    """One partner's opt-in to the daily recovery contract; it runs while both have one."""

    pair = models.ForeignKey(Pair, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    consented_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["pair", "person"], name="one_contract_consent"),
        ]

    def __str__(self) -> str:
        return f"contract consent {self.pk}"


class ContractDay(EncryptedModel):
    """One day of the recovery contract: one partner's intention, the other's acknowledgement.

    `day` is the stater's own day. A day is kept when a shared intention was acknowledged.
    A withheld intention (words of crisis or fear) stays with its writer and does not take the
    day: they may state another to share.
    """

    pair = models.ForeignKey(Pair, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    stated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    space = models.ForeignKey(Space, on_delete=models.PROTECT, related_name="+")
    intention = EncryptedTextField()
    shared = models.BooleanField(default=True)
    withheld = models.BooleanField(default=False)
    stated_at = models.DateTimeField(default=timezone.now)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering: ClassVar = ["-day"]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["pair", "day"], condition=Q(shared=True), name="one_contract_day"
            ),
            models.CheckConstraint(
                condition=~Q(shared=True, withheld=True), name="contract_withheld_not_shared"
            ),
        ]

    def __str__(self) -> str:
        return f"contract day {self.pk}"

    @property
    def is_kept(self) -> bool:
        return self.shared and self.acknowledged_at is not None


class LapseNote(EncryptedModel):
    """A lapse, noted privately: sealed in the writer's own space, seen by nobody else."""

    pair = models.ForeignKey(Pair, on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    space = models.ForeignKey(Space, on_delete=models.PROTECT, related_name="+")
    day = models.DateField()
    note = EncryptedTextField(blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar = ["-day", "-created_at"]

    def __str__(self) -> str:
        return f"lapse note {self.pk}"
