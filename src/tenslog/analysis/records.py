"""Sessions reduced to the few numbers analysis needs, read once without re-validation, so
ten years of history (~11k sessions) is analysed in milliseconds."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from tenslog.model import RatingMoment, Session, SessionKind

UnitKey = tuple[str, str, float | None]  # unit name, scale kind ("level"/"mA"), scale maximum


@dataclass(frozen=True, slots=True)
class Record:
    id: int | None
    kind: SessionKind
    start: datetime  # carries the session's own UTC offset, so .hour is local time
    duration_min: float | None
    unit: UnitKey | None
    peak: float | None
    before: int | None
    after: int | None

    @property
    def rated(self) -> bool:
        return self.before is not None and self.after is not None

    @property
    def change(self) -> int | None:
        """after - before: negative means the pain fell."""
        if self.before is None or self.after is None:
            return None
        return self.after - self.before

    @property
    def local_day(self) -> date:
        return self.start.date()


def to_record(s: Session) -> Record:
    before = after = None
    for r in s.ratings:
        if r.moment is RatingMoment.BEFORE:
            before = r.value
        elif r.moment is RatingMoment.AFTER:
            after = r.value
    unit = None if s.unit is None else (s.unit.name, s.unit.scale.kind, s.unit.scale.maximum)
    duration = None if s.end is None else (s.end - s.start).total_seconds() / 60
    peak = max((p.value for p in s.intensity), default=None)
    return Record(s.id, s.kind, s.start, duration, unit, peak, before, after)


def to_records(sessions: Iterable[Session | Record]) -> list[Record]:
    return [s if isinstance(s, Record) else to_record(s) for s in sessions]
