from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from confide.bench.stats import percentile, summarise


@pytest.mark.parametrize(
    ("values", "share", "expected"),
    [
        ([5.0], 0.5, 5.0),
        ([5.0], 0.95, 5.0),
        ([1.0, 2.0], 0.5, 1.0),
        ([1.0, 2.0], 0.95, 2.0),
        ([3.0, 1.0, 2.0], 0.5, 2.0),
        ([1.0, 2.0, 3.0, 4.0], 0.5, 2.0),
        ([1.0, 2.0, 3.0, 4.0], 0.75, 3.0),
        ([float(n) for n in range(1, 101)], 0.95, 95.0),
        ([float(n) for n in range(1, 101)], 0.5, 50.0),
        ([float(n) for n in range(1, 101)], 1.0, 100.0),
        ([float(n) for n in range(1, 21)], 0.95, 19.0),
    ],
)
def test_percentile_is_the_nearest_rank(values: list[float], share: float, expected: float) -> None:
    assert percentile(values, share) == expected


def test_a_small_sample_never_gets_a_p95_above_its_maximum() -> None:
    """The old dialogue bench printed p95 461.6 ms above a max of 408.7 ms."""
    sample = [25.0, 26.0, 30.0, 408.7]
    assert percentile(sample, 0.95) == max(sample)


@pytest.mark.parametrize(("values", "share"), [([], 0.5), ([1.0], 0.0), ([1.0], 1.5)])
def test_percentile_refuses_what_has_no_answer(values: list[float], share: float) -> None:
    with pytest.raises(ValueError, match="percentile|share"):
        percentile(values, share)


samples = st.lists(st.floats(min_value=0, max_value=1e6, allow_nan=False), min_size=1)
shares = st.floats(min_value=0.001, max_value=1.0)


@given(samples, shares)
def test_percentile_is_one_of_the_values_within_their_range(
    values: list[float], share: float
) -> None:
    result = percentile(values, share)
    assert result in values
    assert min(values) <= result <= max(values)


@given(samples, shares, shares)
def test_percentile_grows_with_the_share(values: list[float], a: float, b: float) -> None:
    low, high = sorted((a, b))
    assert percentile(values, low) <= percentile(values, high)


def test_summary_in_milliseconds_and_per_second() -> None:
    summary = summarise([0.001, 0.002, 0.003, 0.004], seconds=2.0, errors=1)
    assert summary.requests == 4
    assert summary.errors == 1
    assert summary.per_second == 2.0
    assert summary.p50_ms == pytest.approx(2.0)
    assert summary.p95_ms == pytest.approx(4.0)
    assert summary.max_ms == pytest.approx(4.0)


def test_summary_of_nothing_is_zero_not_an_error() -> None:
    summary = summarise([], seconds=1.0, errors=3)
    assert (summary.requests, summary.per_second, summary.p95_ms, summary.errors) == (0, 0, 0, 3)
