"""The demo counsellor, and export and erasure of care data."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from confide.accounts.models import User
from confide.accounts.twofactor import has_second_factor
from confide.care.access import is_verified_counsellor
from confide.care.models import (
    CareConsent,
    CareRelationship,
    ConsentChange,
    CounsellorNote,
    CounsellorProfile,
    FindingTally,
    Homework,
    Scope,
)
from confide.care.privacy import care_erase, care_export
from confide.care.services import homework_assign, note_add
from confide.care.tests.factories import make_care
from confide.pairs.models import Pair
from confide.privacy.crypto import KeyDestroyedError
from confide.privacy.registry import covered_models

pytestmark = pytest.mark.django_db


def test_the_demo_makes_eli_a_counsellor_of_alex_and_blake_once() -> None:
    call_command("demo", stdout=StringIO())
    call_command("demo", stdout=StringIO())
    eli = User.objects.get(email="eli@example.com")
    assert is_verified_counsellor(eli)
    assert has_second_factor(eli)
    relationship = CareRelationship.objects.get()
    consents = {
        c.person.email: c.scope
        for c in CareConsent.objects.filter(relationship=relationship).select_related("person")
    }
    assert consents == {
        "alex@example.com": Scope.MEASURES_TOPICS,
        "blake@example.com": Scope.MEASURES,
    }
    assert sorted(h.is_done for h in Homework.objects.all()) == [False, True]
    from confide.circles.models import Membership

    assert Membership.objects.filter(user=eli).exists()  # still a circle member
    out = StringIO()
    call_command("demo", "code", "eli@example.com", stdout=out)
    assert re.fullmatch(r"\d{6}\n", out.getvalue())


@override_settings(PRODUCTION=True)
def test_the_demo_code_is_refused_in_production() -> None:
    with pytest.raises(CommandError, match="production"):
        call_command("demo", "code", "eli@example.com", stdout=StringIO())


def test_every_care_model_is_covered_by_the_privacy_registry() -> None:
    for model in (
        CounsellorProfile,
        CareRelationship,
        CareConsent,
        ConsentChange,
        Homework,
        CounsellorNote,
        FindingTally,
    ):
        assert model in covered_models()


def test_export_holds_a_counsellors_notes_and_a_clients_consents_and_homework(
    pair: Pair, alex: User, blake: User, eli: User
) -> None:
    relationship = make_care(eli, pair, {alex: Scope.MEASURES, blake: Scope.MEASURES})
    note_add(relationship=relationship, counsellor=eli, text="First session went well")
    homework_assign(
        relationship=relationship,
        counsellor=eli,
        kind="measure",
        target="weekly-closeness",
        due_on=relationship.started_at.date(),
    )
    counsellor = care_export(eli)
    assert counsellor["counsellor_notes"][0]["text"] == "First session went well"
    assert counsellor["counsellor_application"]["credentials"] == "Licensed counsellor"
    client = care_export(alex)
    assert client["counsellor_notes"] == []
    assert [c["scope"] for c in client["consents"]] == ["measures"]
    assert client["homework"][0]["kind"] == "measure"
    assert "First session" not in str(client)


def test_erasing_a_counsellor_destroys_their_notes_key(pair: Pair, alex: User, eli: User) -> None:
    relationship = make_care(eli, pair, {alex: Scope.FULL})
    note = note_add(relationship=relationship, counsellor=eli, text="Sealed")
    space = note.space
    care_erase(eli)
    space.refresh_from_db()
    assert space.destroyed_at is not None
    assert not CounsellorNote.objects.exists()
    assert not CounsellorProfile.objects.filter(user=eli).exists()
    relationship.refresh_from_db()
    assert not relationship.is_active
    from confide.privacy.keys import data_key

    with pytest.raises(KeyDestroyedError):
        data_key(space_id=space.pk, version=1)


def test_erasing_a_client_ends_their_consent_and_figures(
    pair: Pair, alex: User, blake: User, eli: User
) -> None:
    make_care(eli, pair, {alex: Scope.FULL, blake: Scope.MEASURES})
    FindingTally.objects.create(
        user=alex, day=pair.created_at.date(), label="harsh", subtype="contempt", count=2
    )
    care_erase(alex)
    assert not CareConsent.objects.filter(person=alex).exists()
    assert not ConsentChange.objects.filter(person=alex).exists()
    assert not FindingTally.objects.filter(user=alex).exists()
    assert CareConsent.objects.get(person=blake).scope == Scope.MEASURES
