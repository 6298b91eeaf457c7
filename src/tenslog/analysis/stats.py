"""The statistics, each stated the way the summary words describe them.

- Median change: 95 % distribution-free interval from order statistics
  (scipy.stats.quantile_test(...).confidence_interval), exact for any sample size.
- Mean change: 95 % t-interval (scipy.stats.ttest_1samp(...).confidence_interval).
- Wilcoxon signed-rank (scipy.stats.wilcoxon) with zero_method="pratt": sessions with no
  change are ranked with the others and then left out of the sums, so they pull the result
  towards "no difference" instead of being thrown away (Wilcoxon's own method).
- Effect size: matched-pairs rank-biserial r = (T+ - T-) / (T+ + T-) from the same signed
  ranks (Kerby 2014): -1 = every change a fall, 0 = falls and rises balance, +1 = all rises.
- Differences in median change between two groups: percentile bootstrap, seeded.
  Pain changes are whole numbers from -10 to 10, so a resample of n values is fully described
  by how many times each of those 21 values was drawn (a multinomial draw). Resampling counts
  instead of 11k individual values gives the same bootstrap distribution at a tiny fraction
  of the cost; tests cross-check it against scipy.stats.bootstrap.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import stats

from tenslog.analysis.slopes import theil_sen_slopes

CONFIDENCE = 0.95
N_RESAMPLES = 2000
SEED = 20260101  # fixed: the same data always gives the same interval
VALUES = np.arange(-10, 11)  # every possible change on the 0-10 scale


@dataclass(frozen=True, slots=True)
class Interval:
    low: float
    high: float
    method: str

    def contains(self, value: float) -> bool:
        return self.low <= value <= self.high


@dataclass(frozen=True, slots=True)
class SignedRank:
    statistic: float | None  # scipy's statistic (sum of ranks of the smaller side)
    p_value: float | None
    t_plus: float  # sum of ranks of rises
    t_minus: float  # sum of ranks of falls
    rank_biserial: float | None
    n: int
    n_zero: int
    method: str  # "exact" or "normal approximation"
    note: str | None  # set instead of a p-value when the test cannot say anything


def median_ci(x: np.ndarray) -> Interval | None:
    """None below 6 values: no pair of order statistics then covers the median 95 % of the time
    (with 5, all on one side happens 2 x 0.5**5 = 6 % of the time)."""
    ci = stats.quantile_test(x, q=float(np.median(x)), p=0.5).confidence_interval(CONFIDENCE)
    if not (np.isfinite(ci.low) and np.isfinite(ci.high)):
        return None
    return Interval(float(ci.low), float(ci.high), "distribution-free (order statistics)")


def mean_ci(x: np.ndarray) -> Interval:
    if np.all(x == x[0]):  # no spread: the t-interval degenerates to the value itself
        return Interval(float(x[0]), float(x[0]), "t-interval")
    ci = stats.ttest_1samp(x, 0.0).confidence_interval(CONFIDENCE)
    return Interval(float(ci.low), float(ci.high), "t-interval")


def signed_ranks(changes: np.ndarray) -> tuple[float, float]:
    """T+ and T- with Pratt's handling: zeros share in the ranking, then drop out."""
    ranks = stats.rankdata(np.abs(changes))
    return float(ranks[changes > 0].sum()), float(ranks[changes < 0].sum())


def signed_rank_test(changes: np.ndarray) -> SignedRank:
    n = len(changes)
    n_zero = int(np.count_nonzero(changes == 0))
    t_plus, t_minus = signed_ranks(changes)
    if n_zero == n:
        return SignedRank(None, None, 0.0, 0.0, None, n, n_zero, "none", "no change in any session")
    r = (t_plus - t_minus) / (t_plus + t_minus)
    has_ties = len(np.unique(np.abs(changes))) < n
    # scipy's exact distribution assumes no ties or zeros; otherwise the normal approximation
    # (with its tie correction) is the honest choice.
    method = "exact" if n <= 50 and not has_ties and n_zero == 0 else "approx"
    result = stats.wilcoxon(changes, zero_method="pratt", method=method)
    label = "exact" if method == "exact" else "normal approximation"
    return SignedRank(
        float(result.statistic), float(result.pvalue), t_plus, t_minus, r, n, n_zero, label, None
    )


def _median_of_counts(counts: np.ndarray) -> np.ndarray:
    """Median of each row of value counts (rows: resamples, columns: VALUES)."""
    n = counts.sum(axis=1)
    cum = counts.cumsum(axis=1)
    lo = np.argmax(cum >= ((n + 1) // 2)[:, None], axis=1)
    hi = np.argmax(cum >= (n // 2 + 1)[:, None], axis=1)
    return (VALUES[lo] + VALUES[hi]) / 2


def _resample_medians(x: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    counts = np.array([np.count_nonzero(x == v) for v in VALUES])
    draws = rng.multinomial(len(x), counts / len(x), size=N_RESAMPLES)
    return _median_of_counts(draws)


def median_difference(
    pairs: Sequence[tuple[np.ndarray, np.ndarray]], weights: Sequence[float] | None = None
) -> tuple[float, Interval]:
    """Weighted mean over strata of (median of a - median of b), with a percentile bootstrap
    interval that resamples each group within its stratum. One stratum = plain difference."""
    w = np.ones(len(pairs)) if weights is None else np.asarray(weights, dtype=float)
    w = w / w.sum()
    rng = np.random.default_rng(SEED)
    point = sum(wi * (np.median(a) - np.median(b)) for wi, (a, b) in zip(w, pairs, strict=True))
    boot = np.zeros(N_RESAMPLES)
    for wi, (a, b) in zip(w, pairs, strict=True):
        boot += wi * (_resample_medians(a, rng) - _resample_medians(b, rng))
    low, high = np.percentile(boot, [50 * (1 - CONFIDENCE), 50 * (1 + CONFIDENCE)])
    return float(point), Interval(float(low), float(high), "percentile bootstrap")


def theil_sen(x: np.ndarray, y: np.ndarray) -> tuple[float, Interval]:
    """scipy.stats.theilslopes(y, x, alpha=CONFIDENCE)'s slope and interval, in O(W log W)
    for weekly medians (see tenslog.analysis.slopes)."""
    z = stats.norm.ppf((1.0 - CONFIDENCE) / 2.0)  # as scipy takes it from alpha
    slope, low, high = theil_sen_slopes(x, y, float(z))
    return slope, Interval(low, high, "Theil-Sen")
