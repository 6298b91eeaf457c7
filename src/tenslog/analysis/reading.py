"""The store's figures read straight into columns (``Store.figure_rows``): the same numbers as
``columns_of(store.figures(...))``, without a SessionFigures, a datetime or a dict entry per
session. The summary and the report read fifty years so in a fraction of a second."""

from __future__ import annotations

import gc
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime

import numpy as np

from tenslog.analysis.columns import US, Columns
from tenslog.model import SessionKind, UnitKey
from tenslog.store import Store
from tenslog.store.lean import FigureRows

EPOCH_DAY = date(1970, 1, 1).toordinal()
DAY = 86_400


def read_columns(
    store: Store,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    kind: SessionKind | None = None,
    unit_name: str | None = None,
    rest_by_date: bool = False,
) -> Columns:
    """Oldest first, as ``Store.figures``. ``rest_by_date``: with a unit, rest periods are
    picked by date alone, as tenslog.store.selection.with_rest_by_date does."""
    with _collector_paused():
        if unit_name is None or not rest_by_date or kind is not None:
            if rest_by_date and kind is SessionKind.REST:
                unit_name = None
            return _columns(store.figure_rows(since=since, until=until, kind=kind, unit_name=unit_name))
        tens = store.figure_rows(since=since, until=until, kind=SessionKind.TENS, unit_name=unit_name)
        rest = store.figure_rows(since=since, until=until, kind=SessionKind.REST)
    both = _columns(FigureRows(tens.sessions + rest.sessions, tens.peaks + rest.peaks, tens.units,
                               tens.treatments + rest.treatments))
    # Oldest first; at the same start a TENS session before a rest period, as heapq.merge does.
    return both.take_order(np.argsort(both.start, kind="stable"))


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Rows are tuples of numbers and strings, never cycles; but the garbage collector walks
    every tracked object (numpy and scipy bring many) each time a few hundred are made. Paused
    while the rows are read and turned into arrays: a quarter of the time at fifty years."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _columns(read: FigureRows) -> Columns:
    rows = read.sessions
    n = len(rows)
    ids, tens, start, end, offset, unit_row, before, after, b_at, a_at = (
        zip(*rows, strict=True) if n else ((),) * 10
    )

    def floats(values: tuple) -> np.ndarray:
        return np.array(values, dtype=float).reshape(n)  # None becomes nan

    def ints(values: tuple) -> np.ndarray:
        return np.array(values, dtype=np.int64).reshape(n)

    # As datetime.fromtimestamp(start, offset) holds it: whole microseconds, rounded half to even.
    raw_start = floats(start)
    frac, whole = np.modf(raw_start)
    micros = whole.astype(np.int64) * US + np.round(frac * US).astype(np.int64)
    local = micros // US + ints(offset)  # local seconds
    sid = ints(ids)
    order = np.argsort(sid)
    # Units as ``figures`` keys them (name, scale kind, maximum), in order of first use.
    rows_of_unit = ints(unit_row)
    used, first = np.unique(rows_of_unit, return_index=True)
    keys: dict[UnitKey, int] = {}
    index_of = {-1: -1}
    for _, row in sorted(zip(first, used, strict=True)):
        if row >= 0:
            index_of[int(row)] = keys.setdefault(read.units[int(row)], len(keys))
    unit = np.array([index_of[int(u)] for u in used], dtype=np.int64)[np.searchsorted(used, rows_of_unit)]
    treatments: dict[int, tuple[str, ...]] = {}
    for row, label in zip(_rows_of(sid, order, [t[0] for t in read.treatments]), read.treatments, strict=True):
        if row >= 0:
            treatments[row] = (*treatments.get(row, ()), label[1])
    peak = np.full(n, np.nan)
    if read.peaks:
        with_peak, peaks = zip(*read.peaks, strict=True)
        at = _rows_of(sid, order, with_peak)
        peak[at[at >= 0]] = np.array(peaks, dtype=float)[at >= 0]
    return Columns(
        sid,
        ints(tens).astype(bool),
        micros / US,
        ints(offset),
        local // DAY + EPOCH_DAY,
        local % DAY // 3600,
        (floats(end) - raw_start) / 60,  # as figures_of: from the stored seconds
        unit,
        peak,
        floats(before),
        floats(after),
        floats(b_at),
        floats(a_at),
        tuple(keys),
        dict(sorted(treatments.items())),
    )


def _rows_of(sid: np.ndarray, order: np.ndarray, wanted: Sequence[int]) -> np.ndarray:
    """The row of each session id in ``wanted`` (-1: not among the rows); ``order`` sorts ``sid``."""
    if not len(wanted) or not len(sid):
        return np.full(len(wanted), -1, dtype=np.int64)
    ids = np.asarray(wanted, dtype=np.int64)
    pos = np.minimum(np.searchsorted(sid, ids, sorter=order), len(sid) - 1)
    rows = order[pos]
    return np.where(sid[rows] == ids, rows, -1)
