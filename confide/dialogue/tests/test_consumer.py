"""The live socket, end to end through the ASGI application (origin check, session cookie)."""

from __future__ import annotations

from typing import Any

import pytest
from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from django.contrib.auth import logout
from django.contrib.sessions.backends.db import SessionStore
from django.test import RequestFactory

from confide.accounts.models import User
from confide.core.realtime import LOGGED_OUT
from confide.dialogue.machine import MAX_TURN
from confide.dialogue.models import DialogueSession, Step
from confide.dialogue.services.sessions import dialogue_move, dialogue_start
from confide.dialogue.tests.support import (
    WebsocketCommunicator,
    communicator,
    cookie_for,
    open_socket,
    receive,
)
from confide.pairs.models import Pair
from confide.pairs.tests.factories import make_pair

pytestmark = pytest.mark.django_db(transaction=True)

# Every move of a whole conversation: (who, move, words). Alex starts and speaks first.
SCRIPT: list[tuple[str, str, str]] = [
    ("alex", "share", "I felt alone on Saturday."),
    ("blake", "mirror", "You felt alone on Saturday."),
    ("alex", "clarify", "Mostly when plans changed without me."),
    ("blake", "mirror", "You felt alone when plans changed without you."),
    ("alex", "confirm", ""),
    ("blake", "pause", ""),
    ("alex", "resume", ""),
    ("blake", "resume", ""),
    ("blake", "validate", "It makes sense: you had kept the day for us."),
    ("blake", "empathise", "I imagine you felt hurt."),
    ("alex", "swap", ""),
    ("blake", "swap", ""),
    ("blake", "share", "I felt rushed that morning."),
    ("alex", "close", ""),
]


@pytest.fixture
def session(pair: Pair, alex: User) -> DialogueSession:
    return dialogue_start(pair=pair, starter=alex)


def _count_steps(session: DialogueSession) -> int:
    return Step.objects.filter(session=session).count()


def test_both_partners_see_every_move_once_and_in_order(
    session: DialogueSession, alex: User, blake: User
) -> None:
    people = {"alex": alex, "blake": blake}

    async def scenario() -> None:
        sockets = {
            "alex": await open_socket(session.pk, alex, last_seen=0),
            "blake": await open_socket(session.pk, blake, last_seen=0),
        }
        for socket in sockets.values():
            first = await receive(socket)
            assert (first["seq"], first["kind"]) == (1, "start")
        for seq, (who, move, text) in enumerate(SCRIPT, start=2):
            await sockets[who].send_json_to(
                {"type": "move", "move": move, "text": text, "last_seen": seq - 1}
            )
            for name, socket in sockets.items():
                event = await receive(socket)
                assert event["type"] == "step", event
                assert (event["seq"], event["kind"], event["text"]) == (seq, move, text)
                assert event["mine"] is (name == who)
                assert event["author"] == people[who].display_name
        for socket in sockets.values():
            assert await socket.receive_nothing()
            await socket.disconnect()

    async_to_sync(scenario)()
    session.refresh_from_db()
    assert session.is_closed
    assert session.last_seq == len(SCRIPT) + 1
    assert list(Step.objects.filter(session=session).values_list("seq", flat=True)) == list(
        range(1, len(SCRIPT) + 2)
    )


