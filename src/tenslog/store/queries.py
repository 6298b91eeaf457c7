"""Reading: one session, a filtered list of sessions, the figures analysis needs, and the
stored units. Nothing here writes; rows become models in rows.py."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, NamedTuple

from tenslog.localtime import local_time
from tenslog.store.connection import Connection
from tenslog.store.errors import SessionNotFound
from tenslog.store.exported import ExportedSession, exported_sessions
from tenslog.store.rows import (
    FIGURE_COLUMN,
    FIGURE_COLUMNS,
    KINDS,
    SESSION_COLUMNS,
    STATES,
    UNIT_COLUMNS,
    StoredUnit,
    figures_of,
    sessions_of,
    ts,
    unit_of,
    zone,
)
from tenslog.vocabulary import MANUAL_SOURCE, SessionKind, SessionState

if TYPE_CHECKING:
    from tenslog.model import Session, SessionFigures, Unit

_CHUNK = 500  # ids per IN (...) list; above a few chunks one scan of the child tables is cheaper


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


class Queries(Connection):
    # -- sessions ----------------------------------------------------------------------------
    def get(self, session_id: int) -> Session:
        found = self._load("WHERE s.id = ?", (session_id,))
        if not found:
            raise SessionNotFound(f"there is no session number {session_id}")
        return found[0]

    def sessions(
        self,
        *,
        since: datetime | None = None,
        until: datetime | None = None,
        kind: SessionKind | None = None,
        unit_name: str | None = None,
        limit: int | None = None,
        newest_first: bool = True,
    ) -> list[Session]:
        clause, params = _filters(since, until, kind, unit_name)
        clause += f" ORDER BY s.start {'DESC' if newest_first else 'ASC'}, s.id"
        if limit is not None:
            clause += f" LIMIT {int(limit)}"
        return self._load(clause, params)

    def listed(self, *, limit: int, kind: SessionKind | None = None) -> list[ListedSession]:
        """The newest ``limit`` sessions (as ``sessions(limit=...)``) as lean rows for the list."""
        clause, params = _filters(None, None, kind, None)
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

    def iter_sessions(
        self,
        *,
        since: datetime | None = None,
        until: datetime | None = None,
        kind: SessionKind | None = None,
        unit_name: str | None = None,
    ) -> Iterator[Session]:
        """Oldest first, as ``sessions(newest_first=False)``, read _CHUNK at a time: an export
        of fifty years never holds every session at once."""
        clause, params = _filters(since, until, kind, unit_name)
        ids = [row[0] for row in self.conn.execute(
            f"SELECT s.id FROM sessions s LEFT JOIN units u ON u.id = s.unit_id {clause} ORDER BY s.start, s.id",
            params,
        )]
        for k in range(0, len(ids), _CHUNK):
            chunk = ids[k : k + _CHUNK]
            found = {s.id: s for s in self._load(f"WHERE s.id IN ({','.join('?' * len(chunk))})", tuple(chunk))}
            yield from (found[i] for i in chunk if i in found)  # one deleted meanwhile: left out

    def exported(
        self,
        *,
        since: datetime | None = None,
        until: datetime | None = None,
        kind: SessionKind | None = None,
        unit_name: str | None = None,
    ) -> Iterator[ExportedSession]:
        """As ``iter_sessions``, as lean rows (store/exported.py): what the FHIR export sends."""
        clause, params = _filters(since, until, kind, unit_name)
        return exported_sessions(self.conn, clause, params)

    def figures(
        self,
        *,
        since: datetime | None = None,
        until: datetime | None = None,
        kind: SessionKind | None = None,
        unit_name: str | None = None,
    ) -> list[SessionFigures]:
        """Oldest first: each session's kind, start, duration, unit, peak intensity and ratings.
        What analysis and charts need, without building whole sessions. Three plain scans joined
        here are twice as fast as a subquery per session (ten years: ~30 ms instead of ~60)."""
        clause, params = _filters(since, until, kind, unit_name)
        selected = "" if not clause else (
            "WHERE session_id IN "
            f"(SELECT s.id FROM sessions s LEFT JOIN units u ON u.id = s.unit_id {clause})"
        )
        c = self.conn
        peaks = dict(c.execute(
            f"SELECT session_id, max(value) FROM intensity {selected} GROUP BY session_id", params
        ))
        rated: dict[int, list[int | None]] = {}
        given: dict[int, list[float | None]] = {}
        for sid, moment, value, at in c.execute(
            f"SELECT session_id, moment, value, at FROM ratings {selected}", params
        ):
            rated.setdefault(sid, [None, None, None])[FIGURE_COLUMN[moment]] = value
            given.setdefault(sid, [None, None, None])[FIGURE_COLUMN[moment]] = at
        treatments: dict[int, tuple[str, ...]] = {}
        for sid, name in c.execute(
            f"SELECT session_id, name FROM co_treatments {selected} ORDER BY session_id, position", params
        ):
            treatments[sid] = (*treatments.get(sid, ()), name)
        rows = c.execute(
            f"""SELECT {FIGURE_COLUMNS}
                FROM sessions s LEFT JOIN units u ON u.id = s.unit_id {clause}
                ORDER BY s.start, s.id""",
            params,
        ).fetchall()
        return figures_of(rows, peaks, rated, given, treatments)

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
        clause, params = _filters(since, until, kind, unit_name)
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

    def noted_for_doctor(self) -> list[int]:
        """The numbers of the sessions with a note marked for the doctor (the report lists them)."""
        return [sid for sid, note in self.conn.execute(
            "SELECT id, note FROM sessions WHERE for_doctor = 1 AND note != ''"
        ) if note.strip()]  # fmt: skip

    def sessions_by_id(self, ids: list[int]) -> list[Session]:
        """Whole sessions, in the order of ``ids`` (one not stored is left out)."""
        found: dict[int | None, Session] = {}
        for k in range(0, len(ids), _CHUNK):
            chunk = ids[k : k + _CHUNK]
            found.update((s.id, s) for s in self._load(f"WHERE s.id IN ({','.join('?' * len(chunk))})", tuple(chunk)))
        return [found[i] for i in ids if i in found]

    def last_entered(self) -> int | None:
        """The number of the session entered or recorded last: rows are numbered as they are
        added, so this is the highest number, whatever its start time (an edit keeps its number)."""
        row = self.conn.execute("SELECT max(id) FROM sessions").fetchone()
        return None if row[0] is None else int(row[0])

    def count(self) -> int:
        return int(self.conn.execute("SELECT count(*) FROM sessions").fetchone()[0])

    def last_heartbeat(self, session_id: int) -> float | None:
        row = self.conn.execute(
            "SELECT heartbeat FROM sessions WHERE id = ?", (session_id,)
        ).fetchone()
        return None if row is None else row[0]

    def _load(self, clause: str, params: tuple[object, ...]) -> list[Session]:
        rows = self.conn.execute(
            f"SELECT {SESSION_COLUMNS} FROM sessions s"
            f" LEFT JOIN units u ON u.id = s.unit_id {clause}",
            params,
        ).fetchall()
        if not rows:
            return []
        return sessions_of(rows, _children(self.conn, [r[0] for r in rows]))

    # -- units -------------------------------------------------------------------------------
    def unit(self, driver: str, identity: str) -> Unit | None:
        row = self.conn.execute(
            f"SELECT {UNIT_COLUMNS} FROM units WHERE driver = ? AND identity = ?",
            (driver, identity),
        ).fetchone()
        return None if row is None else unit_of(*row)

    def last_manual_unit(self) -> Unit | None:
        """The unit of the manual session entered last: what `tenslog add` assumes you used."""
        row = self.conn.execute(
            f"""SELECT {", ".join("u." + c.strip() for c in UNIT_COLUMNS.split(","))}
                FROM sessions s JOIN units u ON u.id = s.unit_id
                WHERE u.driver = ? ORDER BY s.id DESC LIMIT 1""",
            (MANUAL_SOURCE,),
        ).fetchone()
        return None if row is None else unit_of(*row)

    def units(self) -> list[Unit]:
        rows = self.conn.execute(f"SELECT {UNIT_COLUMNS} FROM units ORDER BY name").fetchall()
        return [unit_of(*row) for row in rows]

    def stored_units(self) -> list[StoredUnit]:
        """Every unit with its row number, how many sessions it has and when it was last used;
        a unit whose sessions are all deleted is listed too (with 0), so it can be deleted."""
        rows = self.conn.execute(
            """SELECT u.id, u.driver, u.identity, u.name, u.scale_kind, u.scale_max,
                      count(s.id), max(s.start)
               FROM units u LEFT JOIN sessions s ON s.unit_id = u.id
               GROUP BY u.id ORDER BY u.name, u.id"""
        ).fetchall()
        return [
            StoredUnit(uid, unit_of(*cols), count, None if last is None else local_time(last))
            for uid, *cols, count, last in rows
        ]


def _filters(
    since: datetime | None, until: datetime | None, kind: SessionKind | None, unit_name: str | None
) -> tuple[str, tuple[object, ...]]:
    where: list[str] = []
    params: list[object] = []
    if since is not None:
        where.append("s.start >= ?")
        params.append(ts(since))
    if until is not None:
        where.append("s.start < ?")
        params.append(ts(until))
    if kind is not None:
        where.append("s.kind = ?")
        params.append(kind.value)
    if unit_name is not None:
        where.append("u.name = ?")
        params.append(unit_name)
    return ("WHERE " + " AND ".join(where)) if where else "", tuple(params)


_ORDER_MOMENT = "CASE moment WHEN 'before' THEN 0 WHEN 'after' THEN 1 ELSE 2 END"


def _children(c: sqlite3.Connection, ids: list[int]) -> dict[int, tuple[list, ...]]:
    """Intensity points, ratings, gaps and the context's rows (treatments, regions and side
    effects, extra ratings) of the given sessions, in one pass per table."""
    out: dict[int, tuple[list, ...]] = {}
    queries = (
        "SELECT session_id, at, value, utc_offset FROM intensity {} ORDER BY session_id, at",
        f"SELECT session_id, moment, value, at, utc_offset FROM ratings {{}} ORDER BY session_id, {_ORDER_MOMENT}",
        ("SELECT session_id, lost_at, restored_at, lost_offset, restored_offset FROM link_gaps {}"
        " ORDER BY session_id, lost_at"),
        "SELECT session_id, position, name, dose, medication FROM co_treatments {} ORDER BY session_id, position",
        "SELECT session_id, kind, value FROM session_marks {}",
        ("SELECT session_id, name, moment, value, at, utc_offset FROM extra_ratings {}"
         f" ORDER BY session_id, rowid, {_ORDER_MOMENT}"),
    )
    if len(ids) > 4 * _CHUNK:
        wanted: set[int] | None = set(ids)
        batches: list[tuple[str, list[int]]] = [("", [])]
    else:
        wanted = None
        batches = [
            (f"WHERE session_id IN ({','.join('?' * len(chunk))})", chunk)
            for chunk in (ids[i : i + _CHUNK] for i in range(0, len(ids), _CHUNK))
        ]
    for slot, query in enumerate(queries):
        for where, chunk in batches:
            for sid, *rest in c.execute(query.format(where), chunk):
                if wanted is None or sid in wanted:
                    if sid not in out:
                        out[sid] = ([], [], [], [], [], [])
                    out[sid][slot].append(rest)
    return out
