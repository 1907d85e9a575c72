"""WebSocket step latency of the guided conversation under load (part of `confide bench`).

Starts its own server process (uvicorn, one worker, the in-memory channel layer) on 127.0.0.1
with a throw-away SQLite database, opens two sockets for each of N conversations, and has the
partners take turns through a full cycle (share, mirror, confirm, validate, empathise, swap)
as fast as the server lets them, or with `pace` seconds of thought between a person's moves
(varied from half to one and a half times `pace`, and the conversations' starts spread over it,
so they do not move in step). A step's round trip is the time from sending a move to the
partner's socket receiving the stored step; `confide bench` reports p50, p95 and the maximum.
As fast as possible, the round trip is the queue: 100 conversations that never pause keep the
server saturated, and the time is mostly waiting behind the others' steps. With a pace it is
what a person waits for while that many others talk at a human speed.
"""

from __future__ import annotations

import asyncio
import json
import random
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from confide.dialogue.liveserver import base_env, prepare, socket_headers, uvicorn_server

# (role that moves, move, words): one full round, after which the roles have swapped. Words the
# screener lets through as they are (its learned heads hold some everyday phrases back, which
# would stop the round at the writer).
ROUND: list[tuple[str, str, str]] = [
    ("speaker", "share", "I would like us to plan a walk on Sunday."),
    ("listener", "mirror", "What I hear is you would like a walk on Sunday."),
    ("speaker", "confirm", ""),
    ("listener", "validate", "Sunday walks were good for us before."),
    ("listener", "empathise", "I think you feel happy about Sunday."),
    ("speaker", "swap", ""),
    ("listener", "swap", ""),
]


def dialogue_bench(
    *, sessions: int, rounds: int, say: Callable[[str], None], pace: float = 0.0
) -> tuple[list[float], float]:
    """Each step's round trip in seconds, and the seconds the whole run took."""
    with tempfile.TemporaryDirectory(prefix="confide-bench-") as folder:
        env = base_env(Path(folder))
        say(f"Preparing {sessions} conversations in a throw-away database…")
        rows = prepare(env, pairs=sessions)
        with uvicorn_server(env) as url:
            say(f"Server process on {url}; opening {2 * sessions} sockets…")
            started = time.perf_counter()
            latencies = asyncio.run(_run(say, url, rows, rounds, pace))
            elapsed = time.perf_counter() - started
    return latencies, elapsed


async def _run(
    say: Callable[[str], None], url: str, rows: list[dict[str, str]], rounds: int, pace: float
) -> list[float]:
    from websockets.asyncio.client import connect

    total = len(rows) * rounds * len(ROUND)
    latencies: list[float] = []
    step = max(1, total // 10)

    async def conversation(index: int, row: dict[str, str]) -> None:
        thinking = random.Random(index)  # noqa: S311 - think times, not secrets
        path = url.replace("http", "ws") + f"/ws/dialogue/{row['session']}/"
        async with (
            connect(path, **socket_headers(url, row["a"])) as a,
            connect(path, **socket_headers(url, row["b"])) as b,
        ):
            for sock in (a, b):
                await sock.send(json.dumps({"type": "resume", "last_seen": 1}))
            speaker, listener, seq = a, b, 1
            if pace:
                await asyncio.sleep(thinking.uniform(0, pace))
            for _ in range(rounds):
                for who, move, text in ROUND:
                    mover, partner = (
                        (speaker, listener) if who == "speaker" else (listener, speaker)
                    )
                    sent = time.perf_counter()
                    # Sent as it is: a coach note would hold the step at the writer, and the
                    # bench times stored steps (the screening still runs).
                    message = {
                        "type": "move",
                        "move": move,
                        "text": text,
                        "last_seen": seq,
                        "send_as_is": True,
                    }
                    await mover.send(json.dumps(message))
                    seq += 1
                    await _until(partner, seq)
                    latencies.append(time.perf_counter() - sent)
                    await _until(mover, seq)
                    if len(latencies) % step == 0:
                        say(f"  {len(latencies)}/{total} steps ({100 * len(latencies) // total}%)")
                    if pace:
                        await asyncio.sleep(thinking.uniform(0.5, 1.5) * pace)
                speaker, listener = listener, speaker

    await asyncio.gather(*(conversation(index, row) for index, row in enumerate(rows)))
    return latencies


async def _until(sock: Any, seq: int) -> None:
    while True:
        event = json.loads(await asyncio.wait_for(sock.recv(), 30))
        if event.get("type") == "error":
            raise RuntimeError(f"the server refused a step: {event['code']}")
        if event.get("seq") == seq:
            return
