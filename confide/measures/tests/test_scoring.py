from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from confide.measures import scoring
from confide.measures.instrument import Instrument, parse_instrument
from confide.measures.registry import BUILTIN_DIR

WEEKLY = parse_instrument((BUILTIN_DIR / "weekly-closeness.toml").read_text())
MEETING = parse_instrument((BUILTIN_DIR / "meeting-rating.toml").read_text())  # a sum, 4 items
PICTURE = parse_instrument((BUILTIN_DIR / "closeness-picture.toml").read_text())
ITEMS = ["understood", "heard", "held-back", "turned-toward", "time-together", "appreciated"]


def _weekly(*values: object) -> dict[str, object]:
    return dict(zip(ITEMS, values, strict=True))


@pytest.mark.parametrize(
    ("answers", "total", "attuned", "valued"),
    [
        # held-back is reverse-keyed: on 1-5 an answer of 1 counts as 5.
        (_weekly(5, 5, 1, 5, 5, 5), 5.0, 5.0, 5.0),
        (_weekly(1, 1, 5, 1, 1, 1), 1.0, 1.0, 1.0),
        (_weekly(4, 4, 2, 4, 4, 4), 4.0, 4.0, 4.0),
        (_weekly(3, 4, 3, 5, 2, 4), 3.5, 4.0, 3.0),
        # One skipped item is allowed; the mean of the rest is the prorated score, and the
        # subscale that lost an item (max_missing 0) is left unscored.
        (_weekly(5, None, 1, 5, 4, 4), 4.6, None, 13 / 3),
        (_weekly("2", "2", "4", "2", "2", "2"), 2.0, 2.0, 2.0),  # form values are text
    ],
)
def test_weekly_check_scores(
    answers: dict[str, object], total: float, attuned: float | None, valued: float | None
) -> None:
    scores = scoring.score(WEEKLY, answers).as_dict()
    assert scores["total"] == pytest.approx(total, abs=0.005)
    assert scores["attuned"] == (None if attuned is None else pytest.approx(attuned, abs=0.005))
    assert scores["valued"] == (None if valued is None else pytest.approx(valued, abs=0.005))


@pytest.mark.parametrize(
    ("answers", "total"),
    [
        ({"listened-to": 5, "mattered": 5, "the-way": 5, "overall": 5}, 20.0),
        ({"listened-to": 1, "mattered": 2, "the-way": 3, "overall": 4}, 10.0),
        # A skipped item in a sum is prorated: mean of the answered (3) times 4 items.
        ({"listened-to": 2, "mattered": 3, "the-way": 4, "overall": None}, 12.0),
        ({"listened-to": 5, "mattered": 4, "the-way": 4}, 17.33),
    ],
)
def test_sums_are_prorated(answers: dict[str, object], total: float) -> None:
    assert scoring.score(MEETING, answers).total == pytest.approx(total)


@pytest.mark.parametrize(
    ("answers", "code", "item"),
    [
        (_weekly(6, 5, 1, 5, 5, 5), "out_of_range", "understood"),
        (_weekly(5, 0, 1, 5, 5, 5), "out_of_range", "heard"),
        (_weekly(5, 5, -1, 5, 5, 5), "out_of_range", "held-back"),
        (_weekly(5, 5, 1, "lots", 5, 5), "not_a_number", "turned-toward"),
        (_weekly(5, 5, 1, 5, 4.5, 5), "not_a_number", "time-together"),
        (_weekly(5, 5, 1, 5, 5, True), "not_a_number", "appreciated"),
        ({**_weekly(5, 5, 1, 5, 5, 5), "mystery": 3}, "unknown_item", "mystery"),
        (_weekly(5, None, None, 5, 5, 5), "too_many_missing", None),
        (_weekly(None, None, None, None, None, None), "too_many_missing", None),
    ],
)
def test_bad_answers_are_refused(answers: dict[str, object], code: str, item: str | None) -> None:
    with pytest.raises(scoring.AnswerError) as caught:
        scoring.score(WEEKLY, answers)
    assert [(p.code, p.item) for p in caught.value.problems] == [(code, item)]


