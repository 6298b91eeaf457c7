"""Hand-made sessions for the export/import tests (the conftest's fixtures build on them;
tests import them from here, never from a conftest, which another folder's would shadow)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from tenslog.model import (
    IntensityPoint,
    IntensityScale,
    LinkGap,
    PainRating,
    RatingMoment,
    Session,
    SessionKind,
    SessionState,
    Unit,
)  # fmt: skip

CET = timezone(timedelta(hours=1))
UNIT = Unit(driver="simulator", identity="sim-1", name="TENS 7000", scale=IntensityScale(kind="level", maximum=10))
MA_UNIT = Unit(driver="line-serial", identity="COM3", name="Clinic mA", scale=IntensityScale(kind="mA", maximum=80))


def rating(moment: str, value: int, at: datetime) -> PainRating:
    return PainRating(moment=RatingMoment(moment), value=value, at=at)


def tens(day: int, before: int | None, after: int | None, *, hour: int = 9, minutes: int = 40, unit: Unit = UNIT,
         follow_up: int | None = None, state: SessionState = SessionState.COMPLETE) -> Session:  # fmt: skip
    start = datetime(2025, 3, 3, hour, 0, tzinfo=CET) + timedelta(days=day)
    end = start + timedelta(minutes=minutes)
    ratings = [rating("before", before, start)] if before is not None else []
    if after is not None:
        ratings.append(rating("after", after, end))
    if follow_up is not None:
        ratings.append(rating("follow_up", follow_up, end + timedelta(minutes=30)))
    return Session(
        kind=SessionKind.TENS, source="simulator", unit=unit, start=start, end=end, state=state,
        intensity=(IntensityPoint(at=start, value=3), IntensityPoint(at=start + timedelta(minutes=5), value=5.5)),
        ratings=tuple(ratings),
        gaps=(LinkGap(lost_at=start + timedelta(minutes=10), restored_at=start + timedelta(minutes=11)),),
    )  # fmt: skip


def rest(day: int, before: int, after: int) -> Session:
    start = datetime(2025, 3, 3, 15, 0, tzinfo=CET) + timedelta(days=day)
    end = start + timedelta(minutes=30)
    return Session(kind=SessionKind.REST, start=start, end=end,
                   ratings=(rating("before", before, start), rating("after", after, end)))  # fmt: skip
