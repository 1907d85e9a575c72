"""The home page's "for today" list: the week's gesture and today's contract step."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any

import pytest
import time_machine
from django.urls import reverse

from confide.accounts.models import User
from confide.core.due import due_for
from confide.pairs.models import Pair
from confide.pairs.services.pairing import pair_leave, pair_pause
from confide.rhythm import gestures
from confide.rhythm.due import due_today
from confide.rhythm.services.contract import (
    contract_consent_set,
    intention_acknowledge,
    intention_state,
)
from confide.rhythm.services.gestures import gesture_done, gesture_idea_add, gesture_pick
from tests.personas import client_for

pytestmark = pytest.mark.django_db
TODAY = date(2026, 3, 18)


@pytest.fixture(autouse=True)
def _morning() -> Iterator[None]:
    with time_machine.travel(datetime(2026, 3, 18, 8, 0, tzinfo=UTC), tick=False):
        yield


def _titles(user: User) -> list[str]:
    return [str(item.title) for item in due_today(user, TODAY)]


def test_the_week_asks_for_a_gesture_until_it_is_done(pair: Pair, alex: User) -> None:
    assert _titles(alex) == ["Choose a small gesture for Blake this week"]
    listed = gestures.catalogue()[0]
    pick = gesture_pick(pair=pair, person=alex, gesture_id=listed.id)
    [item] = due_today(alex, TODAY)
    assert item.title == "Your gesture of the week for Blake"
    assert item.detail == listed.text
    assert item.url == reverse("rhythm:gestures", args=[pair.pk])
    gesture_done(pick=pick, person=alex)
    assert _titles(alex) == []


def test_an_own_idea_never_shows_its_words_on_the_home_page(pair: Pair, alex: User) -> None:
    idea = gesture_idea_add(
        pair=pair, owner=alex, kind="time", effort="minute", text="canary-idea-d00d"
    )
    gesture_pick(pair=pair, person=alex, idea=idea)
    [item] = due_today(alex, TODAY)
    assert "canary" not in f"{item.title} {item.detail}"


def test_todays_contract_step_for_each_partner(pair: Pair, alex: User, blake: User) -> None:
    assert not [i for i in due_today(alex, TODAY) if i.kind == "contract"]  # off
    contract_consent_set(pair=pair, person=alex, consent=True)
    contract_consent_set(pair=pair, person=blake, consent=True)

    def contract(user: User) -> list[str]:
        return [str(i.title) for i in due_today(user, TODAY) if i.kind == "contract"]

    assert contract(alex) == ["Today's recovery contract with Blake"]
    assert contract(blake) == ["Today's recovery contract with Alex"]
    intention_state(pair=pair, person=alex, day=TODAY, intention="Sober today.")
    assert contract(alex) == []  # waiting on Blake, nothing to do
    assert contract(blake) == ["Acknowledge Alex's intention for today"]
    intention_acknowledge(pair=pair, person=blake, day=TODAY)
    assert contract(alex) == contract(blake) == []


def test_a_paused_or_ended_pair_asks_for_nothing(pair: Pair, alex: User, blake: User) -> None:
    contract_consent_set(pair=pair, person=alex, consent=True)
    contract_consent_set(pair=pair, person=blake, consent=True)
    pair_pause(pair=pair, user=blake)
    assert [i.kind for i in due_today(alex, TODAY)] == ["gesture"]
    pair_leave(pair=pair, user=blake)
    assert due_today(alex, TODAY) == []


def test_the_home_page_lists_them_in_a_few_queries(
    pair: Pair, alex: User, django_assert_max_num_queries: Any
) -> None:
    assert [i.kind for i in due_for(alex, TODAY)].count("gesture") == 1
    client = client_for(alex)
    client.get("/")
    # Fixed whatever the data: the home page with every app's "due today" provider.
    with django_assert_max_num_queries(15):  # the same pin as tests/test_query_counts.py
        body = client.get("/").content.decode()
    assert "Choose a small gesture for Blake this week" in body


def test_two_pairs_each_ask_for_a_gesture_and_only_the_keeping_one_for_the_contract(
    pair: Pair, alex: User, blake: User, casey: User, django_assert_num_queries: Any
) -> None:
    from confide.core.due import DueAsk
    from confide.pairs.due import person_pairs
    from confide.pairs.services.pairing import pair_create

    pair_create(first=alex, second=casey)
    ask = DueAsk(alex, TODAY)
    person_pairs(ask)
    with django_assert_num_queries(2):  # the week's picks and the consents; no contract days
        titles = sorted(str(i.title) for i in due_today(alex, TODAY, ask=ask))
    assert titles == [
        "Choose a small gesture for Blake this week",
        "Choose a small gesture for Casey this week",
    ]
    contract_consent_set(pair=pair, person=alex, consent=True)
    contract_consent_set(pair=pair, person=blake, consent=True)
    ask = DueAsk(alex, TODAY)
    person_pairs(ask)
    with django_assert_num_queries(3):  # and today's contract step, for the pair keeping it
        kinds = sorted(i.kind for i in due_today(alex, TODAY, ask=ask))
    assert kinds == ["contract", "gesture", "gesture"]
