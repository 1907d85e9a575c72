from __future__ import annotations

import json

from confide.bench.report import AUTH_FLOOR, FRAMEWORK_FLOOR, BenchResult, as_json, format_table
from confide.bench.stats import Summary


def _summary(per_second: float, cpu_ms: float | None = None) -> Summary:
    return Summary(
        requests=int(per_second * 2),
        errors=0,
        seconds=2.0,
        per_second=per_second,
        p50_ms=10.0,
        p95_ms=20.0,
        max_ms=30.0,
        cpu_ms=cpu_ms,
    )


def _result() -> BenchResult:
    result = BenchResult(size="small", connections=8, seconds=2.0)
    result.pages[FRAMEWORK_FLOOR] = _summary(400, cpu_ms=1.0)
    result.pages[AUTH_FLOOR] = _summary(200, cpu_ms=2.0)
    result.pages["pair page"] = _summary(100, cpu_ms=8.0)
    result.dialogue = _summary(50)
    result.dialogue_sessions = 100
    result.screener = {"texts": 120, "what": "rules alone", "p50_ms": 0.2, "p95_ms": 0.5}
    return result


def test_each_page_shows_its_share_of_both_floors() -> None:
    lines = format_table(_result())
    row = next(line for line in lines if line.startswith("| pair page"))
    cells = [cell.strip() for cell in row.strip("|").split("|")]
    assert cells == ["pair page", "100", "10.0", "20.0", "0", "8.00", "0.250", "0.500", "0.125"]
    floor = next(line for line in lines if line.startswith(f"| {FRAMEWORK_FLOOR}"))
    assert "1.000" in floor


def test_the_table_names_the_dialogue_and_the_screener() -> None:
    text = "\n".join(format_table(_result()))
    assert "100 concurrent conversations (moving as fast as the server lets them)" in text
    assert "p95 20.0 ms, max 30.0 ms" in text
    assert "Screener (120 texts, rules alone): p50 0.2 ms, p95 0.5 ms per text" in text


def test_a_missing_floor_shows_a_dash_not_a_made_up_share() -> None:
    result = BenchResult(size="small", connections=8, seconds=2.0)
    result.pages["home"] = _summary(50)
    row = next(line for line in format_table(result) if line.startswith("| home"))
    assert row.count("—") == 4  # two shares, the CPU time and its share
    assert as_json(result)["pages"]["home"]["share_of_framework_floor"] is None


def test_json_has_every_page_with_its_shares() -> None:
    data = json.loads(json.dumps(as_json(_result())))
    assert data["pages"]["pair page"]["share_of_framework_floor"] == 0.25
    assert data["pages"]["pair page"]["share_of_authenticated_floor"] == 0.5
    assert data["pages"]["pair page"]["cpu_share_of_framework_floor"] == 0.125
    assert data["dialogue"]["conversations"] == 100
    assert data["dialogue"]["pace_seconds"] == 0.0
    assert data["screener"]["p95_ms"] == 0.5


def test_a_paced_dialogue_run_says_its_pace() -> None:
    result = _result()
    result.dialogue_pace = 5.0
    text = "\n".join(format_table(result))
    assert "100 concurrent conversations (a move about every 5 s each)" in text
    assert as_json(result)["dialogue"]["pace_seconds"] == 5.0
