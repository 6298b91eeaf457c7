"""The recorder's side of the store: the claim that only one process records into a file,
the writes it makes while a session runs (called inside its flush transaction), and closing
the sessions a crashed recorder left open."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from tenslog.localtime import local_offset
from tenslog.store.diagnosis import from_sqlite_error, lock_problem, read_only
from tenslog.store.errors import DatabaseUnwritable, RecordingLocked
from tenslog.store.files import hand_to_database_owner
from tenslog.store.holder import lock_path, read_holder, write_holder
from tenslog.store.writes import Writes
from tenslog.vocabulary import SessionKind, SessionState

if TYPE_CHECKING:
    from filelock import FileLock

    from tenslog.model import Unit

_INSERT_ONE = "INSERT INTO intensity (session_id, at, value, utc_offset) VALUES (?, ?, ?, ?)"
_BATCH_ROWS = 100  # 400 parameters: far below any SQLite's limit (999 before 3.32)
_BATCH_VALUES = 4 * _BATCH_ROWS
_INSERT_BATCH = _INSERT_ONE.replace("(?, ?, ?, ?)", ", ".join(["(?, ?, ?, ?)"] * _BATCH_ROWS))


CLAIM_PATIENCE_SECONDS = 0.25


class Recording(Writes):
    # -- the recording claim -----------------------------------------------------------------
    def _lock_file(self) -> FileLock:
        # Imported here: with its logging and threading, filelock is ~40 ms of `tenslog list`,
        # which takes the claim only when there is something to recover (try_recover).
        from filelock import FileLock

        return FileLock(lock_path(self.path), timeout=0, mode=0o600)

    def acquire_recording(self, role: str = "dashboard") -> None:
        """Claim the file for recording; a second recorder gets a clear refusal naming the
        holder (``role``: service, record or dashboard, and its pid) and what to do.
        Sessions a crashed recorder left open are closed here, as only the holder may."""
        if self._lock is not None:
            return
        if self.read_only_reason is not None:
            raise read_only(self.path, self.read_only_reason)
        from filelock import Timeout

        lock = self._lock_file()
        try:
            # A moment's patience: another tenslog asking whether the file is held (a
            # shared-lock probe, see holder.recording_claimed) holds it for microseconds.
            lock.acquire(timeout=CLAIM_PATIENCE_SECONDS, poll_interval=0.01)
        except Timeout:
            holder = read_holder(self.path)
            raise RecordingLocked(
                holder.refusal(self.path) if holder is not None else
                f"another tenslog is already recording into {self.path}; "
                "finish that session (or close that window) first."
            ) from None
        except OSError as exc:
            raise lock_problem(Path(lock.lock_file), exc) from None
        hand_to_database_owner(Path(lock.lock_file), self.path)
        self._lock = lock
        write_holder(self.path, role)
        self.close_interrupted()

    @property
    def is_recording_holder(self) -> bool:
        return self._lock is not None

    def try_recover(self) -> list[int]:
        """Close crash leftovers if no other process is recording now; safe to call any time.
        Skipped where that cannot be known or written (read-only, or a lock file this user
        may not open): the leftovers wait for a run that may, and nothing else needs the lock.
        With no session left 'recording' (the usual case) there is nothing to close and the
        lock is not taken: tenslog begins a session only after taking the claim, so one that
        begins after this look belongs to a live recorder, which this call must not close."""
        if self._lock is not None or self.read_only or not self._left_recording():
            return []
        from filelock import Timeout

        lock = self._lock_file()
        try:
            with lock:
                hand_to_database_owner(Path(lock.lock_file), self.path)
                return self.close_interrupted()
        except (Timeout, OSError, DatabaseUnwritable):
            return []

    def _left_recording(self) -> bool:
        """Any session still marked 'recording': a live recorder's, or a crash's leftover."""
        try:
            found = self.conn.execute("SELECT 1 FROM sessions WHERE state = 'recording' LIMIT 1").fetchone()
        except sqlite3.Error as exc:
            raise from_sqlite_error(self.path, exc) from exc
        return found is not None

    # -- a session as it is recorded ---------------------------------------------------------
    def begin_session(self, unit: Unit | None, start: float, kind: SessionKind, source: str) -> int:
        with self.transaction() as c:
            unit_id = self.ensure_unit(unit) if unit is not None else None
            cur = c.execute(
                """INSERT INTO sessions (kind, source, unit_id, start, state, heartbeat, utc_offset)
                   VALUES (?, ?, ?, ?, 'recording', ?, ?)""",
                (kind.value, source, unit_id, start, start, local_offset(start)),
            )
            return int(cur.lastrowid or 0)

    def add_intensity(self, session_id: int, at: float, value: float) -> None:
        self.add_intensities([(session_id, at, value)])

    def add_intensities(self, rows: Iterable[tuple[int, float, float]]) -> None:
        """Intensity changes (session, at, value), in order: the recorder's flush writes up to
        a second's worth together. Many rows per INSERT cost SQLite half as much per row."""
        # localtime() reads whole seconds (it floors the time), so the local offset is the
        # same throughout a second: looked up when the second changes, not for every row.
        second: float | None = None
        offset, values = 0, list[float]()
        for sid, at, value in rows:
            if at // 1 != second:
                second, offset = at // 1, local_offset(at)
            values += (sid, at, value, offset)
        whole = len(values) - len(values) % _BATCH_VALUES
        with self.transaction() as c:
            for k in range(0, whole, _BATCH_VALUES):
                c.execute(_INSERT_BATCH, values[k : k + _BATCH_VALUES])
            for k in range(whole, len(values), 4):
                c.execute(_INSERT_ONE, values[k : k + 4])

    def heartbeat(self, session_id: int, at: float) -> None:
        with self.transaction() as c:
            c.execute(
                "UPDATE sessions SET heartbeat = max(coalesce(heartbeat, start), ?) WHERE id = ?",
                (at, session_id),
            )

    def open_gap(self, session_id: int, lost_at: float) -> None:
        with self.transaction() as c:
            c.execute(
                "INSERT INTO link_gaps (session_id, lost_at, lost_offset) VALUES (?, ?, ?)",
                (session_id, lost_at, local_offset(lost_at)),
            )

    def close_gap(self, session_id: int, restored_at: float) -> None:
        with self.transaction() as c:
            c.execute(
                """UPDATE link_gaps SET restored_at = ?, restored_offset = ?
                   WHERE session_id = ? AND restored_at IS NULL""",
                (restored_at, local_offset(restored_at), session_id),
            )

    def drop_last_gap(self, session_id: int) -> None:
        """Forget the latest gap: the session turned out to have ended before it began."""
        with self.transaction() as c:
            c.execute(
                """DELETE FROM link_gaps WHERE rowid = (
                     SELECT rowid FROM link_gaps WHERE session_id = ?
                     ORDER BY lost_at DESC LIMIT 1)""",
                (session_id,),
            )

    def end_session(self, session_id: int, end: float, state: SessionState) -> None:
        with self.transaction() as c:
            c.execute(
                """UPDATE sessions SET "end" = max(start, ?), heartbeat = max(start, ?), state = ?,
                     end_offset = local_offset(max(start, ?))
                   WHERE id = ?""",
                (end, end, state.value, end, session_id),
            )

    # -- after a crash -----------------------------------------------------------------------
    def close_interrupted(self) -> list[int]:
        """Sessions a crash left in 'recording' end at their last heartbeat, marked interrupted."""
        with self.transaction() as c:
            ids = [r[0] for r in c.execute("SELECT id FROM sessions WHERE state = 'recording'")]
            c.execute(
                """UPDATE sessions SET state = 'interrupted',
                     "end" = max(start, coalesce(heartbeat, start),
                                 coalesce((SELECT max(at) FROM intensity
                                           WHERE session_id = sessions.id), start))
                   WHERE state = 'recording'"""
            )
            c.executemany(
                'UPDATE sessions SET end_offset = local_offset("end") WHERE id = ?',
                [(i,) for i in ids],
            )
        return ids
