"""The screener, as tables: what each label catches, and the look-alikes it must leave alone.

The first tables are the rules' own (``screen_rules``): they still explain findings and are the
fallback, and their guards are exact. The last tables are the whole screener with the learned
heads: what the issue's warning signs must raise, and which quiet texts it still flags.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from confide.safety.screen import (
    LABELS,
    MAX_FINDINGS,
    MAX_SCREEN_CHARS,
    Finding,
    Screening,
    screen,
    screen_rules,
)
from confide.safety.tests.conftest import KEYWORDS, keyword_model


def case(text: str, labels: str, subtype: str | None, case_id: str) -> object:
    return pytest.param(text, labels, subtype, id=case_id)


FLAGGED = [
    # crisis
    case("Tonight I just want to die.", "crisis", "suicide", "crisis-want-to-die"),
    case("I've been planning to kill myself.", "crisis", "suicide", "crisis-kill-myself"),
    case("Everybody would be better off without me.", "crisis", "suicide", "crisis-burden"),
    case("im having suicidal thoughts again", "crisis", "suicide", "crisis-lowercase"),
    case("I keep cutting myself when it gets loud in my head.", "crisis", "self-harm", "self-harm"),
    case("I’m going to hurt myself tonight.", "crisis", "self-harm", "crisis-curly-apostrophe"),
    case(
        "I swear I'm going to kill him when he gets home.", "crisis", "harm-others", "harm-others"
    ),
    case("My cousin texted that she wants to die.", "crisis", "someone-else", "someone-else"),
    case("My dad keeps talking about killing himself.", "crisis", "someone-else", "someone-else-2"),
    # fear
    case("I'm terrified of my husband.", "fear", "fear", "fear-of-partner"),
    case("She slapped me again last night.", "fear", "violence", "fear-violence"),
    case("He won't let me see my sister.", "fear", "control", "fear-control"),
    case("He threatened to take the car if I go.", "fear", "threat", "fear-threat"),
    case("He forced me to have sex.", "fear", "coercion", "fear-coercion"),
    case("He calls me useless every day.", "fear", "verbal-abuse", "fear-verbal-abuse"),
    # harsh, one per horseman
    case("You never put the kids to bed.", "harsh", "criticism", "harsh-criticism"),
    case("You're so selfish with money.", "harsh", "criticism", "harsh-criticism-character"),
    case("You're such a loser.", "harsh", "contempt", "harsh-contempt"),
    case("Boo hoo, poor you.", "harsh", "contempt", "harsh-contempt-mockery"),
    case("That's not my fault, you should have checked.", "harsh", "defensiveness", "harsh-def"),
    case("What about you? You forgot too.", "harsh", "defensiveness", "harsh-counter-attack"),
    case("Whatever.", "harsh", "stonewalling", "harsh-stonewalling"),
    case("This conversation is over.", "harsh", "stonewalling", "harsh-stonewalling-2"),
    # slur
    case("Get out of here, you tranny.", "slur", "slur", "slur-term"),
    case("All refugees are criminals.", "slur", "group-attack", "slur-group-insult"),
    case("Muslims should be deported.", "slur", "group-attack", "slur-group-harm"),
    # more than one label
    case("He threatens to kill himself if I leave.", "crisis;fear", None, "crisis-and-fear"),
]


@pytest.mark.parametrize(("text", "labels", "subtype"), FLAGGED)
def test_rules_flag(text: str, labels: str, subtype: str | None) -> None:
    result = screen_rules(text)
    assert result.labels == tuple(labels.split(";"))
    if subtype is not None:
        (label,) = result.labels
        assert subtype in result.subtypes(label)
    for finding in result.findings:
        assert str(finding.reason)


HARD_NEGATIVES = [
    # negation
    pytest.param("I would never hurt myself.", id="negation-never"),
    pytest.param("I'm not going to kill myself, I just need to be heard.", id="negation-not"),
    pytest.param("I don't want to die; I want this to change.", id="negation-dont-want"),
    pytest.param("I'm not suicidal, I'm worn out.", id="negation-not-suicidal"),
    pytest.param("I'm not afraid of him anymore.", id="negation-fear"),
    # hyperbole and idioms
    pytest.param("This week killed me.", id="hyperbole-week"),
    pytest.param("I could murder a pizza.", id="hyperbole-pizza"),
    pytest.param("I almost died laughing at the dog.", id="hyperbole-died-laughing"),
    pytest.param("Honestly I wanted to die of embarrassment.", id="hyperbole-die-of"),
    pytest.param("lol I'm going to kill him if he spoils the finale", id="hyperbole-lol"),
    pytest.param("You killed it at karaoke!", id="idiom-killed-it"),
    pytest.param("I cut myself shaving this morning.", id="idiom-cut-shaving"),
    pytest.param("She hit the nail on the head.", id="idiom-hit-the-nail"),
    pytest.param("He pushed me to sign up for the race.", id="idiom-pushed-me-to"),
    # past and resolved
    pytest.param("Years ago I wanted to die, but I'm in a good place now.", id="past-resolved"),
    pytest.param(
        "I used to hurt myself as a teen. I've been free of it for a decade.", id="past-resolved-2"
    ),
    # reported speech, questions and stories
    pytest.param('My gran used to say "you never sit still" and I miss her.', id="reported-quote"),
    pytest.param("My uncle thinks all immigrants are criminals.", id="reported-slur"),
    pytest.param("The nurse asked if I want to hurt myself; I don't.", id="asked"),
    pytest.param("In the film the hero wants to die, then finds hope.", id="fiction"),
    # warmth that uses "always" and "never"
    pytest.param("You always make me laugh.", id="positive-always"),
    pytest.param("You never fail to cheer me up.", id="positive-never"),
    pytest.param("Thank you for always making tea.", id="positive-thanks"),
    # a time-out is not stonewalling
    pytest.param("I'm not discussing this now; can we pause and talk after dinner?", id="pause"),
    # groups named kindly
    pytest.param("All immigrants are welcome here.", id="group-kind"),
    pytest.param("Trans people deserve respect.", id="group-respect"),
    # plain everyday text and other scripts
    pytest.param("Can you get oat milk on the way home?", id="everyday"),
    pytest.param("Я тебя люблю, спасибо за вечер.", id="cyrillic"),
    pytest.param("今日は本当にありがとう。", id="japanese"),
    pytest.param("شكرا على كل شيء", id="arabic"),
    pytest.param("", id="empty"),
    pytest.param("   \n\t ", id="blank"),
]


@pytest.mark.parametrize("text", HARD_NEGATIVES)
def test_rules_leave_look_alikes_alone(text: str) -> None:
    assert screen_rules(text).findings == ()


def test_finding_names_the_words_and_where_they_are() -> None:
    text = "Some days. I want to die."
    (finding,) = screen(text).for_label("crisis")
    assert finding.label == "crisis"
    assert text[finding.span[0] : finding.span[1]] == finding.matched == "want to die"
    assert "die" in str(finding.reason)


def test_screening_helpers() -> None:
    result = screen_rules("You never listen. All refugees are criminals.")
    assert result.labels == ("harsh", "slur")
    assert result.has("harsh")
    assert not result.has("crisis")
    assert result.flagged
    assert [f.label for f in result.for_label("slur")] == ["slur"]
    assert not screen_rules("Lovely walk today.").flagged


def test_other_locales_fall_back_to_english() -> None:
    assert screen_rules("I want to die.", locale="fr").labels == ("crisis",)
    assert screen_rules("I want to die.", locale="en-GB").labels == ("crisis",)
    assert "crisis" in screen("I want to die.", locale="fr").labels


@pytest.mark.parametrize("screener", [screen, screen_rules], ids=["screen", "rules"])
def test_huge_text_is_cut_at_the_cap_and_says_so(screener: Callable[[str], Screening]) -> None:
    text = "I want to die. " * 5000
    result = screener(text)
    assert result.truncated
    assert 0 < len(result.findings) <= MAX_FINDINGS
    assert all(finding.span[1] <= MAX_SCREEN_CHARS for finding in result.findings)
    late = "a" * MAX_SCREEN_CHARS + " I want to die."
    assert screen_rules(late).findings == ()
    assert screen_rules(late).truncated


# --- the whole screener, with the learned heads ------------------------------------------------

# The warning signs the rules missed (issue 10), in words none of the rules know.
MODEL_FLAGS = [
    case("I've given my guitar and my books away. I won't be needing them.", "crisis", None, "1"),
    case(
        "I'm sorry for being such a burden. This is goodbye, thank you for everything.",
        "crisis",
        None,
        "2",
    ),
    case(
        "I've been saving up my pills and I know which night I'll take them.", "crisis", None, "3"
    ),
    case("Day 3 without cutting and the urge is really loud tonight.", "crisis", None, "4"),
    case("If she leaves me I'll set fire to her flat with her in it.", "crisis", None, "5"),
    case("He said if I take the kids he'll make sure I never see them again.", "fear", None, "6"),
    case("He put something on my phone, he knows every message I send.", "fear", None, "7"),
    case("He turned up at my work again even though I asked him not to.", "fear", None, "8"),
    case("He stood in front of the door and wouldn't let me leave.", "fear", None, "9"),
    case("He showed me the knife and said I'd better not tell anyone.", "fear", None, "10"),
    case("I'm writing this in the bathroom so he can't see.", "fear", None, "11"),
    case("Oh great, another genius idea. Truly, we're blessed.", "harsh", None, "12"),
    case("My sister's husband manages to keep a job, why can't you?", "harsh", None, "13"),
    case("Well what about the time you forgot my birthday?", "harsh", None, "14"),
    pytest.param(
        "Done talking. Bye.",
        "harsh",
        None,
        id="15",
        marks=pytest.mark.xfail(strict=True, reason="a known miss (docs/safety.md)"),
    ),
    case("They're all thieves, every last one of them.", "slur", None, "16"),
    case("People like that should go back where they came from.", "slur", None, "17"),
    case("Being gay is a mental illness and they should get treatment.", "slur", None, "18"),
]


@pytest.mark.parametrize(("text", "labels", "subtype"), MODEL_FLAGS)
def test_the_screener_raises_warning_signs_said_without_the_rules_words(
    text: str, labels: str, subtype: str | None
) -> None:
    result = screen(text)
    assert labels in result.labels
    (finding, *_more) = result.for_label(labels)
    assert text[finding.span[0] : finding.span[1]] == finding.matched
    assert str(finding.reason)


def known_false_alarm(text: str, case_id: str) -> object:
    reason = "a known false alarm of the learned heads (docs/safety.md, the misses that remain)"
    return pytest.param(text, id=case_id, marks=pytest.mark.xfail(strict=True, reason=reason))


MODEL_QUIET = [
    pytest.param("Lovely walk today.", id="everyday"),
    pytest.param("Thank you for dinner, I love you.", id="warmth"),
    pytest.param("I'm flooded, can we pause and pick this up after dinner?", id="pause"),
    pytest.param("", id="empty"),
    pytest.param("Can you get oat milk on the way home?", id="everyday-errand"),
    known_false_alarm("I'm not suicidal, just exhausted after the double shift.", "denial"),
    pytest.param("Years ago I tried to end it; today I'm glad I'm here.", id="past"),
    pytest.param("This week killed me, but we made it.", id="idiom"),
    pytest.param("You always make me laugh.", id="warm-always"),
    known_false_alarm(
        "My therapist and I made a safety plan last year and I haven't needed it in months.",
        "clinical",
    ),
    known_false_alarm("Immigrants built half this street.", "group-kind"),
]


@pytest.mark.parametrize("text", MODEL_QUIET)
def test_the_screener_leaves_quiet_texts_alone(text: str) -> None:
    assert screen(text).labels == ()


def _check_spans(text: str) -> None:
    result = screen(text)
    for finding in result.findings:
        assert isinstance(finding, Finding)
        start, end = finding.span
        assert 0 <= start < end <= len(text)
        assert text[start:end] == finding.matched
        assert finding.label in LABELS


PHRASES = st.sampled_from(
    [
        "I want to die",
        "kill myself",
        "you never",
        "not",
        "lol",
        "years ago",
        "he hits me",
        "all immigrants are criminals",
        "whatever",
        ".",
        ",",
        "\n",
        '"',
        "İ",
        "ß",
        "’",
        "🙄",
        *KEYWORDS,
    ]
)


# The properties below hold for both halves of the screener; the keyword encoder (conftest.py)
# stands in for the real one so that thousands of random texts take seconds.


@given(st.text())
def test_never_raises_and_spans_fit(text: str) -> None:
    with keyword_model():
        _check_spans(text)


@given(st.lists(st.one_of(PHRASES, st.text(max_size=8)), max_size=30).map(" ".join))
def test_spans_fit_around_real_phrases(text: str) -> None:
    with keyword_model():
        _check_spans(text)


@settings(max_examples=10)
@given(st.text(min_size=1, max_size=5).map(lambda piece: piece * 6000))
def test_huge_texts_never_raise(text: str) -> None:
    with keyword_model():
        _check_spans(text)
