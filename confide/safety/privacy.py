"""The safety app's export and erasure handler: a person's own safety plan."""

from __future__ import annotations

from typing import Any

from confide.accounts.models import User
from confide.privacy.document import iso
from confide.privacy.registry import privacy_handler_register
from confide.safety.models import STEPS, SafetyPlan
from confide.safety.plan import safety_plan_for


def safety_export(user: User) -> dict[str, Any]:
    plan = safety_plan_for(user)
    if plan is None:
        return {"safety_plan": None}
    return {
        "safety_plan": {
            **{step: getattr(plan, step) for step in STEPS},
            "updated_at": iso(plan.updated_at),
        }
    }


def safety_erase(user: User) -> None:
    SafetyPlan.objects.filter(owner=user).delete()


def register() -> None:
    privacy_handler_register(
        app="safety", models=(SafetyPlan,), export=safety_export, erase=safety_erase
    )
