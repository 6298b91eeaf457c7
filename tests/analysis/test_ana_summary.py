from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from tenslog.analysis import summarize
from tenslog.analysis.stats import signed_ranks
from tenslog.model import SessionKind
from tenslog.settings import Settings

PAIRS = [(6, 4), (7, 3), (5, 5), (8, 7), (6, 2), (4, 5), (7, 4), (6, 4), (9, 6), (5, 3), (6, 6), (7, 5), (8, 4), (6, 3)]


def test_summary_matches_scipy(sessions_from, settings) -> None:
    s = summarize(sessions_from(PAIRS), settings)
    changes = np.array([a - b for b, a in PAIRS], dtype=float)
    assert s.rated == 14 and s.enough
    assert s.median_change == np.median(changes) == -2
    assert s.mean_change == pytest.approx(changes.mean())
    expected = stats.wilcoxon(changes, zero_method="pratt", method="approx")
    assert s.test.p_value == pytest.approx(expected.pvalue)
    assert s.test.n_zero == 2
    # rank-biserial from the signed ranks, checked against r = (T+ - T-) / (T+ + T-) by hand
    ranks = stats.rankdata(np.abs(changes))
    t_plus, t_minus = ranks[changes > 0].sum(), ranks[changes < 0].sum()
    assert s.test.rank_biserial == pytest.approx((t_plus - t_minus) / (t_plus + t_minus))
    assert s.test.rank_biserial < -0.8
    ci = stats.ttest_1samp(changes, 0).confidence_interval()
    assert (s.mean_ci.low, s.mean_ci.high) == pytest.approx((ci.low, ci.high))
    assert s.median_ci.contains(s.median_change)
    responders = sum((b - a) >= 2 or (b - a) * 100 >= 30 * b for b, a in PAIRS)
    assert s.responders == responders
    words = s.plain_words()
    assert "Over 14 rated TENS sessions, pain fell by a median of 2 points (from 6 to 4 out of 10)" in words
    assert "regression to the mean" in words and "Pratt" in words


def test_rank_biserial_hand_example() -> None:
    # |d| = 1,2,3,4 -> ranks 1..4; rises: rank 1; falls: 2+3+4 = 9 -> r = (1 - 9) / 10
    t_plus, t_minus = signed_ranks(np.array([1.0, -2.0, -3.0, -4.0]))
    assert (t_plus, t_minus) == (1.0, 9.0)
    assert (t_plus - t_minus) / (t_plus + t_minus) == -0.8


def test_all_zero_changes_do_not_crash(sessions_from, settings) -> None:
    s = summarize(sessions_from([(5, 5)] * 8), settings)
    assert s.median_change == 0 and s.test.p_value is None and s.test.rank_biserial is None
    assert "no change in any session" in s.plain_words()
    assert "no change in pain" in s.plain_words()


def test_all_ties_uses_normal_approximation(sessions_from, settings) -> None:
    s = summarize(sessions_from([(6, 4)] * 7), settings)
    assert s.test.method == "normal approximation"
    assert s.test.rank_biserial == -1.0
    assert s.test.p_value == pytest.approx(stats.wilcoxon(np.full(7, -2.0), zero_method="pratt", method="approx").pvalue)
    assert (s.median_ci.low, s.median_ci.high) == (-2, -2)


def test_exact_method_without_ties(sessions_from, settings) -> None:
    pairs = [(10, 9), (10, 8), (10, 7), (10, 6), (10, 5), (4, 10)]
    s = summarize(sessions_from(pairs), settings)
    assert s.test.method == "exact"
    changes = np.array([a - b for b, a in pairs], dtype=float)
    assert s.test.p_value == pytest.approx(stats.wilcoxon(changes, method="exact").pvalue)


