"""Pure numbers for `confide bench`: percentiles that never leave the data, and a summary."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass


def percentile(values: Sequence[float], share: float) -> float:
    """The nearest-rank percentile: the smallest value with at least ``share`` of the values at
    or below it. Always one of the values, so never above the maximum or below the minimum, for
    any number of values (interpolating methods extrapolate on small samples)."""
    if not values:
        raise ValueError("percentile of no values")
    if not 0 < share <= 1:
        raise ValueError(f"share must be in (0, 1], not {share}")
    ranked = sorted(values)
    rank = math.ceil(share * len(ranked))
    return ranked[min(len(ranked), max(1, rank)) - 1]


@dataclass(frozen=True)
class Summary:
    """One measured target: completed requests over the measured seconds, and latencies in ms."""

    requests: int
    errors: int
    seconds: float
    per_second: float
    p50_ms: float
    p95_ms: float
    max_ms: float
    # The server process's CPU time over the measured window per completed request: what the
    # page costs the server, which other work on a shared machine does not change much.
    cpu_ms: float | None = None


def summarise(latencies: Sequence[float], *, seconds: float, errors: int = 0) -> Summary:
    """``latencies`` in seconds, as measured; ``seconds`` the length of the measured window."""
    if not latencies:
        return Summary(0, errors, seconds, 0.0, 0.0, 0.0, 0.0)
    ms = [value * 1000 for value in latencies]
    return Summary(
        requests=len(ms),
        errors=errors,
        seconds=seconds,
        per_second=len(ms) / seconds if seconds > 0 else 0.0,
        p50_ms=percentile(ms, 0.50),
        p95_ms=percentile(ms, 0.95),
        max_ms=max(ms),
    )
