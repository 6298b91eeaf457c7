"""Issue 17: the similar-starting-pain comparison's bootstrap must combine every pain band, and
its 95 % range must be the 2.5th and 97.5th percentiles of that combined distribution.

The reference is computed independently, by enumeration: for small groups every possible
resample (a multinomial draw over the group's distinct values) is listed with its exact
probability, giving the exact bootstrap distribution of each band's difference in medians;
the bands' weighted sum is their convolution. The cases are chosen so that each percentile
falls well inside one atom of that exact distribution (checked below), so tenslog's seeded
2000-resample bootstrap must land on exactly that value: the tolerance is 1e-9, not half a
point."""

from __future__ import annotations

from collections import Counter, defaultdict
from itertools import product
from math import factorial, prod

import numpy as np
import pytest

from support.known_sessions import make_session
from tenslog.analysis import compare_with_rest
from tenslog.analysis.stats import N_RESAMPLES, median_difference
from tenslog.model import SessionKind
from tenslog.settings import Settings

MARGIN = 0.01  # each percentile sits at least this far (in probability) inside its atom


def _compositions(n: int, k: int):
    if k == 1:
        yield (n,)
        return
    for first in range(n + 1):
        for rest in _compositions(n - first, k - 1):
            yield (first, *rest)


def exact_median_distribution(x: list[int]) -> dict[float, float]:
    """P(median of a with-replacement resample of x = m), by listing every resample's counts."""
    values, probs = zip(*sorted((v, c / len(x)) for v, c in Counter(x).items()), strict=True)
    n, out = len(x), defaultdict(float)
    for counts in _compositions(n, len(values)):
        ways = factorial(n) / prod(factorial(c) for c in counts)
        p = ways * prod(q**c for q, c in zip(probs, counts, strict=True))
        sample = sorted(v for v, c in zip(values, counts, strict=True) for _ in range(c))
        out[(sample[(n - 1) // 2] + sample[n // 2]) / 2] += p
    return out


def exact_combined(pairs: list[tuple[list[int], list[int]]], weights: list[float]) -> dict[float, float]:
    """Exact distribution of sum_i w_i (median a_i* - median b_i*), w normalised to sum 1."""
    w = np.asarray(weights, dtype=float) / sum(weights)
    total: dict[float, float] = {0.0: 1.0}
    for wi, (a, b) in zip(w, pairs, strict=True):
        da, db = exact_median_distribution(a), exact_median_distribution(b)
        nxt: dict[float, float] = defaultdict(float)
        for (s, ps), (ma, pa), (mb, pb) in product(total.items(), da.items(), db.items()):
            nxt[round(s + wi * (ma - mb), 9)] += ps * pa * pb
        total = nxt
    return total


def exact_percentile_atom(dist: dict[float, float], q: float) -> float:
    """The value holding the q-quantile, asserting the quantile is MARGIN inside it."""
    below = 0.0
    for value in sorted(dist):
        if below + dist[value] > q:
            assert below < q - MARGIN and below + dist[value] > q + MARGIN, "case too close to an atom's edge"
            return value
        below += dist[value]
    raise AssertionError("unreachable")


# Two or three bands (weights as compare_with_rest gives them), each with its own spread, so a bootstrap that dropped any band (or kept
# only the last), mixed up weights, or used a 90 % range would land on a different value.
CASES = [
    ([([-2, -2, -4], [1, 0, 1, 1, -1]), ([1, 1, 1, -1], [1, -1, 1, 1, 1, 1])], [1.875, 2.4]),
    ([([-1, -1, -2], [0, 0, 0, 0, 0, 0]), ([-5, -5, -4], [0, 0, 1])], [2.0, 1.5]),
    ([([-2, -2, -2, -1], [1, -1, -1]), ([-3, -4, -4], [0, 1, 0])], [12 / 7, 1.5]),
    ([([-1, -1, 0, -1], [1, -1, 0, 1, 0, 0]), ([1, 1, 0], [1, 1, 0, 0, 0]), ([-4, -4, -3], [0, 0, 0, 0, 0, -1])],
     [2.4, 1.875, 2.0]),
]  # fmt: skip


@pytest.mark.parametrize(("pairs", "weights"), CASES)
def test_stratified_bootstrap_matches_exact_enumeration(pairs, weights) -> None:
    exact = exact_combined(pairs, weights)
    assert sum(exact.values()) == pytest.approx(1.0)
    low, high = exact_percentile_atom(exact, 0.025), exact_percentile_atom(exact, 0.975)
    w = np.asarray(weights) / sum(weights)
    expected_point = sum(wi * (np.median(a) - np.median(b)) for wi, (a, b) in zip(w, pairs, strict=True))
    point, ci = median_difference([(np.array(a, float), np.array(b, float)) for a, b in pairs], weights)
    assert point == pytest.approx(expected_point, abs=1e-9)
    assert ci.low == pytest.approx(low, abs=1e-9) and ci.high == pytest.approx(high, abs=1e-9)


@pytest.mark.parametrize(("pairs", "weights"), CASES)
def test_the_cases_tell_wrong_bootstraps_apart(pairs, weights) -> None:
    """Guards the test above: with only the last band, or a 90 % range, the answer differs."""
    exact = exact_combined(pairs, weights)
    right = (exact_percentile_atom(exact, 0.025), exact_percentile_atom(exact, 0.975))
    last_only = exact_combined(pairs[-1:], [1.0])
    scaled_last = {v * weights[-1] / sum(weights): p for v, p in last_only.items()}
    wrong = [_quantiles(last_only), _quantiles(scaled_last), _quantiles(exact, 0.05, 0.95)]
    assert all(w != right for w in wrong)


def _quantiles(dist: dict[float, float], lo: float = 0.025, hi: float = 0.975) -> tuple[float, float]:
    values = sorted(dist)
    cdf = np.cumsum([dist[v] for v in values])
    return values[int(np.searchsorted(cdf, lo, side="right"))], values[int(np.searchsorted(cdf, hi, side="right"))]


def test_matched_range_in_the_comparison_combines_every_band() -> None:
    """End to end: the rest comparison's like-for-like range equals the exact stratified one."""
    mild, severe = CASES[1][0]
    sessions = []
    for before, (tens, rest) in ((2, mild), (8, severe)):
        sessions += [make_session(before, before + c, day=i) for i, c in enumerate(tens)]
        sessions += [make_session(before, before + c, day=i, kind=SessionKind.REST) for i, c in enumerate(rest)]
    c = compare_with_rest(sessions, Settings(db="/nonexistent/never-opened.db"))
    assert [b.used for b in c.bands] == [True, False, True]
    weights = [len(t) * len(r) / (len(t) + len(r)) for t, r in (mild, severe)]
    exact = exact_combined([mild, severe], weights)
    assert c.matched_ci.low == pytest.approx(exact_percentile_atom(exact, 0.025), abs=1e-9)
    assert c.matched_ci.high == pytest.approx(exact_percentile_atom(exact, 0.975), abs=1e-9)
    assert N_RESAMPLES >= 2000  # the margins above assume at least this many resamples
