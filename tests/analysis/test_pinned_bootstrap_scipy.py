"""The bootstrap of the difference in median change, cross-checked against scipy tightly
(issue 17: the old check allowed half a point, so off-by-one resample medians and a 90 % range
labelled 95 % survived). The data are chosen so that the 2.5th and 97.5th percentiles of the
bootstrap distribution each lie more than 1 % (in probability) inside one value of it (found
with 400,000 resamples), so any correct percentile bootstrap, tenslog's seeded 2000 resamples
and scipy's 9999, lands on exactly that value; the 90 % range and a resample median that takes
the wrong middle value land elsewhere."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from tenslog.analysis.stats import CONFIDENCE, VALUES, _median_of_counts, median_difference

TENS = np.array([-4, -5, -2, -3, -5, -3, -1, -6, -6, -3, -5, -1, -2, -2], dtype=float)  # 14: even
REST = np.array([-1, -2, -2, -1, -1, 0, 1, -2], dtype=float)  # 8: even, so a median can be a half


def _scipy(confidence: float) -> tuple[float, float]:
    ci = stats.bootstrap(
        (TENS, REST), lambda x, y, axis: np.median(x, axis=axis) - np.median(y, axis=axis),
        n_resamples=9999, method="percentile", confidence_level=confidence, rng=1, vectorized=True,
    ).confidence_interval  # fmt: skip
    return float(ci.low), float(ci.high)


def test_the_range_is_scipys_95_percent_percentile_bootstrap_exactly() -> None:
    point, ci = median_difference([(TENS, REST)])
    assert point == -3.0 - (-1.0) == np.median(TENS) - np.median(REST)
    assert _scipy(0.95) == (-4.0, -0.5)
    assert (ci.low, ci.high) == (-4.0, -0.5)
    assert ci.method == "percentile bootstrap" and CONFIDENCE == 0.95


def test_a_90_percent_range_would_differ() -> None:
    """Guards the case: it tells a 90 % range from the 95 % one."""
    assert _scipy(0.90) == (-4.0, -1.0)


def test_swapping_the_groups_mirrors_the_range() -> None:
    point, ci = median_difference([(REST, TENS)])
    assert (point, ci.low, ci.high) == (2.0, 0.5, 4.0)


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(st.lists(st.lists(st.integers(0, 4), min_size=21, max_size=21).filter(any), min_size=1, max_size=5))
def test_each_resample_median_is_numpys_median_of_the_drawn_values(rows: list[list[int]]) -> None:
    """Resamples are drawn as counts of each change from -10 to 10; the median read from the
    counts must be the median of the values they stand for, for odd and even sizes alike."""
    counts = np.array(rows)
    expected = [np.median(np.repeat(VALUES, row)) for row in counts]
    assert list(_median_of_counts(counts)) == expected
