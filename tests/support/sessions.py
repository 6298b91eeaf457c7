"""One way for tests to make a rated session by hand (the analysis and dashboard tests share it)."""

from __future__ import annotations

from datetime import datetime, timedelta

from tenslog.model import (
    IntensityPoint,
    PainRating,
    RatingMoment,
    Session,
    SessionKind,
    SessionState,
    Unit,
)


def rated_session(
    start: datetime,
    minutes: float,
    before: int | None,
    after: int | None,
    *,
    kind: SessionKind = SessionKind.TENS,
    level: float | None = None,
    unit: Unit | None = None,
    state: SessionState = SessionState.COMPLETE,
) -> Session:
    """Rated before at the start and after at the end; a rest period gets no unit or level."""
    end = start + timedelta(minutes=minutes)
    ratings = []
    if before is not None:
        ratings.append(PainRating(moment=RatingMoment.BEFORE, value=before, at=start))
    if after is not None:
        ratings.append(PainRating(moment=RatingMoment.AFTER, value=after, at=end))
    rest = kind is SessionKind.REST
    return Session(
        kind=kind,
        unit=None if rest else unit,
        start=start,
        end=end,
        state=state,
        intensity=() if rest or level is None else (IntensityPoint(at=start, value=level),),
        ratings=tuple(ratings),
    )
