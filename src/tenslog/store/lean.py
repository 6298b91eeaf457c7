"""Lean reads: what `tenslog list` and the analysis need, as plain rows and a small frozen
dataclass, with no Session model built (pydantic costs more to import than a listing takes,
and fifty years of models more than the analysis itself)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import NamedTuple

from tenslog.store.connection import Connection
from tenslog.store.filters import session_filters
from tenslog.store.rows import KINDS, STATES, zone
from tenslog.vocabulary import SessionKind, SessionState


@dataclass(frozen=True, slots=True)
class ListedSession:
    """One line of `tenslog list`: only what its table shows, read without building a Session
    (the pydantic models cost more to import than the whole listing otherwise takes)."""

    id: int
    kind: SessionKind
    state: SessionState
    start: datetime  # in the offset it was recorded under
    duration: timedelta | None  # None while still recording, as Session.duration
    unit_name: str | None  # None: no unit (a rest period, or a session without one)
    scale_kind: str | None
    scale_max: float | None
    peak: float | None  # the highest intensity, None if none was recorded
    before: int | None
    after: int | None


# Per session: its peak and its two ratings, by the indexes on (session_id, ...).
_LISTED_COLUMNS = """s.id, s.kind, s.state, s.start, s."end", s.heartbeat, s.utc_offset, s.end_offset,
    u.name, u.scale_kind, u.scale_max,
    (SELECT max(value) FROM intensity WHERE session_id = s.id),
    (SELECT value FROM ratings WHERE session_id = s.id AND moment = 'before'),
    (SELECT value FROM ratings WHERE session_id = s.id AND moment = 'after')"""


# Per session for figure_rows: id, 1 for TENS, start, end (or last heartbeat), UTC offset at the
# start, unit row (-1: none), before, after, and when each was given.
FIGURE_ROW = """s.id, s.kind = 'tens', s.start, coalesce(s."end", s.heartbeat), s.utc_offset,
    coalesce(s.unit_id, -1), b.value, a.value, b.at, a.at"""


class FigureRows(NamedTuple):
    sessions: list[tuple]  # FIGURE_ROW, oldest first
    peaks: list[tuple[int, float]]  # (session id, peak intensity), sessions with any
    units: dict[int, tuple[str, str, float | None]]  # unit row: name, scale kind, scale maximum
    treatments: list[tuple[int, str]]  # (session id, co-treatment name), in order


class LeanQueries(Connection):
    def listed(self, *, limit: int, kind: SessionKind | None = None) -> list[ListedSession]:
        """The newest ``limit`` sessions (as ``sessions(limit=...)``) as lean rows for the list."""
        clause, params = session_filters(None, None, kind, None)
        rows = self.conn.execute(
            f"SELECT {_LISTED_COLUMNS} FROM sessions s LEFT JOIN units u ON u.id = s.unit_id {clause}"
            f" ORDER BY s.start DESC, s.id LIMIT {int(limit)}",
            params,
        ).fetchall()
        listed = []
        for sid, kind_, state, start, end, heartbeat, off, end_off, name, scale_kind, scale_max, *figures in rows:
            # The same times and the same subtraction as rows.sessions_of and Session.duration,
            # so a duration on the edge of the minimum is judged alike.
            began = datetime.fromtimestamp(start, zone(off))
            duration = None
            if end is not None or state != "recording":
                end_at = end if end is not None else (heartbeat or start)
                duration = datetime.fromtimestamp(end_at, zone(off if end_off is None else end_off)) - began
            listed.append(ListedSession(sid, KINDS[kind_], STATES[state], began, duration,
                                        name, scale_kind, scale_max, *figures))
        return listed

    def figure_rows(
        self,
        *,
        since: datetime | None = None,
        until: datetime | None = None,
        kind: SessionKind | None = None,
        unit_name: str | None = None,
    ) -> FigureRows:
        """``figures`` as plain rows, for reading into columns (tenslog.analysis.reading).
        SQLite joins the two ratings, so Python never sees a row per rating; units are read
        once, not per session (each value read is a Python object: fifty years are 55k rows)."""
        clause, params = session_filters(since, until, kind, unit_name)
        rows = self.conn.execute(
            f"""SELECT {FIGURE_ROW}
                FROM sessions s LEFT JOIN units u ON u.id = s.unit_id
                LEFT JOIN ratings b ON b.session_id = s.id AND b.moment = 'before'
                LEFT JOIN ratings a ON a.session_id = s.id AND a.moment = 'after'
                {clause} ORDER BY s.start, s.id""",
            params,
        ).fetchall()
        selected = "" if not clause else (
            f"WHERE session_id IN (SELECT s.id FROM sessions s LEFT JOIN units u ON u.id = s.unit_id {clause})"
        )
        peaks = self.conn.execute(
            f"SELECT session_id, max(value) FROM intensity {selected} GROUP BY session_id", params
        ).fetchall()
        treatments = self.conn.execute(
            f"SELECT session_id, name FROM co_treatments {selected} ORDER BY session_id, position", params
        ).fetchall()
        units = {uid: (name, kind_, maximum) for uid, name, kind_, maximum in self.conn.execute(
            "SELECT id, name, scale_kind, scale_max FROM units"
        )}
        return FigureRows(rows, peaks, units, treatments)
