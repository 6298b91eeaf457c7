"""SIGKILL `tenslog service` at random points of 20 sessions, one after another on one
database: each next start closes the killed session as interrupted at its last heartbeat (at
most about a second lost), and the file passes integrity_check. It waits on the heartbeat rows
in the database file, never on fixed sleeps, so it costs about a second per kill."""

from __future__ import annotations

import random
import time
from pathlib import Path

from support.service_proc import Lines, start, stop, wait_for_row
from tenslog.model import SessionState
from tenslog.store import Store

KILLS = 20
MAX_LOST = 1.0 + 0.25  # the promise (a heartbeat every 0.5 s), plus scheduling slack
# A session long enough that every kill lands inside it.
SIMULATOR = ["--driver", "simulator", "--option", "idle_seconds=0.05", "--option", "session_minutes=1",
             "--option", "rate=20"]
OPEN = "SELECT id, start, heartbeat FROM sessions WHERE state = 'recording' AND id = ?"


def test_twenty_kills_during_sessions_are_each_closed_by_the_next_start(db_path: Path) -> None:
    rng = random.Random(13)
    killed_at: list[float] = []
    for run in range(KILLS + 1):
        proc = start(db_path, *SIMULATOR, "--option", f"seed={run + 1}")
        try:
            if run == KILLS:  # the last start only closes what the last kill left open
                Lines(proc.stdout).wait_for("recording into")
                assert stop(proc) == 0
                break
            # A random point: the session's row, then 0 to 4 heartbeats into it.
            beats = rng.randint(0, 4) * 0.5
            wait_for_row(db_path, OPEN, (run + 1,), until=lambda row, b=beats: row[2] - row[1] >= b)
            killed_at.append(time.time())
            proc.kill()
        finally:
            proc.kill()
            proc.wait()
        if run:  # the previous start's session is closed once this one has begun
            wait_for_row(db_path, "SELECT state FROM sessions WHERE id = ?", (run,),
                         until=lambda row: row[0] == "interrupted", timeout=5)
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
