"""Opening the database and writing to it safely: the connection (WAL, owner-only, read-only
where it may not be written), and the one way to write, ``transaction()``. The lowest layer of
``Store``; the readers, editors and the recorder's writes build on it."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import TYPE_CHECKING, Self

from tenslog.store.diagnosis import WriteProblem, from_sqlite_error, read_only, write_problem
from tenslog.store.errors import DatabaseReadOnly, DiskFull, StoreError
from tenslog.store.files import (
    check_existing,
    connect_read_only,
    create_database,
    examine,
    restrict_to_owner,
    wal_left_over,
)
from tenslog.store.holder import open_in_a_running_tenslog, remove_holder
from tenslog.store.migrations import LATEST_VERSION, migrate, schema_version

if TYPE_CHECKING:  # filelock is imported when the claim is taken (recording.py), not on every open
    from filelock import FileLock


def _connect(path: Path, problem: WriteProblem | None, busy_timeout_ms: int) -> sqlite3.Connection:
    """A connection to the checked database: to write (migrated to the latest schema) when
    ``problem`` is None, else read-only (and refused if it would need migrating)."""
    try:
        if problem is None:
            # mode=rw: never creates a file, should the path change under us since the check.
            uri = f"{path.resolve().as_uri()}?mode=rw"
            conn = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
        else:
            conn = connect_read_only(path)
    except sqlite3.Error as exc:
        raise from_sqlite_error(path, exc) from None
    try:
        conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        conn.execute("PRAGMA foreign_keys = ON")
        # Health data: deleted sessions are overwritten on disk, not merely unlinked.
        conn.execute("PRAGMA secure_delete = ON")
        if problem is None:
            conn.execute("PRAGMA journal_mode = WAL")
            # FULL: a committed heartbeat survives power loss too, not only a crash.
            conn.execute("PRAGMA synchronous = FULL")
            migrate(conn)
        else:
            conn.execute("PRAGMA query_only = ON")
            if schema_version(conn) < LATEST_VERSION:
                raise read_only(path, problem._replace(
                    fix=f"{problem.fix} (once: it needs updating to this tenslog's format)"))
    except sqlite3.Error as exc:
        conn.close()
        raise from_sqlite_error(path, exc) from None
    except StoreError:
        conn.close()
        raise
    return conn


class Connection:
    """Open with ``Store.open(path)``; use as a context manager or call ``close()``."""

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self.conn = conn
        self.path = path
        self._depth = 0
        self._lock: FileLock | None = None  # the recording claim (see recording.py)
        self.read_only_reason: WriteProblem | None = None  # why writes are refused, if they are

    @classmethod
    def open(cls, path: Path | str, *, busy_timeout_ms: int = 5000, check: bool = False) -> Self:
        """Open (or create) the database at ``path``. Where it may not be written (a read-only
        mount, a file or folder without write permission, a full disk) it is opened read-only:
        reading works, and each write is refused with the reason. Every page is checked only
        after an unclean shutdown (a -wal left over) or with ``check``: not on every open."""
        path = Path(path).expanduser()
        if not examine(path):
            create_database(path)
        # Every page is read after an unclean shutdown only: a -wal that a running tenslog
        # (the service, a dashboard) keeps is no sign of one, and is there all day.
        unclean = wal_left_over(path) and not open_in_a_running_tenslog(path)
        check_existing(path, whole_file=check or unclean)
        problem = write_problem(path.resolve())
        if problem is None:
            try:
                conn = _connect(path, None, busy_timeout_ms)
            except (DiskFull, DatabaseReadOnly) as exc:
                # Opening to write needs a little room (the -shm) and write access; reading
                # needs neither. Found out only now (e.g. the disk is full): read-only.
                full = isinstance(exc, DiskFull)
                problem = write_problem(path.resolve()) or WriteProblem(
                    "its disk is full" if full else "it cannot be written",
                    "free some space and start tenslog again" if full else "check its disk",
                )
        if problem is not None:
            conn = _connect(path, problem, busy_timeout_ms)
        else:
            restrict_to_owner(path)
        store = cls(conn, path)
        store.read_only_reason = problem
        return store

    @property
    def read_only(self) -> bool:
        return self.read_only_reason is not None

    def close(self) -> None:
        self.release_recording()
        self.conn.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def release_recording(self) -> None:
        """Give up the recording claim, if this store holds it (closing does this too)."""
        if self._lock is not None:
            remove_holder(self.path)  # first: once released, another may name itself
            self._lock.release()
            self._lock = None

    # -- transactions ----------------------------------------------------------------------
    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """Reentrant: inner blocks join the outer transaction. Whatever goes wrong, the
        connection leaves the outermost block outside any transaction, so the next write (the
        dashboard keeps one store open) starts clean."""
        if self._depth:
            self._depth += 1
            try:
                yield self.conn
            finally:
                self._depth -= 1
            return
        if self.read_only_reason is not None:
            raise read_only(self.path, self.read_only_reason)
        self._rollback()  # a transaction no block holds can only be a failure's leftover
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            self._rollback()
            raise from_sqlite_error(self.path, exc) from exc
        self._depth = 1
        try:
            yield self.conn
        except sqlite3.Error as exc:
            self._depth = 0
            self._rollback()
            raise from_sqlite_error(self.path, exc) from exc
        except BaseException:
            self._depth = 0
            self._rollback()
            raise
        self._depth = 0
        try:
            self.conn.execute("COMMIT")
        except sqlite3.Error as exc:
            self._rollback()
            raise from_sqlite_error(self.path, exc) from exc

    def _rollback(self) -> None:
        # SQLite rolls back by itself on some errors (SQLITE_FULL); a second ROLLBACK would fail.
        # Should ROLLBACK itself fail, the next transaction() tries again before it begins.
        if self.conn.in_transaction:
            with suppress(sqlite3.Error):
                self.conn.execute("ROLLBACK")
