"""SIGKILL `tenslog record --driver simulator` at random points of 50 sessions (five databases,
recorded side by side): every session is recovered, marked interrupted, with at most about a
second lost, and every database passes integrity_check.

Each lane forks its recorders from one warm process (tests/support/record_forker.py: the same
`main()` as the console script, minus the interpreter start), and kills each at a random point
of its first 1.5 s: three of the recorder's half-second commit cycles, so every phase of a
commit is hit as before, without waiting out the 3 s the drill used to."""

from __future__ import annotations

import os
import random
import selectors
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from tenslog.model import SessionState
from tenslog.store import Store

FORKER = Path(__file__).parents[1] / "support" / "record_forker.py"
KILL_WITHIN = 1.5  # s after "started": three commit cycles of the recorder
SESSIONS = 50
LANES = 5
MAX_LOST = 1.0 + 0.25  # the promise, plus scheduling slack with five recorders on two cores
SIMULATOR = ["--driver", "simulator", "--option", "idle_seconds=0.05", "--option", "session_minutes=0.2",
             "--option", "rate=20"]


def wait_for_line(proc: subprocess.Popen[str], needle: str, timeout: float = 20) -> None:
    assert proc.stdout is not None
    sel = selectors.DefaultSelector()
    sel.register(proc.stdout, selectors.EVENT_READ)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if sel.select(timeout=deadline - time.monotonic()):
            line = proc.stdout.readline()
            if needle in line:
                return
            assert line, f"recorder exited before {needle!r}"
    raise AssertionError(f"no {needle!r} within {timeout} s")


def read_pid(proc: subprocess.Popen[str]) -> int:
    assert proc.stdout is not None
    word, _, pid = proc.stdout.readline().partition(" ")
    assert word == "pid", f"the launcher said {word!r}"
    return int(pid)


def lane(db: Path, runs: int, seed: int) -> list[float]:
    """Record `runs` sessions into `db`, killing the recorder in each; returns the kill times."""
    rng = random.Random(seed)
    kills = []
    forker = subprocess.Popen([sys.executable, str(FORKER)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    assert forker.stdin is not None
    try:
        for run in range(runs):
            args = ["--db", str(db), "record", *SIMULATOR, "--option", f"seed={seed * 100 + run}"]
            forker.stdin.write("\t".join(args) + "\n")
            forker.stdin.flush()
            pid = read_pid(forker)
            try:
                wait_for_line(forker, "started")
                time.sleep(rng.uniform(0.0, KILL_WITHIN))
                kills.append(time.time())
            finally:
                os.kill(pid, signal.SIGKILL)
    finally:
        forker.stdin.close()
        forker.wait(timeout=30)
    return kills


def test_fifty_sessions_killed_at_random_points_are_all_recovered(tmp_path: Path) -> None:
    dbs = [tmp_path / f"lane{i}" / "tenslog.db" for i in range(LANES)]
    with ThreadPoolExecutor(LANES) as pool:
        kills = list(pool.map(lane, dbs, [SESSIONS // LANES] * LANES, range(1, LANES + 1)))
    recovered = 0
    for db, killed_at in zip(dbs, kills, strict=True):
        with Store.open(db) as store:
            store.try_recover()
            assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            sessions = store.sessions(newest_first=False)
        assert len(sessions) == len(killed_at), "one session per run, none lost, none duplicated"
        for session, kill in zip(sessions, killed_at, strict=True):
            assert session.state is SessionState.INTERRUPTED
            assert session.end is not None
            lost = kill - session.end.timestamp()
            assert -0.05 <= lost <= MAX_LOST, f"session {session.id} lost {lost:.2f} s"
            assert session.intensity, "the level at the start was recorded"
            recovered += 1
    assert recovered == SESSIONS
