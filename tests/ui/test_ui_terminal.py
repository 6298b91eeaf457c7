"""The dashboard in a real terminal: tmux runs `tenslog` at 80x24, keys go in, the screen
text comes out. What a person sees, end to end, on the simulator."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from ui_helpers import SIM_OPTIONS

from support.tmux import TMUX, Terminal
from tenslog.store import Store

pytestmark = pytest.mark.skipif(
    not Path(TMUX).exists(), reason="tmux is not installed: the real-terminal test needs it"
)


def test_session_on_the_simulator_in_tmux(tmp_path: Path) -> None:
    db = tmp_path / "tenslog.db"
    tenslog = Path(sys.executable).with_name("tenslog")
    options = " ".join(f"--option {k}={v}" for k, v in SIM_OPTIONS.items())
    command = f"TZ=UTC {tenslog} --db {db} --driver simulator {options}"
    term = Terminal(f"tenslog-test-{os.getpid()}")
    try:
        term.run("new-session", "-d", "-s", "ui", "-x", "80", "-y", "24", command)
        term.wait_for("Which unit are you using today?")
        term.wait_for("Simulated TENS unit")
        term.keys("Enter")
        term.wait_for("How strong is your pain right now")
        term.keys("6")
        term.wait_for("Recording, saved as it goes")
        # Each line may be painted a frame after the one before: wait for each, not one screen.
        term.wait_for("Pain before: 6")
        term.wait_for("connected")
        term.wait_for("reports on/off and intensity")
        term.wait_for("after the session?")
        term.keys("3")
        done = term.wait_for("Pain after: 3")
        assert "This session: -3 points" in done
        log = term.press_until("2", "Change")  # the log's heading
        row = next(line for line in log.splitlines() if "Simulated" in line)
        assert row.split()[-3:] == ["6", "3", "-3"]
        term.keys("q")
        deadline = time.monotonic() + 10
        while term.alive() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not term.alive(), "q quits when no session is recording"
    finally:
        subprocess.run([*term.base, "kill-server"], capture_output=True, check=False)
    with Store.open(db) as store:
        [saved] = store.sessions()
    assert (saved.before, saved.after) == (6, 3)


def test_a_doubled_rating_key_in_one_terminal_read_does_not_jump_to_the_log(tmp_path: Path) -> None:
    """"22" written at once (SSH, auto-repeat): both keys arrive in one read. The first is the
    rating; the second, also the log's key, is a repeat and is ignored."""
    db = tmp_path / "tenslog.db"
    tenslog = Path(sys.executable).with_name("tenslog")
    long_session = {**SIM_OPTIONS, "session_minutes": "30"}  # still on when we look
    options = " ".join(f"--option {k}={v}" for k, v in long_session.items())
    command = f"TZ=UTC {tenslog} --db {db} --driver simulator {options}"
    term = Terminal(f"tenslog-test-{os.getpid()}-twice")
    try:
        term.run("new-session", "-d", "-s", "ui", "-x", "80", "-y", "24", command)
        term.wait_for("Simulated TENS unit")
        term.keys("Enter")
        term.wait_for("How strong is your pain right now")
        term.keys("22")  # one send-keys: one write to the terminal, one read by the app
        term.wait_for("Pain before: 2")
        term.keys("?")  # keys are handled in order: once help shows, the second 2 was too
        term.wait_for("tenslog — keys")
        term.keys("?")  # closes it (a lone Esc waits in the terminal for what may follow)
        screen = term.wait_for("tenslog — Live session")
        assert "tenslog — Log" not in screen and "Change" not in screen
        program = term.program()
    finally:
        subprocess.run([*term.base, "kill-server"], capture_output=True, check=False)
    # The terminal closed mid-session (SIGHUP): tenslog keeps the session and goes, rather than
    # lingering with the database (Textual's shutdown could hang on the vanished terminal).
    deadline = time.monotonic() + 30
    while any(Path(f"/proc/{pid}").exists() for pid in program) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not [pid for pid in program if Path(f"/proc/{pid}").exists()], "tenslog outlived its terminal"
    with Store.open(db) as store:
        [kept] = store.sessions()
    assert kept.state.value == "interrupted" and kept.before == 2
