"""One screening seam: every write path screens once, on exactly the text it stores.

`safety.services.screen_write` is the seam; it calls `safety.services.screen`. These tests
replace that with a recorder and drive each write path the way a person does (forms, and the
dialogue socket), then compare what was screened with what was stored.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest
from asgiref.sync import async_to_sync
from django.urls import reverse

from confide.accounts.models import User
from confide.circles.models import Reply, Thread
from confide.circles.tests.factories import join, make_circle
from confide.dialogue.models import Step, Topic
from confide.dialogue.services import sessions
from confide.dialogue.services.sessions import dialogue_start
from confide.dialogue.tests.support import open_socket, receive
from confide.pairs.models import CheckIn, ListeningReply, Pair, PromptAnswer
from confide.pairs.services.checkins import checkin_submit
from confide.pairs.services.prompts import prompt_draw
from confide.safety import services
from confide.safety.screen import Screening, screen
from tests.personas import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def screened(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    texts: list[str] = []

    def recording(text: str, *, locale: str = "en") -> Screening:
        texts.append(text)
        return screen(text, locale=locale)

    monkeypatch.setattr(services, "screen", recording)
    yield texts


def test_a_checkin_is_screened_once_on_its_stored_note(
    pair: Pair, alex: User, screened: list[str]
) -> None:
    client_for(alex).post(
        reverse("pairs:checkin", args=[pair.pk]),
        {"mood": "4", "feelings": [], "needs": [], "note": " A calm day. ", "visibility": "shared"},
    )
    assert screened == [CheckIn.objects.get().note]


def test_a_reply_and_an_answer_are_screened_once_as_stored(
    pair: Pair, alex: User, blake: User, screened: list[str]
) -> None:
    theirs = checkin_submit(
        pair=pair, author=blake, mood=3, feelings=[], needs=[], note="", visibility="shared"
    )
    prompt_round = prompt_draw(pair=pair, user=blake, level=1)
    screened.clear()
    client = client_for(alex)
    client.post(
        reverse("pairs:reply", args=[pair.pk, theirs.pk]),
        {"kind": "reflect", "text": "  you had a slow day.  "},
    )
    client.post(
        reverse("pairs:answer", args=[pair.pk, prompt_round.pk]), {"text": "\n The sea. \n"}
    )
    assert screened == [ListeningReply.objects.get().text, PromptAnswer.objects.get().text]
    assert screened == ["you had a slow day.", "The sea."]


def test_a_topic_and_a_form_turn_are_screened_once_as_stored(
    pair: Pair, alex: User, screened: list[str]
) -> None:
    client = client_for(alex)
    client.post(
        reverse("dialogue:topics", args=[pair.pk]),
        {"title": " Money ", "startup": "I'd like us to plan together."},
    )
    topic = Topic.objects.get()
    assert screened == [f"{topic.title}\n{topic.startup}"]
    session = dialogue_start(pair=pair, starter=alex)
    screened.clear()
    client.post(
        reverse("dialogue:move", args=[pair.pk, session.pk]),
        {"move": "share", "text": "  I felt left out.  ", "last_seen": "1"},
    )
    assert screened == [Step.objects.get(session=session, kind="share").text]


@pytest.mark.django_db(transaction=True)
def test_a_socket_turn_is_screened_once_as_stored(
    pair: Pair, alex: User, blake: User, screened: list[str]
) -> None:
    session = dialogue_start(pair=pair, starter=alex)

    async def scenario() -> None:
        socket = await open_socket(session.pk, alex, last_seen=0)
        await receive(socket)
        await socket.send_json_to(
            {"type": "move", "move": "share", "text": " I felt rushed. ", "last_seen": 1}
        )
        assert (await receive(socket))["type"] == "step"
        await socket.disconnect()

    async_to_sync(scenario)()
    assert screened == [Step.objects.get(session=session, kind="share").text]
    assert screened == ["I felt rushed."]


@pytest.mark.django_db(transaction=True)
def test_a_socket_turn_is_screened_in_a_screening_thread_not_the_database_thread(
    pair: Pair, alex: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The encoder's tens of milliseconds must not hold the one thread every socket's
    database work runs in; the service still screens once, through the seam."""
    threads: list[str] = []

    def recording(text: str, *, locale: str = "en") -> Screening:
        threads.append(threading.current_thread().name)
        return screen(text, locale=locale)

    monkeypatch.setattr(services, "screen", recording)
    seam_calls: list[str] = []
    real_screen_write = services.screen_write

    def counting(**kwargs: Any) -> services.WriteCheck:
        seam_calls.append(kwargs["text"])
        return real_screen_write(**kwargs)

    monkeypatch.setattr(sessions, "screen_write", counting)
    session = dialogue_start(pair=pair, starter=alex)

    async def scenario() -> None:
        socket = await open_socket(session.pk, alex, last_seen=0)
        await receive(socket)
        await socket.send_json_to(
            {"type": "move", "move": "share", "text": "I felt rushed.", "last_seen": 1}
        )
        assert (await receive(socket))["type"] == "step"
        await socket.disconnect()

    async_to_sync(scenario)()
    assert seam_calls == ["I felt rushed."]
    assert len(threads) == 1
    assert threads[0].startswith("confide-screen")


@pytest.mark.parametrize(
    ("made_for", "stored", "screened_again"),
    [
        ("I felt rushed.", "I felt rushed.", False),
        ("I felt rushed.", "I felt rushed!", True),  # other words: never trusted
        ("I felt rushed.", "I felt rushed. ", True),  # not even a space apart
        ("", "I want to die.", True),
    ],
)
def test_a_screening_made_ahead_is_used_only_for_exactly_its_words(
    made_for: str, stored: str, screened_again: bool, screened: list[str]
) -> None:
    ahead = services.prescreen(made_for)
    screened.clear()
    check = services.screen_write(text=stored, prescreened=ahead)
    assert screened == ([stored] if screened_again else [])
    assert check.screening == (screen(stored) if screened_again else ahead.screening)


def test_a_screening_made_ahead_for_other_words_cannot_hide_a_crisis() -> None:
    ahead = services.prescreen("We had a calm walk.")
    check = services.screen_write(text="I want to end my life tonight.", prescreened=ahead)
    assert check.crisis


def test_a_socket_turn_gets_the_same_outcomes_as_the_form(
    pair: Pair, alex: User, screened: list[str]
) -> None:
    """The coach for harsh words, then support for crisis: the same service answers both."""
    session = dialogue_start(pair=pair, starter=alex)
    response = client_for(alex).post(
        reverse("dialogue:move", args=[pair.pk, session.pk]),
        {"move": "share", "text": "You never listen to me.", "last_seen": "1"},
    )
    assert "Before you send" in response.content.decode()
    assert screened == ["You never listen to me."]


def test_circle_posts_are_screened_once_on_what_they_carry(
    dana: User, alex: User, screened: list[str]
) -> None:
    circle = make_circle(dana)
    join(circle, alex, "Harbour")
    client = client_for(alex)
    client.post(
        reverse("circles:thread_new", args=[circle.pk]),
        {"title": " Week one ", "body": " Small steps. ", "content_note": ""},
    )
    thread = Thread.objects.get()
    assert screened == [f"{thread.title}\n{thread.body}"]
    screened.clear()
    client.post(
        reverse("circles:reply", args=[circle.pk, thread.pk]),
        {"body": "  Glad you're here.  ", "content_note": " grief "},
    )
    reply = Reply.objects.get()
    assert screened == [f"{reply.body}\n{reply.content_note}"]
