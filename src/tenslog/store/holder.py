"""Who holds the recording claim: a small owner-only file beside the database naming the holding
process (its pid and what it is), so that a refused recorder can say whom to stop and how.

It is a file of its own, not the lock file: the lock library truncates its file when a second
process tries to take it, which would wipe the holder's pid just before it is wanted."""

from __future__ import annotations

import contextlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

from tenslog.lock_probe import CAN_PROBE, locked
from tenslog.store.files import OWNER_ONLY, hand_to_database_owner

# What may hold the claim, and what the person who was refused can do about each.
ROLES = {
    "service": ("the tenslog service",
                ("stop it with `systemctl --user stop tenslog.service` (or Ctrl+C where it runs); "
                 "its sessions are in the dashboard and in `tenslog list`")),
    "record": ("`tenslog record`", "stop it with Ctrl+C in its terminal first"),
    "dashboard": ("the tenslog dashboard", "finish that session (or close that window) first"),
}


@dataclass(frozen=True, slots=True)
class Holder:
    pid: int
    role: str

    def refusal(self, database: Path) -> str:
        who, what_to_do = ROLES.get(self.role, ROLES["dashboard"])
        return f"another tenslog is already recording into {database}: {who} (pid {self.pid}); {what_to_do}."


def lock_path(database: Path) -> Path:
    """The recording lock's file (held with flock by the lock library while a recorder runs)."""
    return Path(f"{database}.lock")


def recording_claimed(database: Path) -> bool:
    """Whether a live process holds the recording lock now. The holder file outlives a killed
    holder, and its pid may by then belong to another process (after a reboot, often): only
    the lock says for sure. Probed with a shared lock, taken and given back at once; where it
    cannot be probed, the answer is yes (the pid is then all there is to go by)."""
    if not CAN_PROBE:
        return True
    held = locked(lock_path(database), against_shared=False)  # the holder's lock is exclusive
    return True if held is None else held


def open_in_a_running_tenslog(database: Path) -> bool:
    """A recorder (the service, `tenslog record`, a dashboard recording) or an open dashboard
    has the file now, so a -wal beside it is theirs, not a crash's leftover. False where that
    cannot be told (no flock)."""
    if not CAN_PROBE:
        return False
    from tenslog.presence import dashboard_attached

    return recording_claimed(database) or dashboard_attached(database)


def holder_path(database: Path) -> Path:
    return Path(f"{database}.recorder")


def write_holder(database: Path, role: str) -> None:
    """Name this process as the holder; called only while holding the lock. A file that cannot
    be written costs only a less helpful refusal for the next recorder, so it is not an error."""
    path = holder_path(database)
    text = json.dumps({"pid": os.getpid(), "role": role})
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0), OWNER_ONLY)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
        hand_to_database_owner(path, database)


def read_holder(database: Path) -> Holder | None:
    """The holder named beside ``database``, or None if none is named (or the file is odd:
    it is only ever a hint for a message)."""
    try:
        data = json.loads(holder_path(database).read_text(encoding="utf-8")[:200])
        pid, role = data["pid"], data["role"]
    except (OSError, ValueError, TypeError, KeyError):
        return None
    if not isinstance(pid, int) or isinstance(pid, bool) or pid <= 0 or role not in ROLES:
        return None
    return Holder(pid, role)


def remove_holder(database: Path) -> None:
    """Forget this process as the holder (only if it is the one named)."""
    held = read_holder(database)
    if held is not None and held.pid == os.getpid():
        with contextlib.suppress(OSError):
            holder_path(database).unlink()