def test_below_threshold_says_not_enough(sessions_from, settings) -> None:
    s = summarize(sessions_from([(6, 4)] * 5 + [(6, None), (None, 3)]), settings)
    assert not s.enough and s.rated == 5 and s.needed == 1 and s.sessions == 7
    assert s.median_change is None
    text = s.plain_words()
    assert "Not enough data yet" in text and "1 more is needed" in text
    assert "median" not in text


def test_exactly_at_threshold_gives_numbers(sessions_from, settings) -> None:
    s = summarize(sessions_from([(6, 4), (5, 4), (7, 4), (6, 5), (6, 6), (8, 5)]), settings)
    assert s.rated == settings.min_rated_sessions == 6 and s.enough and s.median_change is not None


def test_one_session(sessions_from, settings) -> None:
    s = summarize(sessions_from([(6, 4)]), settings)
    assert s.needed == 5 and "5 more are needed" in s.plain_words()


def test_missing_after_ratings_are_left_out_and_counted(sessions_from, settings) -> None:
    s = summarize(sessions_from([(6, 4)] * 6 + [(7, None)] * 3), settings)
    assert s.rated == 6 and s.sessions == 9
    assert "3 more TENS sessions were not rated both before and after" in s.plain_words()


def test_kind_selects_rest_periods(sessions_from, settings) -> None:
    both = sessions_from([(6, 4)] * 6) + sessions_from([(6, 6)] * 6, kind=SessionKind.REST)
    assert summarize(both, settings).median_change == -2
    rest = summarize(both, settings, kind=SessionKind.REST)
    assert rest.median_change == 0 and "rated rest periods" in rest.plain_words()


def test_min_rated_sessions_is_a_setting(sessions_from) -> None:
    s = summarize(sessions_from([(6, 4)] * 3), Settings(db="/x", min_rated_sessions=3))
    assert s.enough


@pytest.mark.parametrize("n", [2, 3, 4, 5])
def test_too_few_sessions_for_a_median_range_say_so_instead_of_a_number(sessions_from, n: int) -> None:
    # Only reachable with a lowered TENSLOG_MIN_RATED_SESSIONS: scipy has no 95 % order-statistic
    # interval below six values, and the words must not print "nan".
    s = summarize(sessions_from([(6, 4), (7, 3)] * 3)[:n], Settings(db="/x", min_rated_sessions=2))
    assert s.enough and s.median_ci is None
    text = s.plain_words() + str(s.key_numbers())
    assert "no 95 % range can be given" in text and "at least 6" in text
    assert "nan" not in text.lower()


def test_six_sessions_give_a_median_range(sessions_from, settings) -> None:
    s = summarize(sessions_from([(6, 4), (7, 3)] * 3), settings)
    assert s.median_ci is not None and s.median_ci.contains(s.median_change)


def test_store_figures_give_the_same_summary(sessions_from, settings, tmp_path) -> None:
    from tenslog.analysis import compare_with_rest
    from tenslog.store.store import Store

    data = sessions_from(PAIRS) + sessions_from([(6, 5), (7, 7), (5, 4), (8, 8), (6, 5), (4, 3)], kind=SessionKind.REST)
    with Store.open(tmp_path / "t.db") as store:
        store.add_sessions(data)
        figures = store.figures()
    assert summarize(figures, settings) == summarize(data, settings)
    assert compare_with_rest(figures, settings) == compare_with_rest(data, settings)


def test_the_effect_size_line_is_exact_when_some_sessions_did_not_change(sessions_from, settings) -> None:
    """Issue 12: r = -1 read "every change was a fall" while two sessions had no change."""
    words = summarize(sessions_from([(6, 4), (7, 4), (5, 4), (6, 3), (8, 5), (6, 6), (5, 5)]), settings).plain_words()
    assert ("(rank-biserial r = -1.00: -1 would mean pain fell in every session where it changed, +1 that "
            "it rose in every one, 0 that falls and rises balance; the 2 sessions with no change do not "
            "count in r).") in words
    assert "every change was a fall" not in words
