"""Whatever is at the database path, tenslog either uses a real tenslog database or refuses with
one line naming the problem, never a traceback, never a hang, and leaves the thing untouched:
a FIFO is not opened for reading, nothing gets a -journal beside it, an empty file is not
adopted, a dangling link is named as such."""

from __future__ import annotations

import os
import sqlite3
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hardening.storage_support import digest, one_line_error, run
from tenslog.store import Store, UnusablePath

COMMANDS: dict[str, list[str]] = {
    "list": ["list"],
    "add": ["add", "--duration", "30", "--before", "6", "--after", "4"],
    "summary": ["summary"],
    "export": ["export", "--format", "csv"],
    "rate": ["rate", "last", "--after", "3"],
    "units": ["units"],
}


def _fifo(p: Path) -> None:
    os.mkfifo(p)


def _char_device(p: Path) -> None:
    p.symlink_to("/dev/null")  # stat() follows the link to a character device


def _dangling(p: Path) -> None:
    p.symlink_to(p.parent / "gone" / "tenslog.db")


def _folder(p: Path) -> None:
    p.mkdir()


def _empty(p: Path) -> None:
    p.write_bytes(b"")


def _text(p: Path) -> None:
    p.write_text("my notes, not a database\n")


def _foreign_sqlite(p: Path) -> None:
    conn = sqlite3.connect(p)
    conn.execute("CREATE TABLE t (x)")
    conn.close()


def _file_in_the_way(p: Path) -> None:
    (p.parent / "notafolder").write_text("x")


KINDS: dict[str, Callable[[Path], None]] = {
    "fifo": _fifo,
    "character device": _char_device,
    "dangling symlink": _dangling,
    "folder": _folder,
    "empty file": _empty,
    "text file": _text,
    "another program's SQLite file": _foreign_sqlite,
}
EXPECTED = {
    "fifo": "named pipe",
    "character device": "character device",
    "dangling symlink": "which does not exist",
    "folder": "is a folder",
    "empty file": "empty file",
    "text file": "not an SQLite file",
    "another program's SQLite file": "another program",
}


def _snapshot(folder: Path) -> dict[str, str | None]:
    """Every name in the folder with the bytes of each regular file: nothing added, nothing changed."""
    return {p.name: digest(p) for p in folder.iterdir()}


def _refused_untouched(tmp: Path, kind: str, command: str) -> str:
    db = tmp / "tenslog.db"
    KINDS[kind](db)
    before = _snapshot(tmp)
    result = run(db, *COMMANDS[command], timeout=20)  # a hang (FIFO) fails here, not for ever
    line = one_line_error(result)
    assert _snapshot(tmp) == before, f"{kind}: the folder changed"
    return line


@pytest.mark.parametrize("kind", list(KINDS))
def test_each_unusable_path_is_refused_by_name_and_left_alone(tmp_path: Path, kind: str) -> None:
    line = _refused_untouched(tmp_path, kind, "list")
    assert EXPECTED[kind] in line and str(tmp_path / "tenslog.db") in line, line
    assert "damaged" not in line


@settings(max_examples=24, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(kind=st.sampled_from(sorted(KINDS)), command=st.sampled_from(sorted(COMMANDS)),
       name=st.sampled_from(["tenslog.db", "my data.db", "données ü.db", "a[b]#%?.db"]))
def test_every_command_refuses_every_unusable_path(tmp_path_factory: pytest.TempPathFactory,
                                                   kind: str, command: str, name: str) -> None:
    """The class: for any kind of unusable thing at the path, any command, any file name."""
    tmp = tmp_path_factory.mktemp("kind")
    db = tmp / name
    KINDS[kind](db)
    before = _snapshot(tmp)
    line = one_line_error(run(db, *COMMANDS[command], timeout=20))
    assert EXPECTED[kind] in line, line
    assert _snapshot(tmp) == before


def test_a_fifo_does_not_hang_even_with_no_writer(tmp_path: Path) -> None:
    db = tmp_path / "tenslog.db"
    os.mkfifo(db)
    try:
        result = run(db, "list", timeout=10)
    except subprocess.TimeoutExpired:
        pytest.fail("tenslog opened the FIFO for reading and hung")
    assert "named pipe" in one_line_error(result)


@pytest.mark.skipif(os.path.lexists("/dev/null-journal"), reason="/dev/null-journal already exists here")
def test_dev_null_is_refused_and_gets_no_journal_beside_it() -> None:
    try:
        line = one_line_error(run("/dev/null", "add", "--duration", "30"))
        assert "character device" in line
        assert not os.path.lexists("/dev/null-journal") and not os.path.lexists("/dev/null-wal")
    finally:  # on a failure, leave /dev as it was
        for stray in ("/dev/null-journal", "/dev/null-wal", "/dev/null-shm"):
            if os.path.lexists(stray):
                os.unlink(stray)


def test_a_path_through_a_file_is_named(tmp_path: Path) -> None:
    _file_in_the_way(tmp_path / "x")
    line = one_line_error(run(tmp_path / "notafolder" / "tenslog.db", "list"))
    assert "not a folder" in line


def test_an_empty_file_is_refused_not_adopted(tmp_path: Path) -> None:
    db = tmp_path / "tenslog.db"
    db.write_bytes(b"")
    with pytest.raises(UnusablePath, match="empty file"):
        Store.open(db)
    assert db.read_bytes() == b"" and sorted(p.name for p in tmp_path.iterdir()) == ["tenslog.db"]


def test_an_older_tenslogs_crash_before_its_schema_still_recovers(tmp_path: Path) -> None:
    """An older tenslog created the file, then SQLite wrote its first page (WAL) before the
    schema: a header and nothing else. That is ours and empty of data, and is adopted."""
    db = tmp_path / "tenslog.db"
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.close()
    with Store.open(db) as store:
        assert store.count() == 0 and store.units() == []


def test_a_crash_while_creating_leaves_no_file_at_the_path(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """The schema is written in a hidden file first: a crash before the link leaves the path
    free, and the next run creates the database as if nothing happened."""
    db = tmp_path / "data" / "tenslog.db"

    def crash(*args: object) -> None:
        raise KeyboardInterrupt  # stands in for a kill between create and link

    monkeypatch.setattr(os, "link", crash)
    with pytest.raises(KeyboardInterrupt):
        Store.open(db)
    assert not db.exists()
    monkeypatch.undo()
    with Store.open(db) as store:
        assert store.count() == 0
    assert [p.name for p in db.parent.iterdir() if p.name.endswith(".new")] == []
