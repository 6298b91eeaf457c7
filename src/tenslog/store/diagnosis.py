"""Why the database cannot be used, in one line naming the cause and what to do.

A failure is judged by its cause (an errno, SQLite's result code, the file system's state),
never by a guess from the wording: a read-only mount or a full disk is not a damaged database."""

from __future__ import annotations

import errno
import os
import sqlite3
import stat
from pathlib import Path
from typing import NamedTuple

from tenslog.store.errors import (
    DatabaseDamaged,
    DatabaseReadOnly,
    DatabaseUnwritable,
    DiskFull,
    StoreError,
    UnusablePath,
)

# SQLite's primary result codes (the low byte of an extended code).
_BUSY, _LOCKED, _READONLY, _IOERR, _CORRUPT, _FULL, _CANTOPEN, _NOTADB, _PERM = 5, 6, 8, 10, 11, 13, 14, 26, 3


def _who(uid: int) -> str:
    try:
        import pwd

        return pwd.getpwuid(uid).pw_name
    except (ImportError, KeyError):
        return f"user {uid}"


def ownership(path: Path) -> str:
    """'owner root, mode 0400': enough to see why a file cannot be written."""
    try:
        info = path.stat()
    except OSError:
        return "cannot be examined"
    return f"owner {_who(info.st_uid)}, mode {stat.S_IMODE(info.st_mode):04o}"


def _me() -> str:
    return _who(os.geteuid()) if hasattr(os, "geteuid") else "you"


def _existing(path: Path) -> Path:
    """The path itself, or its nearest folder that exists (where a new file would go)."""
    probe = path
    while not os.path.lexists(probe) and probe != probe.parent:
        probe = probe.parent
    return probe


def read_only_mount(path: Path) -> bool:
    try:
        return bool(os.statvfs(_existing(path)).f_flag & os.ST_RDONLY)
    except (OSError, AttributeError):
        return False


class WriteProblem(NamedTuple):
    cause: str  # "its file system is mounted read-only"
    fix: str  # "remount it read-write, or ..."


def write_problem(path: Path) -> WriteProblem | None:
    """Why this process may not write the database at ``path`` (or create it), and what to
    do; None when it may. Checked before opening, so that a database that cannot be written
    is opened read-only and reading still works."""
    if read_only_mount(path):
        return WriteProblem("its file system is mounted read-only",
                            "remount it read-write, or copy the file somewhere writable")
    if os.path.lexists(path) and not os.access(path, os.W_OK):
        info = path.stat()
        mine = info.st_uid == os.geteuid()
        if (mine or os.geteuid() == 0) and info.st_mode & stat.S_IWUSR:
            return WriteProblem("the file is protected against writing, e.g. by chattr +i",
                                f"run: sudo chattr -i {path}")
        return WriteProblem(f"the file is not writable for you: {ownership(path)}",
                            f"run: chmod u+w {path}" if mine else f"run: sudo chown {_me()} {path}")
    if problem := _companion_problem(path):
        return problem
    folder = _existing(path.parent)
    if not os.access(folder, os.W_OK | os.X_OK):
        mine = folder.stat().st_uid == os.geteuid()
        return WriteProblem(f"its folder {folder} is not writable for you: {ownership(folder)}",
                            f"run: chmod u+wx {folder}" if mine else f"run: sudo chown {_me()} {folder}")
    return None


def _companion_problem(path: Path) -> WriteProblem | None:
    """A -wal or -shm beside the file that this user may not write (another user's, e.g. one
    restored by root): SQLite would open the file, read it, and refuse the first write bare.
    Never "remove them": a -wal may hold saved sessions."""
    companions = [path.with_name(path.name + end) for end in ("-wal", "-shm")]
    foreign = [c for c in companions if os.path.lexists(c) and not os.access(c, os.W_OK)]
    if not foreign:
        return None
    mine = all(c.stat().st_uid == os.geteuid() for c in foreign)
    names = " ".join(str(c) for c in foreign)
    return WriteProblem(f"the file {foreign[0].name} beside it is not writable for you: {ownership(foreign[0])}",
                        f"run: chmod u+w {names}" if mine else f"run: sudo chown {_me()} {names}")


