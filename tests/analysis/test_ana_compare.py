from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from tenslog.analysis import compare_with_rest
from tenslog.analysis.stats import median_difference
from tenslog.model import SessionKind

REST = SessionKind.REST


def test_not_enough_rest_periods_says_how_many_more(sessions_from, settings) -> None:
    c = compare_with_rest(sessions_from([(6, 4)] * 8) + sessions_from([(6, 6)] * 2, kind=REST), settings)
    assert not c.enough and c.needed_rest == 4 and c.difference is None
    assert "Not enough rest periods to compare with yet: 2 rated so far, 4 more needed" in c.plain_words()


def test_known_difference(sessions_from, settings) -> None:
    c = compare_with_rest(sessions_from([(6, 4)] * 8) + sessions_from([(6, 5)] * 7, kind=REST), settings)
    assert (c.tens_median_change, c.rest_median_change, c.difference) == (-2, -1, -1)
    assert (c.difference_ci.low, c.difference_ci.high) == (-1, -1)
    assert c.matched_difference == -1
    assert [b.used for b in c.bands] == [False, True, False]
    assert "TENS sessions did 1 point better than rest" in c.plain_words()
    assert "The whole range favours TENS" in c.plain_words()


def test_regression_to_the_mean_is_not_credited_to_the_unit(sessions_from, settings) -> None:
    # TENS is used when pain is high, and high pain falls anyway: rest periods that start
    # equally high fall just as much. The overall comparison flatters TENS; the matched one must not.
    tens = sessions_from([(9, 6), (8, 5), (9, 6), (8, 5), (9, 6), (8, 5)])
    rest = sessions_from([(2, 2)] * 6 + [(9, 6), (8, 5), (9, 6)], kind=REST)
    c = compare_with_rest(tens + rest, settings)
    assert c.difference == -3  # naive: TENS looks 3 points better
    assert c.matched_difference == 0  # at similar starting pain: no difference
    assert c.matched_ci.contains(0)
    words = c.plain_words()
    assert "Comparing only times that started at similar pain (severe (7-10)), TENS sessions and rest did the same" in words


def test_no_overlapping_bands_says_so(sessions_from, settings) -> None:
    tens = sessions_from([(9, 6)] * 6)
    rest = sessions_from([(2, 2)] * 6, kind=REST)
    c = compare_with_rest(tens + rest, settings)
    assert c.matched_difference is None
    assert "not yet enough TENS sessions and rest periods starting at similar pain" in c.plain_words()


def test_bootstrap_agrees_with_scipy() -> None:
    rng = np.random.default_rng(7)
    a = rng.integers(-6, 2, 45).astype(float)
    b = rng.integers(-3, 2, 30).astype(float)
    point, ci = median_difference([(a, b)])
    ref = stats.bootstrap(
        (a, b), lambda x, y, axis: np.median(x, axis=axis) - np.median(y, axis=axis),
        n_resamples=9999, method="percentile", rng=1, vectorized=True,
    ).confidence_interval  # fmt: skip
    assert point == np.median(a) - np.median(b)
    assert ci.low == pytest.approx(ref.low, abs=0.5) and ci.high == pytest.approx(ref.high, abs=0.5)


def test_bootstrap_is_reproducible(sessions_from, settings) -> None:
    data = sessions_from([(6, 4), (7, 3), (5, 5), (8, 7), (6, 2), (4, 5)]) + sessions_from(
        [(6, 5), (7, 7), (5, 4), (8, 8), (6, 5), (4, 3)], kind=REST
    )
    assert compare_with_rest(data, settings) == compare_with_rest(data, settings)
