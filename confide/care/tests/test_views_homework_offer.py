"""The homework form offers only what every client's consent covers today, says in one line
what is not offered and why (each client's scope, never its history), and the service still
refuses at submit a kind that consent stopped covering after the page was shown."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from confide.accounts.models import User
from confide.care.access import homework_kinds_allowed
from confide.care.models import Homework, Scope
from confide.care.services import consent_set
from confide.care.tests.factories import make_care
from confide.pairs.models import Pair
from tests.personas import client_for

pytestmark = pytest.mark.django_db

ALL = ["measure", "dialogue", "prompts", "gestures"]


@pytest.mark.parametrize(
    ("scopes", "kinds"),
    [
        ([], []),
        ([Scope.NOTHING], []),
        ([Scope.MEASURES], ["measure"]),
        ([Scope.MEASURES_TOPICS], ["measure", "dialogue"]),
        ([Scope.FULL], ALL),
        ([Scope.FULL, Scope.MEASURES], ["measure"]),
        ([Scope.FULL, Scope.NOTHING], []),
        ([Scope.MEASURES_TOPICS, Scope.FULL], ["measure", "dialogue"]),
        ([Scope.FULL, Scope.FULL], ALL),
    ],
)
def test_the_kinds_offered_are_those_every_scope_covers(
    scopes: list[Scope], kinds: list[str]
) -> None:
    assert homework_kinds_allowed(scopes) == kinds


def _page(eli: User, relationship_id: object) -> str:
    response = client_for(eli).get(reverse("care:case", args=[relationship_id]))
    assert response.status_code == 200
    return response.content.decode()


def _kind_options(page: str) -> list[str]:
    found = re.search(r'<select name="kind"[^>]*>(.*?)</select>', page, re.S)
    return re.findall(r'<option value="([^"]*)"', found.group(1)) if found else []


def _not_offered(page: str) -> str:
    found = re.search(r'<p class="muted" id="not-offered">(.*?)</p>', page, re.S)
    return found.group(1) if found else ""


def test_only_the_kinds_every_client_consents_to_are_offered(
    pair: Pair, alex: User, blake: User, eli: User
) -> None:
    relationship = make_care(eli, pair, {alex: Scope.MEASURES_TOPICS, blake: Scope.MEASURES})
    page = _page(eli, relationship.pk)
    assert _kind_options(page) == ["measure"]
    assert _not_offered(page) == (
        "Not offered: a guided conversation on a topic, conversation prompts from a deck and a "
        "week of small gestures, because of what each person lets you see today: Alex (Measures "
        "and topics) and Blake (Measures only)."
    )
    assert "Conversation prompts from a deck" not in page  # no deck group among the targets


def test_everything_is_offered_without_a_line_when_everyone_shares_fully(
    pair: Pair, alex: User, blake: User, eli: User
) -> None:
    relationship = make_care(eli, pair, {alex: Scope.FULL, blake: Scope.FULL})
    page = _page(eli, relationship.pk)
    assert _kind_options(page) == ALL
    assert 'id="not-offered"' not in page


def test_without_any_covered_kind_the_line_stands_in_for_the_form(
    pair: Pair, alex: User, blake: User, eli: User
) -> None:
    relationship = make_care(eli, pair, {alex: Scope.FULL})
    page = _page(eli, relationship.pk)
    assert reverse("care:homework_new", args=[relationship.pk]) not in page
    assert _kind_options(page) == []
    assert _not_offered(page) == (
        "No exercise is offered, because of what each person lets you see today: Blake (Nothing)."
    )


def test_the_line_names_the_scope_today_never_how_it_changed(
    pair: Pair, alex: User, blake: User, eli: User
) -> None:
    fresh = make_care(eli, pair, {alex: Scope.FULL, blake: Scope.MEASURES})
    before = _not_offered(_page(eli, fresh.pk))
    from confide.care.services import relationship_end

    relationship_end(relationship=fresh, actor=alex)
    narrowed = make_care(eli, pair, {alex: Scope.FULL, blake: Scope.FULL})
    consent_set(relationship=narrowed, person=blake, actor=blake, scope=Scope.MEASURES, until=None)
    after = _not_offered(_page(eli, narrowed.pk))
    assert after == before
    assert "Blake (Measures only)" in after
    assert "Alex" not in after  # Alex shares fully: nothing left out is hers to give


def test_a_kind_consent_stopped_covering_after_the_page_was_shown_is_refused(
    pair: Pair, alex: User, blake: User, eli: User
) -> None:
    relationship = make_care(eli, pair, {alex: Scope.FULL, blake: Scope.FULL})
    client = client_for(eli)
    assert "prompts" in _kind_options(_page(eli, relationship.pk))
    consent_set(
        relationship=relationship, person=blake, actor=blake, scope=Scope.MEASURES, until=None
    )
    due = (timezone.localdate() + timedelta(days=4)).isoformat()
    response = client.post(
        reverse("care:homework_new", args=[relationship.pk]),
        {"kind": "prompts", "target": "dreams", "due_on": due},
        follow=True,
    )
    assert "Blake has not consented to what this exercise needs" in response.content.decode()
    assert not Homework.objects.exists()
    # What the consent still covers is set as before.
    client.post(
        reverse("care:homework_new", args=[relationship.pk]),
        {"kind": "measure", "target": "weekly-closeness", "due_on": due},
    )
    assert Homework.objects.get().kind == "measure"


def test_care_without_clients_offers_nothing_and_says_why(
    pair: Pair, alex: User, eli: User
) -> None:
    from confide.care.selectors import Case, homework_offer

    relationship = make_care(eli, pair, {alex: Scope.FULL})
    offer = homework_offer(Case(relationship, []))
    assert offer.kinds == []
    assert offer.not_offered == "No exercise can be set: this care has no clients today."
