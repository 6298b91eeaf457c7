"""Hand-made sessions with known answers, for the analysis tests (imported from here, never
from a conftest, which another folder's would shadow)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from support.sessions import rated_session
from tenslog.model import IntensityScale, Session, SessionKind, Unit

UNIT = Unit(driver="manual", identity="tens-7000", name="TENS 7000", scale=IntensityScale(kind="level", maximum=10))
BASE = datetime(2025, 3, 3, 9, 0, tzinfo=timezone(timedelta(hours=1)))  # a Monday, local 09:00


def make_session(
    before: int | None,
    after: int | None,
    *,
    day: int = 0,
    hour: int = 9,
    minutes: float = 30,
    kind: SessionKind = SessionKind.TENS,
    intensity: float | None = 4,
    unit: Unit | None = UNIT,
    tz: timezone | None = None,
) -> Session:
    start = BASE.replace(hour=hour) + timedelta(days=day)
    if tz is not None:
        start = start.replace(tzinfo=tz)
    return rated_session(start, minutes, before, after, kind=kind, level=intensity, unit=unit)