def test_too_many_missing_says_how_many_are_needed() -> None:
    with pytest.raises(scoring.AnswerError) as caught:
        scoring.score(WEEKLY, _weekly(5, None, None, 5, 5, 5))
    assert caught.value.problems[0].data == {"missing": 2, "allowed": 1, "needed": 5}


def test_a_single_item_measure_allows_no_skipping() -> None:
    assert scoring.score(PICTURE, {"overlap": 7}).total == 7.0
    with pytest.raises(scoring.AnswerError):
        scoring.score(PICTURE, {})


def _answers_for(instrument: Instrument) -> st.SearchStrategy[dict[str, int | None]]:
    values = st.integers(instrument.low, instrument.high)
    keys = [i.id for i in instrument.items]
    return st.lists(values, min_size=len(keys), max_size=len(keys)).flatmap(
        lambda answered: st.sets(st.sampled_from(keys), max_size=instrument.total.max_missing).map(
            lambda skipped: {
                k: (None if k in skipped else v) for k, v in zip(keys, answered, strict=True)
            }
        )
    )


@given(_answers_for(WEEKLY))
def test_weekly_scores_always_stay_inside_the_declared_range(
    answers: dict[str, int | None],
) -> None:
    for scale in scoring.score(WEEKLY, answers).scales:
        if scale.value is not None:
            assert WEEKLY.range[0] <= scale.value <= WEEKLY.range[1]


@given(_answers_for(MEETING))
def test_prorated_sums_always_stay_inside_the_declared_range(
    answers: dict[str, int | None],
) -> None:
    assert MEETING.range[0] <= scoring.score(MEETING, answers).total <= MEETING.range[1]


@given(st.sampled_from(ITEMS), st.integers().filter(lambda v: not 1 <= v <= 5))
def test_any_answer_off_the_scale_is_refused(item: str, value: int) -> None:
    answers = {**_weekly(3, 3, 3, 3, 3, 3), item: value}
    with pytest.raises(scoring.AnswerError):
        scoring.score(WEEKLY, answers)


@given(st.integers(1, 5))
def test_reverse_keying_mirrors_the_scale(value: int) -> None:
    assert scoring.keyed(WEEKLY, "held-back", value) == 6 - value
    assert scoring.keyed(WEEKLY, "heard", value) == value


@given(_answers_for(WEEKLY))
def test_higher_agreement_never_lowers_the_total(answers: dict[str, int | None]) -> None:
    # Raising one positively keyed answer by a point cannot lower the total score.
    base = scoring.score(WEEKLY, answers).total
    for item in ("understood", "appreciated"):
        value = answers[item]
        if value is not None and value < 5:
            assert scoring.score(WEEKLY, {**answers, item: value + 1}).total >= base


# --- reliable change: worked examples, computed by hand -----------------------------------


def test_rci_worked_example_reliably_better() -> None:
    # SD 7.5, r .88: SE = 7.5 * sqrt(.12) = 7.5 * 0.346410 = 2.598076;
    # Sdiff = sqrt(2) * 2.598076 = 3.674235; RCI = (28 - 20) / 3.674235 = 2.177324 > 1.96.
    change = scoring.reliable_change(
        first=20, latest=28, sd=7.5, reliability=0.88, higher_is_better=True
    )
    assert change.se == pytest.approx(2.598076, abs=1e-6)
    assert change.sdiff == pytest.approx(3.674235, abs=1e-6)
    assert change.rci == pytest.approx(2.177324, abs=1e-6)
    assert change.label == scoring.BETTER


def test_rci_worked_example_no_reliable_change() -> None:
    # SD 0.8, r .75: SE = 0.8 * 0.5 = 0.4; Sdiff = 0.565685; RCI = (3.5 - 3.0) / 0.565685
    # = 0.883883, inside ±1.96.
    change = scoring.reliable_change(
        first=3.0, latest=3.5, sd=0.8, reliability=0.75, higher_is_better=True
    )
    assert change.se == pytest.approx(0.4)
    assert change.rci == pytest.approx(0.883883, abs=1e-6)
    assert change.label == scoring.SAME


