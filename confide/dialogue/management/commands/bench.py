"""`confide bench`: WebSocket step latency of the guided conversation under load.

Starts its own server process (uvicorn, one worker, the in-memory channel layer) on 127.0.0.1
with a throw-away SQLite database, opens two sockets for each of N conversations, and has the
partners take turns through a full cycle (share, mirror, confirm, validate, empathise, swap)
as fast as the server lets them. A step's round trip is the time from sending a move to the
partner's socket receiving the stored step. Prints p50, p95 and the maximum.
"""

from __future__ import annotations

import asyncio
import json
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from confide.dialogue.liveserver import base_env, prepare, socket_headers, uvicorn_server

# (role that moves, move, words): one full round, after which the roles have swapped.
ROUND: list[tuple[str, str, str]] = [
    ("speaker", "share", "A short turn of about the usual length, said with care."),
    ("listener", "mirror", "What I hear is a short turn, said with care."),
    ("speaker", "confirm", ""),
    ("listener", "validate", "It makes sense to me."),
    ("listener", "empathise", "I imagine you feel hopeful."),
    ("speaker", "swap", ""),
    ("listener", "swap", ""),
]


class Command(BaseCommand):
    help = "Measure dialogue step round-trip latency with many concurrent sessions."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--sessions", type=int, default=100, help="Conversations (x2 sockets).")
        parser.add_argument("--rounds", type=int, default=2, help="Full rounds per conversation.")

    def handle(self, *args: Any, **options: Any) -> None:
        sessions, rounds = options["sessions"], options["rounds"]
        with tempfile.TemporaryDirectory(prefix="confide-bench-") as folder:
            env = base_env(Path(folder))
            self.stdout.write(f"Preparing {sessions} conversations in a throw-away database…")
            rows = prepare(env, pairs=sessions)
            with uvicorn_server(env) as url:
                self.stdout.write(f"Server process on {url}; opening {2 * sessions} sockets…")
                started = time.perf_counter()
                latencies = asyncio.run(_run(self, url, rows, rounds))
                elapsed = time.perf_counter() - started
        self._report(latencies, elapsed, sessions)

    def progress(self, done: int, total: int) -> None:
        self.stdout.write(f"  {done}/{total} steps ({100 * done // total}%)")

    def _report(self, latencies: list[float], elapsed: float, sessions: int) -> None:
        ms = sorted(x * 1000 for x in latencies)
        quantiles = statistics.quantiles(ms, n=100)
        self.stdout.write(
            f"Dialogue steps: {len(ms)} from {sessions} concurrent conversations "
            f"({2 * sessions} sockets) in {elapsed:.1f} s = {len(ms) / elapsed:.0f} steps/s"
        )
        self.stdout.write(
            f"Step round trip (send -> partner receives the stored step): "
            f"p50 {quantiles[49]:.1f} ms, p95 {quantiles[94]:.1f} ms, max {ms[-1]:.1f} ms"
        )


async def _run(command: Command, url: str, rows: list[dict[str, str]], rounds: int) -> list[float]:
    from websockets.asyncio.client import connect

    total = len(rows) * rounds * len(ROUND)
    latencies: list[float] = []
    step = max(1, total // 10)

    async def conversation(row: dict[str, str]) -> None:
        path = url.replace("http", "ws") + f"/ws/dialogue/{row['session']}/"
        async with (
            connect(path, **socket_headers(url, row["a"])) as a,
            connect(path, **socket_headers(url, row["b"])) as b,
        ):
            for sock in (a, b):
                await sock.send(json.dumps({"type": "resume", "last_seen": 1}))
            speaker, listener, seq = a, b, 1
            for _ in range(rounds):
                for who, move, text in ROUND:
                    mover, partner = (
                        (speaker, listener) if who == "speaker" else (listener, speaker)
                    )
                    sent = time.perf_counter()
                    message = {"type": "move", "move": move, "text": text, "last_seen": seq}
                    await mover.send(json.dumps(message))
                    seq += 1
                    await _until(partner, seq)
                    latencies.append(time.perf_counter() - sent)
                    await _until(mover, seq)
                    if len(latencies) % step == 0:
                        command.progress(len(latencies), total)
                speaker, listener = listener, speaker

    await asyncio.gather(*(conversation(row) for row in rows))
    return latencies


async def _until(sock: Any, seq: int) -> None:
    while True:
        event = json.loads(await asyncio.wait_for(sock.recv(), 30))
        if event.get("type") == "error":
            raise RuntimeError(f"the server refused a step: {event['code']}")
        if event.get("seq") == seq:
            return