BAD: list[tuple[Any, str]] = [
    ("not json", "bad_json"),
    ("[1, 2]", "bad_message"),
    ({"type": "dance"}, "unknown_type"),
    ({"type": "move", "move": "fly", "last_seen": 1}, "unknown"),
    ({"type": "move", "move": "mirror", "text": "Too soon.", "last_seen": 1}, "order"),
    ({"type": "move", "move": "share", "text": "Not mine to say.", "last_seen": 1}, "turn"),
    ({"type": "move", "move": "share", "text": "x" * (MAX_TURN + 1), "last_seen": 1}, "too_long"),
    ({"type": "move", "move": "share", "text": "Hi", "last_seen": "one"}, "bad_message"),
    ({"type": "move", "move": "share", "text": "Hi", "last_seen": 0}, "stale"),
    ({"type": "move", "move": "share", "text": "  ", "last_seen": 1}, "empty"),
    ({"type": "move", "move": "pause", "minutes": 0, "last_seen": 1}, "pause_length"),
    ({"type": "move", "move": "pause", "minutes": 500, "last_seen": 1}, "pause_length"),
    ({"type": "resume", "last_seen": 99}, "stale"),
    ({"type": "move", "move": "share", "text": "lone \ud800 here", "last_seen": 1}, "bad_text"),
    ({"type": "move", "move": "share", "text": "nul\x00here", "last_seen": 1}, "bad_text"),
    ({"type": "resume", "last_seen": 1, "\udfff": 1}, "bad_text"),
    ("[" * 5000 + "]" * 5000, "bad_json"),
    ({"type": "resume", "last_seen": True}, "bad_message"),
    (
        {"type": "move", "session": "7c0f8a7e-0000-4000-8000-000000000000", "move": "close"},
        "not_found",
    ),
]


def test_bad_messages_get_a_clear_error_store_nothing_and_keep_the_socket_open(
    session: DialogueSession, alex: User, blake: User
) -> None:
    async def scenario() -> None:
        # Blake is the listener: "share" is not his turn.
        socket = await open_socket(session.pk, blake, last_seen=1)
        for message, code in BAD:
            if isinstance(message, str):
                await socket.send_to(text_data=message)
            else:
                await socket.send_json_to(message)
            reply = await receive(socket)
            assert reply["type"] == "error", (message, reply)
            assert reply["code"] == code, (message, reply)
            assert reply["message"]
        await socket.send_to(bytes_data=b"\x00")
        assert (await receive(socket))["code"] == "bad_message"
        assert await database_sync_to_async(_count_steps)(session) == 1
        # Still open and usable: Alex shares, Blake sees it.
        alex_socket = await open_socket(session.pk, alex, last_seen=1)
        await alex_socket.send_json_to(
            {"type": "move", "move": "share", "text": "I'm here.", "last_seen": 1}
        )
        assert (await receive(socket))["seq"] == 2
        assert (await receive(alex_socket))["seq"] == 2
        await socket.disconnect()
        await alex_socket.disconnect()

    async_to_sync(scenario)()


def test_a_reconnecting_client_gets_exactly_the_steps_it_missed(
    session: DialogueSession, alex: User, blake: User
) -> None:
    async def scenario() -> None:
        socket = await open_socket(session.pk, blake, last_seen=1)
        assert await socket.receive_nothing()
        await socket.disconnect()  # the network drops
        await database_sync_to_async(dialogue_move)(
            session=session, author=alex, kind="share", text="First.", expected_seq=1
        )
        await database_sync_to_async(dialogue_move)(
            session=session, author=alex, kind="close", expected_seq=2
        )
        again = await open_socket(session.pk, blake, last_seen=1)
        assert [(await receive(again))["seq"], (await receive(again))["seq"]] == [2, 3]
        assert await again.receive_nothing()
        await again.disconnect()
        # Resuming from the latest number sends nothing at all.
        latest = await open_socket(session.pk, blake, last_seen=3)
        assert await latest.receive_nothing()
        await latest.disconnect()

    async_to_sync(scenario)()


def test_a_move_made_elsewhere_reaches_a_connected_socket(
    session: DialogueSession, alex: User, blake: User
) -> None:
    async def scenario() -> None:
        socket = await open_socket(session.pk, blake, last_seen=1)
        await database_sync_to_async(dialogue_move)(
            session=session, author=alex, kind="share", text="Hello.", expected_seq=1
        )
        event = await receive(socket)
        assert (event["seq"], event["text"], event["mine"]) == (2, "Hello.", False)
        await socket.disconnect()

    async_to_sync(scenario)()


async def _refused(socket: WebsocketCommunicator) -> None:
    connected, code = await socket.connect(timeout=5)
    assert not connected
    await socket.disconnect()


def test_outsiders_and_anonymous_visitors_are_refused(
    session: DialogueSession, casey: User, dana: User, eli: User
) -> None:
    make_pair(dana, eli)

    async def scenario() -> None:
        for person in (casey, dana):
            cookie = await database_sync_to_async(cookie_for)(person)
            await _refused(communicator(session.pk, cookie=cookie))
        await _refused(communicator(session.pk, cookie=None))
        await _refused(communicator(session.pk, cookie="sessionid=forged"))

    async_to_sync(scenario)()


