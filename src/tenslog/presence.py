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

from tenslog.lock_probe import CAN_PROBE, locked

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
    held = locked(presence_path(database), against_shared=True)  # dashboards hold shared locks
    if held is None:  # no flock (the file's presence is the answer), or an odd file: none
        return not CAN_PROBE and presence_path(database).exists()
    return held
