"""Screening on write in the pair space: crisis and fear words bring support to the writer only;
harsh words meet a private coach before anything is saved."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from confide.accounts.models import User
from confide.core.models import AuditEntry
from confide.notifications.models import Notification
from confide.pairs.models import CheckIn, ListeningReply, Pair, PromptAnswer
from confide.pairs.services import PairError
from confide.pairs.services.checkins import checkin_submit
from confide.pairs.services.pairing import pair_pause
from confide.pairs.services.prompts import prompt_answer, prompt_draw
from tests.personas import client_for

pytestmark = pytest.mark.django_db
CRISIS = "I want to kill myself tonight."
FEAR = "I am scared of him when he drinks."
HARSH = "You never listen to me."


def _checkin_form(note: str, **extra: str) -> dict[str, object]:
    return {
        "mood": "2",
        "feelings": ["tired"],
        "needs": ["rest"],
        "note": note,
        "visibility": "shared",
        **extra,
    }


def test_a_crisis_checkin_is_saved_and_the_writer_sees_resources_first(
    pair: Pair, alex: User, blake: User
) -> None:
    alex.country = "GB"
    alex.save()
    client = client_for(alex)
    response = client.post(reverse("pairs:checkin", args=[pair.pk]), _checkin_form(CRISIS))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("safety:support"))
    assert "kill" not in response["Location"]
    assert CheckIn.objects.get().note == CRISIS
    page = client.get(response["Location"]).content.decode()
    assert (
        "You don&#x27;t have to carry this alone" in page
        or "You don't have to carry this alone" in page
    )
    assert "116 123" in page
    # The partner learns nothing of the crisis: only the ordinary shared check-in note.
    titles = list(Notification.objects.filter(user=blake).values_list("title", flat=True))
    assert all("crisis" not in t.lower() for t in titles)
    assert AuditEntry.objects.filter(
        action="safety.crisis.resources_shown", actor_id=alex.pk
    ).exists()
    assert all(CRISIS not in str(e.data) for e in AuditEntry.objects.all())


def test_fear_shows_abuse_resources_and_lets_the_writer_pause_joint_activities(
    pair: Pair, alex: User, blake: User
) -> None:
    alex.country = "US"
    alex.save()
    client = client_for(alex)
    response = client.post(
        reverse("pairs:checkin", args=[pair.pk]), _checkin_form(FEAR, visibility="private")
    )
    page = client.get(response["Location"]).content.decode()
    assert "1-800-799-7233" in page
    assert "Pause joint activities" in page
    client.post(reverse("pairs:pause", args=[pair.pk]))
    pair.refresh_from_db()
    assert pair.joint_paused
    # Blake sees only that joint activities are paused, and cannot draw a prompt.
    blake_page = client_for(blake).get(reverse("pairs:prompts", args=[pair.pk])).content.decode()
    assert "paused for now" in blake_page
    assert "Resume joint activities" not in blake_page
    assert FEAR not in blake_page
    with pytest.raises(PairError, match="paused"):
        prompt_draw(pair=pair, user=blake, level=1)
    assert client_for(blake).post(reverse("pairs:resume", args=[pair.pk])).status_code == 302
    pair.refresh_from_db()
    assert pair.joint_paused  # only the one who paused can resume
    client.post(reverse("pairs:resume", args=[pair.pk]))
    pair.refresh_from_db()
    assert not pair.joint_paused


def test_harsh_words_meet_the_private_coach_before_anything_is_saved(
    pair: Pair, alex: User
) -> None:
    client = client_for(alex)
    response = client.post(reverse("pairs:checkin", args=[pair.pk]), _checkin_form(HARSH))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Before you send" in body
    assert "when you don&#x27;t listen to me" in body or "when you don't listen to me" in body
    assert "I feel tired" in body
    assert not CheckIn.objects.exists()
    sent = client.post(
        reverse("pairs:checkin", args=[pair.pk]), _checkin_form(HARSH, send_as_is="1")
    )
    assert sent.status_code == 302
    assert CheckIn.objects.get().note == HARSH


def test_harsh_replies_and_answers_are_coached_too(pair: Pair, alex: User, blake: User) -> None:
    checkin = checkin_submit(
        pair=pair, author=alex, mood=3, feelings=[], needs=[], note="", visibility="shared"
    )
    reply = client_for(blake).post(
        reverse("pairs:reply", args=[pair.pk, checkin.pk]), {"kind": "validate", "text": HARSH}
    )
    assert "Before you send" in reply.content.decode()
    assert not ListeningReply.objects.exists()
    prompt_round = prompt_draw(pair=pair, user=alex, level=1)
    answer = client_for(alex).post(
        reverse("pairs:answer", args=[pair.pk, prompt_round.pk]), {"text": "You are pathetic."}
    )
    assert "Before you send" in answer.content.decode()
    assert not PromptAnswer.objects.exists()


def test_joint_activities_wait_while_paused(pair: Pair, alex: User, blake: User) -> None:
    prompt_round = prompt_draw(pair=pair, user=alex, level=1)
    pair_pause(pair=pair, user=blake)
    with pytest.raises(PairError, match="paused"):
        prompt_answer(prompt_round=prompt_round, author=alex, text="hello")


def test_the_support_page_only_follows_local_next_links(alex: User, client: Client) -> None:
    client.force_login(alex)
    page = client.get(
        reverse("safety:support") + "?kind=crisis&next=https://evil.example/"
    ).content.decode()
    assert "evil.example" not in page
