from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from confide.accounts.models import User
from confide.pairs.models import Pair
from confide.privacy.keys import person_space
from confide.rhythm.models import (
    Appreciation,
    Bid,
    ContractConsent,
    ContractDay,
    GestureIdea,
    GesturePick,
    LapseNote,
)
from confide.rhythm.selectors import contract_on

pytestmark = pytest.mark.django_db
MODELS = (Appreciation, Bid, ContractConsent, ContractDay, GestureIdea, GesturePick, LapseNote)


def _counts() -> list[int]:
    return [model.objects.count() for model in MODELS]


def test_the_demo_pair_gets_its_rhythm_once() -> None:
    out = StringIO()
    call_command("demo", stdout=out)
    pair = Pair.objects.get()
    alex = User.objects.get(email="alex@example.com")
    assert all(n > 0 for n in _counts()), dict(zip(MODELS, _counts(), strict=True))
    assert contract_on(pair=pair)
    assert ContractDay.objects.filter(acknowledged_at__isnull=False).count() >= 10
    assert Appreciation.objects.filter(thanked_at__isnull=True).exists()  # some await thanks
    # Everything decrypts, and what is private is in its owner's private space.
    assert all(a.text for a in Appreciation.objects.all())
    assert all(d.intention for d in ContractDay.objects.all())
    note = LapseNote.objects.get()
    assert note.author == alex
    assert note.space_id == person_space(user=alex).pk
    assert note.note
    assert all(i.space_id == person_space(user=i.owner).pk for i in GestureIdea.objects.all())
    counts = _counts()
    call_command("demo", stdout=out)
    assert _counts() == counts
    assert "rhythm is already there" in out.getvalue()