@pytest.mark.parametrize(
    "origin",
    [
        "https://evil.example",
        "null",
        None,
        # The same host on another port or scheme is another origin, as for CSRF.
        "http://127.0.0.1:9999",
        "https://127.0.0.1",
        "https://localhost",
        "http://localhost",
        "http://127.0.0.1:80.evil.example",
        "http://127.0.0.1, http://127.0.0.1",
    ],
)
def test_foreign_and_missing_origins_are_refused(
    session: DialogueSession, alex: User, origin: str | None
) -> None:
    async def scenario() -> None:
        cookie = await database_sync_to_async(cookie_for)(alex)
        socket = communicator(session.pk, cookie=cookie, origin=origin)
        await socket.send_input({"type": "websocket.connect"})
        # Closed at once: no accept and, above all, no transcript.
        assert (await socket.receive_output(5))["type"] == "websocket.close"
        assert await socket.receive_nothing()
        await socket.disconnect()
        # The same person from this site's origin gets in.
        good = communicator(session.pk, cookie=cookie)
        connected, _ = await good.connect(timeout=5)
        assert connected
        await good.disconnect()

    async_to_sync(scenario)()


def _log_out(user: User, cookie: str) -> None:
    request = RequestFactory().post("/account/logout/")
    request.session = SessionStore(session_key=cookie.split("=", 1)[1])
    request.user = user
    logout(request)


def test_logging_out_closes_the_persons_sockets(
    session: DialogueSession, alex: User, blake: User
) -> None:
    async def scenario() -> None:
        cookie = await database_sync_to_async(cookie_for)(alex)
        socket = communicator(session.pk, cookie=cookie)
        assert (await socket.connect(timeout=5))[0]
        other = await open_socket(session.pk, blake, last_seen=1)
        await database_sync_to_async(_log_out)(alex, cookie)
        closed = await socket.receive_output(timeout=5)
        assert closed == {"type": "websocket.close", "code": LOGGED_OUT}
        assert await other.receive_nothing()  # Blake stays connected
        await other.disconnect()

    async_to_sync(scenario)()


def test_a_socket_that_moves_before_resuming_gets_its_step(
    session: DialogueSession, alex: User
) -> None:
    async def scenario() -> None:
        cookie = await database_sync_to_async(cookie_for)(alex)
        socket = communicator(session.pk, cookie=cookie)
        assert (await socket.connect())[0]
        await socket.send_json_to({"type": "move", "move": "share", "text": "Hi.", "last_seen": 9})
        assert (await receive(socket))["code"] == "stale"
        await socket.send_json_to({"type": "move", "move": "share", "text": "Hi.", "last_seen": 1})
        event = await receive(socket)
        assert (event["seq"], event["mine"]) == (2, True)
        assert await socket.receive_nothing()
        await socket.disconnect()

    async_to_sync(scenario)()


@pytest.mark.parametrize(
    ("text", "words"),
    [("broken \ud800 surrogate", "broken character"), ("hidden\x00nul", "control character")],
)
def test_a_turn_that_could_never_be_sealed_is_refused_and_the_socket_stays(
    session: DialogueSession, alex: User, text: str, words: str
) -> None:
    # Before: a lone surrogate reached seal_text and the socket died with UnicodeEncodeError.
    async def scenario() -> None:
        socket = await open_socket(session.pk, alex, last_seen=1)
        await socket.send_json_to({"type": "move", "move": "share", "text": text, "last_seen": 1})
        reply = await receive(socket)
        assert (reply["type"], reply["code"]) == ("error", "bad_text")
        assert words in reply["message"]
        assert await database_sync_to_async(_count_steps)(session) == 1
        await socket.send_json_to(
            {"type": "move", "move": "share", "text": "Said again.", "last_seen": 1}
        )
        assert (await receive(socket))["seq"] == 2
        await socket.disconnect()

    async_to_sync(scenario)()
