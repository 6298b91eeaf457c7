from __future__ import annotations

import pytest

from tenslog.analysis import session_effect
from tenslog.analysis.per_session import NO_PERCENT_FROM_ZERO
from tenslog.settings import Settings


@pytest.mark.parametrize(
    ("before", "after", "change", "percent", "responder"),
    [
        (6, 4, -2, -100 / 3, True),  # exactly 2 points: a responder
        (10, 7, -3, -30.0, True),  # exactly 30 %: a responder (no 29.9999 rounding)
        (3, 2, -1, -100 / 3, True),  # 1 point but 33 %: a responder by percent
        (9, 8, -1, -100 / 9, False),  # 1 point and 11 %: not
        (5, 5, 0, 0.0, False),
        (4, 6, 2, 50.0, False),  # pain rose
    ],
)
def test_change_percent_and_responder(before, after, change, percent, responder, settings, make_session) -> None:
    e = session_effect(make_session(before, after), settings)
    assert e.change == change
    assert e.percent_change == pytest.approx(percent)
    assert e.responder is responder


def test_exactly_thirty_percent_is_not_float_fuzz(settings, make_session) -> None:
    # 0.3 * 100 is 30.000000000000004 in floating point; the effect must report 30 exactly.
    assert session_effect(make_session(10, 7), settings).percent_change == -30.0
    just_below = Settings(db="/x", responder_points=10, responder_percent=30.0)
    assert session_effect(make_session(10, 7), just_below).responder is True
    assert session_effect(make_session(10, 8), just_below).responder is False  # 20 %


def test_percent_from_zero_is_undefined_and_says_so(settings, make_session) -> None:
    e = session_effect(make_session(0, 0), settings)
    assert e.change == 0 and e.percent_change is None
    assert e.percent_note == NO_PERCENT_FROM_ZERO
    assert session_effect(make_session(0, 3), settings).percent_change is None


def test_unrated_session_has_no_effect(settings, make_session) -> None:
    e = session_effect(make_session(6, None), settings)
    assert e.change is None and e.responder is None and e.percent_change is None
    assert "not rated" in e.plain_words()


def test_thresholds_come_from_settings(make_session) -> None:
    strict = Settings(db="/x", responder_points=3, responder_percent=50)
    assert session_effect(make_session(6, 4), strict).responder is False
    assert session_effect(make_session(6, 3), strict).responder is True
