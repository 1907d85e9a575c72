"""Scoring instruments: a pure module (no database, no settings, no translation).

Problems are returned as codes with data; the forms turn them into words for the person.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from confide.measures.instrument import Instrument, Norms, Scale

RELIABLE_Z = 1.96  # two-tailed p < .05 (Jacobson & Truax 1991)
MIN_CALIBRATION = 30  # complete responses needed before norms are calibrated from local data

BETTER = "better"
SAME = "same"
WORSE = "worse"


@dataclass(frozen=True)
class AnswerProblem:
    """`code` is one of: unknown_item, not_a_number, out_of_range, too_many_missing."""

    code: str
    item: str | None = None
    data: Mapping[str, Any] = field(default_factory=dict)


class AnswerError(ValueError):
    def __init__(self, problems: list[AnswerProblem]) -> None:
        super().__init__(", ".join(p.code for p in problems))
        self.problems = problems


@dataclass(frozen=True)
class ScaleScore:
    scale: str
    value: float | None  # None: too many of this subscale's items were missing
    answered: int
    items: int

    @property
    def prorated(self) -> bool:
        return self.value is not None and self.answered < self.items


@dataclass(frozen=True)
class Scores:
    scales: tuple[ScaleScore, ...]

    @property
    def total(self) -> float:
        value = self.scales[0].value
        assert value is not None  # noqa: S101 - score() refuses answers that leave it empty
        return value

    def as_dict(self) -> dict[str, float | None]:
        return {s.scale: s.value for s in self.scales}


def clean_answers(instrument: Instrument, answers: Mapping[str, object]) -> dict[str, int | None]:
    """Every item's answer as an int on the scale, or None when skipped.

    Unknown items, values that are not whole numbers and values off the scale are refused.
    """
    problems: list[AnswerProblem] = [
        AnswerProblem("unknown_item", str(key)) for key in answers if key not in instrument.item_ids
    ]
    cleaned: dict[str, int | None] = {}
    for item in instrument.items:
        raw = answers.get(item.id)
        if raw is None or raw == "":
            cleaned[item.id] = None
            continue
        value = _as_int(raw)
        if value is None:
            problems.append(AnswerProblem("not_a_number", item.id))
        elif not instrument.low <= value <= instrument.high:
            problems.append(
                AnswerProblem(
                    "out_of_range",
                    item.id,
                    {"value": value, "low": instrument.low, "high": instrument.high},
                )
            )
        else:
            cleaned[item.id] = value
    if problems:
        raise AnswerError(problems)
    return cleaned


def _as_int(raw: object) -> int | None:
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        return raw
    if isinstance(raw, str) and raw.strip().lstrip("-").isdigit():
        return int(raw.strip())
    return None


def keyed(instrument: Instrument, item: str, value: int) -> int:
    """The value with reverse keying applied: on a 1-5 scale a reverse-keyed 1 counts as 5."""
    if item in instrument.reverse:
        return instrument.low + instrument.high - value
    return value


def _score_scale(
    instrument: Instrument, scale: Scale, answers: Mapping[str, int | None]
) -> ScaleScore:
    values = [
        keyed(instrument, item, value)
        for item in scale.items
        if (value := answers.get(item)) is not None
    ]
    count = len(scale.items)
    if count - len(values) > scale.max_missing or not values:
        return ScaleScore(scale.id, None, len(values), count)
    mean = math.fsum(values) / len(values)
    # A sum with skipped items is prorated: the mean of the answered items times the count.
    raw = mean if instrument.method == "mean" else mean * count
    low, high = instrument.scale_range(scale)
    return ScaleScore(scale.id, min(max(round(raw, 2), low), high), len(values), count)


def score(instrument: Instrument, answers: Mapping[str, object]) -> Scores:
    """Score one response. Refuses bad answers, or more skipped items than the total allows."""
    cleaned = clean_answers(instrument, answers)
    scales = tuple(_score_scale(instrument, scale, cleaned) for scale in instrument.scales)
    total = scales[0]
    if total.value is None:
        allowed = instrument.total.max_missing
        raise AnswerError(
            [
                AnswerProblem(
                    "too_many_missing",
                    None,
                    {
                        "missing": total.items - total.answered,
                        "allowed": allowed,
                        "needed": total.items - allowed,
                    },
                )
            ]
        )
    return Scores(scales)


# --- change and norms ---------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    rci: float
    se: float
    sdiff: float
    label: str  # BETTER, SAME or WORSE


def reliable_change(
    *, first: float, latest: float, sd: float, reliability: float, higher_is_better: bool
) -> Change:
    """Jacobson & Truax (1991): SE = SD·√(1−r), Sdiff = √2·SE, RCI = (x2 − x1) / Sdiff.

    |RCI| > 1.96 is a reliable change; its direction is better or worse by the instrument.
    """
    if sd <= 0 or not 0 < reliability < 1:
        raise ValueError("norms need SD > 0 and 0 < reliability < 1")
    se = sd * math.sqrt(1 - reliability)
    sdiff = math.sqrt(2) * se
    rci = (latest - first) / sdiff
    label = SAME
    if abs(rci) > RELIABLE_Z:
        improved = rci > 0 if higher_is_better else rci < 0
        label = BETTER if improved else WORSE
    return Change(rci=rci, se=se, sdiff=sdiff, label=label)


def _variance(values: Sequence[float]) -> float:
    mean = math.fsum(values) / len(values)
    return math.fsum((v - mean) ** 2 for v in values) / (len(values) - 1)


def sample_sd(values: Sequence[float]) -> float:
    """The sample standard deviation (n − 1); needs at least two values."""
    if len(values) < 2:  # noqa: PLR2004
        raise ValueError("an SD needs at least two values")
    return math.sqrt(_variance(values))


def cronbach_alpha(rows: Sequence[Sequence[float]]) -> float | None:
    """α = k/(k−1) · (1 − Σ var(item) / var(total)), over complete, keyed responses.

    None when it is undefined: fewer than two items or rows, or no variance in the totals.
    """
    if len(rows) < 2 or len(rows[0]) < 2:  # noqa: PLR2004
        return None
    k = len(rows[0])
    if any(len(row) != k for row in rows):
        raise ValueError("every row needs the same number of items")
    total_var = _variance([math.fsum(row) for row in rows])
    if total_var == 0:
        return None
    item_var = math.fsum(_variance([row[i] for row in rows]) for i in range(k))
    return k / (k - 1) * (1 - item_var / total_var)


@dataclass(frozen=True)
class Calibration:
    n: int
    sd: float | None
    reliability: float | None

    def norms(self) -> Norms | None:
        usable = self.n >= MIN_CALIBRATION and self.sd and self.reliability
        if not usable or self.sd is None or self.reliability is None:
            return None
        if not 0 < self.reliability < 1:
            return None
        return Norms(self.sd, self.reliability, "")


def calibrate(instrument: Instrument, responses: Sequence[Mapping[str, int | None]]) -> Calibration:
    """SD of total scores and Cronbach's alpha from complete responses (every item answered).

    Figures are only given from MIN_CALIBRATION complete responses on; `n` is always given.
    """
    ids = [item.id for item in instrument.items]
    complete = [r for r in responses if all(r.get(i) is not None for i in ids)]
    n = len(complete)
    if n < MIN_CALIBRATION:
        return Calibration(n, None, None)
    rows = [[float(keyed(instrument, i, int(r[i] or 0))) for i in ids] for r in complete]
    totals = [score(instrument, r).total for r in complete]
    alpha = cronbach_alpha(rows) if len(ids) > 1 else None
    return Calibration(n, sample_sd(totals), alpha)
