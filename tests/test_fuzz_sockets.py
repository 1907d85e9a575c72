"""Hostile messages on every socket message type: the socket never breaks, a refusal changes
nothing.

Hypothesis builds batches of messages for the dialogue socket (resume, move with every move
kind) and the round socket (join, withdraw, pass, give, close), with hostile values in every
field: lone surrogates, NUL and other control characters, huge text, wrong types (numbers as
text, lists, objects, booleans, floats), foreign ids, unknown types, and frames that are not
JSON or are nested deeply. After each message the socket must still answer (the consumer did
not crash: a crash is re-raised by the communicator), and when every answer is an error the
stored steps (or the round's state) are as they were. At the end of a batch a valid message
still gets its answer.

Derandomised and few examples, so CI runs the same messages every time in a few seconds.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st

from confide.accounts.models import User
from confide.circles.models import Round
from confide.circles.tests.test_consumer import _open as open_round_socket
from confide.circles.tests.test_consumer import round_  # noqa: F401
from confide.dialogue.machine import MAX_TURN
from confide.dialogue.models import DialogueSession, Step
from confide.dialogue.services.sessions import dialogue_start
from confide.dialogue.tests.support import WebsocketCommunicator, open_socket
from confide.pairs.models import Pair

pytestmark = pytest.mark.django_db(transaction=True)

FUZZ = settings(
    max_examples=6,
    derandomize=True,
    database=None,
    deadline=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
QUIET = 0.05

HOSTILE_TEXT = st.one_of(
    st.text(max_size=30),
    st.sampled_from(
        [
            "",
            "\ud800",
            "broken \udfff here",
            "\x00",
            "a\x00b",
            "\u202e",
            "\x1b[2J",
            "<script>alert(1)</script>",
            "x" * (MAX_TURN + 1),
            "I feel heard.",
            str(uuid.UUID(int=0)),
            "../../",
        ]
    ),
)
SCALARS = st.one_of(
    HOSTILE_TEXT,
    st.integers(min_value=-(2**64), max_value=2**64),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.none(),
)
ANY_JSON = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(HOSTILE_TEXT, inner, max_size=3),
    max_leaves=6,
)
RAW_FRAMES = st.sampled_from(
    ["not json", "[1, 2]", "{", '"text"', "[" * 3000 + "]" * 3000, "{}" * 10, "null", "1e999"]
)


def _messages(types: list[str], fields: dict[str, st.SearchStrategy[Any]]) -> Any:
    message = st.fixed_dictionaries(
        {"type": st.one_of(st.sampled_from(types), HOSTILE_TEXT)},
        optional={name: st.one_of(strategy, ANY_JSON) for name, strategy in fields.items()},
    )
    frame = st.one_of(message.map(json.dumps), RAW_FRAMES, ANY_JSON.map(json.dumps))
    return st.lists(frame, min_size=4, max_size=8)


DIALOGUE_MESSAGES = _messages(
    ["resume", "move"],
    {
        "move": st.sampled_from(
            ["share", "mirror", "clarify", "confirm", "validate", "empathise", "swap", "pause"]
            + ["resume", "close", "fly"]
        ),
        "text": HOSTILE_TEXT,
        "last_seen": st.integers(min_value=-1, max_value=5),
        "minutes": st.integers(min_value=-1, max_value=500),
        "session": st.sampled_from([str(uuid.UUID(int=0)), "1", ""]),
        "send_as_is": st.booleans(),
    },
)
ROUND_MESSAGES = _messages(
    ["join", "withdraw", "pass", "give", "close"],
    {"member": st.sampled_from([str(uuid.UUID(int=0)), "not-a-uuid", "\ud800", ""])},
)


SENTINEL_ANSWER = "Send text messages in JSON."


async def _answers_until_sentinel(socket: WebsocketCommunicator) -> list[dict[str, Any]]:
    """Everything the dialogue socket sent for the last frame: a binary frame sent after it is
    answered only once that frame is done, and no text frame gets the same answer."""
    await socket.send_to(bytes_data=b"sentinel")
    answers: list[dict[str, Any]] = []
    while True:
        answer = await socket.receive_json_from()  # a crashed consumer raises here
        if answer.get("message") == SENTINEL_ANSWER:
            return answers
        answers.append(answer)


async def _answers(socket: WebsocketCommunicator) -> list[dict[str, Any]]:
    """Everything the socket sent back until it fell quiet; a crashed consumer raises here."""
    answers: list[dict[str, Any]] = []
    while not await socket.receive_nothing(timeout=QUIET):
        answers.append(await socket.receive_json_from())
    return answers


def _steps(session: DialogueSession) -> int:
    return Step.objects.filter(session=session).count()


@pytest.fixture
def session(pair: Pair, alex: User) -> DialogueSession:
    return dialogue_start(pair=pair, starter=alex)


def test_hostile_dialogue_messages_never_break_the_socket(
    session: DialogueSession, alex: User
) -> None:
    @FUZZ
    @given(DIALOGUE_MESSAGES)
    @example(  # the probe's finding: a lone surrogate reached seal_text and broke the socket
        [json.dumps({"type": "move", "move": "share", "text": "\ud800", "last_seen": 1})]
    )
    def batch(frames: list[str]) -> None:
        async def scenario() -> None:
            socket = await open_socket(session.pk, alex, last_seen=0)
            await _answers_until_sentinel(socket)
            for frame in frames:
                before = await database_sync_to_async(_steps)(session)
                await socket.send_to(text_data=frame)
                answers = await _answers_until_sentinel(socket)
                if answers and all(answer["type"] == "error" for answer in answers):
                    assert await database_sync_to_async(_steps)(session) == before, frame
            await socket.send_json_to({"type": "resume", "last_seen": 0})
            assert [a["type"] for a in await _answers_until_sentinel(socket)][:1] == ["step"]
            await socket.disconnect()

        async_to_sync(scenario)()

    batch()


def _round_state(round_id: object) -> tuple[Any, ...]:
    found = Round.objects.get(pk=str(round_id))
    return tuple(getattr(found, field.attname) for field in Round._meta.concrete_fields)


def test_hostile_round_messages_never_break_the_socket(
    round_: Round,  # noqa: F811
    alex: User,
) -> None:
    @FUZZ
    @given(ROUND_MESSAGES)
    def batch(frames: list[str]) -> None:
        async def scenario() -> None:
            socket = await open_round_socket(round_.pk, alex)
            await _answers(socket)
            for frame in frames:
                before = await database_sync_to_async(_round_state)(round_.pk)
                await socket.send_to(text_data=frame)
                # Every message gets an answer, the new state or an error: wait for it.
                answers = [await socket.receive_json_from(), *await _answers(socket)]
                if all(answer["type"] == "error" for answer in answers):
                    after = await database_sync_to_async(_round_state)(round_.pk)
                    assert after == before, frame
            await socket.send_json_to({"type": "withdraw"})
            assert (await socket.receive_json_from())["type"] in {"state", "error"}
            await socket.disconnect()

        async_to_sync(scenario)()

    batch()
