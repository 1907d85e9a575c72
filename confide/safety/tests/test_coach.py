from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from confide.safety.coach import GAP, coach
from confide.safety.screen import screen


def test_no_harsh_words_means_no_coaching() -> None:
    assert coach("I missed you today.", screen("I missed you today.")) is None


@pytest.mark.parametrize(
    ("text", "feelings", "needs", "expected_parts"),
    [
        (
            "You never help with the dishes.",
            ["frustrated"],
            ["support"],
            ["I feel frustrated", "when you don't help with the dishes", "I need support."],
        ),
        (
            "You always leave your shoes everywhere!",
            [],
            [],
            [f"I feel {GAP}", "when you leave your shoes everywhere", f"I need {GAP}."],
        ),
    ],
)
def test_the_rewrite_keeps_the_writers_own_words(
    text: str, feelings: list[str], needs: list[str], expected_parts: list[str]
) -> None:
    coaching = coach(text, screen(text), feelings=feelings, needs=needs)
    assert coaching is not None
    for part in expected_parts:
        assert part in coaching.rewrite
    assert "never" not in coaching.rewrite
    assert "always" not in coaching.rewrite
    assert coaching.notes[0].subtype == "criticism"
    assert "criticism" in str(coaching.notes[0].explanation)


def test_insults_are_left_out_of_the_rewrite() -> None:
    text = "You are pathetic. The bills are late again."
    screening = screen(text)
    coaching = coach(text, screening, feelings=["worried"], needs=["clarity"])
    assert coaching is not None
    assert "pathetic" not in coaching.rewrite
    assert "the bills are late again" in coaching.rewrite
    assert {n.subtype for n in coaching.notes} == {"contempt"}


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=300))
def test_coaching_never_fails_and_only_follows_harsh_findings(text: str) -> None:
    screening = screen(text)
    coaching = coach(text, screening)
    assert (coaching is not None) == screening.has("harsh")
