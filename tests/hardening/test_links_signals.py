"""Closing the terminal (SIGHUP) while a session is recorded (issue 10): `tenslog record` and
the dashboard end the session as for SIGTERM (interrupted, at the last moment the unit was
heard), instead of dying and leaving it open for crash recovery. The terminal really closes:
tmux runs the command in its own pty and `kill-session` hangs it up."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

_UI_TESTS = str(Path(__file__).resolve().parents[1] / "ui")
if _UI_TESTS not in sys.path:
    sys.path.insert(0, _UI_TESTS)  # the tmux harness and the simulator options, not copied

from ui_helpers import SIM_OPTIONS  # noqa: E402

from support.tmux import TMUX, Terminal  # noqa: E402
from tenslog.model import SessionState  # noqa: E402
from tenslog.store import Store  # noqa: E402

pytestmark = pytest.mark.skipif(not Path(TMUX).exists(), reason="needs tmux")

SIM = {**SIM_OPTIONS, "speed": "1", "session_minutes": "30", "idle_seconds": "0.5"}


def _command(db: Path, *args: str) -> str:
    tenslog = Path(sys.executable).with_name("tenslog")
    options = " ".join(f"--option {k}={v}" for k, v in SIM.items())
    return f"TZ=UTC {tenslog} --db {db} --driver simulator {' '.join(args)} {options}"


def _ended(db: Path, limit: float = 15.0):
    """The one session once it is no longer recording (the limit only stops a hung test)."""
    deadline = time.monotonic() + limit
    while True:
        with Store.open(db) as store:
            [session] = store.sessions()
        if session.state is not SessionState.RECORDING or time.monotonic() > deadline:
            return session
        time.sleep(0.1)


def _hang_up(term: Terminal) -> float:
    hung_up = time.time()
    term.run("kill-session", "-t", "ui")  # the pty closes: SIGHUP to what runs in it
    return hung_up


def test_closing_the_terminal_ends_a_headless_recording(tmp_path: Path) -> None:
    db = tmp_path / "tenslog.db"
    term = Terminal(f"tenslog-hup-rec-{os.getpid()}")
    try:
        term.run("new-session", "-d", "-s", "ui", "-x", "80", "-y", "24", _command(db, "record"))
        term.wait_for("session 1 started")
        time.sleep(1.0)  # a few heartbeats
        hung_up = _hang_up(term)
        session = _ended(db)
    finally:
        subprocess.run([*term.base, "kill-server"], capture_output=True, check=False)
    assert session.state is SessionState.INTERRUPTED, "ended as for SIGTERM, not left open"
    assert session.end is not None and session.start < session.end
    assert session.end.timestamp() <= hung_up + 0.5  # nothing claimed after the hang-up


def test_closing_the_terminal_ends_the_dashboards_session(tmp_path: Path) -> None:
    db = tmp_path / "tenslog.db"
    term = Terminal(f"tenslog-hup-ui-{os.getpid()}")
    try:
        term.run("new-session", "-d", "-s", "ui", "-x", "80", "-y", "24", _command(db))
        term.wait_for("Simulated TENS unit")
        term.keys("Enter")
        term.wait_for("How strong is your pain right now")
        term.keys("6")
        term.wait_for("Recording, saved as it goes")
        time.sleep(1.0)
        hung_up = _hang_up(term)
        session = _ended(db)
    finally:
        subprocess.run([*term.base, "kill-server"], capture_output=True, check=False)
    assert session.state is SessionState.INTERRUPTED, "ended as for SIGTERM, not left open"
    assert session.end is not None and session.start < session.end
    assert session.end.timestamp() <= hung_up + 0.5
    assert session.before == 6
