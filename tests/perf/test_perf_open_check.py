"""Opening a database does not read every page of it (PRAGMA quick_check took ~0.4 s at fifty
years of history, on every command): only after an unclean shutdown, which leaves a -wal with
changes, or on request. Damage deeper in a cleanly closed file is named, in one line, by the
first command whose read meets it; nothing is changed either way."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tenslog.model import Session
from tenslog.store import DatabaseDamaged, Store

NOW = datetime.now(UTC).replace(microsecond=0)
PAGE = 4096


def a_session(hours_ago: int) -> Session:
    start = NOW - timedelta(hours=hours_ago)
    return Session(start=start, end=start + timedelta(minutes=30),
                   ratings=[{"moment": "before", "value": 6, "at": start}])


def fill(path: Path) -> Store:
    store = Store.open(path)
    store.add_sessions(a_session(hours) for hours in range(1, 200))
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # every page in the file itself
    return store


def scribble(path: Path) -> str:
    """Overwrite two b-tree pages in the middle of the file; the header stays whole."""
    data = bytearray(path.read_bytes())
    data[PAGE * 2 : PAGE * 4] = os.urandom(PAGE * 2)
    path.write_bytes(bytes(data))
    return digest(path)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_after_an_unclean_shutdown_a_damaged_file_is_refused_on_open(tmp_path: Path) -> None:
    store = fill(tmp_path / "t.db")
    store.conn.execute("PRAGMA wal_autocheckpoint = 0")
    store.add_session(a_session(500))  # in the -wal only, as when tenslog is killed mid-way
    crashed = tmp_path / "crashed"
    crashed.mkdir()
    for name in ("t.db", "t.db-wal"):  # the files as a crash leaves them: never closed
        shutil.copyfile(tmp_path / name, crashed / name)
    store.close()
    before = scribble(crashed / "t.db")
    with pytest.raises(DatabaseDamaged, match=r"(?s)crashed/t\.db is damaged .*left untouched"):
        Store.open(crashed / "t.db")
    assert digest(crashed / "t.db") == before


def test_a_clean_open_reads_no_page_it_does_not_need(tmp_path: Path) -> None:
    path = tmp_path / "t.db"
    fill(path).close()
    before = scribble(path)
    assert not Path(f"{path}-wal").exists()  # closed cleanly
    with Store.open(path) as store:  # not refused: the pages were not all read
        assert store.conn.execute("PRAGMA user_version").fetchone()[0] > 0
    with pytest.raises(DatabaseDamaged, match="damaged"):
        Store.open(path, check=True)  # on request
    # the first command that meets the damage names it, in one line, and changes nothing
    run = subprocess.run([sys.executable, "-m", "tenslog", "--db", str(path), "list"],
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 1 and run.stdout == ""
    assert run.stderr == (f"Error: {path} is damaged (database disk image is malformed); left untouched. "
                          "Restore a backup.\n")
    assert digest(path) == before


def test_a_wal_kept_by_a_running_service_or_dashboard_is_no_unclean_shutdown(tmp_path: Path) -> None:
    """The service keeps its -wal all day: commands run beside it (`list`, `summary`, exports)
    do not read every page for it. Once nothing holds the file, the same -wal is a crash's
    leftover, and the damage is found on opening."""
    from tenslog.presence import attach_dashboard

    path = tmp_path / "t.db"
    service = fill(path)
    service.conn.execute("PRAGMA wal_autocheckpoint = 0")
    service.add_session(a_session(500))  # a -wal with changes, as while recording
    service.acquire_recording(role="service")
    scribble(path)
    with Store.open(path) as store:  # beside the running service: no whole-file check
        assert store.conn.execute("PRAGMA user_version").fetchone()[0] > 0
    service.release_recording()  # the service is gone; its -wal stays (the file is still open)
    dashboard = attach_dashboard(path)
    with Store.open(path) as store:  # beside an open dashboard: none either
        assert store.conn.execute("PRAGMA user_version").fetchone()[0] > 0
    dashboard.close()
    with pytest.raises(DatabaseDamaged, match="damaged"):  # nobody explains the -wal: checked
        Store.open(path)
    service.close()
