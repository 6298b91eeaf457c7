"""Is a dashboard open on this database? The dashboard holds a shared lock on a small
owner-only file beside the database (``<db>.dashboard``, naming its pid for a person who
looks) for as long as it runs; the service asks before it shows a desktop notification, since
an open dashboard asks for the ratings itself.

A lock, not the file's presence: the kernel lets go of it when a dashboard is killed, so a
crashed dashboard never silences the reminders. Shared, so that two open dashboards do not
refuse each other. Where there is no flock (Windows) the file's presence is the answer, and
a dashboard removes it when it closes."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

OWNER_ONLY = 0o600


def presence_path(database: Path) -> Path:
    return Path(f"{database}.dashboard")


class Presence:
    """This dashboard's mark; ``close`` takes it away (also done by the kernel at exit)."""

    def __init__(self, database: Path) -> None:
        self.path = presence_path(database)
        self._fd: int | None = None
        with contextlib.suppress(OSError):  # a mark that cannot be made costs one extra reminder
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), OWNER_ONLY)
            if fcntl is not None:
                fcntl.flock(fd, fcntl.LOCK_SH)  # waits only while a service is looking (a moment)
            with contextlib.suppress(OSError):  # the pid is for people; the lock is the answer
                os.ftruncate(fd, 0)
                os.write(fd, f"{os.getpid()}\n".encode())
            self._fd = fd

    def close(self) -> None:
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        if fcntl is None:  # no lock to let go of: the file itself is the mark
            with contextlib.suppress(OSError):
                self.path.unlink()
        os.close(fd)


def attach_dashboard(database: Path) -> Presence:
    """Mark a dashboard as open on ``database`` until the returned mark is closed."""
    return Presence(database)


def dashboard_attached(database: Path) -> bool:
    """True while some dashboard holds its mark on ``database``."""
    path = presence_path(database)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return False  # no file: no dashboard was ever opened here (or it could not mark itself)
    try:
        if fcntl is None:
            return True
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True  # a dashboard holds its shared lock
        except OSError:
            return False
        fcntl.flock(fd, fcntl.LOCK_UN)
        return False
    finally:
        os.close(fd)
