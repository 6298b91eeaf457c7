"""`tenslog service` as a real process for tests: start it on a temporary database with the
simulator, read its log lines as they come, and wait on rows of the real SQLite file."""

from __future__ import annotations

import os
import queue
import shutil
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

TENSLOG = shutil.which("tenslog") or str(Path(sys.executable).with_name("tenslog"))
# One short session per simulator run; the service opens the stream again after each run.
QUICK_SIMULATOR = ["--driver", "simulator", "--option", "idle_seconds=0.05", "--option", "sessions=1",
                   "--option", "session_minutes=0.02", "--option", "rate=20"]


def service_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("JOURNAL_STREAM", "TENSLOG_DB")}
    # A short grace: the service looks for a unit again within grace/8 (a quarter second).
    # No session bus: a test run on a desktop shows no notifications (tests/service/test_notify_*
    # run their own bus).
    return {**env, "PYTHONUNBUFFERED": "1", "TENSLOG_GRACE_SECONDS": "2",
            "DBUS_SESSION_BUS_ADDRESS": "unix:path=/nonexistent/tenslog-tests-no-bus", **extra}


def events_only(lines: list[str]) -> list[str]:
    """The lines without the one about desktop notifications, which comes at start-up in its
    own time (it waits on the session bus), so its place among the others varies."""
    return [line for line in lines if "desktop notifications: " not in line]


def start(db: Path, *args: str, env: dict[str, str] | None = None, command: str = "service",
          **popen: Any) -> subprocess.Popen[str]:
    streams: dict[str, Any] = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE, **popen}
    return subprocess.Popen([TENSLOG, "--db", str(db), command, *args], text=True,
                            env=env or service_env(), **streams)


class Lines:
    """The lines a process writes to one pipe, read as they arrive (by a thread: a buffered
    reader may hold several lines that no select() would announce)."""

    def __init__(self, stream: Any) -> None:
        self.seen: list[str] = []
        self._queue: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=self._read, args=(stream,), daemon=True).start()

    def _read(self, stream: Any) -> None:
        for line in stream:
            self._queue.put(line.rstrip("\n"))
        self._queue.put(None)

    def wait_for(self, needle: str, timeout: float = 30, count: int = 1) -> list[str]:
        """Read until ``count`` lines hold ``needle``; returns every line so far."""
        deadline = time.monotonic() + timeout
        while sum(needle in line for line in self.seen) < count:
            left = deadline - time.monotonic()
            assert left > 0, f"no {needle!r} (x{count}) within {timeout} s; saw {self.seen}"
            try:
                line = self._queue.get(timeout=left)
            except queue.Empty:
                continue
            assert line is not None, f"the stream ended before {needle!r}; saw {self.seen}"
            self.seen.append(line)
        return self.seen

    def rest(self, timeout: float = 20) -> list[str]:
        """Every line up to the end of the stream (call after the process is told to stop)."""
        while (line := self._queue.get(timeout=timeout)) is not None:
            self.seen.append(line)
        return self.seen


def wait_for_row(db: Path, query: str, params: tuple[object, ...] = (),
                 until: Callable[[tuple[Any, ...]], bool] = lambda row: True, timeout: float = 30) -> tuple[Any, ...]:
    """Poll the database file (read-only, as another process would) until ``query`` returns a
    row that satisfies ``until``."""
    deadline = time.monotonic() + timeout
    while True:
        if db.exists():
            conn = sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True)
            try:
                row = conn.execute(query, params).fetchone()
            except sqlite3.OperationalError:
                row = None  # the schema is still being created
            finally:
                conn.close()
            if row is not None and until(row):
                return tuple(row)
        assert time.monotonic() < deadline, f"no row for {query!r} within {timeout} s"
        time.sleep(0.02)


def stop(proc: subprocess.Popen[str], timeout: float = 20) -> int:
    """SIGTERM, as systemd stops it; its exit status."""
    proc.terminate()
    return proc.wait(timeout=timeout)
