"""Sessions as columns (numpy arrays, one entry per session, oldest first): what analysis needs
from fifty years of history (55k sessions) without a Python object, or a Python loop, per
session. ``columns_of`` turns Sessions or SessionFigures into columns; the store's figures can
be read straight into them (``tenslog.analysis.reading``). ``prepared`` is ``to_records``
with settings followed by ``on_time``, on columns: the same sessions and ratings left out."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

import numpy as np

from tenslog.analysis.weeks import week_start
from tenslog.model import Session, SessionFigures, SessionKind, UnitKey
from tenslog.settings import Settings

US = 1_000_000  # microseconds a second: datetimes (and timedeltas) hold whole microseconds


@dataclass(frozen=True, slots=True, eq=False)
class Columns:
    id: np.ndarray  # the session's number; -1: not stored
    tens: np.ndarray  # bool: a TENS session (else a rest period)
    start: np.ndarray  # POSIX seconds, exactly SessionFigures.start.timestamp()
    offset: np.ndarray  # the UTC offset at the start, seconds
    day: np.ndarray  # the local day of the start, as date.toordinal()
    hour: np.ndarray  # the local hour of the start
    duration: np.ndarray  # minutes; nan: no end yet
    unit: np.ndarray  # index into ``units``; -1: none (a rest period)
    peak: np.ndarray  # peak intensity; nan: none
    before: np.ndarray  # ratings as floats; nan: not given
    after: np.ndarray
    before_at: np.ndarray  # when each was given, POSIX seconds; nan: unknown
    after_at: np.ndarray
    units: tuple[UnitKey, ...] = ()  # in order of first use
    treatments: Mapping[int, tuple[str, ...]] = field(default_factory=dict)  # by row, rows with any

    def __len__(self) -> int:
        return len(self.start)

    @property
    def rated(self) -> np.ndarray:
        return ~np.isnan(self.before) & ~np.isnan(self.after)

    @property
    def change(self) -> np.ndarray:
        """after - before (nan when either is missing): negative means the pain fell."""
        return self.after - self.before

    def kind(self, kind: SessionKind) -> np.ndarray:
        return self.tens if kind is SessionKind.TENS else ~self.tens

    def take(self, keep: np.ndarray) -> Columns:
        """The rows where the boolean mask ``keep`` is true, in the same order."""
        return self.take_order(np.flatnonzero(keep))

    def take_order(self, rows: np.ndarray) -> Columns:
        """The rows at the indexes ``rows`` (each at most once), in that order."""
        new = np.full(len(self), -1)
        new[rows] = np.arange(len(rows))
        return Columns(
            self.id[rows], self.tens[rows], self.start[rows], self.offset[rows], self.day[rows],
            self.hour[rows], self.duration[rows],
            self.unit[rows], self.peak[rows], self.before[rows], self.after[rows], self.before_at[rows],
            self.after_at[rows], self.units,
            dict(sorted((int(new[i]), names) for i, names in self.treatments.items() if new[i] >= 0)),
        )  # fmt: skip


def columns_of(sessions: Iterable[Session | SessionFigures] | Columns) -> Columns:
    """Columns of the given sessions (already columns: as they are)."""
    if isinstance(sessions, Columns):
        return sessions
    records = [s if isinstance(s, SessionFigures) else SessionFigures.of(s) for s in sessions]
    units: dict[UnitKey, int] = {}
    for r in records:
        if r.unit is not None:
            units.setdefault(r.unit, len(units))

    def floats(values: Iterable[float | None]) -> np.ndarray:
        return np.array([np.nan if v is None else v for v in values], dtype=float)

    return Columns(
        _ids([-1 if r.id is None else r.id for r in records]),
        np.array([r.kind is SessionKind.TENS for r in records], dtype=bool),
        floats(r.start.timestamp() for r in records),
        np.array([_offset(r.start) for r in records], dtype=np.int64),
        np.array([r.start.toordinal() for r in records], dtype=np.int64),
        np.array([r.start.hour for r in records], dtype=np.int64),
        floats(r.duration_min for r in records),
        np.array([-1 if r.unit is None else units[r.unit] for r in records], dtype=np.int64),
        floats(r.peak for r in records),
        floats(r.before for r in records),
        floats(r.after for r in records),
        floats(r.before_at for r in records),
        floats(r.after_at for r in records),
        tuple(units),
        {i: r.treatments for i, r in enumerate(records) if r.treatments},
    )


def _ids(ids: list[int]) -> np.ndarray:
    try:
        return np.array(ids, dtype=np.int64)
    except OverflowError:  # numbers beyond SQLite's (made-up ones, in tests): kept as they are
        return np.array(ids, dtype=object)


def _offset(start: datetime) -> int:
    offset = start.utcoffset()
    return 0 if offset is None else int(offset.total_seconds())


def start_of(cols: Columns, row: int) -> datetime:
    """Row ``row``'s start as SessionFigures holds it: in the UTC offset it began under."""
    return datetime.fromtimestamp(float(cols.start[row]), timezone(timedelta(seconds=int(cols.offset[row]))))