def test_rci_worked_example_reliably_worse_when_higher_is_better() -> None:
    # SD 1, r .5: SE = 0.707107; Sdiff = 1.0; RCI = (1.5 - 4.0) / 1 = -2.5.
    change = scoring.reliable_change(
        first=4.0, latest=1.5, sd=1.0, reliability=0.5, higher_is_better=True
    )
    assert change.sdiff == pytest.approx(1.0)
    assert change.rci == pytest.approx(-2.5)
    assert change.label == scoring.WORSE


def test_rci_direction_follows_the_instrument_when_lower_is_better() -> None:
    # The same fall of 2.5 with Sdiff 1.0 is an improvement on a distress scale.
    change = scoring.reliable_change(
        first=4.0, latest=1.5, sd=1.0, reliability=0.5, higher_is_better=False
    )
    assert change.label == scoring.BETTER


def test_rci_at_exactly_196_is_not_reliable() -> None:
    change = scoring.reliable_change(
        first=0, latest=1.96, sd=1.0, reliability=0.5, higher_is_better=True
    )
    assert change.label == scoring.SAME


@pytest.mark.parametrize(("sd", "reliability"), [(0, 0.8), (-1, 0.8), (1, 0), (1, 1)])
def test_rci_needs_usable_norms(sd: float, reliability: float) -> None:
    with pytest.raises(ValueError, match="norms"):
        scoring.reliable_change(
            first=1, latest=2, sd=sd, reliability=reliability, higher_is_better=True
        )


# --- alpha and SD from local data -----------------------------------------------------------

# Three items, four people. Item variances (n - 1): 5/3, 4.75/3, 5/3, summing to 14.75/3.
# Totals 5, 8, 10, 14: variance 42.75/3. Alpha = 3/2 * (1 - 14.75/42.75) = 56/57.
SMALL = [[1, 2, 2], [2, 3, 3], [3, 3, 4], [4, 5, 5]]


def test_alpha_of_a_small_data_set_with_a_known_value() -> None:
    assert scoring.cronbach_alpha(SMALL) == pytest.approx(56 / 57)


def test_alpha_is_one_for_identical_items_and_undefined_without_spread() -> None:
    assert scoring.cronbach_alpha([[1, 1], [2, 2], [5, 5]]) == pytest.approx(1.0)
    assert scoring.cronbach_alpha([[3, 3], [3, 3]]) is None
    assert scoring.cronbach_alpha([[3, 3]]) is None


def test_sample_sd() -> None:
    # Totals 5, 8, 10, 14: variance 42.75 / 3 = 14.25.
    assert scoring.sample_sd([5, 8, 10, 14]) == pytest.approx(math.sqrt(14.25))
    with pytest.raises(ValueError, match="two"):
        scoring.sample_sd([1])


def _response(level: int, wobble: int) -> dict[str, int | None]:
    values = [min(max(level + (wobble + i) % 3 - 1, 1), 5) for i in range(6)]
    answers: dict[str, int | None] = dict(zip(ITEMS, values, strict=True))
    answers["held-back"] = 6 - values[2]  # reverse-keyed in the file
    return answers


def test_calibration_waits_for_thirty_complete_responses() -> None:
    responses = [_response(1 + n % 5, n) for n in range(29)]
    responses.append({**_response(3, 0), "heard": None})  # incomplete: not counted
    calibration = scoring.calibrate(WEEKLY, responses)
    assert (calibration.n, calibration.sd, calibration.reliability) == (29, None, None)
    assert calibration.norms() is None


def test_calibration_from_thirty_complete_responses() -> None:
    responses = [_response(1 + n % 5, n) for n in range(30)]
    calibration = scoring.calibrate(WEEKLY, responses)
    totals = [scoring.score(WEEKLY, r).total for r in responses]
    keyed = [[scoring.keyed(WEEKLY, i, int(r[i] or 0)) for i in ITEMS] for r in responses]
    assert calibration.n == 30
    assert calibration.sd == pytest.approx(scoring.sample_sd(totals))
    assert calibration.reliability == pytest.approx(scoring.cronbach_alpha(keyed))
    assert calibration.reliability is not None and calibration.reliability > 0.9
    norms = calibration.norms()
    assert norms is not None and norms.sd == calibration.sd
