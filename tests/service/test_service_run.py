"""`tenslog service` as a user runs it: a real process with the simulator on a temporary
database, stopped with SIGTERM as systemd stops it."""

from __future__ import annotations

import contextlib
import os
import re
import sqlite3
import subprocess
import threading
from pathlib import Path

from support.service_proc import (
    QUICK_SIMULATOR,
    TENSLOG,
    Lines,
    events_only,
    service_env,
    start,
    stop,
)
from tenslog.model import IntensityScale, SessionState, Unit
from tenslog.store import Store
from tenslog_serial.lineproto import LineStatus, encode_line

TIME = re.compile(r"^\d\d:\d\d:\d\d ")
UNIT = "Simulated TENS unit (simulator)"


def texts(lines: list[str]) -> list[str]:
    assert all(TIME.match(line) for line in lines), lines  # a terminal: each line has its time
    return [TIME.sub("", line) for line in events_only(lines)]


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
        said = events_only(lines.rest())
    assert said[:4] == [
        f"<6>recording into {db_path} from: simulator",
        f"<6>{UNIT}: connected",
        f"<5>{UNIT}: session 1 started",
        f"<5>{UNIT}: session 1 ended (complete)",
    ]
    assert said[-1] == "<6>stopped"


class PtyUnit:
    """A serial unit at the far end of a pseudo-terminal, printing a TLP line every 0.1 s."""

    def __init__(self) -> None:
        self.master, self.slave = os.openpty()
        self.path = os.ttyname(self.slave)
        self.level: int | None = None  # None: switched off
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._print, daemon=True)
        self._thread.start()

    def _print(self) -> None:
        scale = IntensityScale(kind="level", maximum=20)
        while not self._done.wait(0.1):
            level = self.level
            line = encode_line(LineStatus(level is not None, float(level or 0), scale))
            with contextlib.suppress(OSError):
                os.write(self.master, line)

    def close(self) -> None:
        self._done.set()
        self._thread.join()
        os.close(self.master)
        os.close(self.slave)


def test_a_unit_connected_before_is_watched_and_its_session_kept_when_stopped(db_path: Path) -> None:
    unit = PtyUnit()
    try:
        with Store.open(db_path) as store:  # as `tenslog record --driver line-serial` left it
            store.ensure_unit(Unit(driver="line-serial", identity=unit.path, name="Bench unit",
                                   scale=IntensityScale(kind="level", maximum=20)))
        proc = start(db_path)  # no --driver: the units connected before are watched
        out = Lines(proc.stdout)
        out.wait_for("connected")
        unit.level = 5
        out.wait_for("session 1 started")
        unit.level = None
        out.wait_for("session 1 ended")
        unit.level = 7
        out.wait_for("session 2 started")
        assert stop(proc) == 0
    finally:
        unit.close()
    said = texts(out.rest())
    name = "TENS unit (line protocol) (line-serial)"  # as the unit reports itself
    assert said == [
        f"recording into {db_path} from: line-serial {unit.path}",
        f"{name}: connected",
        f"{name}: session 1 started",
        f"{name}: session 1 ended (complete)",
        f"{name}: session 2 started",
        f"{name}: session 2 kept; it ended when the service stopped",
        "stopped",
    ]
    with Store.open(db_path) as store:
        second, first = store.sessions()
    assert (first.state, [p.value for p in first.intensity]) == (SessionState.COMPLETE, [5.0])
    # Kept, ended where the unit was last heard.
    assert (second.state, [p.value for p in second.intensity]) == (SessionState.INTERRUPTED, [7.0])


def test_a_stored_simulator_is_not_watched_unless_asked_for(db_path: Path) -> None:
    first = start(db_path, *QUICK_SIMULATOR)
    Lines(first.stdout).wait_for("ended (complete)")
    assert stop(first) == 0
    done = subprocess.run([TENSLOG, "--db", str(db_path), "service"], capture_output=True, text=True,
                          env=service_env())
    assert done.returncode == 2  # a demo tried once does not fill the history with made-up sessions
    assert "no unit to watch yet" in done.stderr


def test_a_stored_unit_name_is_logged_inert(db_path: Path) -> None:
    Store.open(db_path).close()
    conn = sqlite3.connect(db_path)
    with conn:  # as if written by another program: the service never prints it raw
        conn.execute("INSERT INTO units (driver, identity, name, scale_kind, scale_max) "
                     "VALUES ('line-serial', ?, 'Sim', 'level', 20)", ("/dev/nothing\x1b[2J",))
    conn.close()
    proc = start(db_path)
    out = Lines(proc.stdout)
    out.wait_for("recording into")
    assert stop(proc) == 0
    said = out.rest()
    assert TIME.sub("", said[0]) == f"recording into {db_path} from: line-serial /dev/nothing\\x1b[2J"
    assert not any("\x1b" in line for line in said)


def test_with_no_unit_known_it_says_how_to_connect_one_and_records_nothing(db_path: Path) -> None:
    done = subprocess.run([TENSLOG, "--db", str(db_path), "service"], capture_output=True, text=True,
                          env=service_env())
    assert done.returncode == 2  # a usage error: systemd does not restart it (RestartPreventExitStatus)
    assert done.stderr.splitlines()[-1] == (
        "Error: no unit to watch yet: connect one once with `tenslog record --driver NAME` "
        "(see: tenslog scan), or give --driver (a simulator is watched only when given so)")
    assert not Path(f"{db_path}.recorder").exists()


def test_a_driver_or_option_given_wrong_is_a_usage_error_not_a_loop(db_path: Path) -> None:
    done = subprocess.run([TENSLOG, "--db", str(db_path), "service", "--driver", "simulator", "--option", "bogus=1"],
                          capture_output=True, text=True, env=service_env())
    assert done.returncode == 2  # systemd does not restart it (RestartPreventExitStatus=2)
    assert done.stderr.splitlines()[-1].startswith("Error: driver 'simulator': unknown option 'bogus'")
    assert not db_path.exists()  # nothing opened, nothing made
