"""Taking names out of a title (confide/notifications/names.py): whole words, case-sensitive."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from confide.notifications.names import ELLIPSIS, names_pattern, title_without_names

WORDING = ("Your former partner", "your former partner")
NAMES = {"Alex": WORDING, "Quiet Fox": ("A former member", "a former member")}


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Alex shared a check-in", "Your former partner shared a check-in"),
        ("Blake changed what Alex may see", "Blake changed what your former partner may see"),
        (
            "Quiet Fox replied to your post in Tuesday",
            "A former member replied to your post in Tuesday",
        ),
        ("Alex and Quiet Fox", "Your former partner and a former member"),
        ("Thanks, Alex!", "Thanks, your former partner!"),
        ("“Alex” said", "“your former partner” said"),
        # Not a whole word, or not the same case: untouched.
        ("Alexandra shared a check-in", "Alexandra shared a check-in"),
        ("DAlex shared", "DAlex shared"),
        ("alex shared a check-in", "alex shared a check-in"),
        ("Alex_2 shared", "Alex_2 shared"),
        ("Quiet Foxes replied", "Quiet Foxes replied"),
        ("Quiet replied", "Quiet replied"),
        ("", ""),
    ],
)
def test_whole_names_are_replaced(title: str, expected: str) -> None:
    assert title_without_names(title, names=NAMES, limit=200) == expected


def test_a_name_with_punctuation_at_its_edge_is_a_whole_word_too() -> None:
    names = {"Dr. Sam": ("Someone", "someone"), "Sam": ("Someone else", "someone else")}
    assert title_without_names("Dr. Sam ended care", names=names, limit=200) == (
        "Someone ended care"
    )
    assert title_without_names("Ask Sam.", names=names, limit=200) == "Ask someone else."


def test_the_longest_name_wins() -> None:
    names = {"Quiet": ("Q", "q"), "Quiet Fox": ("F", "f")}
    assert title_without_names("Quiet Fox and Quiet", names=names, limit=200) == "F and q"


def test_a_title_grown_past_the_limit_is_cut_with_an_ellipsis() -> None:
    title = "Al " * 60
    result = title_without_names(title, names={"Al": WORDING}, limit=200)
    assert len(result) <= 200
    assert result.endswith(ELLIPSIS)
    assert not re.search(r"(?<!\w)Al(?!\w)", result)


def test_blank_names_match_nothing() -> None:
    assert names_pattern({"": WORDING, "   ": WORDING}) is None
    assert title_without_names("Alex", names={" ": WORDING}, limit=200) == "Alex"


names = st.text(st.characters(categories=("L", "N", "P", "Zs")), min_size=1, max_size=12).filter(
    lambda name: name.strip() and name not in " ".join(WORDING)
)


@given(name=names, before=st.text(max_size=30), after=st.text(max_size=30))
def test_no_whole_name_is_left(name: str, before: str, after: str) -> None:
    title = f"{before} {name} {after}"
    result = title_without_names(title, names={name: WORDING}, limit=1000)
    assert not re.search(rf"(?<!\w){re.escape(name)}(?!\w)", result)


@given(title=st.text(max_size=60), name=names)
def test_a_title_without_the_name_is_unchanged(title: str, name: str) -> None:
    if re.search(rf"(?<!\w){re.escape(name)}(?!\w)", title):
        return
    assert title_without_names(title, names={name: WORDING}, limit=1000) == title
