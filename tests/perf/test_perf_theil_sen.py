"""The relief trend's Theil-Sen, counted on the (value x week) grid instead of pairing every
two weeks, gives exactly scipy.stats.theilslopes' slope and interval (the figures a user reads
in the summary and the report)."""

from __future__ import annotations

import warnings

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats as scipy_stats

from tenslog.analysis.slopes import SortedSlopes, theil_sen_slopes
from tenslog.analysis.stats import Interval, theil_sen

Z = float(scipy_stats.norm.ppf((1.0 - 0.95) / 2.0))

# Weekly medians of whole-number pain changes: multiples of 0.5 in [-10, 10], at whole weeks
# (gaps where no session was rated; the same week twice only in the general routine).
half_units = st.integers(-20, 20).map(lambda k: k / 2)


@st.composite
def weekly_points(draw: st.DrawFn, distinct: bool = True) -> tuple[np.ndarray, np.ndarray]:
    weeks = st.integers(0, 80)
    xs = draw(st.lists(weeks, min_size=2, max_size=30, unique=distinct).filter(lambda v: len(set(v)) > 1))
    ys = draw(st.lists(half_units, min_size=len(xs), max_size=len(xs)))
    order = np.argsort(xs, kind="stable")
    return np.array(xs, dtype=float)[order], np.array(ys)[order]


def scipy_trend(x: np.ndarray, y: np.ndarray) -> tuple[float, float, float]:
    with np.errstate(invalid="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # its nan interval when many repeat
        r = scipy_stats.theilslopes(y, x, alpha=0.95)
    return float(r.slope), float(r.low_slope), float(r.high_slope)


@given(weekly_points())
def test_grid_count_gives_scipys_slope_and_interval_exactly(points: tuple[np.ndarray, np.ndarray]) -> None:
    x, y = points
    assert theil_sen_slopes(x, y, Z, grid=True) == scipy_trend(x, y)
    slope, interval = theil_sen(x, y)  # whichever route it takes for this size
    assert (slope, interval) == (scipy_trend(x, y)[0], Interval(*scipy_trend(x, y)[1:], "Theil-Sen"))


@given(weekly_points(distinct=False))
def test_the_same_week_twice_is_counted_as_scipy_counts_it(points: tuple[np.ndarray, np.ndarray]) -> None:
    x, y = points
    ours, theirs = theil_sen_slopes(x, y, Z, grid=True), scipy_trend(x, y)
    # with many repeats Sen's variance goes negative and scipy gives no interval (nan): nor do we
    assert np.array_equal(ours, theirs, equal_nan=True), (ours, theirs)


@given(st.lists(st.tuples(st.floats(-1e3, 1e3), st.floats(-1e3, 1e3)), min_size=2, max_size=20)
       .filter(lambda pts: len({p[0] for p in pts}) > 1))
def test_points_off_the_grid_pair_up_as_scipy_does(pts: list[tuple[float, float]]) -> None:
    x, y = np.array([p[0] for p in pts]), np.array([p[1] for p in pts])
    ours, theirs = theil_sen_slopes(x, y, Z), scipy_trend(x, y)
    assert np.array_equal(ours, theirs, equal_nan=True), (ours, theirs)


def test_fifty_years_of_weeks_are_counted_on_the_grid_with_scipys_answer() -> None:
    rng = np.random.default_rng(16)
    x = np.flatnonzero(rng.random(2600) > 0.03).astype(float)  # 50 years, a few weeks unrated
    y = rng.integers(-20, 21, size=len(x)) / 2
    slopes = SortedSlopes(x, y)
    assert slopes.n == len(x) * (len(x) - 1) // 2
    assert len(slopes.values) < 250_000  # distinct (value step, week step) cells, not ~3.2 million pairs
    assert theil_sen_slopes(x, y, Z) == scipy_trend(x, y)
