"""Creating and checking the database file before SQLite touches it: owner-only permissions,
and a refusal (with the file left as it was) when it is not ours or is damaged."""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path

from tenslog.store.errors import DatabaseDamaged, DatabaseTooNew, NotATenslogDatabase
from tenslog.store.migrations import APPLICATION_ID, LATEST_VERSION

SQLITE_HEADER = b"SQLite format 3\x00"
OWNER_ONLY = 0o600


def create_private(path: Path) -> bool:
    """Create ``path`` (and its folder, 0700) readable by the owner only. False if it existed."""
    if not path.parent.exists():
        path.parent.mkdir(mode=0o700, parents=True)
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, OWNER_ONLY)
    except FileExistsError:
        return False
    os.close(fd)
    return True


def restrict_to_owner(path: Path) -> None:
    """Tighten the database and its -wal/-shm companions to 0600 where they are looser."""
    for candidate in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        try:
            mode = stat.S_IMODE(candidate.stat().st_mode)
            if mode & 0o077:
                candidate.chmod(OWNER_ONLY)
        except (FileNotFoundError, PermissionError):
            pass


def check_existing(path: Path) -> None:
    """Refuse a file that is not a tenslog database, is damaged, or is from a newer tenslog.
    Reads only: the file is opened read-only and never written here."""
    with path.open("rb") as handle:
        header = handle.read(len(SQLITE_HEADER))
    if not header:
        return  # empty: we created it, or a crash did before the schema was written
    if header != SQLITE_HEADER:
        raise NotATenslogDatabase(f"{path} is not a tenslog database (not an SQLite file); left untouched.")
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
            problems = conn.execute("PRAGMA quick_check(1)").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise DatabaseDamaged(f"{path} is damaged and cannot be read ({exc}); left untouched.") from exc
    if problems != "ok":
        raise DatabaseDamaged(f"{path} is damaged ({problems}); left untouched. Restore a backup.")
    if app_id != APPLICATION_ID and (tables or version):
        raise NotATenslogDatabase(
            f"{path} is an SQLite database of another program, not tenslog's; left untouched."
        )
    if version > LATEST_VERSION:
        raise DatabaseTooNew(
            f"{path} was written by a newer tenslog (schema {version}, this one knows "
            f"{LATEST_VERSION}); update tenslog. The file was left untouched."
        )
