"""Statistics that mutation testing showed no test pinned (see docs/mutation.md). Expected
values are worked out here by their definition, not by calling the code under test."""

from __future__ import annotations

from itertools import combinations
from statistics import median

import numpy as np
import pytest
from scipy import stats as scipy_stats

from tenslog.analysis.per_session import NO_PERCENT_FROM_ZERO, SessionEffect, effect
from tenslog.analysis.stats import (
    Interval,
    SignedRank,
    mean_ci,
    median_ci,
    signed_rank_test,
    theil_sen,
)
from tenslog.settings import Settings


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


# --- stats.py: the intervals and the signed-rank test as the summary shows them ---------------

def test_median_interval_is_the_order_statistics_pair_and_says_so() -> None:
    # 6 sorted changes: the 95 % distribution-free interval is the smallest to the largest.
    changes = np.array([-3.0, -1.0, -4.0, 0.0, -2.0, -2.0])
    assert median_ci(changes) == Interval(-4.0, 0.0, "distribution-free (order statistics)")
    assert median_ci(changes[:5]) is None  # 5 values: no pair covers the median 95 % of the time


def test_mean_interval_without_spread_is_the_value_itself() -> None:
    assert mean_ci(np.array([-2.0, -2.0, -2.0, -2.0, -2.0, -2.0])) == Interval(-2.0, -2.0, "t-interval")
    spread = np.array([-3.0, -1.0, -4.0, 0.0, -2.0, -2.0])
    reference = scipy_stats.t.interval(0.95, 5, loc=spread.mean(), scale=scipy_stats.sem(spread))
    ci = mean_ci(spread)
    assert (ci.low, ci.high, ci.method) == (pytest.approx(reference[0]), pytest.approx(reference[1]), "t-interval")


def test_no_change_in_any_session_gives_no_test_and_says_why() -> None:
    assert signed_rank_test(np.zeros(7)) == SignedRank(
        None, None, 0.0, 0.0, None, 7, 7, "none", "no change in any session"
    )


# --- per_session.py: one session's effect, in numbers and in words ----------------------------

SETTINGS = Settings(db="/x")  # responder: a fall of 2 points or 30 %


def test_a_rated_session_has_both_ratings_and_no_note() -> None:
    assert effect(6, 4, SETTINGS) == SessionEffect(6, 4, -2, -200 / 6, None, True)
    assert effect(4, 6, SETTINGS) == SessionEffect(4, 6, 2, 50.0, None, False)


def test_an_unrated_session_says_it_was_not_rated_even_from_zero() -> None:
    note = "not rated both before and after"
    assert effect(0, None, SETTINGS) == SessionEffect(0, None, None, None, note, None)
    assert effect(None, 3, SETTINGS) == SessionEffect(None, 3, None, None, note, None)
    assert effect(0, 3, SETTINGS).percent_note == NO_PERCENT_FROM_ZERO


def test_one_sessions_effect_in_plain_words() -> None:
    words = {(b, a): effect(b, a, SETTINGS).plain_words() for b, a in
             [(6, 4), (4, 6), (5, 5), (0, 3), (6, None), (9, 8)]}  # fmt: skip
    assert words == {
        (6, 4): "pain fell by 2 (from 6 to 4, 33 %); a responder session",
        (4, 6): "pain rose by 2 (from 4 to 6, 50 %)",
        (5, 5): "no change (pain 5 before and after)",
        (0, 3): "pain rose by 3 (from 0 to 3)",  # no percent from 0
        (6, None): "not rated both before and after, so no change can be worked out",
        (9, 8): "pain fell by 1 (from 9 to 8, 11 %)",
    }
    assert effect(1, 2, SETTINGS).plain_words() == "pain rose by 1 (from 1 to 2, 100 %)"


def test_signed_ranks_with_a_zero_and_ties_by_their_definition() -> None:
    # |changes| 3 1 4 0 2 2 1 rank (Pratt: the zero ranks too) 6 2.5 7 1 4.5 4.5 2.5.
    changes = np.array([-3.0, -1.0, -4.0, 0.0, -2.0, -2.0, 1.0])
    reference = scipy_stats.wilcoxon(changes, zero_method="pratt", method="approx")
    assert signed_rank_test(changes) == SignedRank(
        2.5, float(reference.pvalue), 2.5, 24.5, (2.5 - 24.5) / 27, 7, 1, "normal approximation", None
    )


def test_one_point_from_one_is_a_responder_by_percent() -> None:
    assert effect(1, 0, SETTINGS).responder is True  # 100 %, though under 2 points
    # 1 of 2 is 50 %: under a 50.5 % threshold, however the sum is rounded.
    assert effect(2, 1, Settings(db="/x", responder_percent=50.5)).responder is False
    assert effect(2, 1, Settings(db="/x", responder_percent=50.0)).responder is True
