"""Sessions shorter than the minimum (a stray key, a blip: min_session_seconds, default 60 s)
count in no analysis: not in the summary, the comparison with rest, the dose tables, nor the
report."""

from __future__ import annotations

import dataclasses

from tenslog.analysis import compare_with_rest, dose_response, summarize, to_records
from tenslog.analysis.records import too_short
from tenslog.exports.report import build_report
from tenslog.model import SessionKind
from tenslog.settings import Settings


def test_a_session_under_the_minimum_counts_nowhere(make_session, settings: Settings) -> None:
    real = [make_session(7, 4, day=i) for i in range(6)]
    blips = [make_session(8, 8, day=i, hour=14, minutes=0.25) for i in range(6)]  # 15 s each
    rest = [make_session(7, 6, day=i, hour=18, kind=SessionKind.REST, intensity=None, unit=None) for i in range(6)]
    everything = real + blips + rest

    summary = summarize(everything, settings)
    assert (summary.sessions, summary.rated, summary.median_change) == (6, 6, -3.0)
    comparison = compare_with_rest(everything, settings)
    assert (comparison.tens_rated, comparison.rest_rated) == (6, 6)
    assert comparison.tens_median_change == -3.0
    dose = dose_response(everything, settings)
    assert sum(b.sessions for b in dose.by_duration) == 6
    assert build_report(everything, settings) == build_report(real + rest, settings)


def test_the_minimum_is_a_setting_and_a_session_still_recording_is_not_judged(
    make_session, settings: Settings
) -> None:
    (short,) = to_records([make_session(7, 4, minutes=0.25)])
    assert too_short(short, settings)
    assert not too_short(short, Settings(db=settings.db, min_session_seconds=10))
    assert not too_short(dataclasses.replace(short, duration_min=None), settings)
