"""SIGKILL a real recording process mid-session at several points: on restart every session is
there, marked interrupted, with at most about one second of its duration lost."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tenslog.model import SessionState
from tenslog.store import Store

FEEDER = Path(__file__).parents[1] / "support" / "feed_recorder.py"
MAX_LOST = 1.0 + 0.25  # the promise (one second) plus scheduling slack on a loaded CI machine


class RecordingProcess:
    def __init__(self, db: Path) -> None:
        env = {**os.environ, "PYTHONPATH": str(FEEDER.parents[2])}
        self.proc = subprocess.Popen(
            [sys.executable, str(FEEDER), str(db)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env,
        )
        assert self.expect() == "ready"

    def send(self, line: str) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(line + "\n")
        self.proc.stdin.flush()

    def expect(self) -> str:
        assert self.proc.stdout is not None
        return self.proc.stdout.readline().strip()

    def kill(self) -> float:
        killed_at = time.time()
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()
        return killed_at


def recovered(db: Path) -> list:
    with Store.open(db) as store:
        store.try_recover()
        assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        return store.sessions(newest_first=False)


@pytest.mark.parametrize("run_for", [0.05, 0.6, 1.3, 2.7])
def test_kill_mid_session_loses_at_most_a_second(db_path: Path, run_for: float) -> None:
    rec = RecordingProcess(db_path)
    rec.send("start 4")
    started = time.time()
    assert rec.expect() == "started 1"
    time.sleep(run_for / 2)
    rec.send("level 6")
    time.sleep(run_for / 2)
    killed_at = rec.kill()
    (session,) = recovered(db_path)
    assert session.state is SessionState.INTERRUPTED
    lost = killed_at - session.end.timestamp()
    assert lost <= MAX_LOST, f"lost {lost:.2f} s of the session"
    assert session.start.timestamp() == pytest.approx(started, abs=0.5)
    if run_for / 2 > MAX_LOST:  # a change older than the window must have survived
        assert [p.value for p in session.intensity] == [4, 6]


def test_kill_keeps_earlier_sessions_and_the_one_in_progress(db_path: Path) -> None:
    rec = RecordingProcess(db_path)
    for n in (1, 2):
        rec.send("start 3")
        assert rec.expect() == f"started {n}"
        time.sleep(0.3)
        rec.send("stop")
        assert rec.expect() == f"ended {n}"
    rec.send("start 5")
    assert rec.expect() == "started 3"
    time.sleep(1.5)
    killed_at = rec.kill()
    sessions = recovered(db_path)
    assert [s.state for s in sessions] == [SessionState.COMPLETE] * 2 + [SessionState.INTERRUPTED]
    assert killed_at - sessions[-1].end.timestamp() <= MAX_LOST


def test_kill_during_a_link_loss_ends_the_session_where_the_unit_was_last_heard(db_path: Path) -> None:
    rec = RecordingProcess(db_path)
    rec.send("start 5")
    assert rec.expect() == "started 1"
    time.sleep(1.0)
    lost_at = time.time()
    rec.send("lost")
    time.sleep(1.5)
    rec.kill()
    (session,) = recovered(db_path)
    assert session.state is SessionState.INTERRUPTED
    assert session.end.timestamp() == pytest.approx(lost_at, abs=0.3)
    (gap,) = session.gaps
    assert gap.restored_at is None


def test_next_start_of_any_command_closes_crash_leftovers(db_path: Path) -> None:
    rec = RecordingProcess(db_path)
    rec.send("start 5")
    assert rec.expect() == "started 1"
    time.sleep(0.8)
    rec.kill()
    out = subprocess.run(
        [sys.executable, "-m", "tenslog", "--db", str(db_path), "list"],
        capture_output=True, text=True, check=True, env={**os.environ, "COLUMNS": "100"},
    ).stdout
    assert "interrupted" in out
