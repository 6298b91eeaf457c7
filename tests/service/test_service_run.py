"""`tenslog service` as a user runs it: a real process with the simulator on a temporary
database, stopped with SIGTERM as systemd stops it."""

from __future__ import annotations

import os
import re
import sqlite3
from pathlib import Path

from support.service_proc import QUICK_SIMULATOR, TENSLOG, Lines, service_env, start, stop
from tenslog.model import SessionState
from tenslog.store import Store

TIME = re.compile(r"^\d\d:\d\d:\d\d ")
UNIT = "Simulated TENS unit (simulator)"


def texts(lines: list[str]) -> list[str]:
    assert all(TIME.match(line) for line in lines), lines  # a terminal: each line has its time
    return [TIME.sub("", line) for line in lines]


def test_each_session_is_recorded_and_the_unit_is_looked_for_again_after_it_goes(db_path: Path) -> None:
    proc = start(db_path, *QUICK_SIMULATOR)
    out = Lines(proc.stdout)
    out.wait_for("ended (complete)", count=2)
    assert stop(proc) == 0
    said = texts(out.rest())
    assert said[:7] == [
        f"recording into {db_path} from: simulator",
        f"{UNIT}: connected",
        f"{UNIT}: session 1 started",
        f"{UNIT}: session 1 ended (complete)",
        # The simulator's run ends after its session: to the service the unit went away, and
        # it is found again (the next run of the simulator).
        f"{UNIT}: link restored",
        f"{UNIT}: session 2 started",
        f"{UNIT}: session 2 ended (complete)",
    ]
    assert said[-1] == "stopped"
    assert proc.stderr is not None
    warnings = proc.stderr.read().splitlines()
    assert TIME.sub("", warnings[0]) == f"{UNIT}: link lost (the driver stopped)"  # warnings: stderr
    with Store.open(db_path) as store:
        sessions = store.sessions(newest_first=False)
    started = [line for line in said if line.endswith("started")]
    assert len(sessions) == len(started)  # every session it announced, and no other
    first, second = sessions[:2]
    for session in (first, second):
        assert session.state is SessionState.COMPLETE
        assert session.source == "simulator"
        assert session.unit is not None and session.unit.identity == "sim-1"
        assert [p.value for p in session.intensity] == [1.0]  # the simulator's plan for seed 1
        assert session.ratings == ()


def test_journald_gets_priorities_and_no_times(db_path: Path) -> None:
    read_end, write_end = os.pipe()
    info = os.fstat(write_end)
    env = service_env(JOURNAL_STREAM=f"{info.st_dev}:{info.st_ino}")
    proc = start(db_path, *QUICK_SIMULATOR, env=env, stdout=write_end, stderr=write_end)
    os.close(write_end)
    with os.fdopen(read_end, encoding="utf-8") as journal:
        lines = Lines(journal)
        lines.wait_for("ended (complete)")
        assert stop(proc) == 0
        said = lines.rest()
    assert said[:4] == [
        f"<6>recording into {db_path} from: simulator",
        f"<6>{UNIT}: connected",
        f"<5>{UNIT}: session 1 started",
        f"<5>{UNIT}: session 1 ended (complete)",
    ]
    assert said[-1] == "<6>stopped"


def test_a_unit_connected_before_is_watched_and_its_session_kept_when_stopped(db_path: Path) -> None:
    first = start(db_path, *QUICK_SIMULATOR)
    Lines(first.stdout).wait_for("ended (complete)")
    assert stop(first) == 0
    with Store.open(db_path) as store:
        before = len(store.sessions())
    # No --driver: the stored unit (simulator sim-1, with the simulator's default options:
    # a first session three seconds after it connects) is watched.
    again = start(db_path)
    out = Lines(again.stdout)
    out.wait_for(f"session {before + 1} started")
    assert stop(again) == 0
    said = texts(out.rest())
    assert said[0] == f"recording into {db_path} from: simulator sim-1"
    assert said[-2:] == [f"{UNIT}: session {before + 1} kept; it ended when the service stopped", "stopped"]
    with Store.open(db_path) as store:
        last = store.sessions()[0]
    assert last.id == before + 1
    assert last.state is SessionState.INTERRUPTED  # kept, ended where the unit was last heard


def test_a_stored_unit_name_is_logged_inert(db_path: Path) -> None:
    Store.open(db_path).close()
    conn = sqlite3.connect(db_path)
    with conn:  # as if written by another program: the service never prints it raw
        conn.execute("INSERT INTO units (driver, identity, name, scale_kind, scale_max) "
                     "VALUES ('simulator', ?, 'Sim', 'level', 20)", ("sim-1\x1b[2J",))
    conn.close()
    proc = start(db_path)
    out = Lines(proc.stdout)
    out.wait_for("recording into")
    assert stop(proc) == 0
    said = out.rest()
    assert TIME.sub("", said[0]) == f"recording into {db_path} from: simulator sim-1\\x1b[2J"
    assert not any("\x1b" in line for line in said)


def test_with_no_unit_known_it_says_how_to_connect_one_and_records_nothing(db_path: Path) -> None:
    import subprocess

    done = subprocess.run([TENSLOG, "--db", str(db_path), "service"], capture_output=True, text=True,
                          env=service_env())
    assert done.returncode == 2  # a usage error: systemd does not restart it (RestartPreventExitStatus)
    assert done.stderr.splitlines()[-1] == (
        "Error: no unit to watch yet: connect one once with `tenslog record --driver NAME` "
        "(see: tenslog scan), or give --driver")
    assert not Path(f"{db_path}.recorder").exists()
