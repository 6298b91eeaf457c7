"""Columns read straight from SQL (what `tenslog summary` and the report read) hold exactly what
the per-session figures hold, and give the same answers: sessions at odd fractions of a second
and odd UTC offsets, past local midnight, one a hair under the shortest that counts, late
ratings, co-treatments, two units of one name, rest periods, and a session still recording."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import numpy as np
import pytest

from support.sessions import rated_session
from tenslog.analysis import compare_with_rest, dose_response, summarize
from tenslog.analysis.columns import Columns, columns_of, prepared, timedelta_seconds
from tenslog.analysis.reading import read_columns
from tenslog.analysis.records import on_time, to_records
from tenslog.model import (
    IntensityScale,
    PainRating,
    RatingMoment,
    Session,
    SessionContext,
    SessionKind,
    Treatment,
    Unit,
)
from tenslog.settings import Settings
from tenslog.store import Store
from tenslog.store.selection import with_rest_by_date
from tenslog.vocabulary import SessionState

LEVEL = Unit(driver="manual", identity="a", name="Pocket", scale=IntensityScale(kind="level", maximum=10))
MILLIAMPS = Unit(driver="manual", identity="b", name="Pocket", scale=IntensityScale(kind="mA", maximum=80))
OTHER = Unit(driver="manual", identity="c", name="Clinic", scale=IntensityScale(kind="level", maximum=20))
FIELDS = ("id", "tens", "start", "offset", "day", "hour", "duration", "unit", "peak", "before", "after", "before_at", "after_at")


def history() -> list[Session]:
    rng = np.random.default_rng(16)
    zones = [timezone(timedelta(hours=h, minutes=m)) for h, m in ((1, 0), (-3, 0), (5, 30), (-9, -30), (0, 0))]
    base = datetime(2024, 12, 30, 22, 59, 59, 999_999, tzinfo=UTC)
    sessions = []
    for i in range(240):
        start = (base + timedelta(hours=float(rng.uniform(0, 24 * 120)))).astimezone(zones[i % len(zones)])
        minutes = float(rng.choice([0.5, 59.9999999 / 60, 1.0, 14.999, 30, 45.5, 61]))
        kind = SessionKind.REST if i % 4 == 0 else SessionKind.TENS
        unit = (LEVEL, MILLIAMPS, OTHER)[i % 3]
        before, after = int(rng.integers(0, 11)), int(rng.integers(0, 11))
        s = rated_session(start, minutes, before if i % 7 else None, after if i % 11 else None, kind=kind,
                          level=float(rng.integers(1, 9)) * (0.5 if unit is MILLIAMPS else 1), unit=unit,
                          state=SessionState.RECORDING if i == 239 else SessionState.COMPLETE)
        if i % 5 == 1:  # a rating given late: after the session, well outside the window
            late = PainRating(moment=RatingMoment.AFTER, value=after, at=start + timedelta(hours=3))
            s = s.model_copy(update={"ratings": (*(r for r in s.ratings if r.moment is not RatingMoment.AFTER), late)})
        if i % 3 == 0:
            names = ("Heat pad",) if i % 2 else ("heat pad", "Ibuprofen")
            s = s.model_copy(update={"context": SessionContext(treatments=tuple(Treatment(name=n) for n in names))})
        if i == 239:
            s = s.model_copy(update={"end": None})
        sessions.append(s)
    return sessions


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    path: Path = tmp_path_factory.mktemp("columns") / "tenslog.db"
    with Store.open(path) as s:
        s.add_sessions(history())
        yield s


def same(a: Columns, b: Columns) -> None:
    for name in FIELDS:
        if name != "unit":
            assert np.array_equal(getattr(a, name), getattr(b, name), equal_nan=True), name
    # Each row's unit by what it is, not by its index into ``units``.
    assert [a.units[i] if i >= 0 else None for i in a.unit] == [b.units[i] if i >= 0 else None for i in b.unit]
    assert dict(a.treatments) == dict(b.treatments)


def test_columns_from_sql_hold_what_the_figures_hold(store: Store) -> None:
    figures = store.figures()
    read = read_columns(store)
    same(read, columns_of(figures))
    assert len(read) == 240
    assert read.units == (("Pocket", "level", 10.0), ("Clinic", "level", 20.0), ("Pocket", "mA", 80.0))  # first used
    assert np.isnan(read.duration[-1]) == (figures[-1].duration_min is None)


@pytest.mark.parametrize("kind", [None, SessionKind.TENS, SessionKind.REST])
def test_a_unit_keeps_rest_periods_by_date_as_the_figures_do(store: Store, kind: SessionKind | None) -> None:
    since = datetime(2025, 2, 1, tzinfo=UTC)
    expected = with_rest_by_date(store.figures, since=since, kind=kind, unit_name="Clinic")
    read = read_columns(store, since=since, kind=kind, unit_name="Clinic", rest_by_date=True)
    same(read, columns_of(expected))
    assert 0 < len(read) < 240


def test_the_answers_are_the_same_from_sql_and_from_the_figures(store: Store) -> None:
    settings = Settings(db="/nonexistent/never-opened.db", min_rated_sessions=3)
    read, figures = read_columns(store), store.figures()
    for kind in (SessionKind.TENS, SessionKind.REST, None):
        assert summarize(read, settings, kind) == summarize(figures, settings, kind)
    assert compare_with_rest(read, settings) == compare_with_rest(figures, settings)
    assert dose_response(read, settings) == dose_response(figures, settings)
    # The per-session reference: to_records with settings, then on_time.
    kept, late = on_time(to_records(figures, settings), settings)
    cols, late_in_columns = prepared(read, settings)
    assert late_in_columns == late > 0
    same(cols, columns_of(kept))
    assert np.all((cols.duration > 0.99) | np.isnan(cols.duration))  # half a minute does not count
    assert 0 < len(cols) < len(read)


def test_lengths_are_judged_in_whole_microseconds_as_a_timedelta_holds_them() -> None:
    minutes = [59.9999999 / 60, 0.99999999999, 1 - 2**-40, 0.5, 1.0, 14.999, 1234.5678901234, 0.0]
    expected = [timedelta(minutes=m).total_seconds() for m in minutes]
    assert timedelta_seconds(np.array(minutes)).tolist() == expected
    assert expected[:3] == [60.0, 60.0, 60.0]  # so each counts as the minute (min_session_seconds) it was
