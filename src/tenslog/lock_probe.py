"""Is a file locked by another open file right now? A non-blocking flock, taken and given back
at once, answers without waiting and without holding anything. Used for the dashboard's mark
(tenslog.presence) and the recording lock (tenslog.store.holder): the kernel lets go of a
killed process's locks, so unlike a pid in a file, the answer never outlives its process."""

from __future__ import annotations

import os
from pathlib import Path

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: no flock to probe with
    fcntl = None  # type: ignore[assignment]

CAN_PROBE = fcntl is not None


def locked(path: Path, *, against_shared: bool) -> bool | None:
    """True if another open file holds a lock on ``path`` that conflicts with ours: an
    exclusive probe (``against_shared``: the holders take shared locks) meets any lock, a
    shared probe only an exclusive one. False if none does, or there is no such file; None
    where it cannot be told (no flock here, the file cannot be opened, the probe failed)."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except FileNotFoundError:
        return False
    except OSError:
        return None
    try:
        if fcntl is None:
            return None
        try:
            fcntl.flock(fd, (fcntl.LOCK_EX if against_shared else fcntl.LOCK_SH) | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        except OSError:
            return None
        fcntl.flock(fd, fcntl.LOCK_UN)
        return False
    finally:
        os.close(fd)
