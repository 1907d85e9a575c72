"""The screener, as tables: what each label catches, and the look-alikes it must leave alone."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from confide.safety.screen import LABELS, MAX_FINDINGS, MAX_SCREEN_CHARS, Finding, screen


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
def test_flags(text: str, labels: str, subtype: str | None) -> None:
    result = screen(text)
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
def test_leaves_look_alikes_alone(text: str) -> None:
    assert screen(text).findings == ()


def test_finding_names_the_words_and_where_they_are() -> None:
    text = "Some days. I want to die."
    (finding,) = screen(text).findings
    assert finding.label == "crisis"
    assert text[finding.span[0] : finding.span[1]] == finding.matched == "want to die"
    assert "die" in str(finding.reason)


def test_screening_helpers() -> None:
    result = screen("You never listen. All refugees are criminals.")
    assert result.labels == ("harsh", "slur")
    assert result.has("harsh")
    assert not result.has("crisis")
    assert result.flagged
    assert [f.label for f in result.for_label("slur")] == ["slur"]
    assert not screen("Lovely walk today.").flagged


def test_other_locales_fall_back_to_english() -> None:
    assert screen("I want to die.", locale="fr").labels == ("crisis",)
    assert screen("I want to die.", locale="en-GB").labels == ("crisis",)


def test_huge_text_is_cut_at_the_cap_and_says_so() -> None:
    text = "I want to die. " * 5000
    result = screen(text)
    assert result.truncated
    assert 0 < len(result.findings) <= MAX_FINDINGS
    assert all(finding.span[1] <= MAX_SCREEN_CHARS for finding in result.findings)
    late = "a" * MAX_SCREEN_CHARS + " I want to die."
    assert screen(late).findings == ()
    assert screen(late).truncated


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
    ]
)


@given(st.text())
def test_never_raises_and_spans_fit(text: str) -> None:
    _check_spans(text)


@given(st.lists(st.one_of(PHRASES, st.text(max_size=8)), max_size=30).map(" ".join))
def test_spans_fit_around_real_phrases(text: str) -> None:
    _check_spans(text)


@settings(max_examples=10)
@given(st.text(min_size=1, max_size=5).map(lambda piece: piece * 6000))
def test_huge_texts_never_raise(text: str) -> None:
    _check_spans(text)
