"""The form's logic without the screen: an edit keeps what the form does not show."""

from __future__ import annotations

from datetime import timedelta

from ui_helpers import NOW, session

from tenslog.model import IntensityPoint, SessionKind
from tenslog.ui.entry import build_session, form_values


def test_an_unchanged_edit_keeps_the_recorded_profile_and_rating_times(frozen) -> None:
    original = session(2, 7, 4, level=None).model_copy(update={"id": 5})
    profile = tuple(
        IntensityPoint(at=original.start + timedelta(minutes=m), value=v)
        for m, v in ((0, 3), (5, 9), (9, 7))
    )
    original = original.model_copy(update={"intensity": profile})
    result = build_session(form_values(original), SessionKind.TENS, original=original, now=NOW)
    assert result.errors == {}
    assert result.session == original


def test_the_duration_field_also_takes_the_end_time(frozen) -> None:
    values = {"start": "2026-11-20 14:00", "duration": "15:10", "scale": "level:20", "before": "5"}
    result = build_session(values, SessionKind.TENS, now=NOW)
    assert result.session is not None and result.session.duration == timedelta(minutes=70)
