"""Choosing thresholds on synthetic scores: the aim per label, and what it guarantees."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from confide.safety.thresholds import AIMS, Aim, choose_cut, measure

# Scores from high to low, with the truth beside them.
SCORES = np.array([0.95, 0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1])
TRUTH = np.array([True, True, False, True, True, False, False, True, False, False])


def test_the_aims_are_the_projects() -> None:
    assert AIMS["crisis"] == Aim(min_recall=0.95)
    assert AIMS["fear"] == Aim(min_recall=0.92)
    assert AIMS["harsh"] == AIMS["slur"] == Aim()


@pytest.mark.parametrize(
    ("aim", "threshold", "precision", "recall"),
    [
        # Every yes is needed for recall 1.0: the cut goes below 0.3.
        pytest.param(Aim(min_recall=0.95), 0.25, 5 / 8, 1.0, id="recall-floor-high"),
        # Four of five suffice: the best precision with that is above 0.5 (4/5).
        pytest.param(Aim(min_recall=0.8), 0.55, 4 / 5, 0.8, id="recall-floor-lower"),
        # Best F1: 4/5 precision and 4/5 recall (0.8) beats 5/8 and 1.0 (0.769).
        pytest.param(Aim(), 0.55, 4 / 5, 0.8, id="best-f1"),
    ],
)
def test_cuts_on_a_known_table(aim: Aim, threshold: float, precision: float, recall: float) -> None:
    cut = choose_cut(SCORES, TRUTH, aim)
    assert cut.threshold == pytest.approx(threshold)
    assert cut.precision == pytest.approx(precision)
    assert cut.recall == pytest.approx(recall)


def test_ties_are_all_yes_or_all_no() -> None:
    scores = np.array([0.9, 0.5, 0.5, 0.5, 0.1])
    truth = np.array([True, True, False, False, False])
    cut = choose_cut(scores, truth, Aim(min_recall=0.95))
    assert cut.threshold == pytest.approx(0.3)
    assert cut.recall == 1.0


@pytest.mark.parametrize(
    "truth", [np.ones(3, dtype=bool), np.zeros(3, dtype=bool)], ids=["all-yes", "all-no"]
)
def test_both_kinds_of_example_are_needed(truth: np.ndarray) -> None:
    with pytest.raises(ValueError, match="both yes and no"):
        choose_cut(np.array([0.1, 0.5, 0.9]), truth, Aim())


EXAMPLES = st.lists(
    st.tuples(st.floats(min_value=0.001, max_value=0.999), st.booleans()), min_size=2, max_size=60
).filter(lambda rows: 0 < sum(truth for _s, truth in rows) < len(rows))


@given(EXAMPLES, st.sampled_from([0.5, 0.8, 0.92, 0.95, 1.0]))
# Neighbouring floats: their half-way point rounds to the lower one (found by hypothesis).
@example(rows=[(0.001, False), (0.0010000000000000002, True)], floor=0.5)
def test_a_recall_floor_is_kept_with_the_best_precision(
    rows: list[tuple[float, bool]], floor: float
) -> None:
    scores = np.array([s for s, _t in rows])
    truth = np.array([t for _s, t in rows])
    cut = choose_cut(scores, truth, Aim(min_recall=floor))
    assert 0 < cut.threshold < 1
    measured = measure(scores, truth, cut.threshold)
    assert measured.recall == pytest.approx(cut.recall)
    assert measured.precision == pytest.approx(cut.precision)
    assert cut.recall >= floor - 1e-9
    for candidate in set(scores.tolist()):
        other = measure(scores, truth, candidate)
        if other.recall >= floor - 1e-9:
            assert other.precision <= cut.precision + 1e-9


@given(EXAMPLES)
def test_best_f1_is_the_best_of_all_cuts(rows: list[tuple[float, bool]]) -> None:
    scores = np.array([s for s, _t in rows])
    truth = np.array([t for _s, t in rows])
    cut = choose_cut(scores, truth, Aim())
    best = max(measure(scores, truth, candidate).f1 for candidate in set(scores.tolist()))
    assert cut.f1 == pytest.approx(best)
