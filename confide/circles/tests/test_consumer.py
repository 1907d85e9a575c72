"""The live round socket, end to end through the ASGI application (origin, session cookie)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any

import pytest
from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async

from confide.accounts.models import User
from confide.circles.models import Circle, Meeting, Membership, Role, Round
from confide.dialogue.tests.support import ORIGIN, WebsocketCommunicator, cookie_for
from confide.privacy.keys import space_create
from confide.privacy.models import Space

pytestmark = pytest.mark.django_db(transaction=True)
START = datetime(2026, 3, 19, 18, 0, tzinfo=UTC)
TIMEOUT = 5


@pytest.fixture
def round_(dana: User, alex: User, blake: User) -> Round:
    """Made without the services, which write to the append-only audit log: a transactional
    test's flush could not empty it on SQLite."""
    space = space_create(kind=Space.Kind.CIRCLE)
    circle = Circle.objects.create(space=space, name="Live", guidelines_version=1)
    members = [
        Membership.objects.create(
            circle=circle,
            user=user,
            space=space,
            role=role,
            pseudonym=name,
            accepted_version=1,
            trusted=True,
        )
        for user, name, role in [
            (dana, "Lantern", Role.OWNER),
            (alex, "Harbour", Role.MEMBER),
            (blake, "Willow", Role.MEMBER),
        ]
    ]
    meeting = Meeting(
        circle=circle,
        space=space,
        organiser=members[0],
        title="Weekly",
        start_date=date(2026, 3, 19),
        start_time=time(19, 0),
        time_zone="Europe/Berlin",
        first_start=START,
    )
    meeting.save()
    return Round.objects.create(meeting=meeting, occurrence=START, opened_by=members[0])


def socket_for(
    round_id: object, cookie: str | None, *, origin: str = ORIGIN
) -> WebsocketCommunicator:
    from confide.asgi import application

    headers = [(b"host", b"127.0.0.1"), (b"origin", origin.encode())]
    if cookie is not None:
        headers.append((b"cookie", cookie.encode()))
    return WebsocketCommunicator(application, f"/ws/circles/rounds/{round_id}/", headers=headers)


async def _open(round_id: object, user: User) -> WebsocketCommunicator:
    socket = socket_for(round_id, await database_sync_to_async(cookie_for)(user))
    connected, _ = await socket.connect(timeout=TIMEOUT)
    assert connected
    return socket


async def _state(socket: WebsocketCommunicator) -> dict[str, Any]:
    message: dict[str, Any] = await socket.receive_json_from(timeout=TIMEOUT)
    return message


def test_everyone_sees_the_queue_change_live_and_a_reconnect_resumes(
    round_: Round,
    alex: User,
    blake: User,
    dana: User,
) -> None:
    async def scenario() -> None:
        sockets = [await _open(round_.pk, person) for person in (alex, blake, dana)]
        for socket in sockets:
            first = await _state(socket)
            assert (first["type"], first["holder"], first["queue"]) == ("state", None, [])
        await sockets[0].send_json_to({"type": "join"})
        for socket in sockets:
            state = await _state(socket)
            assert state["holder"]["name"] == "Harbour"
        await sockets[1].send_json_to({"type": "join"})
        for socket in sockets:
            state = await _state(socket)
            assert [item["name"] for item in state["queue"]] == ["Willow"]
        # Blake drops and comes back: the first message is the current state.
        await sockets[1].disconnect()
        sockets[1] = await _open(round_.pk, blake)
        again = await _state(sockets[1])
        assert again["you_wait"] and again["holder"]["name"] == "Harbour"
        await sockets[0].send_json_to({"type": "pass"})
        for socket in sockets:
            state = await _state(socket)
            assert state["holder"]["name"] == "Willow"
            assert state["queue"] == []
        for socket in sockets:
            await socket.disconnect()

    async_to_sync(scenario)()


def test_refused_messages_change_nothing_and_keep_the_socket(round_: Round, alex: User) -> None:
    async def scenario() -> None:
        socket = await _open(round_.pk, alex)
        first = await _state(socket)
        for bad in ("not json", '{"no": "type"}', "[1]", "x" * 5000, "[" * 999 + "]" * 999):
            await socket.send_to(text_data=bad)
            assert (await _state(socket))["type"] == "error"
        for text in ('{"type": "give", "member": "\\ud800"}', '{"type": "join", "x": "a\\u0000"}'):
            await socket.send_to(text_data=text)
            error = await _state(socket)
            assert error["type"] == "error"
            assert "retype" in error["message"]
        await socket.send_json_to({"type": "close"})  # only facilitators
        error = await _state(socket)
        assert error == {"type": "error", "message": "Only the circle's facilitators can do this."}
        await socket.send_json_to({"type": "give", "member": "not-a-uuid"})
        assert (await _state(socket))["type"] == "error"
        await socket.disconnect()
        again = await _open(round_.pk, alex)
        assert (await _state(again))["version"] == first["version"]  # nothing changed
        await again.disconnect()

    async_to_sync(scenario)()


def test_outsiders_and_anonymous_visitors_cannot_connect(round_: Round, casey: User) -> None:
    async def scenario() -> None:
        outsider = socket_for(round_.pk, await database_sync_to_async(cookie_for)(casey))
        assert (await outsider.connect(timeout=TIMEOUT))[0] is False
        anonymous = socket_for(round_.pk, None)
        assert (await anonymous.connect(timeout=TIMEOUT))[0] is False

    async_to_sync(scenario)()


@pytest.mark.parametrize(
    "origin", ["http://localhost:1", "http://127.0.0.1:8001", "https://127.0.0.1"]
)
def test_a_member_from_another_origin_is_refused(round_: Round, alex: User, origin: str) -> None:
    async def scenario() -> None:
        cookie = await database_sync_to_async(cookie_for)(alex)
        foreign = socket_for(round_.pk, cookie, origin=origin)
        await foreign.send_input({"type": "websocket.connect"})
        assert (await foreign.receive_output(TIMEOUT))["type"] == "websocket.close"
        assert await foreign.receive_nothing()  # no state of the round
        await foreign.disconnect()
        # The same member from the site's own origin gets in.
        own = await _open(round_.pk, alex)
        assert (await _state(own))["type"] == "state"
        await own.disconnect()

    async_to_sync(scenario)()
