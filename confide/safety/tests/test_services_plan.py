"""safety_plan_save and safety_plan_for: validation, partial saves, the owner's space."""

from __future__ import annotations

import pytest

from confide.accounts.models import User
from confide.core.models import AuditEntry
from confide.privacy import keycache
from confide.privacy.crypto import KeyDestroyedError
from confide.privacy.keys import person_space, space_destroy_keys
from confide.safety.models import MAX_STEP, SafetyPlan
from confide.safety.plan import SafetyPlanError, safety_plan_for, safety_plan_save

pytestmark = pytest.mark.django_db


def test_a_plan_is_sealed_in_the_owners_private_space(alex: User) -> None:
    plan = safety_plan_save(owner=alex, warning_signs="  Not sleeping.\r\n")
    assert plan.space_id == person_space(user=alex).pk
    keycache.forget_cached_keys()
    assert safety_plan_for(alex) == plan
    assert SafetyPlan.objects.get(pk=plan.pk).warning_signs == "Not sleeping."


def test_nobody_has_a_plan_until_they_save_one(alex: User, blake: User) -> None:
    safety_plan_save(owner=alex, on_my_own="Music.")
    assert safety_plan_for(blake) is None


def test_steps_left_out_keep_their_text_and_blank_clears_one(alex: User) -> None:
    safety_plan_save(owner=alex, warning_signs="Pacing.", on_my_own="Tea.")
    plan = safety_plan_save(owner=alex, on_my_own="")
    assert (plan.warning_signs, plan.on_my_own) == ("Pacing.", "")
    assert SafetyPlan.objects.count() == 1
    assert AuditEntry.objects.filter(action="safety.plan.saved", actor_id=alex.pk).count() == 2


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("x" * (MAX_STEP + 1), f"Keep each step to {MAX_STEP} characters or fewer"),
        ("before\x00after", "hidden control character"),
        ("broken \ud800 surrogate", "broken character"),
    ],
)
def test_bad_text_is_refused_with_a_clear_message_and_nothing_saved(
    alex: User, text: str, message: str
) -> None:
    with pytest.raises(SafetyPlanError) as raised:
        safety_plan_save(owner=alex, warning_signs="Fine.", who_to_ask=text)
    assert list(raised.value.message_dict) == ["who_to_ask"]
    assert message in raised.value.message_dict["who_to_ask"][0]
    assert not SafetyPlan.objects.exists()
    assert not AuditEntry.objects.filter(action="safety.plan.saved").exists()


def test_text_of_exactly_the_limit_is_kept_whole(alex: User) -> None:
    plan = safety_plan_save(owner=alex, safer_surroundings="é" * MAX_STEP)
    assert plan.safer_surroundings == "é" * MAX_STEP


def test_an_unknown_step_is_a_programming_error(alex: User) -> None:
    with pytest.raises(TypeError, match="owner_id"):
        safety_plan_save(owner=alex, owner_id="someone else")


def test_destroying_the_persons_key_leaves_the_plan_unreadable(alex: User) -> None:
    plan = safety_plan_save(owner=alex, warning_signs="Pacing at night.")
    space_destroy_keys(space=person_space(user=alex))
    keycache.forget_cached_keys()
    with pytest.raises(KeyDestroyedError):
        _ = SafetyPlan.objects.get(pk=plan.pk).warning_signs
