"""How `confide bench` shows what it measured: a table, or one JSON object."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from confide.bench.stats import Summary

FRAMEWORK_FLOOR = "framework floor"
AUTH_FLOOR = "authenticated floor"
FRAMEWORK_FLOOR_AGAIN = "framework floor, again"


@dataclass
class BenchResult:
    size: str
    connections: int
    seconds: float
    pages: dict[str, Summary] = field(default_factory=dict)
    dialogue: Summary | None = None
    dialogue_sessions: int = 0
    dialogue_pace: float = 0.0  # seconds between a person's moves; 0: as fast as possible
    screener: dict[str, Any] = field(default_factory=dict)

    def share(self, name: str, floor: str) -> float | None:
        """The page's requests/s as a share of the floor's, measured in the same run."""
        base = self.pages.get(floor)
        page = self.pages.get(name)
        if base is None or page is None or base.per_second <= 0:
            return None
        return page.per_second / base.per_second

    def cpu_share(self, name: str, floor: str) -> float | None:
        """The floor's server CPU per request over the page's: the share of the floor the page
        would reach on an otherwise idle core."""
        base = self.pages.get(floor)
        page = self.pages.get(name)
        if base is None or page is None or not base.cpu_ms or not page.cpu_ms:
            return None
        return base.cpu_ms / page.cpu_ms


def _share(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"


def format_table(result: BenchResult) -> list[str]:
    lines = [
        f"confide bench, {result.size} data set: {result.connections} connections, "
        f"{result.seconds:g} s per page, one server process pinned to its own core",
        "",
        "Shares: requests/s over the floor's (of framework / of authenticated floor), and the "
        "floor's server CPU per request over the page's (CPU share, framework floor).",
        "",
        f"| {'page':<22} | {'req/s':>7} | {'p50 ms':>7} | {'p95 ms':>7} | {'errors':>6} "
        f"| {'CPU ms':>6} | {'of framework':>12} | {'of authenticated':>16} | {'CPU share':>9} |",
        f"|{'-' * 24}|{'-' * 9}|{'-' * 9}|{'-' * 9}|{'-' * 8}|{'-' * 8}|{'-' * 14}|{'-' * 18}"
        f"|{'-' * 11}|",
    ]
    for name, summary in result.pages.items():
        cpu = "—" if summary.cpu_ms is None else f"{summary.cpu_ms:.2f}"
        lines.append(
            f"| {name:<22} | {summary.per_second:>7,.0f} | {summary.p50_ms:>7.1f} "
            f"| {summary.p95_ms:>7.1f} | {summary.errors:>6} | {cpu:>6} "
            f"| {_share(result.share(name, FRAMEWORK_FLOOR)):>12} "
            f"| {_share(result.share(name, AUTH_FLOOR)):>16} "
            f"| {_share(result.cpu_share(name, FRAMEWORK_FLOOR)):>9} |"
        )
    if result.dialogue is not None:
        d = result.dialogue
        pace = (
            f"a move about every {result.dialogue_pace:g} s each"
            if result.dialogue_pace
            else "moving as fast as the server lets them"
        )
        lines += [
            "",
            f"Dialogue step round trip, {result.dialogue_sessions} concurrent conversations "
            f"({pace}): "
            f"{d.requests} steps, {d.per_second:,.0f} steps/s, p50 {d.p50_ms:,.1f} ms, "
            f"p95 {d.p95_ms:,.1f} ms, max {d.max_ms:,.1f} ms",
        ]
    if result.screener:
        s = result.screener
        lines += [
            "",
            f"Screener ({s.get('texts', 0):.0f} texts, {s.get('what', '')}): "
            f"p50 {s.get('p50_ms', 0):,.1f} ms, p95 {s.get('p95_ms', 0):,.1f} ms per text",
        ]
    return lines


def as_json(result: BenchResult) -> dict[str, Any]:
    pages = {
        name: {
            **asdict(summary),
            "share_of_framework_floor": result.share(name, FRAMEWORK_FLOOR),
            "share_of_authenticated_floor": result.share(name, AUTH_FLOOR),
            "cpu_share_of_framework_floor": result.cpu_share(name, FRAMEWORK_FLOOR),
        }
        for name, summary in result.pages.items()
    }
    return {
        "size": result.size,
        "connections": result.connections,
        "seconds_per_page": result.seconds,
        "pages": pages,
        "dialogue": None
        if result.dialogue is None
        else {
            **asdict(result.dialogue),
            "conversations": result.dialogue_sessions,
            "pace_seconds": result.dialogue_pace,
        },
        "screener": result.screener or None,
    }
