"""Two server processes sharing events through a real redis-server: a step sent through one
reaches a client connected to the other. Both use one SQLite file in a throw-away folder."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
from websockets.asyncio.client import connect

from confide.dialogue.liveserver import (
    base_env,
    prepare,
    redis_server,
    redis_server_path,
    socket_headers,
    uvicorn_server,
)

TIMEOUT = 10


@pytest.mark.skipif(
    redis_server_path() is None,
    reason="needs redis-server (make pytest installs it: Debian package redis-server)",
)
def test_a_step_sent_through_one_process_reaches_a_client_of_the_other(tmp_path: Path) -> None:
    with redis_server() as redis_url:
        env = base_env(tmp_path, redis_url)
        (row,) = prepare(env, pairs=1)
        with uvicorn_server(env) as first, uvicorn_server(env) as second:
            asyncio.run(_exchange(first, second, row))


# The servers screen with the shipped learned heads, which may coach even a one-word turn; this
# test is about the transport between processes, so the turns are sent as they are.
AS_IS = {"send_as_is": True}


async def _exchange(first: str, second: str, row: dict[str, str]) -> None:
    path = f"/ws/dialogue/{row['session']}/"
    async with (
        connect(first.replace("http", "ws") + path, **socket_headers(first, row["b"])) as blake,
        connect(second.replace("http", "ws") + path, **socket_headers(second, row["a"])) as alex,
    ):
        for sock in (blake, alex):
            await sock.send(json.dumps({"type": "resume", "last_seen": 1}))
        await alex.send(
            json.dumps(
                {"type": "move", "move": "share", "text": "Across.", "last_seen": 1, **AS_IS}
            )
        )
        mine = json.loads(await asyncio.wait_for(alex.recv(), TIMEOUT))
        theirs = json.loads(await asyncio.wait_for(blake.recv(), TIMEOUT))
        assert (mine["seq"], mine["mine"]) == (2, True)
        assert (theirs["seq"], theirs["kind"], theirs["text"], theirs["mine"]) == (
            2,
            "share",
            "Across.",
            False,
        )
        # And back the other way, through the first process.
        await blake.send(
            json.dumps(
                {"type": "move", "move": "mirror", "text": "Heard.", "last_seen": 2, **AS_IS}
            )
        )
        back = json.loads(await asyncio.wait_for(alex.recv(), TIMEOUT))
        assert (back["seq"], back["kind"], back["mine"]) == (3, "mirror", False)
