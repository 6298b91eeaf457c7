"""Reading: one session, a filtered list of sessions, the figures analysis needs, and the
stored units. Nothing here writes; rows become models in rows.py."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import datetime
from typing import TYPE_CHECKING

from tenslog.localtime import local_time
from tenslog.store.errors import SessionNotFound
from tenslog.store.filters import session_filters as _filters
from tenslog.store.lean import LeanQueries
from tenslog.store.rows import (
    FIGURE_COLUMN,
    FIGURE_COLUMNS,
    SESSION_COLUMNS,
    UNIT_COLUMNS,
    StoredUnit,
    figures_of,
    sessions_of,
    unit_of,
)
from tenslog.vocabulary import MANUAL_SOURCE, SessionKind

if TYPE_CHECKING:
    from tenslog.model import Session, SessionFigures, Unit
    from tenslog.store.exported import ExportedSession

_CHUNK = 500  # ids per IN (...) list; above a few chunks one scan of the child tables is cheaper


class Queries(LeanQueries):
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
        # Imported here, the export's own: not on every open.
        from tenslog.store.exported import exported_sessions

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

    def has_units(self, driver: str) -> bool:
        """Whether any unit of ``driver`` is stored (without building one)."""
        return self.conn.execute("SELECT EXISTS (SELECT 1 FROM units WHERE driver = ?)", (driver,)).fetchone()[0] == 1

    def units(self, driver: str | None = None) -> list[Unit]:
        """Every stored unit, by name; with ``driver``, that driver's only."""
        where, args = ("WHERE driver = ?", (driver,)) if driver is not None else ("", ())
        rows = self.conn.execute(f"SELECT {UNIT_COLUMNS} FROM units {where} ORDER BY name", args).fetchall()
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
