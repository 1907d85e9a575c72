"""The safety lane's own table: a person's private safety plan."""

from __future__ import annotations

from typing import Final

from django.conf import settings
from django.db import models
from django.utils import timezone

from confide.privacy.fields import EncryptedTextField
from confide.privacy.models import EncryptedModel, Space

# Room for a few lines per step; a plan is read in a hard moment, so shorter is kinder.
MAX_STEP: Final = 2000
# The steps in the order a person works through them (Stanley & Brown's safety planning
# intervention; see docs/practices.md). Forms, the service and the pages all follow this order.
STEPS: Final = (
    "warning_signs",
    "on_my_own",
    "people_and_places",
    "who_to_ask",
    "safer_surroundings",
)


class SafetyPlan(EncryptedModel):
    """One person's safety plan, sealed in their private space: nobody else can ever read it.

    There is no reverse accessor from the user (`related_name="+"`), so no code can reach a
    plan by walking from another person's account; reads go through `plan.safety_plan_for`.
    """

    owner = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    # The owner's private space (privacy.keys.person_space): erasing the person destroys its
    # key, which makes the plan unreadable even in old backups.
    space = models.ForeignKey(Space, on_delete=models.PROTECT, related_name="+")
    warning_signs = EncryptedTextField(blank=True, default="")
    on_my_own = EncryptedTextField(blank=True, default="")
    people_and_places = EncryptedTextField(blank=True, default="")
    who_to_ask = EncryptedTextField(blank=True, default="")
    safer_surroundings = EncryptedTextField(blank=True, default="")
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"safety plan {self.pk}"

    @property
    def is_empty(self) -> bool:
        return not any(getattr(self, step) for step in STEPS)
