"""The shipped gesture list meets its minimums; bad files fail loudly; suggestions skip what was
done recently and filter by kind and effort."""

from __future__ import annotations

from collections import Counter
from itertools import product
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from confide.rhythm import gestures
from confide.rhythm.gestures import EFFORTS, KINDS, Gesture, GestureFileError

GOOD = {"id": "words-x-01", "kind": "words", "effort": "minute", "text": "Say thank you."}


def test_the_list_has_at_least_80_ideas_across_every_kind_and_effort() -> None:
    shipped = gestures.catalogue()
    assert len(shipped) >= 80
    cells = Counter((g.kind, g.effort) for g in shipped)
    for kind, effort in product(KINDS, EFFORTS):
        assert cells[(kind, effort)] >= 3, (kind, effort)
    assert set(KINDS) == {"words", "time", "help", "touch", "surprise"}
    assert set(EFFORTS) == {"minute", "ten_minutes", "evening"}


def test_ideas_are_unique_and_well_formed() -> None:
    shipped = gestures.catalogue()
    assert len({g.id for g in shipped}) == len(shipped)
    assert len({g.text.lower() for g in shipped}) == len(shipped)
    for gesture in shipped:
        assert gesture.text.endswith((".", "?")), gesture.id
        assert len(gesture.text) <= gestures.MAX_TEXT
        assert gestures.gesture_by_id(gesture.id) is gesture
        assert gesture.kind_label and gesture.effort_label


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"kind": "hugs"}, "kind must be one of"),
        ({"effort": "a week"}, "effort must be one of"),
        ({"text": "No full stop"}, "must end with"),
        ({"text": "x" * 200 + "."}, "at most 160"),
        ({"text": " Leading space."}, "one line"),
        ({"text": "Two\nlines."}, "one line"),
        ({"id": "Not A Slug"}, "lowercase slug"),
        ({"text": 3}, "must be text"),
        ({"extra": "no"}, "exactly the keys"),
    ],
)
def test_a_bad_entry_is_refused_with_its_name(change: dict[str, Any], problem: str) -> None:
    with pytest.raises(GestureFileError, match=problem):
        gestures.validate([{**GOOD, **change}])


def test_a_repeated_id_is_refused() -> None:
    with pytest.raises(GestureFileError, match="used twice"):
        gestures.validate([GOOD, {**GOOD, "text": "Another."}])


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("", "at least one"),
        ('title = "x"\n', "unknown top-level"),
        ("gesture = 3\n", "at least one"),
    ],
)
def test_a_bad_file_is_refused(text: str, problem: str) -> None:
    with pytest.raises(GestureFileError, match=problem):
        gestures.parse(text)


def _g(gid: str, kind: str = "words", effort: str = "minute") -> Gesture:
    return Gesture(gid, kind, effort, f"{gid}.")


SMALL = [
    _g("a"),
    _g("b", "time"),
    _g("c", "time", "evening"),
    _g("d", "help", "ten_minutes"),
    _g("e", "touch"),
]


@pytest.mark.parametrize(
    ("done", "kind", "effort", "expected"),
    [
        (set(), "", "", {"a", "b", "c", "d", "e"}),
        ({"a", "c"}, "", "", {"b", "d", "e"}),
        (set(), "time", "", {"b", "c"}),
        (set(), "time", "evening", {"c"}),
        ({"c"}, "time", "evening", set()),
        (set(), "", "minute", {"a", "b", "e"}),
        ({"unknown"}, "help", "", {"d"}),
    ],
)
def test_suggestions_filter_and_skip_what_was_done_recently(
    done: set[str], kind: str, effort: str, expected: set[str]
) -> None:
    found = gestures.suggest(SMALL, done_recently=done, kind=kind, effort=effort, seed="s")
    assert {g.id for g in found} == expected
    assert len(found) == len(expected)


def test_suggestions_keep_their_order_within_a_week_and_change_the_next() -> None:
    shipped = gestures.catalogue()
    one = gestures.suggest(shipped, done_recently=(), seed="pair:1:2026-03-02")
    again = gestures.suggest(shipped, done_recently=(), seed="pair:1:2026-03-02")
    later = gestures.suggest(shipped, done_recently=(), seed="pair:1:2026-03-09")
    assert one == again
    assert one != later


@given(
    done=st.sets(st.sampled_from([g.id for g in SMALL])),
    kind=st.sampled_from(["", *KINDS]),
    seed=st.text(max_size=20),
)
def test_suggestions_are_exactly_the_eligible_ideas(done: set[str], kind: str, seed: str) -> None:
    found = gestures.suggest(SMALL, done_recently=done, kind=kind, seed=seed)
    eligible = [g for g in SMALL if g.id not in done and (not kind or g.kind == kind)]
    assert sorted(found, key=lambda g: g.id) == eligible
