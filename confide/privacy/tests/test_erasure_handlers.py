"""After erasure nothing personal of the person is left in the apps of the pair space: no row
points at them except the few that keep others' records whole, and no text they wrote can be
read anywhere. What the partner wrote stays."""

from __future__ import annotations

from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model

from confide.accounts.models import User
from confide.accounts.tests.factories import DEFAULT_PASSWORD
from confide.dialogue.models import Step
from confide.pairs.models import CheckIn, Pair, PromptAnswer
from confide.privacy.crypto import DecryptionError
from confide.privacy.erasure import account_erase
from confide.privacy.fields import EncryptedTextField
from confide.privacy.models import AccessRecord
from confide.privacy.tests.richdata import record_access, rich_pair
from confide.rhythm.models import ContractDay
from confide.together.models import TogetherTime

pytestmark = pytest.mark.django_db

# Rows that may still point at the tombstone after erasure, and why (see docs/privacy.md).
KEPT_POINTING: dict[str, str] = {
    "accounts.User": "the tombstone itself",
    "pairs.PairMember": "the partner's ended pair keeps its two members",
    "pairs.PromptRound": "who drew a prompt; the partner's answer hangs on the round",
    "dialogue.DialogueSession": "the partner's conversation keeps both roles",
    "dialogue.Step": "the person's turns stay as empty, removed steps",
    "privacy.PersonSpace": "the link to the destroyed private space",
    "privacy.AccessRecord": "the access log is append-only",
}


def _pointing(user: User) -> dict[str, int]:
    user_model = get_user_model()
    found: dict[str, int] = {}
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if (
                getattr(field, "concrete", False)
                and field.is_relation
                and (field.many_to_one or field.one_to_one)
                and field.related_model is user_model
            ):
                count = model._default_manager.filter(**{field.name: user}).count()
                if count:
                    found[model._meta.label] = found.get(model._meta.label, 0) + count
    return found


def _readable_text() -> str:
    texts = []
    for model in apps.get_models():
        fields = [f.attname for f in model._meta.get_fields() if isinstance(f, EncryptedTextField)]
        if not fields:
            continue
        for row in model._default_manager.all():
            for name in fields:
                try:
                    texts.append(str(getattr(row, name)))
                except DecryptionError:
                    texts.append("")
    return "\n".join(texts)


def test_erasure_leaves_nothing_personal_and_keeps_what_the_partner_wrote(
    alex: User, blake: User, pair: Pair, eli: User, django_capture_on_commit_callbacks: Any
) -> None:
    a, b = rich_pair(pair, alex, blake)
    record_access(subject=alex, actor=eli, role=AccessRecord.Role.COUNSELLOR)
    with django_capture_on_commit_callbacks(execute=True):
        account_erase(user=alex, password=DEFAULT_PASSWORD)
    left = _pointing(alex)
    assert set(left) <= set(KEPT_POINTING), left
    text = _readable_text()
    for where, canary in a.canaries.items():
        assert canary not in text, where
    # What Blake wrote stays, and they can still read it.
    for where in ("private-checkin", "shared-checkin", "step", "intention", "plan", "idea"):
        assert b.canaries[where] in text, where
    # Blake's reply to Alex's check-in went with it; Blake's answer on the round stays.
    assert b.canaries["reply"] not in text
    assert PromptAnswer.objects.filter(author=blake).count() == 1
    assert not CheckIn.objects.filter(author=alex).exists()
    assert [s.text for s in Step.objects.filter(author=alex)] == [""]
    # Alex's acknowledgement of Blake's day keeps the day kept, without naming Alex.
    day = ContractDay.objects.get(stated_by=blake)
    assert day.acknowledged_by is None and day.is_kept
    assert TogetherTime.objects.get().started_by is None
    pair.refresh_from_db()
    assert not pair.is_active
