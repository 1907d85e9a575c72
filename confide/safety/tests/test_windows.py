"""Windows of whole sentences: tables for the cases people write, properties for the rest."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from confide.safety.windows import sentence_spans, windows


def words(text: str) -> int:
    return len(text.split())


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        pytest.param("One. Two!  Three?", ["One.", "Two!", "Three?"], id="punctuation"),
        pytest.param("no full stops at all", ["no full stops at all"], id="texting"),
        pytest.param("line one\nline two", ["line one", "line two"], id="line-breaks"),
        pytest.param('She said "stop." Then left.', ['She said "stop."', "Then left."], id="quote"),
        pytest.param("It cost 3.50 today.", ["It cost 3.50 today."], id="decimal"),
        pytest.param("Wait... what?! Ok", ["Wait...", "what?!", "Ok"], id="runs"),
        pytest.param("🙂🙂", ["🙂🙂"], id="emoji"),
        pytest.param("  \n ", [], id="blank"),
        pytest.param("", [], id="empty"),
    ],
)
def test_sentences(text: str, sentences: list[str]) -> None:
    assert [text[a:b] for a, b in sentence_spans(text)] == sentences


def test_a_short_text_is_one_window_however_many_sentences() -> None:
    text = "  Long day. Tired. Love you.  "
    (window,) = windows(text, words, budget=10)
    assert text[window.span[0] : window.span[1]] == "Long day. Tired. Love you."
    assert len(window.sentences) == 3


def test_long_texts_are_packed_with_one_sentence_of_overlap() -> None:
    text = " ".join(f"Sentence number {n} is here." for n in range(10))  # 5 words each
    found = windows(text, words, budget=12)
    assert [len(w.sentences) for w in found] == [2, 2, 2, 2, 2, 2, 2, 2, 2]
    for before, after in zip(found, found[1:], strict=False):
        assert before.sentences[-1] == after.sentences[0]


def test_an_over_long_sentence_is_cut_at_spaces() -> None:
    text = " ".join(f"word{n}" for n in range(100))
    found = windows(text, words, budget=20)
    assert len(found) > 1
    for window in found:
        for a, b in window.sentences:
            piece = text[a:b]
            assert piece == piece.strip()
            assert all(part.startswith("word") for part in piece.split())


def test_a_blank_text_has_no_windows() -> None:
    assert windows(" \n\t", words) == []


SENTENCE = st.builds(
    lambda body, end: body + end,
    st.text(st.characters(codec="utf-8", exclude_characters=".!?\u2026\n"), max_size=60),
    st.sampled_from([".", "!", "?", "\n", " ", ""]),
)


@given(st.lists(SENTENCE, max_size=40).map(" ".join), st.integers(min_value=1, max_value=40))
def test_windows_cover_every_word_in_order(text: str, budget: int) -> None:
    found = windows(text, words, budget=budget)
    covered = [False] * len(text)
    previous_start = -1
    for window in found:
        start, end = window.span
        assert 0 <= start < end <= len(text)
        assert start > previous_start
        previous_start = start
        assert (start, end) == (window.sentences[0][0], window.sentences[-1][1])
        pieces = window.sentences
        assert all(a < b for a, b in pieces)
        assert all(prev[1] <= nxt[0] for prev, nxt in zip(pieces, pieces[1:], strict=False))
        if len(pieces) > 1:
            assert sum(words(text[a:b]) for a, b in pieces) <= budget
        for a, b in pieces:
            covered[a:b] = [True] * (b - a)
    assert all(covered[i] or text[i].isspace() for i in range(len(text)))


@given(st.text(max_size=300), st.integers(min_value=1, max_value=50))
def test_windows_never_fail(text: str, budget: int) -> None:
    for window in windows(text, words, budget=budget):
        assert text[window.span[0] : window.span[1]].strip()
