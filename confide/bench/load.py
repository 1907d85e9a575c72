"""A small closed-loop load generator: N threads, each with its own keep-alive connection,
sending one request after another for a fixed time and timing each.

Why our own: wrk is not installed, and Locust would bring gevent and its monkey-patching into
the project for what is a loop around `http.client`. The server runs on one core and this
process on the other (see `pin_to_core`), so the threads' GIL contention costs the client, not
the server; the client's own ceiling is measured against the framework floor in the same run.
"""

from __future__ import annotations

import http.client
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from confide.bench.stats import Summary, summarise


@dataclass(frozen=True)
class Target:
    """One request to repeat. ``expect`` lists the statuses that count as success."""

    name: str
    path: str
    method: str = "GET"
    body: bytes | None = None
    headers: dict[str, str] = field(default_factory=dict)
    expect: tuple[int, ...] = (200,)


@dataclass
class _Tally:
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    statuses: dict[int, int] = field(default_factory=dict)


def pin_to_core(pid: int, core: int) -> bool:
    """Keep a process (0: this one) on one CPU; False where the system cannot (not Linux, or
    fewer cores)."""
    try:
        if core >= (os.cpu_count() or 1):
            return False
        os.sched_setaffinity(pid, {core})
    except (AttributeError, OSError):
        return False
    return True


def process_cpu_seconds(pid: int) -> float | None:
    """User and system CPU seconds a process has used so far (Linux /proc), or None."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def run_load(  # noqa: PLR0913 - one call, keyword-only
    *,
    host: str,
    port: int,
    target: Target,
    server_pid: int | None = None,
    connections: int = 8,
    seconds: float = 3.0,
    warmup: float = 0.5,
    progress: Callable[[str], None] = lambda _line: None,
) -> Summary:
    """Drive ``target`` with ``connections`` concurrent connections; only requests that start
    after the warm-up and finish before the end count."""
    tallies = [_Tally() for _ in range(connections)]
    start = time.perf_counter()
    measured_from = start + warmup
    end = measured_from + seconds
    threads = [
        threading.Thread(
            target=_worker, args=(host, port, target, tally, measured_from, end), daemon=True
        )
        for tally in tallies
    ]
    for thread in threads:
        thread.start()
    cpu_before = cpu_after = None
    if server_pid is not None:
        time.sleep(max(0.0, measured_from - time.perf_counter()))
        cpu_before = process_cpu_seconds(server_pid)
        time.sleep(max(0.0, end - time.perf_counter()))
        cpu_after = process_cpu_seconds(server_pid)
    for thread in threads:
        thread.join()
    latencies = [value for tally in tallies for value in tally.latencies]
    errors = sum(tally.errors for tally in tallies)
    statuses: dict[int, int] = {}
    for tally in tallies:
        for status, count in tally.statuses.items():
            statuses[status] = statuses.get(status, 0) + count
    summary = summarise(latencies, seconds=seconds, errors=errors)
    if cpu_before is not None and cpu_after is not None and summary.requests:
        cpu_ms = 1000 * (cpu_after - cpu_before) / summary.requests
        summary = replace(summary, cpu_ms=cpu_ms)
    unexpected = {s: n for s, n in statuses.items() if s not in target.expect}
    note = f", unexpected statuses {unexpected}" if unexpected else ""
    progress(
        f"  {target.name}: {summary.requests} requests, {summary.per_second:,.0f}/s, "
        f"p95 {summary.p95_ms:,.1f} ms, server CPU {summary.cpu_ms or 0:,.2f} ms/request, "
        f"{errors} errors{note}"
    )
    return summary


def _worker(
    host: str, port: int, target: Target, tally: _Tally, measured_from: float, end: float
) -> None:
    connection: http.client.HTTPConnection | None = None
    while True:
        began = time.perf_counter()
        if began >= end:
            break
        if connection is None:
            connection = http.client.HTTPConnection(host, port, timeout=30)
        try:
            connection.request(target.method, target.path, body=target.body, headers=target.headers)
            response = connection.getresponse()
            response.read()
        except (OSError, http.client.HTTPException):
            connection.close()
            connection = None
            if began >= measured_from:
                tally.errors += 1
            continue
        finished = time.perf_counter()
        if response.will_close:
            connection.close()
            connection = None
        if finished < measured_from or finished > end:
            continue
        tally.statuses[response.status] = tally.statuses.get(response.status, 0) + 1
        if response.status in target.expect:
            tally.latencies.append(finished - began)
        else:
            tally.errors += 1
    if connection is not None:
        connection.close()
