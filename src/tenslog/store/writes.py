"""Editing: what a person adds, changes and deletes (manual and imported sessions, ratings,
units). Each method is one transaction; the recorder's writes during a session are in
recording.py."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from contextlib import suppress
from typing import TYPE_CHECKING

from tenslog.store.errors import StoreError, UnitConflict, UnitNotFound
from tenslog.store.queries import Queries
from tenslog.store.rows import child_rows, context_rows, offset, session_row, ts

if TYPE_CHECKING:
    from tenslog.model import PainRating, Session, SessionContext, Unit


_CONTEXT_TABLES = ("co_treatments", "session_marks", "extra_ratings")


class Writes(Queries):
    # -- units -------------------------------------------------------------------------------
    def ensure_unit(self, unit: Unit, *, update: bool = True) -> int:
        """The unit's row id, adding the unit if new. ``update`` refreshes its name and scale
        (a connected unit reports them); a manual entry or an import never renames a unit."""
        on_conflict = (
            """DO UPDATE SET name = excluded.name, scale_kind = excluded.scale_kind,
                 scale_max = excluded.scale_max"""
            if update
            else "DO NOTHING"
        )
        with self.transaction() as c:
            if not update:
                stored = self.unit(unit.driver, unit.identity)
                if stored is not None and stored.scale != unit.scale:
                    # Its intensities would be read on the stored unit's scale: refuse instead.
                    raise UnitConflict(
                        f"unit {stored.name!r} is already stored with scale "
                        f"{stored.scale.label()}, not {unit.scale.label()}; nothing was changed"
                    )
            c.execute(
                f"""INSERT INTO units (driver, identity, name, scale_kind, scale_max)
                   VALUES (?, ?, ?, ?, ?) ON CONFLICT (driver, identity) {on_conflict}""",
                (unit.driver, unit.identity, unit.name, unit.scale.kind, unit.scale.maximum),
            )
            row = c.execute(
                "SELECT id FROM units WHERE driver = ? AND identity = ?",
                (unit.driver, unit.identity),
            ).fetchone()
        return int(row[0])

    def delete_unit(self, unit_id: int) -> int:
        """Delete a unit (its name and, for a Bluetooth unit, its address) with all its
        sessions; returns how many sessions went. No undo: ask first. The rows are overwritten
        on disk (secure_delete) and the write-ahead log is emptied, so the unit's name and
        address are in neither file afterwards."""
        with self.transaction() as c:
            if c.execute("SELECT 1 FROM units WHERE id = ?", (unit_id,)).fetchone() is None:
                raise UnitNotFound(f"there is no unit number {unit_id}")
            if c.execute(
                "SELECT 1 FROM sessions WHERE unit_id = ? AND state = 'recording'", (unit_id,)
            ).fetchone():
                raise StoreError(
                    "a session of this unit is being recorded; delete the unit once it has ended"
                )
            gone = c.execute("DELETE FROM sessions WHERE unit_id = ?", (unit_id,)).rowcount
            c.execute("DELETE FROM units WHERE id = ?", (unit_id,))
        self.scrub()
        return int(gone)

    def scrub(self) -> None:
        """Copy the write-ahead log into the file and empty it: deleted rows, already zeroed in
        the database by secure_delete, leave no older copy in the -wal. Best effort: a reader
        in another process may keep the log from emptying until it finishes."""
        with suppress(sqlite3.Error):
            self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()

    # -- whole sessions ----------------------------------------------------------------------
    def add_session(self, session: Session) -> Session:
        with self.transaction():
            new_id = self._insert(session)
        return self.get(new_id)

    def add_sessions(self, sessions: Iterable[Session]) -> list[int]:
        """All or nothing: one transaction for the lot (used by import)."""
        with self.transaction():
            return [self._insert(s) for s in sessions]

    def replace_session(self, session: Session) -> Session:
        """Overwrite a stored session (an edit) with the given one, keeping its id."""
        if session.id is None:
            raise ValueError("replace_session needs a session with an id")
        with self.transaction() as c:
            self.get(session.id)
            for table in ("intensity", "ratings", "link_gaps", *_CONTEXT_TABLES):
                c.execute(f"DELETE FROM {table} WHERE session_id = ?", (session.id,))
            c.execute("DELETE FROM sessions WHERE id = ?", (session.id,))
            self._insert(session, session.id)
        return self.get(session.id)

    def delete_session(self, session_id: int) -> Session:
        """Delete and return the session, so the caller can offer undo (add it back)."""
        with self.transaction() as c:
            gone = self.get(session_id)
            c.execute("DELETE FROM sessions WHERE id = ?", (session_id,))
        return gone

    def restore_session(self, session: Session) -> Session:
        """Undo a delete: put the session back under its old id."""
        with self.transaction():
            self._insert(session, session.id)
        assert session.id is not None
        return self.get(session.id)

    def _insert(self, s: Session, session_id: int | None = None) -> int:
        c = self.conn
        unit_id = self.ensure_unit(s.unit, update=False) if s.unit is not None else None
        cur = c.execute(
            """INSERT INTO sessions (id, kind, source, unit_id, start, "end", state, heartbeat,
                                     utc_offset, end_offset, note, for_doctor)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            session_row(s, unit_id, session_id),
        )
        new_id = int(cur.lastrowid or session_id or 0)
        intensity, ratings, gaps = child_rows(s, new_id)
        c.executemany(
            "INSERT INTO intensity (session_id, at, value, utc_offset) VALUES (?, ?, ?, ?)",
            intensity,
        )
        c.executemany(
            "INSERT INTO ratings (session_id, moment, value, at, utc_offset)"
            " VALUES (?, ?, ?, ?, ?)",
            ratings,
        )
        c.executemany(
            "INSERT INTO link_gaps (session_id, lost_at, restored_at, lost_offset, restored_offset)"
            " VALUES (?, ?, ?, ?, ?)",
            gaps,
        )
        self._insert_context(s.context, new_id)
        return new_id

    def _insert_context(self, context: SessionContext, session_id: int) -> None:
        treatments, marks, extra = context_rows(context, session_id)
        c = self.conn
        c.executemany(
            "INSERT INTO co_treatments (session_id, position, name, dose, medication) VALUES (?, ?, ?, ?, ?)",
            treatments,
        )
        c.executemany("INSERT INTO session_marks (session_id, kind, value) VALUES (?, ?, ?)", marks)
        c.executemany(
            "INSERT INTO extra_ratings (session_id, name, moment, value, at, utc_offset) VALUES (?, ?, ?, ?, ?, ?)",
            extra,
        )

    # -- context -----------------------------------------------------------------------------
    def set_context(self, session_id: int, context: SessionContext) -> Session:
        """Replace a session's context (note, treatments, regions, side effects, extra ratings)
        with the given one; the rest of the session is left as it is."""
        with self.transaction() as c:
            self.get(session_id)
            c.execute(
                "UPDATE sessions SET note = ?, for_doctor = ? WHERE id = ?",
                (context.note, int(context.for_doctor), session_id),
            )
            for table in _CONTEXT_TABLES:
                c.execute(f"DELETE FROM {table} WHERE session_id = ?", (session_id,))
            self._insert_context(context, session_id)
        return self.get(session_id)

    # -- ratings -----------------------------------------------------------------------------
    def set_rating(self, session_id: int, rating: PainRating) -> None:
        with self.transaction() as c:
            self.get(session_id)
            c.execute(
                """INSERT INTO ratings (session_id, moment, value, at, utc_offset)
                   VALUES (?, ?, ?, ?, ?)
                   ON CONFLICT (session_id, moment) DO UPDATE SET value = excluded.value,
                     at = excluded.at, utc_offset = excluded.utc_offset""",
                (session_id, rating.moment.value, rating.value, ts(rating.at), offset(rating.at)),
            )

