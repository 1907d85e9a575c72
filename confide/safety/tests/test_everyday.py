"""The learned screener on ordinary app text: ``data/everyday-2026.csv``.

The set (248 ordinary texts in the app's registers and 60 short true positives) was written for
measuring only; no text of it is in the training corpus (pinned below). The figures pinned here
are the shipped heads' measurements (docs/safety.md); update them only to new measurements.
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

import pytest

from confide.safety.corpus import CORPUS_DIR, CorpusRow, read_corpus
from confide.safety.evaluation import read_csv
from confide.safety.rules import LABELS
from confide.safety.screen import screen
from confide.safety.train import ORDINARY_WEIGHT, sample_weights

pytestmark = [pytest.mark.learned_screener, pytest.mark.same_on_every_database]

EVERYDAY: Final = Path(__file__).resolve().parent.parent / "data" / "everyday-2026.csv"


@pytest.mark.parametrize(
    "text",
    [
        "Thank you for telling me.",
        "I imagine you feel hopeful.",
        "What I hear is that you felt alone at lunch.",
        "Sounds good, see you at seven.",
        "Thanks so much for telling me.",
        "I appreciate you taking the bins out without me asking.",
        "Got it, I'll pick up bread.",
        "Can we plan the weekend tonight?",
        "Sending strength your way.",
        "Quiet day. Read a bit, made soup.",
    ],
)
def test_everyday_texts_raise_nothing(text: str) -> None:
    assert screen(text, locale="en").labels == ()


# Still flagged by the shipped heads (docs/safety.md, "What remains"): pinned so that a change is
# noticed, and so that nobody believes these are fixed.
@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("It makes sense to me.", "crisis"),
        ("Fair point.", "harsh"),
    ],
)
def test_known_everyday_false_alarms(text: str, label: str) -> None:
    assert label in screen(text, locale="en").labels


def _rates() -> tuple[dict[str, float], dict[str, float]]:
    examples = read_csv(EVERYDAY)
    negatives = [e for e in examples if not e.labels]
    positives = [e for e in examples if e.labels]
    alarms = dict.fromkeys(LABELS, 0)
    for example in negatives:
        for label in screen(example.text, locale="en").labels:
            alarms[label] += 1
    found = dict.fromkeys(LABELS, 0)
    support = dict.fromkeys(LABELS, 0)
    for example in positives:
        labels = screen(example.text, locale="en").labels
        for label in example.labels:
            support[label] += 1
            found[label] += label in labels
    false_alarm = {label: alarms[label] / len(negatives) for label in LABELS}
    recall = {label: found[label] / support[label] for label in LABELS if support[label]}
    return false_alarm, recall


def test_everyday_false_alarms_and_short_recall_stay_where_measured() -> None:
    false_alarm, recall = _rates()
    # Measured with the shipped heads: crisis 24, fear 14, harsh 26 of 248 ordinary texts
    # (before the ordinary-text work: 53, 45, 52).
    assert false_alarm["crisis"] <= 24 / 248
    assert false_alarm["fear"] <= 14 / 248
    assert false_alarm["harsh"] <= 26 / 248
    assert false_alarm["slur"] == 0
    # Short true positives: crisis 18 of 18, fear 20 of 20, harsh 19 of 23.
    assert recall["crisis"] == 1.0
    assert recall["fear"] == 1.0
    assert recall["harsh"] >= 19 / 23


def test_the_everyday_set_is_never_trained_on() -> None:
    corpus = {row.text.strip().casefold() for row in read_corpus(CORPUS_DIR)}
    examples = read_csv(EVERYDAY)
    assert len(examples) >= 300
    assert sum(not e.labels for e in examples) >= 240
    assert not [e.text for e in examples if e.text.strip().casefold() in corpus]


def _row(labels: frozenset[str], family: str) -> CorpusRow:
    return CorpusRow("t.csv", 2, "text", labels, family, "reply")


@pytest.mark.parametrize(
    ("labels", "family", "weight"),
    [
        (frozenset(), "nr-makes-sense-plain", ORDINARY_WEIGHT),
        (frozenset(), "ne-sober-today", ORDINARY_WEIGHT),
        (frozenset(), "nn-not-suicidal-wiped", 1.0),  # a hard negative keeps weight 1
        (frozenset(), "nt-phones-at-dinner", 1.0),
        (frozenset({"crisis"}), "cr-gives-away-guitar", 1.0),
        (frozenset({"harsh"}), "nr-odd-but-labelled", 1.0),  # a label always counts once
    ],
)
def test_only_unlabelled_ordinary_messages_are_weighted(
    labels: frozenset[str], family: str, weight: float
) -> None:
    assert sample_weights([_row(labels, family)]).tolist() == [weight]
