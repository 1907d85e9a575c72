"""The text screener: a pure function from text to findings (no database; the model is loaded
once per process, on first use).

``screen(text)`` looks for four kinds of words (see ``docs/safety.md``):

- ``crisis``: suicide or self-harm intent, intent to hurt someone, someone else at risk;
- ``fear``: fear of a partner, violence, control, threats, coercion, put-downs;
- ``harsh``: criticism, contempt, defensiveness, stonewalling;
- ``slur``: slurs and attacks on people for belonging to a group.

How it decides: a sentence encoder reads the text in windows of whole sentences
(``windows.py``) and one learned head per label scores each window (``classifier.py``); a label
is raised when its head fires on any window, or when one of the rules measured as precise on the
corpus (the *safety net*, listed in ``model/heads.json``) matches. The rules (``rulescreen.py``)
also *explain*: a rule match inside a window where the head fired gives the finding its subtype,
reason and span. When only the head fired, the finding has the subtype ``signs`` and points at
the window's highest-scoring sentence, worked out only then, so that quiet texts stay cheap.

When the model cannot load, the rules screen alone (``screen_rules``), as they did before.
Only the first ``MAX_SCREEN_CHARS`` characters are screened; ``Screening.truncated`` says so.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from confide.safety.classifier import Classifier, report_failure, shared_classifier
from confide.safety.findings import (
    LABELS,
    MAX_FINDINGS,
    MAX_SCREEN_CHARS,
    MODEL_SUBTYPE,
    REASONS,
    Finding,
    Screening,
    ordered,
    reason_for,
)
from confide.safety.rulescreen import RuleHit, rule_hits, screen_rules
from confide.safety.windows import Span, Window, windows

__all__ = [
    "LABELS",
    "MAX_FINDINGS",
    "MAX_SCREEN_CHARS",
    "MODEL_SUBTYPE",
    "REASONS",
    "Finding",
    "Screening",
    "model_scores",
    "reason_for",
    "screen",
    "screen_rules",
]


def screen(text: str, *, locale: str = "en") -> Screening:
    """Screen one text. Never raises for any string; spans index into ``text`` itself."""
    original = text[:MAX_SCREEN_CHARS]
    truncated = len(text) > MAX_SCREEN_CHARS
    hits = rule_hits(original, locale=locale)
    classifier = shared_classifier()
    if classifier is None:
        return ordered([hit.finding for hit in hits], truncated)
    try:
        findings = _combine(original, hits, classifier)
    except Exception as error:  # noqa: BLE001 - a scoring failure must not stop screening
        report_failure(error)
        findings = [hit.finding for hit in hits]
    return ordered(findings, truncated)


def model_scores(text: str) -> dict[str, float] | None:
    """Each label's highest window probability (for ``eval --explain``); None without a model."""
    classifier = shared_classifier()
    if classifier is None:
        return None
    original = text[:MAX_SCREEN_CHARS]
    found = windows(original, classifier.encoder.token_count)
    if not found:
        return dict.fromkeys(LABELS, 0.0)
    scores = classifier.probabilities([_piece(original, w.span) for w in found]).max(axis=0)
    return {label: float(scores[index]) for index, label in enumerate(LABELS)}


def _piece(text: str, span: Span) -> str:
    return text[span[0] : span[1]]


def _overlaps(a: Span, b: Span) -> bool:
    return a[0] < b[1] and b[0] < a[1]


class _Sentences:
    """Per-sentence scores inside a window, computed on first need and kept for other labels."""

    def __init__(self, text: str, classifier: Classifier) -> None:
        self._text = text
        self._classifier = classifier
        self._scores: dict[Span, np.ndarray] = {}

    def best(self, window: Window, label_index: int) -> Span:
        if len(window.sentences) == 1:
            return window.sentences[0]
        if window.span not in self._scores:
            pieces = [_piece(self._text, span) for span in window.sentences]
            self._scores[window.span] = self._classifier.probabilities(pieces)
        column = self._scores[window.span][:, label_index]
        return window.sentences[int(np.argmax(column))]


def _model_finding(text: str, label: str, span: Span) -> Finding:
    return Finding(
        label=label,
        subtype=MODEL_SUBTYPE,
        span=span,
        matched=_piece(text, span),
        reason=reason_for(label, MODEL_SUBTYPE),
    )


def _combine(text: str, hits: Sequence[RuleHit], classifier: Classifier) -> list[Finding]:
    """The rules' safety net, plus for every window where a head fired: the rule findings that
    explain it, or else a finding of the head's own."""
    net = classifier.heads.safety_net
    findings = [hit.finding for hit in hits if hit.rule in net]
    found = windows(text, classifier.encoder.token_count)
    if not found:
        return findings
    scores = classifier.probabilities([_piece(text, w.span) for w in found])
    fired = scores >= classifier.heads.thresholds
    sentences = _Sentences(text, classifier)
    for index, label in enumerate(LABELS):
        for row in np.flatnonzero(fired[:, index]):
            window = found[row]
            explained = [
                hit.finding
                for hit in hits
                if hit.finding.label == label and _overlaps(hit.finding.span, window.span)
            ]
            if explained:
                findings.extend(explained)
            else:
                findings.append(_model_finding(text, label, sentences.best(window, index)))
    unique = {(finding.label, finding.span): finding for finding in reversed(findings)}
    return list(unique.values())
