"""Every validation rule refuses with a message that names the field at fault."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from tenslog.model import PainRating, RatingMoment, Session, SessionKind, SessionState, explain

NOW = datetime.now(UTC)
UNIT = {"driver": "manual", "identity": "u", "name": "My unit", "scale": {"kind": "level", "maximum": 20}}


def errors_of(**fields: object) -> list[str]:
    base: dict[str, object] = {"start": NOW - timedelta(hours=1), "end": NOW}
    with pytest.raises(ValidationError) as caught:
        Session(**{**base, **fields})
    return explain(caught.value)


def test_a_rating_of_11_is_refused_naming_the_pain_rating() -> None:
    (message,) = errors_of(ratings=[{"moment": "before", "value": 11, "at": NOW}])
    assert message.startswith("pain rating:") and "10" in message and "11" in message


def test_a_negative_rating_is_refused() -> None:
    (message,) = errors_of(ratings=[{"moment": "after", "value": -1, "at": NOW}])
    assert message.startswith("pain rating:")


def test_a_fractional_rating_is_refused_the_scale_is_whole_numbers() -> None:
    (message,) = errors_of(ratings=[{"moment": "after", "value": 4.5, "at": NOW}])
    assert message.startswith("pain rating:")


def test_an_end_before_the_start_is_refused_naming_the_end() -> None:
    (message,) = errors_of(end=NOW - timedelta(hours=2))
    assert message == "end: is before the start"


def test_a_start_in_the_future_is_refused_naming_the_start() -> None:
    (message,) = errors_of(start=NOW + timedelta(days=1), end=NOW + timedelta(days=1, hours=1))
    assert message == "start: is in the future"


def test_a_negative_intensity_is_refused_naming_the_intensity() -> None:
    (message,) = errors_of(unit=UNIT, intensity=[{"at": NOW, "value": -2}])
    assert message.startswith("intensity:") and "-2" in message


def test_an_intensity_above_the_units_maximum_is_refused() -> None:
    (message,) = errors_of(unit=UNIT, intensity=[{"at": NOW, "value": 21}])
    assert message == "intensity: above the unit's maximum of 20"


def test_a_start_without_a_timezone_is_refused() -> None:
    (message,) = errors_of(start=datetime.now() - timedelta(hours=1))
    assert message.startswith("start:")


def test_a_rest_period_cannot_have_an_intensity() -> None:
    (message,) = errors_of(kind="rest", unit=UNIT, intensity=[{"at": NOW, "value": 3}])
    assert message.startswith("intensity:")


def test_the_same_moment_cannot_be_rated_twice() -> None:
    rating = {"moment": "before", "value": 5, "at": NOW}
    (message,) = errors_of(ratings=[rating, rating])
    assert message.startswith("ratings:")


def test_a_finished_session_needs_an_end() -> None:
    (message,) = errors_of(end=None, state="complete")
    assert message.startswith("end:")


def test_change_is_after_minus_before() -> None:
    session = Session(
        start=NOW - timedelta(hours=1),
        end=NOW,
        ratings=(
            PainRating(moment=RatingMoment.BEFORE, value=7, at=NOW),
            PainRating(moment=RatingMoment.AFTER, value=4, at=NOW),
        ),
    )
    assert (session.before, session.after, session.change) == (7, 4, -3)
    assert session.duration == timedelta(hours=1)


@given(value=st.integers(min_value=-100, max_value=100))
def test_ratings_inside_0_to_10_are_kept_and_others_refused(value: int) -> None:
    rating = {"moment": "before", "value": value, "at": NOW}
    if 0 <= value <= 10:
        session = Session(start=NOW - timedelta(hours=1), end=NOW, ratings=[rating])
        assert session.before == value
    else:
        assert errors_of(ratings=[rating])[0].startswith("pain rating:")


def test_kind_and_state_defaults_describe_a_finished_manual_session() -> None:
    session = Session(start=NOW - timedelta(minutes=30), end=NOW)
    assert session.kind is SessionKind.TENS and session.state is SessionState.COMPLETE
    assert session.source == "manual"


def test_a_year_before_1970_is_refused_as_a_typing_error() -> None:
    (message,) = errors_of(start=datetime(1925, 1, 5, 9, tzinfo=UTC), end=None, state="recording")
    assert message.startswith("start:") and "1970" in message


def test_a_session_longer_than_a_day_is_refused() -> None:
    (message,) = errors_of(start=NOW - timedelta(days=3))
    assert message.startswith("end:") and "24 hours" in message


def test_an_infinite_intensity_is_refused() -> None:
    (message,) = errors_of(unit={**UNIT, "scale": {"kind": "mA"}}, intensity=[{"at": NOW - timedelta(minutes=5), "value": float("inf")}])
    assert message.startswith("intensity:")


def test_intensity_changes_and_link_gaps_lie_inside_their_session() -> None:
    (outside,) = errors_of(unit=UNIT, intensity=[{"at": NOW + timedelta(minutes=1), "value": 3}])
    assert outside == "intensity: a change point lies outside the session"
    (gap,) = errors_of(gaps=[{"lost_at": NOW - timedelta(hours=2)}])
    assert gap == "gaps: a link gap lies outside the session"
