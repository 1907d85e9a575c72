"""Dialogue turns are screened on write: a private coach for harsh words before anything is
stored, and support for the writer alone after words of crisis."""

from __future__ import annotations

import pytest
from asgiref.sync import async_to_sync
from django.urls import reverse

from confide.accounts.models import User
from confide.core.models import AuditEntry
from confide.dialogue.models import DialogueSession, Step, WithheldTurn
from confide.dialogue.services.sessions import dialogue_start
from confide.dialogue.tests.support import open_socket, receive
from confide.pairs.models import Pair
from tests.personas import client_for

HARSH = "You never listen to me."
CRISIS = "I want to kill myself."


@pytest.mark.django_db(transaction=True)
def test_a_harsh_turn_over_the_socket_meets_the_coach_then_sends_as_is(
    pair: Pair, alex: User, blake: User
) -> None:
    session = dialogue_start(pair=pair, starter=alex)

    async def scenario() -> None:
        mine = await open_socket(session.pk, alex, last_seen=0)
        theirs = await open_socket(session.pk, blake, last_seen=0)
        await receive(mine)
        await receive(theirs)
        await mine.send_json_to({"type": "move", "move": "share", "text": HARSH, "last_seen": 1})
        coach = await receive(mine)
        assert coach["type"] == "coach"
        assert "when you don't listen to me" in coach["rewrite"]
        assert await theirs.receive_nothing(timeout=0.2)
        await mine.send_json_to(
            {"type": "move", "move": "share", "text": HARSH, "last_seen": 1, "send_as_is": True}
        )
        assert (await receive(mine))["text"] == HARSH
        assert (await receive(theirs))["text"] == HARSH
        await mine.disconnect()
        await theirs.disconnect()

    async_to_sync(scenario)()
    assert Step.objects.filter(session=session, kind="share").count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_crisis_turn_over_the_socket_stays_with_the_writer_and_the_partner_learns_nothing(
    pair: Pair, alex: User, blake: User
) -> None:
    session = dialogue_start(pair=pair, starter=alex)

    async def scenario() -> None:
        mine = await open_socket(session.pk, alex, last_seen=0)
        theirs = await open_socket(session.pk, blake, last_seen=0)
        await receive(mine)
        await receive(theirs)
        await mine.send_json_to({"type": "move", "move": "share", "text": CRISIS, "last_seen": 1})
        support = await receive(mine)
        assert support["type"] == "support"
        assert support["url"].startswith(reverse("safety:support"))
        assert "entry=turn" in support["url"]
        assert await theirs.receive_nothing(timeout=0.2)
        await mine.disconnect()
        await theirs.disconnect()

    async_to_sync(scenario)()
    assert not Step.objects.filter(session=session, kind="share").exists()
    held = WithheldTurn.objects.get(session=session)
    assert (held.author_id, held.text) == (alex.pk, CRISIS)
    assert held.space_id != pair.space_id  # sealed in Alex's private space
    assert AuditEntry.objects.filter(
        action="safety.crisis.resources_shown", actor_id=alex.pk
    ).exists()


@pytest.mark.django_db
def test_the_form_flow_coaches_and_points_to_support(pair: Pair, alex: User) -> None:
    session: DialogueSession = dialogue_start(pair=pair, starter=alex)
    client = client_for(alex)
    url = reverse("dialogue:move", args=[pair.pk, session.pk])
    held = client.post(url, {"move": "share", "text": HARSH, "last_seen": "1"})
    assert "Before you send" in held.content.decode()
    assert not Step.objects.filter(session=session, kind="share").exists()
    sent = client.post(url, {"move": "share", "text": CRISIS, "last_seen": "1"})
    assert sent["Location"].startswith(reverse("safety:support"))
    # Kept with Alex until Alex chooses; the conversation has not moved on.
    assert not Step.objects.filter(session=session, kind="share").exists()
    turn = WithheldTurn.objects.get(session=session)
    page = client.get(sent["Location"]).content.decode()
    assert "Share it with Blake now" in page
    shared = client.post(
        reverse("safety:held_decide"),
        {"entry": f"turn:{turn.pk}", "action": "share", "next": ""},
    )
    assert shared.status_code == 302
    assert Step.objects.get(session=session, kind="share").text == CRISIS
    assert not WithheldTurn.objects.exists()


@pytest.mark.django_db
def test_a_reflection_after_a_conversation_feeds_the_pair_trend(
    pair: Pair, alex: User, blake: User
) -> None:
    from confide.dialogue.models import Reflection
    from confide.pairs.selectors import understood_trend

    session = dialogue_start(pair=pair, starter=alex)
    Reflection.objects.create(session=session, author=blake, understood=5)
    weeks = understood_trend(pair=pair, viewer=alex)
    assert {str(r): v for r, v in weeks[-1].by_person.items()} == {"Blake": 5}


@pytest.mark.django_db
def test_topics_are_screened_too(pair: Pair, alex: User) -> None:
    from confide.dialogue.models import Topic

    client = client_for(alex)
    url = reverse("dialogue:topics", args=[pair.pk])
    held = client.post(url, {"title": "Chores", "startup": "You never help at home."})
    assert "Before you send" in held.content.decode()
    assert not Topic.objects.exists()
    sent = client.post(
        url, {"title": "Chores", "startup": "You never help at home.", "send_as_is": "1"}
    )
    assert sent.status_code == 302
    assert Topic.objects.count() == 1