def read_only(path: Path, problem: WriteProblem | None = None) -> DatabaseReadOnly:
    problem = problem or write_problem(path)
    if problem is None:
        return DatabaseReadOnly(f"{path} is read-only; nothing was changed.")
    return DatabaseReadOnly(
        f"{path} is read-only ({problem.cause}); nothing was changed. To save, {problem.fix}."
    )


def disk_full(path: Path) -> DiskFull:
    return DiskFull(f"the disk holding {path} is full; nothing was changed. Free some space and try again.")


def from_os_error(path: Path, exc: OSError, doing: str = "open") -> StoreError:
    """An OS refusal while creating or checking the database file (or its folder)."""
    where = Path(exc.filename) if isinstance(exc.filename, (str, os.PathLike)) else path
    code = exc.errno
    if code == errno.EROFS:
        return read_only(path, WriteProblem("its file system is mounted read-only",
                                            "remount it read-write, or give --db a writable place"))
    if code in (errno.ENOSPC, getattr(errno, "EDQUOT", -1)):
        return disk_full(path)
    if code in (errno.EACCES, errno.EPERM):
        return DatabaseReadOnly(
            f"cannot {doing} {path}: permission denied on {where} ({ownership(where)}); nothing was "
            f"changed. Give it back to yourself (sudo chown {_me()} {where}) or give --db another path."
        )
    if code == errno.ENOTDIR:
        return UnusablePath(f"cannot {doing} {path}: a part of that path is a file, not a folder. "
                            "Give --db another path.")
    if code == errno.ELOOP:
        return UnusablePath(f"cannot {doing} {path}: the symbolic links in that path go round in a "
                            "circle. Give --db the real file.")
    return DatabaseUnwritable(f"cannot {doing} {path}: {exc.strerror or exc}; nothing was changed.")


def from_sqlite_error(path: Path, exc: sqlite3.Error) -> StoreError:
    """SQLite's refusal, judged by its result code. An I/O error is looked into: a file system
    remounted read-only or filled up under us gets its own message."""
    code = (getattr(exc, "sqlite_errorcode", None) or 0) & 0xFF
    if code in (_BUSY, _LOCKED):
        return DatabaseUnwritable(f"{path} is locked by another program; nothing was changed. Try again.")
    if code == _READONLY:
        return read_only(path)
    if code == _FULL:
        return disk_full(path)
    if code in (_CORRUPT, _NOTADB):
        return DatabaseDamaged(f"{path} is damaged ({exc}); left untouched. Restore a backup.")
    if code in (_IOERR, _CANTOPEN, _PERM):
        problem = write_problem(path)
        if problem is not None:
            return read_only(path, problem)
        if _no_space(path):
            return disk_full(path)
    return DatabaseUnwritable(f"could not use {path} ({exc}); nothing was changed.")


def _no_space(path: Path) -> bool:
    try:
        vfs = os.statvfs(_existing(path))
    except (OSError, AttributeError):
        return False
    return (vfs.f_bavail == 0 and os.geteuid() != 0) or vfs.f_bfree == 0


def lock_problem(lock: Path, exc: OSError) -> StoreError:
    """The recording lock beside the database cannot be opened: most often one left by
    ``sudo tenslog``, owned by root."""
    if exc.errno in (errno.EACCES, errno.EPERM):
        return DatabaseReadOnly(
            f"cannot use the lock file {lock} ({ownership(lock)}), perhaps left by `sudo tenslog`; "
            f"nothing was changed. Remove it (sudo rm {lock}) and try again."
        )
    return from_os_error(lock, exc, "create the lock file")
