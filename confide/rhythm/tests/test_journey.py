"""The journey reads the pair's milestones from other apps, showing each viewer only what they
may see, in a fixed number of queries."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from confide.accounts.models import User
from confide.dialogue.services.sessions import dialogue_start
from confide.dialogue.services.topics import topic_create, topic_set_status
from confide.measures.demo import demo_measures
from confide.measures.services import sharing_set
from confide.pairs.models import Pair
from confide.pairs.services.checkins import checkin_submit
from confide.pairs.services.common import today_for
from confide.pairs.services.pairing import pair_leave
from confide.rhythm.journey import Milestone, milestones
from confide.rhythm.services.appreciations import appreciation_create
from confide.rhythm.services.bids import bid_note
from confide.rhythm.services.contract import (
    contract_consent_set,
    intention_acknowledge,
    intention_state,
)
from tests.personas import client_for

pytestmark = pytest.mark.django_db


def _kinds(found: list[Milestone]) -> list[str]:
    return [m.kind for m in found]


def _checkin(pair: Pair, author: User, visibility: str = "shared") -> None:
    checkin_submit(
        pair=pair, author=author, mood=3, feelings=[], needs=[], note="", visibility=visibility
    )


def _practice(pair: Pair, alex: User, blake: User) -> None:
    for n in range(3):
        appreciation_create(pair=pair, author=alex if n % 2 else blake, text=f"Thanks {n}.")
    bid_note(pair=pair, person=alex, kind="turned_toward")
    bid_note(pair=pair, person=blake, kind="came_back")
    contract_consent_set(pair=pair, person=alex, consent=True)
    contract_consent_set(pair=pair, person=blake, consent=True)
    intention_state(pair=pair, person=alex, day=today_for(alex), intention="No drinks today.")
    intention_acknowledge(pair=pair, person=blake, day=today_for(alex))


def test_the_journey_gathers_milestones_and_each_months_practice(
    pair: Pair, alex: User, blake: User
) -> None:
    _checkin(pair, blake)
    session = dialogue_start(pair=pair, starter=alex)
    assert session.pk
    topic = topic_create(pair=pair, raised_by=blake, title="Evenings out")
    topic_set_status(topic=topic, user=alex, status="resolved")
    _practice(pair, alex, blake)
    found = milestones(pair=pair, viewer=alex, today=today_for(alex))
    assert set(_kinds(found)) == {
        "paired",
        "first_checkin",
        "first_dialogue",
        "topic_resolved",
        "month",
    }
    assert _kinds(found)[0] == "month"  # newest first; the month's practice heads its day
    assert "A topic resolved: Evenings out" in [m.title for m in found]
    month = next(m for m in found if m.kind == "month")
    assert month.details == [
        "3 appreciations noted",
        "2 bids noticed and met",
        "1 day of the recovery contract kept",
    ]


def test_a_partners_private_entries_never_reach_the_journey(
    pair: Pair, alex: User, blake: User
) -> None:
    _checkin(pair, blake, visibility="private")
    topic_create(pair=pair, raised_by=blake, title="I want to kill myself tonight.")
    appreciation_create(pair=pair, author=blake, text="I want to kill myself tonight.")
    for topic in pair.topics.all():
        topic_set_status(topic=topic, user=blake, status="resolved")
    seen_by_alex = milestones(pair=pair, viewer=alex, today=today_for(alex))
    assert _kinds(seen_by_alex) == ["paired"]
    seen_by_blake = milestones(pair=pair, viewer=blake, today=today_for(blake))
    assert {"first_checkin", "topic_resolved", "month"} <= set(_kinds(seen_by_blake))


def test_an_ended_pair_shows_each_their_own_practice(pair: Pair, alex: User, blake: User) -> None:
    _practice(pair, alex, blake)
    pair_leave(pair=pair, user=blake)
    pair.refresh_from_db()
    found = milestones(pair=pair, viewer=alex, today=today_for(alex))
    month = next(m for m in found if m.kind == "month")
    assert month.details == [
        "1 appreciation noted",
        "1 bid noticed and met",
        "1 day of the recovery contract kept",
    ]


def test_reliable_change_from_the_measures_appears_with_their_own_label(
    pair: Pair, alex: User, blake: User
) -> None:
    demo_measures(alex=alex, blake=blake, progress=lambda _: None)
    titles = [m.title for m in milestones(pair=pair, viewer=alex, today=today_for(alex))]
    assert "You: reliably better on the weekly closeness check" in titles
    # Blake sees Alex's change only while both share their measures.
    titles = [m.title for m in milestones(pair=pair, viewer=blake, today=today_for(blake))]
    assert not any(title.startswith("Alex:") for title in titles)
    sharing_set(pair=pair, person=alex, shared=True)
    sharing_set(pair=pair, person=blake, shared=True)
    titles = [m.title for m in milestones(pair=pair, viewer=blake, today=today_for(blake))]
    assert "Alex: reliably better on the weekly closeness check" in titles


def test_the_journey_page_is_paginated_in_a_fixed_number_of_queries(
    pair: Pair, alex: User, blake: User, django_assert_max_num_queries: Any
) -> None:
    client = client_for(alex)
    url = reverse("rhythm:journey", args=[pair.pk])
    client.get(url)  # warm the per-process caches (keys, instruments)
    with django_assert_max_num_queries(20):
        assert client.get(url).status_code == 200
    _checkin(pair, blake)
    _practice(pair, alex, blake)
    for n in range(20):
        topic = topic_create(pair=pair, raised_by=blake, title=f"Topic {n}")
        topic_set_status(topic=topic, user=blake, status="resolved")
    with django_assert_max_num_queries(20):
        response = client.get(url)
    assert response.status_code == 200
    assert response.context["page"].paginator.num_pages == 2
    assert client.get(url + "?page=2").status_code == 200
    assert client.get(url + "?page=zz").status_code == 200
