from __future__ import annotations

import json
from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone

from confide.pairs.models import Pair
from confide.privacy.fields import EncryptedTextField
from confide.privacy.models import EncryptedModel, Space


class MeasureResponse(EncryptedModel):
    """One person's answers to one instrument in one period, sealed in their private space.

    `context` says what the answers are about: "" for the person alone, "pair:<id>" for a pair,
    or a key the circles app chooses ("circle:<id>", "meeting:<id>") for circle members.
    """

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    instrument_id = models.CharField(max_length=40)
    instrument_version = models.PositiveIntegerField()
    context = models.CharField(max_length=80, blank=True, default="")
    pair = models.ForeignKey(
        Pair, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # "2026-W47", "2026-11", "2026-11-22", "once": one response per person, instrument,
    # context and period.
    period = models.CharField(max_length=20)
    taken_on = models.DateField()
    # Whether every item was answered: only complete responses calibrate norms.
    complete = models.BooleanField(default=False)
    space = models.ForeignKey(Space, on_delete=models.PROTECT, related_name="+")
    answers_json = EncryptedTextField()
    scores_json = EncryptedTextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar = ["taken_on", "created_at"]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["person", "instrument_id", "context", "period"],
                name="one_response_per_period",
            ),
        ]
        indexes: ClassVar = [
            models.Index(fields=["person", "instrument_id", "taken_on"], name="response_person"),
            models.Index(fields=["instrument_id", "complete"], name="response_instrument"),
        ]

    def __str__(self) -> str:
        return f"response {self.pk}"

    @property
    def answers(self) -> dict[str, int | None]:
        data: dict[str, Any] = json.loads(self.answers_json)
        return {str(k): (None if v is None else int(v)) for k, v in data.items()}

    @property
    def scores(self) -> dict[str, float | None]:
        data: dict[str, Any] = json.loads(self.scores_json)
        return {str(k): (None if v is None else float(v)) for k, v in data.items()}

    @property
    def total(self) -> float:
        return float(self.scores["total"] or 0)


class ShareConsent(models.Model):
    """A person's choice to show their scores to their partner in one pair.

    The pair sees each other's scores only while both have chosen to share.
    """

    pair = models.ForeignKey(Pair, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    shared = models.BooleanField(default=False)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["pair", "person"], name="one_share_consent"),
        ]

    def __str__(self) -> str:
        return f"share consent {self.pk}"


class NormsCalibration(models.Model):
    """SD and Cronbach's alpha from this instance's complete responses to an instrument."""

    instrument_id = models.CharField(max_length=40, unique=True)
    n = models.PositiveIntegerField(default=0)
    sd = models.FloatField(null=True, blank=True)
    reliability = models.FloatField(null=True, blank=True)
    computed_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"norms of {self.instrument_id} (n={self.n})"
