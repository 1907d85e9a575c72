"""The "due today" hook: one ask per page, shared reads, and a calm order."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from confide.core import due
from confide.core.due import DueAsk, DueItem, due_for

TODAY = date(2026, 3, 18)


def test_a_shared_read_runs_once_per_ask() -> None:
    ask = DueAsk(object(), TODAY)
    reads: list[int] = []

    def read() -> list[int]:
        reads.append(1)
        return [len(reads)]

    assert ask.shared("app.thing", read) == [1]
    assert ask.shared("app.thing", read) == [1]  # the first answer, not a second read
    assert ask.shared("app.other", read) == [2]
    assert DueAsk(object(), TODAY).shared("app.thing", read) == [3]  # a new page reads again


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ([], []),
        ([("b", 20), ("a", 20)], ["a", "b"]),  # same order: by title
        ([("z", 10), ("a", 60), ("m", 30)], ["z", "m", "a"]),  # smaller order first
        ([("Same", 10), ("Same", 10)], ["Same", "Same"]),  # nothing is dropped
    ],
)
def test_items_come_by_order_then_title(
    monkeypatch: pytest.MonkeyPatch, given: list[tuple[str, int]], expected: list[str]
) -> None:
    def provider(user: Any, today: date, *, ask: DueAsk | None = None) -> list[DueItem]:
        return [DueItem(kind="k", title=title, url="/", order=order) for title, order in given]

    monkeypatch.setattr(due, "_PROVIDERS", {"one": provider})
    assert [str(i.title) for i in due_for(object(), TODAY)] == expected


def test_every_provider_gets_the_pages_ask(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[DueAsk | None] = []

    def provider(user: Any, today: date, *, ask: DueAsk | None = None) -> list[DueItem]:
        seen.append(ask)
        return []

    monkeypatch.setattr(due, "_PROVIDERS", {"one": provider, "two": provider})
    person = object()
    ask = DueAsk(person, TODAY)
    due_for(person, TODAY, ask=ask)
    assert seen == [ask, ask]
    due_for(person, TODAY)  # without one, a single fresh ask is shared by all
    fresh = seen[2]
    assert fresh is seen[3] and fresh is not ask
    assert fresh is not None and fresh.person is person
