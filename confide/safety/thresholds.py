"""Choosing a head's decision threshold from scores and truth. Pure numpy; tested with tables.

Each label has its own aim, because a missed crisis costs far more than a needless offer of help:

- crisis: the highest precision that keeps recall at or above 0.95;
- fear: the highest precision that keeps recall at or above 0.92;
- harsh and slur: the best F1.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np
from numpy.typing import NDArray

__all__ = ["AIMS", "Aim", "Cut", "choose_cut", "measure"]


@dataclass(frozen=True, slots=True)
class Aim:
    """Best F1 when ``min_recall`` is None, else the best precision at that recall."""

    min_recall: float | None = None

    def describe(self) -> str:
        if self.min_recall is None:
            return "best F1"
        return f"highest precision with recall >= {self.min_recall:.2f}"


AIMS: Final[dict[str, Aim]] = {
    "crisis": Aim(min_recall=0.95),
    "fear": Aim(min_recall=0.92),
    "harsh": Aim(),
    "slur": Aim(),
}
# Thresholds stay strictly inside (0, 1) so that a head can always say no and yes.
_EDGE: Final = 1e-4


@dataclass(frozen=True, slots=True)
class Cut:
    threshold: float
    precision: float
    recall: float
    f1: float


def measure(scores: NDArray[np.floating], truth: NDArray[np.bool_], threshold: float) -> Cut:
    """Precision, recall and F1 when ``scores >= threshold`` is read as yes."""
    said = scores >= threshold
    tp = int(np.sum(said & truth))
    precision = tp / int(np.sum(said)) if np.any(said) else 0.0
    recall = tp / int(np.sum(truth)) if np.any(truth) else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Cut(threshold=threshold, precision=precision, recall=recall, f1=f1)


def choose_cut(scores: NDArray[np.floating], truth: NDArray[np.bool_], aim: Aim) -> Cut:
    """The threshold that best meets ``aim`` on these scores.

    Candidates are the distinct scores (yes when ``score >= candidate``); the threshold returned
    lies half-way between the chosen score and the next lower one, so that it does not sit on a
    training example. Ties prefer the higher recall (the lower threshold).
    """
    scores = np.asarray(scores, dtype=np.float64)
    truth = np.asarray(truth, dtype=bool)
    if scores.shape != truth.shape or scores.ndim != 1 or not truth.any() or truth.all():
        raise ValueError("need one score per example and both yes and no examples")
    order = np.argsort(-scores, kind="stable")
    ranked, hits = scores[order], truth[order]
    # The last position of each run of equal scores: everything up to it is "yes".
    ends = np.flatnonzero(np.append(ranked[1:] != ranked[:-1], True))
    tp = np.cumsum(hits)[ends].astype(np.float64)
    precision = tp / (ends + 1)
    recall = tp / hits.sum()
    with np.errstate(invalid="ignore", divide="ignore"):
        f1 = np.where(tp > 0, 2 * precision * recall / (precision + recall), 0.0)
    if aim.min_recall is None:
        goal = f1
    else:
        goal = np.where(recall >= aim.min_recall - 1e-12, precision, -1.0)
    # Among equally good cuts the last (lowest threshold) one: it has the higher recall.
    best = int(np.flatnonzero(goal == goal.max())[-1])
    chosen = ranked[ends[best]]
    lower = ranked[ends[best] + 1] if ends[best] + 1 < len(ranked) else 0.0
    half_way = (chosen + lower) / 2
    if not lower < half_way <= chosen:  # neighbouring floats: the half-way point rounds to one
        half_way = chosen
    threshold = float(min(max(half_way, _EDGE), 1 - _EDGE))
    return Cut(
        threshold=threshold,
        precision=float(precision[best]),
        recall=float(recall[best]),
        f1=float(f1[best]),
    )
