"""Disk full, read-only and locked databases: a clear message, nothing half-written, no corruption,
and a recorder that keeps its queue and catches up once the problem is gone."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tenslog.driver.events import (
    Connected,
    IntensityChanged,
    StimulationStarted,
    StimulationStopped,
    UnitInfo,
)
from tenslog.model import IntensityScale, Session, SessionState
from tenslog.recorder import Recorder
from tenslog.store import DatabaseUnwritable, Store

T0 = 1_760_000_000.0
INFO = UnitInfo("test", "u1", "Test unit", IntensityScale(kind="level", maximum=100))
NOW = datetime.now(UTC)


def a_session() -> Session:
    return Session(start=NOW - timedelta(hours=1), end=NOW, ratings=[{"moment": "before", "value": 5, "at": NOW}])


def integrity(store: Store) -> str:
    return store.conn.execute("PRAGMA integrity_check").fetchone()[0]


def fill_disk(store: Store) -> None:
    """SQLite's own page cap: to SQLite this is exactly a full disk (SQLITE_FULL)."""
    pages = store.conn.execute("PRAGMA page_count").fetchone()[0]
    store.conn.execute(f"PRAGMA max_page_count = {pages}")


def free_disk(store: Store) -> None:
    store.conn.execute("PRAGMA max_page_count = 1073741823")


def recording(store: Store) -> Recorder:
    store.acquire_recording()
    rec = Recorder(store, clock=lambda: T0)
    rec.handle(Connected(T0, INFO))
    rec.handle(StimulationStarted(T0, 1))
    return rec


def test_disk_full_while_recording_keeps_the_queue_and_catches_up(store: Store) -> None:
    rec = recording(store)
    fill_disk(store)
    for i in range(1, 3000):
        rec.handle(IntensityChanged(T0 + i / 100, 2 + i % 50))
    rec.tick(T0 + 30)
    assert rec.problem is not None and "full" in rec.problem
    (stored,) = store.sessions()
    assert len(stored.intensity) == 1  # nothing half-written: the failed batch left no rows
    assert integrity(store) == "ok"
    free_disk(store)
    rec.tick(T0 + 31)
    assert rec.problem is None
    rec.handle(StimulationStopped(T0 + 60))
    (stored,) = store.sessions()
    assert len(stored.intensity) == 3000 and stored.state is SessionState.COMPLETE


def test_disk_full_on_a_manual_entry_says_so_and_saves_nothing(store: Store) -> None:
    store.add_session(a_session())
    fill_disk(store)
    with pytest.raises(DatabaseUnwritable, match="full; nothing was changed"):
        store.add_sessions([a_session() for _ in range(500)])
    free_disk(store)
    assert store.count() == 1 and integrity(store) == "ok"


def test_a_read_only_database_is_refused_with_a_message(store: Store) -> None:
    store.add_session(a_session())
    store.conn.execute("PRAGMA query_only = ON")  # what SQLite sees on a read-only file or mount
    with pytest.raises(DatabaseUnwritable, match="read-only; nothing was changed"):
        store.add_session(a_session())
    store.conn.execute("PRAGMA query_only = OFF")
    assert store.count() == 1


READ_ONLY_CHILD = """
import sys
from tenslog.store import DatabaseReadOnly, Store
store = Store.open(sys.argv[1])
print(store.read_only, store.count())
try:
    store.add_session(store.get(1).model_copy(update={"id": None}))
except DatabaseReadOnly as exc:
    print("refused:", exc)
"""


def test_a_read_only_file_opens_read_only_and_refuses_writes() -> None:
    """Run as an unprivileged user (root ignores file modes): reading works, a write is
    refused naming the permission, and the file is untouched."""
    import shutil

    from hardening.storage_support import give_to_unprivileged, need_unprivileged, shared_folder

    user = need_unprivileged()
    folder = shared_folder()
    try:
        db_path = folder / "tenslog.db"
        with Store.open(db_path) as store:
            store.add_session(a_session())
        give_to_unprivileged(*folder.iterdir())
        db_path.chmod(0o400)
        before = db_path.read_bytes()
        child = subprocess.run([*user, sys.executable, "-c", READ_ONLY_CHILD, str(db_path)],
                               capture_output=True, text=True, check=True)
        first, second = child.stdout.splitlines()
        assert first == "True 1"
        assert "read-only (the file is not writable for you" in second and "mode 0400" in second
        assert db_path.read_bytes() == before
    finally:
        shutil.rmtree(folder, ignore_errors=True)


HOLD_WRITE_LOCK = """
import sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN EXCLUSIVE")
print("locked", flush=True)
sys.stdin.readline()
conn.execute("ROLLBACK")
"""


def test_a_database_locked_by_another_program_gives_a_message_and_the_recorder_waits(db_path: Path) -> None:
    store = Store.open(db_path, busy_timeout_ms=100)
    rec = recording(store)
    other = subprocess.Popen([sys.executable, "-c", HOLD_WRITE_LOCK, str(db_path)],
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert other.stdout is not None and other.stdout.readline().strip() == "locked"
        with pytest.raises(DatabaseUnwritable, match="locked by another program"):
            store.add_session(a_session())
        rec.handle(IntensityChanged(T0 + 1, 7))
        rec.tick(T0 + 2)
        assert rec.problem is not None and "locked" in rec.problem
    finally:
        assert other.stdin is not None
        other.stdin.write("\n")
        other.stdin.flush()
        other.wait()
    rec.tick(T0 + 3)
    assert rec.problem is None
    (stored,) = store.sessions()
    assert [p.value for p in stored.intensity] == [1, 7] and integrity(store) == "ok"
    store.close()
