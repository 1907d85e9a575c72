"""Per-person write limits and the request body limit: a clear refusal, nothing written."""

from __future__ import annotations

import pytest
import time_machine
from asgiref.sync import async_to_sync
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse

from confide.accounts.models import User
from confide.circles.models import Circle, Membership, Thread
from confide.circles.tests.factories import join, make_circle
from confide.core.ratelimit import write_attempt
from confide.dialogue.models import DialogueSession, Step
from confide.dialogue.services.sessions import dialogue_start
from confide.dialogue.tests.support import open_socket, receive
from confide.pairs.models import Pair
from tests.personas import client_for

LIMITS = ((60, 3), (3600, 5))
PERSON = ((60, 40), (3600, 400))


@pytest.fixture(autouse=True)
def _fresh_counts() -> None:
    cache.clear()


@override_settings(CONFIDE_WRITE_LIMITS=LIMITS)
@pytest.mark.parametrize(
    ("minutes", "allowed"),
    [(0, 3), (1, 5), (60, 6)],  # 3 a minute; the hour caps the second minute at 5
)
def test_writes_are_counted_per_window(minutes: int, allowed: int) -> None:
    with time_machine.travel("2026-05-01 10:00:00+00:00", tick=False) as traveller:
        accepted = sum(write_attempt(7) == 0 for _ in range(3))
        waits = [write_attempt(7)]
        if minutes:
            traveller.shift(60 * minutes)
            accepted += sum(write_attempt(7) == 0 for _ in range(3))
    assert waits[0] == 60  # the minute's window ends in 60 seconds
    assert accepted == allowed
    assert write_attempt(8) == 0  # another person is not affected


@override_settings(CONFIDE_WRITE_LIMITS=PERSON)
def test_the_real_limits_are_above_a_busy_person() -> None:
    # A person who saves every two seconds for a minute, then keeps on for an hour at one a
    # minute, is never refused.
    with time_machine.travel("2026-05-01 10:00:00+00:00", tick=False) as traveller:
        for _ in range(30):
            assert write_attempt(7) == 0
            traveller.shift(2)
        for _ in range(60):
            assert write_attempt(7) == 0
            traveller.shift(60)


@pytest.fixture
def circle(dana: User) -> Circle:
    return make_circle(dana)


@pytest.fixture
def alex_member(circle: Circle, alex: User) -> Membership:
    return join(circle, alex, "Harbour")


@override_settings(CONFIDE_WRITE_LIMITS=LIMITS)
def test_a_flood_of_posts_is_refused_with_a_clear_page_and_nothing_written(
    circle: Circle, alex_member: Membership, alex: User
) -> None:
    client = client_for(alex)
    url = reverse("circles:thread_new", args=[circle.pk])
    for n in range(3):
        response = client.post(url, {"title": f"Post {n}", "body": "Hello", "content_note": ""})
        assert response.status_code == 302, response.content.decode()
    refused = client.post(url, {"title": "One too many", "body": "Hello", "content_note": ""})
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 60
    assert "this last change was not saved" in " ".join(refused.content.decode().split())
    assert Thread.objects.count() == 3
    # Reading is never limited, and logging out always works.
    assert client.get(reverse("circles:detail", args=[circle.pk])).status_code == 200
    assert client.post(reverse("accounts:logout")).status_code == 302


@override_settings(CONFIDE_WRITE_LIMITS=LIMITS)
def test_a_flood_of_dialogue_turns_is_refused_and_the_socket_stays(
    pair: Pair, alex: User, transactional_db: None
) -> None:
    session = dialogue_start(pair=pair, starter=alex)

    async def scenario() -> None:
        socket = await open_socket(session.pk, alex, last_seen=1)
        await socket.send_json_to({"type": "move", "move": "share", "text": "A.", "last_seen": 1})
        assert (await receive(socket))["seq"] == 2
        for _ in range(2):  # refused by the machine, but counted: the third write fills it
            await socket.send_json_to(
                {"type": "move", "move": "share", "text": "B", "last_seen": 2}
            )
            assert (await receive(socket))["type"] == "error"
        await socket.send_json_to({"type": "move", "move": "close", "last_seen": 2})
        reply = await receive(socket)
        assert (reply["type"], reply["code"]) == ("error", "rate_limited")
        assert "try again" in reply["message"]
        await socket.disconnect()

    async_to_sync(scenario)()
    assert Step.objects.filter(session=session).count() == 2
    assert not DialogueSession.objects.get(pk=session.pk).is_closed


def test_a_body_over_the_limit_is_refused_and_nothing_written(
    circle: Circle, alex_member: Membership, alex: User
) -> None:
    client = client_for(alex)
    url = reverse("circles:thread_new", args=[circle.pk])
    response = client.post(url, {"title": "Big", "body": "x" * (300 * 1024), "content_note": ""})
    assert response.status_code == 413
    assert "nothing was saved" in " ".join(response.content.decode().split())
    assert not Thread.objects.exists()
    # The same form, within the limit, is saved (the longest text field fits with room).
    ok = client.post(url, {"title": "Fine", "body": "ü" * 5000, "content_note": ""})
    assert ok.status_code == 302
    assert Thread.objects.count() == 1
