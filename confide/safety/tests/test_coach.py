from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from confide.safety.coach import GAP, coach
from confide.safety.screen import screen, screen_rules
from confide.safety.tests.conftest import keyword_model


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
    # The rules' findings name the horseman; the rewrite from a head-only finding is tested in
    # test_screen_model.py.
    coaching = coach(text, screen_rules(text), feelings=feelings, needs=needs)
    assert coaching is not None
    for part in expected_parts:
        assert part in coaching.rewrite
    assert "never" not in coaching.rewrite
    assert "always" not in coaching.rewrite
    assert coaching.notes[0].subtype == "criticism"
    assert "criticism" in str(coaching.notes[0].explanation)


def test_insults_are_left_out_of_the_rewrite() -> None:
    text = "You are pathetic. The bills are late again."
    screening = screen_rules(text)
    coaching = coach(text, screening, feelings=["worried"], needs=["clarity"])
    assert coaching is not None
    assert "pathetic" not in coaching.rewrite
    assert "the bills are late again" in coaching.rewrite
    assert {n.subtype for n in coaching.notes} == {"contempt"}


@given(
    st.lists(
        st.one_of(st.sampled_from(["nitwit", "You never listen.", "."]), st.text(max_size=20)),
        max_size=15,
    ).map(" ".join)
)
def test_coaching_never_fails_and_only_follows_harsh_findings(text: str) -> None:
    with keyword_model():  # a head that fires on "nitwit": findings without a rule behind them
        screening = screen(text)
    coaching = coach(text, screening)
    assert (coaching is not None) == screening.has("harsh")


def test_the_whole_screener_gives_the_coach_the_rules_explanation() -> None:
    text = "You never help with the dishes."
    coaching = coach(text, screen(text), feelings=["tired"], needs=["help"])
    assert coaching is not None
    assert coaching.notes[0].subtype == "criticism"
    assert "when you don't help with the dishes" in coaching.rewrite
