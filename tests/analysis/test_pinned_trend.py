"""The weekly relief trend, value by value (issue 17: the only test had a slope of exactly 1,
so a flipped sign or weeks counted by position survived). Each week holds three sessions whose
median (not mean) is the week's value; some weeks have no sessions, so the slope must be per
calendar week, not per week that has data."""

from __future__ import annotations

from datetime import date

import pytest

from tenslog.analysis import dose_response

# Week number (since the first) -> the median pain change of its sessions; missing weeks have none.
FADING = {0: -10, 1: -8, 2: -6, 4: -2, 5: 0}  # relief shrinks 2 points a calendar week
GROWING = {0: 0, 1: -1, 2: -1, 4: -2, 5: -3, 7: -4}  # relief grows about half a point a week
FLAT = dict.fromkeys((0, 1, 2, 4, 5, 7), -4)


def _week_of_sessions(make_session, week: int, change: int) -> list:
    """Three sessions from pain 10 in one week: two with ``change``, one outlier that moves the
    mean but not the median."""
    outlier = change + 3 if change <= -5 else change - 3
    return [make_session(10, 10 + c, day=week * 7 + k) for k, c in enumerate((change, change, outlier))]


def _trend(make_session, settings, medians: dict[int, int]):
    data = [s for w, change in medians.items() for s in _week_of_sessions(make_session, w, change)]
    return dose_response(data, settings).trend


def test_fading_relief_has_a_positive_slope_per_calendar_week(make_session, settings) -> None:
    trend = _trend(make_session, settings, FADING)
    assert [(w.starts, w.rated, w.median_change) for w in trend.weeks] == [
        (date(2025, 3, 3), 3, -10.0), (date(2025, 3, 10), 3, -8.0), (date(2025, 3, 17), 3, -6.0),
        (date(2025, 3, 31), 3, -2.0), (date(2025, 4, 7), 3, 0.0),
    ]  # fmt: skip
    assert trend.slope_per_week == 2.0  # per calendar week; by position it would be 2.5
    assert trend.ci is not None and (trend.ci.low, trend.ci.high) == (2.0, 2.0)
    assert trend.plain_words() == (
        "Week by week, relief per session changed by -2.00 points a week (95 % range -2.00 to -2.00; "
        "a minus means relief is shrinking; Theil-Sen slope over 5 weekly middle values). Relief per "
        "session seems to be getting smaller over the weeks (possible tolerance): worth mentioning "
        "to your doctor."
    )


def test_growing_relief_has_a_negative_slope(make_session, settings) -> None:
    trend = _trend(make_session, settings, GROWING)
    assert [w.median_change for w in trend.weeks] == [0.0, -1.0, -1.0, -2.0, -3.0, -4.0]
    assert trend.slope_per_week == pytest.approx(-0.5)
    assert trend.ci is not None and (trend.ci.low, trend.ci.high) == pytest.approx((-1.0, -1 / 3))
    assert "Relief per session seems to be getting larger over the weeks." in trend.plain_words()
    assert "changed by +0.50 points a week (95 % range +0.33 to +1.00;" in trend.plain_words()


def test_flat_relief_is_no_clear_sign(make_session, settings) -> None:
    trend = _trend(make_session, settings, FLAT)
    assert trend.slope_per_week == 0.0
    assert "There is no clear sign that relief is fading or growing." in trend.plain_words()