def timedelta_seconds(minutes: np.ndarray) -> np.ndarray:
    """``timedelta(minutes=m).total_seconds()`` for each m: rounded to whole microseconds as
    a timedelta is, so a session of 59.9999999 s computed from float timestamps counts as the
    60 s it was, here as in the per-session check."""
    frac, whole = np.modf(minutes)
    micros = whole * (60 * US) + np.round(frac * (60 * US))
    return micros / US


def long_enough(sessions: Iterable[Session | SessionFigures] | Columns, settings: Settings) -> Columns:
    """The sessions long enough to count (``to_records`` with settings): a stray key or a blip
    (under min_session_seconds) is left out of every analysis; one still recording is not judged."""
    cols = columns_of(sessions)
    with np.errstate(invalid="ignore"):
        short = timedelta_seconds(cols.duration) < settings.min_session_seconds  # nan: False
    return cols.take(~short) if short.any() else cols


def prepared(
    sessions: Iterable[Session | SessionFigures] | Columns, settings: Settings, kind: SessionKind | None = None
) -> tuple[Columns, int]:
    """The sessions of ``kind`` (None: all) long enough to count, each late rating left out (as
    if not given), and how many ratings were left out as late: ``on_time(to_records(...))``."""
    cols = long_enough(sessions, settings)
    if kind is not None:
        cols = cols.take(cols.kind(kind))
    with np.errstate(invalid="ignore"):
        late_b = ~np.isnan(cols.before) & (cols.before_at - cols.start > settings.before_rating_minutes * 60)
        end = cols.start + cols.duration * 60
        late_a = ~np.isnan(cols.after) & (np.abs(cols.after_at - end) > settings.after_rating_minutes * 60)
    late = int(np.count_nonzero(late_b) + np.count_nonzero(late_a))
    if late:
        cols = Columns(
            cols.id, cols.tens, cols.start, cols.offset, cols.day, cols.hour, cols.duration, cols.unit, cols.peak,
            np.where(late_b, np.nan, cols.before), np.where(late_a, np.nan, cols.after),
            cols.before_at, cols.after_at, cols.units, cols.treatments,
        )  # fmt: skip
    return cols, late


def responder_mask(before: np.ndarray, after: np.ndarray, settings: Settings) -> np.ndarray:
    """``is_responder`` for arrays of ratings (both given), compared the same way."""
    fall = before - after
    return (fall >= settings.responder_points) | (
        (before > 0) & (fall > 0) & (fall * 100 >= settings.responder_percent * before)
    )


def weekly_medians(days: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For each week with values (tenslog.analysis.weeks: Monday to Sunday, by local day),
    oldest first: its Monday (a day ordinal), how many values it has and their median."""
    monday = week_start(days)
    order = np.lexsort((values, monday))  # by week, each week's values in order
    monday, values = monday[order], values[order]
    if not len(monday):
        return monday, np.zeros(0, dtype=np.int64), values
    starts = np.flatnonzero(np.r_[True, monday[1:] != monday[:-1]])
    counts = np.diff(np.r_[starts, len(monday)])
    # The middle value, or the mean of the middle two (as statistics.median and np.median).
    middle = (values[starts + (counts - 1) // 2] + values[starts + counts // 2]) / 2
    return monday[starts], counts, middle
