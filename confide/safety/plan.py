"""A person's private safety plan: the one write and the one read.

Only the owner ever reads a plan. Both functions take the owner and nothing else that names a
person or a plan, so no caller can ask for someone else's: views pass the signed-in person.

The plan's text is not screened (safety.services): it is private to its writer, nobody is to
be alerted about it, and writing down one's own warning signs is the point of the exercise.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from confide.accounts.models import User
from confide.core.audit import audit_log
from confide.privacy.keys import person_space
from confide.safety.models import MAX_STEP, STEPS, SafetyPlan


class SafetyPlanError(ValidationError):
    """Input that cannot be saved; the messages, by step, say why, for the person."""


def _clean_step(value: object) -> tuple[str, str | None]:
    """The text to store and, if it cannot be stored, why (in the person's words)."""
    if not isinstance(value, str):
        return "", _("Write this step as text.")
    # Browsers send line breaks as CRLF but count them as one character against `maxlength`,
    # so lengths are counted after folding them, as the person saw them.
    text = value.replace("\r\n", "\n").replace("\r", "\n").strip()
    if "\x00" in text:
        return "", _("This step contains a hidden control character; please retype it.")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate: it could never be sealed or shown
        return "", _("This step contains a broken character; please retype it.")
    if len(text) > MAX_STEP:
        return "", _(
            "Keep each step to %(limit)d characters or fewer (this one has %(count)d)."
        ) % {"limit": MAX_STEP, "count": len(text)}
    return text, None


def _cleaned(steps: Mapping[str, object]) -> dict[str, str]:
    unknown = sorted(set(steps) - set(STEPS))
    if unknown:  # a caller's mistake, not the person's: fail loudly
        raise TypeError(f"Unknown safety plan step(s): {', '.join(unknown)}")
    cleaned: dict[str, str] = {}
    errors: dict[str, list[str]] = {}
    for name, value in steps.items():
        text, error = _clean_step(value)
        if error is not None:
            errors[name] = [error]
        else:
            cleaned[name] = text
    if errors:
        raise SafetyPlanError(errors)
    return cleaned


def safety_plan_for(owner: User) -> SafetyPlan | None:
    """The owner's own plan, or None before they first save one."""
    return SafetyPlan.objects.filter(owner=owner).first()


def _write(plan: SafetyPlan, cleaned: dict[str, str]) -> None:
    for name, text in cleaned.items():
        setattr(plan, name, text)
    plan.updated_at = timezone.now()


@transaction.atomic
def safety_plan_save(*, owner: User, **steps: str) -> SafetyPlan:
    """Save the owner's plan. Steps not given keep their current text; "" clears a step.

    Raises SafetyPlanError (by step) when a step is too long or cannot be stored; then
    nothing is saved. The audit entry says only that the plan was saved, never what it says.
    """
    cleaned = _cleaned(steps)
    plan = SafetyPlan.objects.select_for_update().filter(owner=owner).first()
    if plan is None:
        plan = SafetyPlan(owner=owner, space=person_space(user=owner))
        _write(plan, cleaned)
        try:
            with transaction.atomic():  # a savepoint, so a lost race leaves the outer one usable
                plan.save(force_insert=True)
        except IntegrityError:
            # The same person saved from another tab a moment ago: update that plan instead.
            plan = SafetyPlan.objects.select_for_update().get(owner=owner)
            _write(plan, cleaned)
            plan.save(update_fields=[*cleaned, "updated_at"])
    else:
        _write(plan, cleaned)
        plan.save(update_fields=[*cleaned, "updated_at"])
    audit_log(actor=owner, action="safety.plan.saved", data={})
    return plan
