"""SIGKILL `tenslog service` at random points of 20 sessions, one after another on one
database: each next start closes the killed session as interrupted at its last heartbeat (at
most about a second lost), and the file passes integrity_check.

The services are forked from one warm process (tests/support/record_forker.py: the same
`main()` as the console script, minus the interpreter start), and the drill waits on the
heartbeat rows in the database file, never on fixed sleeps."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from support.service_proc import service_env, wait_for_row
from tenslog.model import SessionState
from tenslog.store import Store

FORKER = Path(__file__).parents[1] / "support" / "record_forker.py"
KILLS = 20
MAX_LOST = 1.0 + 0.25  # the promise (a heartbeat every 0.5 s), plus scheduling slack
# A session long enough that every kill lands inside it.
SIMULATOR = ["--driver", "simulator", "--option", "idle_seconds=0.05", "--option", "session_minutes=1",
             "--option", "rate=20"]
OPEN = "SELECT id, start, heartbeat FROM sessions WHERE state = 'recording' AND id = ?"


class Forker:
    """One warm launcher; `start(args)` forks `tenslog ARGS` and returns the child's pid."""

    def __init__(self) -> None:
        self.proc = subprocess.Popen([sys.executable, str(FORKER)], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, text=True,
                                     env={**service_env(), "FORKER_QUIET": "1"})

    def start(self, *args: str) -> int:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write("\t".join(args) + "\n")
        self.proc.stdin.flush()
        word, _, pid = self.proc.stdout.readline().partition(" ")
        assert word == "pid", f"the launcher said {word!r}"
        return int(pid)

    def close(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        self.proc.wait(timeout=30)


def test_twenty_kills_during_sessions_are_each_closed_by_the_next_start(db_path: Path) -> None:
    rng = random.Random(13)
    killed_at: list[float] = []
    forker = Forker()
    try:
        for run in range(KILLS + 1):
            pid = forker.start("--db", str(db_path), "service", *SIMULATOR, "--option", f"seed={run + 1}")
            try:
                if run:  # this start closes the session the previous kill left open
                    wait_for_row(db_path, "SELECT state FROM sessions WHERE id = ?", (run,),
                                 until=lambda row: row[0] == "interrupted", timeout=10)
                if run == KILLS:
                    break
                # A random point: the session's row, then 0 to 3 heartbeats into it.
                beats = rng.randint(0, 3) * 0.5
                wait_for_row(db_path, OPEN, (run + 1,), until=lambda row, b=beats: row[2] - row[1] >= b)
                killed_at.append(time.time())
            finally:
                os.kill(pid, signal.SIGKILL)
    finally:
        forker.close()
    with Store.open(db_path) as store:
        assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        sessions = store.sessions(newest_first=False)
    assert len(sessions) == KILLS  # one per run: none lost, none split, none made up
    for session, kill in zip(sessions, killed_at, strict=True):
        assert session.state is SessionState.INTERRUPTED
        assert session.end is not None
        lost = kill - session.end.timestamp()
        assert -0.05 <= lost <= MAX_LOST, f"session {session.id} lost {lost:.2f} s"
        assert session.intensity, "the level at the start was recorded"
