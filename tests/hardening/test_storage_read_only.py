"""A database that may not be written is not "damaged": it opens read-only, commands that only
read work, and each write is refused with its real cause (read-only mount, no permission,
full disk, a lock file of another user) and what to do. Real mounts, real permissions."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hardening.storage_support import (
    TENSLOG,
    digest,
    give_to_unprivileged,
    in_namespace,
    need_unprivileged,
    one_line_error,
    read_only_mount,
    run,
    shared_folder,
)

ADD = ["add", "--duration", "30", "--before", "6", "--after", "4", "--unit", "Beurer EM49"]
READS = [["list"], ["summary"], ["export", "--format", "json"], ["units"]]
WRITES = [ADD, ["rate", "1", "--after", "2"], ["units", "delete", "Beurer EM49", "--yes"],
          ["add", "--kind", "rest", "--duration", "20", "--before", "5"]]


@pytest.fixture
def folder() -> Iterator[Path]:
    made = shared_folder()
    yield made
    shutil.rmtree(made, ignore_errors=True)


@pytest.fixture
def filled(folder: Path) -> Path:
    """A healthy database with one session, closed cleanly (no -wal or -shm left)."""
    db = folder / "tenslog.db"
    assert run(db, *ADD).returncode == 0
    give_to_unprivileged(*folder.iterdir())
    return db


def _files(folder: Path) -> dict[str, str | None]:
    return {p.name: digest(p) for p in folder.iterdir()}


# -- a read-only mount (EROFS) ----------------------------------------------------------------
def test_a_healthy_database_on_a_read_only_mount_is_read_not_called_damaged(filled: Path) -> None:
    before = _files(filled.parent)
    ro = read_only_mount(filled.parent)
    listed = run(filled, "list", prefix=ro)
    assert listed.returncode == 0, listed.stderr
    assert "Beurer EM49" in listed.stdout
    line = one_line_error(run(filled, *ADD, prefix=ro))
    assert "read-only" in line and "mounted read-only" in line and "damaged" not in line
    assert _files(filled.parent) == before


def test_a_new_database_on_a_read_only_mount_is_refused_with_the_reason(folder: Path) -> None:
    line = one_line_error(run(folder / "sub" / "tenslog.db", "list", prefix=read_only_mount(folder)))
    assert "read-only" in line and "Traceback" not in line
    assert list(folder.iterdir()) == []


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(read=st.sampled_from(READS), write=st.sampled_from(WRITES))
def test_on_a_read_only_mount_every_read_works_and_every_write_says_read_only(read, write) -> None:
    made = shared_folder()
    try:
        db = made / "tenslog.db"
        assert run(db, *ADD).returncode == 0
        before = _files(made)
        ro = read_only_mount(made)
        result = run(db, *read, prefix=ro)
        assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
        line = one_line_error(run(db, *write, prefix=ro))
        assert "read-only" in line and "damaged" not in line, line
        assert _files(made) == before
    finally:
        shutil.rmtree(made, ignore_errors=True)


# -- no write permission (as an unprivileged user: root ignores file modes) ---------------------
def test_a_0400_database_is_read_and_a_write_names_the_permission(filled: Path) -> None:
    user = need_unprivileged()
    filled.chmod(0o400)
    before = digest(filled)
    listed = run(filled, "list", prefix=user)
    assert listed.returncode == 0 and "Beurer EM49" in listed.stdout, listed.stderr
    line = one_line_error(run(filled, *ADD, prefix=user))
    assert "not writable for you" in line and "mode 0400" in line and "chmod u+w" in line
    assert digest(filled) == before


def test_a_database_in_a_read_only_folder_is_read_and_a_write_names_the_folder(filled: Path) -> None:
    user = need_unprivileged()
    filled.parent.chmod(0o555)
    try:
        before = _files(filled.parent)
        listed = run(filled, "list", prefix=user)
        assert listed.returncode == 0 and "Beurer EM49" in listed.stdout, listed.stderr
        line = one_line_error(run(filled, *ADD, prefix=user))
        assert "folder" in line and "not writable" in line
        assert _files(filled.parent) == before
    finally:
        filled.parent.chmod(0o755)


def test_a_database_of_another_user_says_whose_it_is(filled: Path) -> None:
    user = need_unprivileged()
    if os.geteuid() != 0:
        pytest.skip("only root can make a file another user's")
    os.chown(filled, 0, 0)
    filled.chmod(0o600)
    line = one_line_error(run(filled, "list", prefix=user))
    assert "owner root" in line and "sudo chown" in line


# -- a lock file left by `sudo tenslog` -----------------------------------------------------------
def test_a_root_owned_lock_file_does_not_stop_list_or_add_and_record_says_what_to_do(filled: Path) -> None:
    user = need_unprivileged()
    if os.geteuid() != 0:
        pytest.skip("only root can leave a root-owned lock file")
    lock = Path(f"{filled}.lock")
    lock.write_bytes(b"")
    os.chown(lock, 0, 0)
    lock.chmod(0o600)  # as `sudo tenslog` leaves it: root's, 0600
    assert run(filled, "list", prefix=user).returncode == 0
    added = run(filled, *ADD, prefix=user)
    assert added.returncode == 0, added.stderr
    line = one_line_error(run(filled, "record", "--driver", "simulator", prefix=user))
    assert str(lock) in line and "sudo rm" in line


def test_sudo_tenslog_leaves_its_lock_file_to_the_database_owner(filled: Path) -> None:
    user = need_unprivileged()
    if os.geteuid() != 0:
        pytest.skip("the test plays `sudo tenslog`: it needs root")
    lock = Path(f"{filled}.lock")
    lock.unlink(missing_ok=True)
    assert run(filled, "list").returncode == 0  # as root, with nothing to recover: no lock taken
    assert not lock.exists()
    conn = sqlite3.connect(filled)  # a crash's leftover: a session still marked recording
    with conn:
        conn.execute("UPDATE sessions SET state = 'recording', \"end\" = NULL")
    conn.close()
    listed = run(filled, "list")  # as root: try_recover makes and takes the lock to close it
    assert listed.returncode == 0 and "interrupted" in listed.stdout, listed.stderr
    assert lock.stat().st_uid == filled.stat().st_uid != 0
    assert run(filled, *ADD, prefix=user).returncode == 0


# -- a full disk (a small tmpfs: a real ENOSPC) -------------------------------------------------
FILL_THEN_WRITE = """
set -e
mount -t tmpfs -o size=400k tmpfs "$1"
"$2" --db "$1/tenslog.db" add --duration 30 --before 6 --after 4 >/dev/null
dd if=/dev/zero of="$1/filler" bs=4k >/dev/null 2>&1 || true
sync
set +e
"$2" --db "$1/tenslog.db" list >/dev/null 2>"$1.list-err"; echo "list=$?"
"$2" --db "$1/tenslog.db" add --duration 20 --before 5 --after 3 --unit "A unit with a long name" 2>&1; echo "add=$?"
rm "$1/filler"
"$2" --db "$1/tenslog.db" add --duration 20 --before 5 --after 3 >/dev/null; echo "after=$?"
"$2" --db "$1/tenslog.db" list | grep -c "complete"
"""


def test_a_full_disk_says_disk_full_and_reading_still_works(tmp_path: Path) -> None:
    mount = tmp_path / "disk"
    mount.mkdir()
    result = in_namespace(FILL_THEN_WRITE, str(mount), TENSLOG)
    out = result.stdout
    assert "list=0" in out, out + result.stderr
    refusal = [line for line in out.splitlines() if line.startswith("Error:")]
    assert len(refusal) == 1 and "is full" in refusal[0] and "damaged" not in out, out
    assert "Traceback" not in out and "add=1" in out
    assert "after=0" in out and out.strip().splitlines()[-1] == "2", out  # nothing half-written


def test_the_reason_is_read_from_the_cause_not_guessed_from_words(tmp_path: Path) -> None:
    """A database path with "readonly", "full" and "locked" in its name, on a healthy disk."""
    db = tmp_path / "readonly full locked" / "tenslog.db"
    result = run(db, *ADD)
    assert result.returncode == 0, result.stderr
    assert subprocess.run([TENSLOG, "--db", str(db), "list"], capture_output=True).returncode == 0
