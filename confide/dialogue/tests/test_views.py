"""The whole conversation without JavaScript: plain form posts and page loads."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from confide.accounts.models import User
from confide.dialogue.models import DialogueSession, Step, Topic
from confide.pairs.models import Pair
from tests.personas import client_for

pytestmark = pytest.mark.django_db


def _post_move(
    client: Client, session: DialogueSession, move: str, text: str = "", **extra: str
) -> Any:
    session.refresh_from_db()
    url = reverse("dialogue:move", args=[session.pair_id, session.pk])
    data = {"move": move, "text": text, "last_seen": session.last_seq, **extra}
    return client.post(url, data)


def _close(client: Client, session: DialogueSession) -> Any:
    """Close, through the confirmation step."""
    return _post_move(client, session, "close", confirmed="1")


def _page(client: Client, session: DialogueSession) -> str:
    response = client.get(reverse("dialogue:session", args=[session.pair_id, session.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_a_whole_conversation_by_form_posts(pair: Pair, alex: User, blake: User) -> None:
    a, b = client_for(alex), client_for(blake)
    response = a.post(reverse("dialogue:start", args=[pair.pk]))
    session = DialogueSession.objects.get(pair=pair)
    assert response.status_code == 302
    assert response["Location"] == reverse("dialogue:session", args=[pair.pk, session.pk])
    assert "You have the floor: share one thing" in _page(a, session)
    assert "Blake has the floor" not in _page(b, session)
    assert "Alex has the floor." in _page(b, session)
    steps = [
        (a, "share", "I felt alone on Saturday."),
        (b, "mirror", "You felt alone."),
        (a, "clarify", "When plans changed."),
        (b, "mirror", "You felt alone when plans changed."),
        (a, "confirm", ""),
        (b, "validate", "It makes sense."),
        (b, "empathise", "I imagine you felt hurt."),
        (a, "swap", ""),
        (b, "swap", ""),
    ]
    for who, move, text in steps:
        assert _post_move(who, session, move, text).status_code == 302, move
    page = _page(a, session)
    assert "Blake has the floor." in page
    assert "You felt alone when plans changed." in page
    assert _post_move(b, session, "pause").status_code == 302
    page = _page(a, session)
    assert "A break to settle" in page
    assert 'class="breath-circle"' in page
    # Without JavaScript the page says when the break ends (a script counts down instead).
    assert "The break ends at" in page
    assert "Reload to see the time left" not in page
    assert _post_move(a, session, "resume").status_code == 302
    assert _post_move(b, session, "resume").status_code == 302
    assert _close(b, session).status_code == 302
    page = _page(a, session)
    assert "This conversation is closed" in page
    response = a.post(reverse("dialogue:reflect", args=[pair.pk, session.pk]), {"understood": "4"})
    assert response.status_code == 302
    index = a.get(reverse("dialogue:index", args=[pair.pk])).content.decode()
    assert "You: 4.0" in index


def test_closing_asks_first_and_closing_twice_is_refused_clearly(
    pair: Pair, alex: User, blake: User
) -> None:
    a, b = client_for(alex), client_for(blake)
    a.post(reverse("dialogue:start", args=[pair.pk]))
    session = DialogueSession.objects.get(pair=pair)
    asked = _post_move(b, session, "close")
    assert asked.status_code == 200
    page = asked.content.decode()
    assert "Close the conversation?" in page
    assert "This ends it for both of you, Alex too" in page
    assert 'name="confirmed" value="1"' in page
    session.refresh_from_db()
    assert not session.is_closed
    assert session.last_seq == 1
    assert _close(b, session).status_code == 302
    session.refresh_from_db()
    assert session.is_closed
    steps = session.last_seq
    for again in (_close(a, session), _post_move(a, session, "close")):
        assert again.status_code == 400
        assert "This conversation has ended." in again.content.decode()
    session.refresh_from_db()
    assert session.last_seq == steps


def test_a_refused_post_shows_why_and_stores_nothing(pair: Pair, alex: User, blake: User) -> None:
    a, b = client_for(alex), client_for(blake)
    a.post(reverse("dialogue:start", args=[pair.pk]))
    session = DialogueSession.objects.get(pair=pair)
    response = _post_move(b, session, "share", "My turn?")
    assert response.status_code == 400
    assert "This step is your partner" in response.content.decode()
    response = _post_move(a, session, "share", "x" * 2001)
    assert response.status_code == 400
    assert "2000 characters" in response.content.decode()
    url = reverse("dialogue:move", args=[pair.pk, session.pk])
    response = a.post(url, {"move": "share", "text": "Old view.", "last_seen": 0})
    assert response.status_code == 400
    assert "Something new happened" in response.content.decode()
    response = a.post(url, {"move": "share", "text": "No number."})
    assert response.status_code == 400
    assert Step.objects.filter(session=session).count() == 1


def test_the_live_panel_is_the_controls_alone(pair: Pair, alex: User) -> None:
    a = client_for(alex)
    a.post(reverse("dialogue:start", args=[pair.pk]))
    session = DialogueSession.objects.get(pair=pair)
    url = reverse("dialogue:session", args=[pair.pk, session.pk])
    panel = a.get(url, {"panel": "1"}).content.decode()
    assert panel.lstrip().startswith('<div id="live-panel"')
    assert "<html" not in panel


def test_topics_list_and_start_from_a_topic(pair: Pair, alex: User, blake: User) -> None:
    a, b = client_for(alex), client_for(blake)
    url = reverse("dialogue:topics", args=[pair.pk])
    assert a.post(url, {"title": "", "startup": ""}).status_code == 400
    response = a.post(url, {"title": "Our evenings", "startup": "I miss our talks."})
    assert response.status_code == 302
    topic = Topic.objects.get(pair=pair)
    page = b.get(url).content.decode()
    assert "Our evenings" in page
    assert "raised by Alex" in page
    b.post(reverse("dialogue:start", args=[pair.pk]), {"topic": str(topic.pk)})
    session = DialogueSession.objects.get(pair=pair)
    assert session.topic_id == topic.pk
    detail = a.get(reverse("dialogue:topic", args=[pair.pk, topic.pk])).content.decode()
    assert reverse("dialogue:session", args=[pair.pk, session.pk]) in detail
    response = a.post(reverse("dialogue:topic", args=[pair.pk, topic.pk]), {"status": "resolved"})
    assert response.status_code == 302
    topic.refresh_from_db()
    assert topic.status == "resolved"


def test_keep_or_delete_a_finished_transcript(pair: Pair, alex: User, blake: User) -> None:
    a = client_for(alex)
    a.post(reverse("dialogue:start", args=[pair.pk]))
    session = DialogueSession.objects.get(pair=pair)
    _post_move(a, session, "share", "Something tender.")
    _close(a, session)
    url = reverse("dialogue:transcript", args=[pair.pk, session.pk])
    b = client_for(blake)
    a.post(url, {"action": "keep"})
    assert "Something tender." in _page(b, session)
    # Blake agreeing to a deletion nobody asked for: a clear message, nothing changes.
    refused = b.post(url, {"action": "confirm_delete"}, follow=True).content.decode()
    assert "Your partner has not asked to delete this transcript." in refused
    assert "Something tender." in refused
    a.post(url, {"action": "request_delete"})
    page = _page(b, session)
    assert "Something tender." in page
    assert "Alex asked to delete it." in page
    assert "You asked to delete it." in _page(a, session)
    b.post(url, {"action": "confirm_delete"})
    page = _page(b, session)
    assert "Something tender." not in page
    assert "was deleted" in page


def test_another_pairs_session_is_not_found(
    pair: Pair, alex: User, casey: User, dana: User
) -> None:
    from confide.pairs.tests.factories import make_pair

    other = make_pair(casey, dana)
    client_for(casey).post(reverse("dialogue:start", args=[other.pk]))
    theirs = DialogueSession.objects.get(pair=other)
    a = client_for(alex)
    for name in ("dialogue:session",):
        assert a.get(reverse(name, args=[pair.pk, theirs.pk])).status_code == 404
        assert a.get(reverse(name, args=[other.pk, theirs.pk])).status_code == 404
    response = a.post(
        reverse("dialogue:move", args=[pair.pk, theirs.pk]),
        {"move": "close", "last_seen": 1},
    )
    assert response.status_code == 404


def test_the_session_page_has_a_fixed_number_of_queries(
    pair: Pair, alex: User, blake: User, django_assert_max_num_queries: Any
) -> None:
    a = client_for(alex)
    a.post(reverse("dialogue:start", args=[pair.pk]))
    session = DialogueSession.objects.get(pair=pair)
    for _ in range(3):
        _post_move(a, session, "pause")
        _post_move(a, session, "resume")
        _post_move(client_for(blake), session, "resume")
    with django_assert_max_num_queries(20):
        _page(a, session)
