"""Statistics that mutation testing showed no test pinned (see docs/mutation.md). Expected
values are worked out here by their definition, not by calling the code under test."""

from __future__ import annotations

from itertools import combinations
from statistics import median

import numpy as np
from scipy import stats as scipy_stats

from tenslog.analysis.stats import Interval, theil_sen


def test_theil_sen_is_the_median_of_pairwise_slopes_over_uneven_days() -> None:
    # Uneven spacing: a slope that ignored x (or swapped x and y) would differ.
    x = np.array([0.0, 1.0, 3.0, 4.0, 9.0, 10.0])
    y = np.array([7.0, 6.0, 6.0, 4.0, 3.0, 3.5])
    pairwise = [(y[j] - y[i]) / (x[j] - x[i]) for i, j in combinations(range(len(x)), 2)]
    slope, interval = theil_sen(x, y)
    assert slope == median(pairwise) == -2.5 / 7  # from (3, 6) to (10, 3.5)
    reference = scipy_stats.theilslopes(y, x, alpha=0.95)  # Sen's 95 % interval for this data
    assert interval == Interval(reference.low_slope, reference.high_slope, "Theil-Sen")
    assert interval.low < slope < interval.high
