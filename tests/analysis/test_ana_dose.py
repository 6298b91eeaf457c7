from __future__ import annotations

from datetime import date, timedelta, timezone

import pytest

from tenslog.analysis import dose_response
from tenslog.model import IntensityScale, SessionKind, Unit

LEVEL_20 = Unit(driver="manual", identity="l20", name="Level unit", scale=IntensityScale(kind="level", maximum=20))
MA = Unit(driver="manual", identity="ma", name="Clinic unit", scale=IntensityScale(kind="mA", maximum=80))


def test_duration_bins(make_session, settings) -> None:
    data = [make_session(6, 6 - i, day=i, minutes=m) for i, m in enumerate([10, 20, 35, 50, 70])]
    d = dose_response(data, settings)
    assert [b.median_change for b in d.by_duration] == [0, -1, -2, -3, -4]
    assert [b.rated for b in d.by_duration] == [1, 1, 1, 1, 1]


def test_intensity_bins_stay_in_each_units_scale(make_session, settings) -> None:
    data = [make_session(6, 4, day=i, intensity=4) for i in range(3)]
    data += [make_session(6, 5, day=i, intensity=20, unit=MA, hour=14) for i in range(3)]
    d = dose_response(data, settings)
    by_unit = {u.unit: u for u in d.by_intensity}
    assert by_unit["TENS 7000"].scale == "level 1-10"
    assert [b.label for b in by_unit["TENS 7000"].bins] == ["4/10"]
    assert by_unit["Clinic unit"].scale == "mA (max 80)"
    assert [(b.label, b.median_change) for b in by_unit["Clinic unit"].bins] == [("20 mA", -1)]


def test_many_intensity_values_fall_into_thirds(make_session, settings) -> None:
    data = [make_session(6, 6 - (i // 3), day=i, intensity=i + 1) for i in range(9)]
    (unit,) = dose_response(data, settings).by_intensity
    assert [b.sessions for b in unit.bins] == [3, 3, 3]
    assert sum(b.sessions for b in unit.bins) == 9


def test_time_of_day_uses_the_sessions_own_offset(make_session, settings) -> None:
    # 23:00 in Tokyo is 14:00 UTC: it is an evening session for the person who had it.
    s = make_session(6, 4, hour=23, tz=timezone(timedelta(hours=9)))
    d = dose_response([s], settings)
    assert [b.sessions for b in d.by_time_of_day] == [0, 0, 0, 1]


def test_fading_relief_shows_as_a_positive_weekly_slope(make_session, settings) -> None:
    data = []
    for week in range(6):
        for k in range(3):
            data.append(make_session(7, 7 - 4 + week, day=week * 7 + k * 2))  # -4, -3, ... -> fading
    trend = dose_response(data, settings).trend
    assert trend.slope_per_week == pytest.approx(1.0)
    assert trend.ci.low > 0
    assert "getting smaller" in trend.plain_words()


def test_too_few_weeks_for_a_trend(make_session, settings) -> None:
    trend = dose_response([make_session(6, 4, day=i) for i in range(6)], settings).trend
    assert trend.slope_per_week is None and "more needed" in trend.plain_words()


def test_adherence_counts_days_with_30_minutes(make_session, settings) -> None:
    data = [make_session(6, 4, day=d, minutes=30) for d in (0, 2, 4, 6)]
    data += [make_session(6, 4, day=d, minutes=20) for d in (1, 3)]
    data += [make_session(6, 4, day=8, hour=h, minutes=15) for h in (8, 18)]  # two halves make 30
    data += [make_session(6, 5, day=9, kind=SessionKind.REST, minutes=60)]  # rest is not use
    d = dose_response(data, settings, span=(date(2025, 3, 3), date(2025, 3, 12)))
    assert (d.adherence.days, d.adherence.days_used) == (10, 5)
    assert d.adherence.share == 0.5
    assert "on 5 of 10 days (50%)" in d.adherence.plain_words()


def test_no_advice_on_settings(make_session, settings) -> None:
    text = dose_response([make_session(6, 4)], settings).plain_words().lower()
    assert "not what to do" in text
    for advice in ("increase", "turn up", "you should", "try a higher"):
        assert advice not in text


def test_intensity_bands_have_rounded_edges_in_the_units_step(make_session, settings) -> None:
    """Issue 12: bands read like "9 to under 11.6667"; now whole levels, or 0.1 mA."""
    levels = [make_session(6, 4, day=i, intensity=9 + i, unit=LEVEL_20) for i in range(6)]  # 9 .. 14
    (unit,) = dose_response(levels, settings).by_intensity
    assert [(b.label, b.sessions) for b in unit.bins] == [
        ("9 to under 11", 2), ("11 to under 13", 2), ("13 to 14", 2)]
    milliamps = [make_session(6, 4, day=i, intensity=9 + i, unit=MA) for i in range(6)]
    (unit,) = dose_response(milliamps, settings).by_intensity
    assert [b.label for b in unit.bins] == ["9 to under 10.7 mA", "10.7 to under 12.4 mA", "12.4 to 14 mA"]
