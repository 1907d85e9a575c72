"""Every model that holds personal data is covered by some app's privacy handler.

A model holds personal data when it points at a person (a ForeignKey or OneToOne to the user
model) or holds encrypted text. Leaving one out on purpose takes an entry in NOT_PERSONAL,
with the reason.
"""

from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models

from confide.privacy.fields import EncryptedTextField
from confide.privacy.registry import covered_models, privacy_handlers

# "app_label.ModelName": why it holds nothing of a person's that export or erasure must touch.
NOT_PERSONAL: dict[str, str] = {
    "privacy_testapp.Note": "a model of the privacy app's own tests, installed only in tests",
    "privacy_testapp.Letter": "a model of the privacy app's own tests, installed only in tests",
}


def _personal(model: type[models.Model]) -> bool:
    user_model = get_user_model()
    for field in model._meta.get_fields():
        if isinstance(field, EncryptedTextField):
            return True
        if (
            getattr(field, "concrete", False)
            and field.is_relation
            and (field.many_to_one or field.one_to_one)
            and field.related_model is user_model
        ):
            return True
    return model is user_model


def personal_models() -> list[str]:
    return sorted(model._meta.label for model in apps.get_models() if _personal(model))


def test_every_model_with_personal_data_has_a_privacy_handler() -> None:
    covered = {model._meta.label for model in covered_models()}
    missing = [label for label in personal_models() if label not in covered | set(NOT_PERSONAL)]
    assert missing == [], (
        "These models hold personal data but no app's privacy handler covers them; register "
        "them with privacy_handler_register(models=...) or add them to NOT_PERSONAL with a "
        f"reason: {missing}"
    )


def test_the_exclusions_are_still_needed() -> None:
    personal = set(personal_models())
    stale = [label for label in NOT_PERSONAL if label not in personal]
    assert stale == []


def test_the_detector_sees_people_and_encrypted_text() -> None:
    labels = personal_models()
    assert "pairs.CheckIn" in labels  # encrypted text and an author
    assert "reminders.Reminder" in labels  # a person, no text
    assert "privacy.Space" not in labels


@pytest.mark.parametrize("app", ["accounts", "pairs", "dialogue", "safety", "rhythm", "together",
                                 "reminders", "privacy"])  # fmt: skip
def test_the_ground_and_pair_apps_register_a_handler(app: str) -> None:
    assert app in {handler.app for handler in privacy_handlers()}
