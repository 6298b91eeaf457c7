"""Issue 17: `tenslog record` stopped with SIGTERM while the unit is unheard (its cable pulled,
within the grace period) ends the session at the moment the unit was last heard, the moment
the link was lost, not at the moment of the signal. The real command in a subprocess, a real
pty as the unit's serial port (the line-serial driver), a real SQLite file."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
import tty
from collections.abc import Callable
from pathlib import Path

from tenslog.model import IntensityScale, SessionState
from tenslog.store import Store
from tenslog_serial.lineproto import LineStatus, encode_line

TENSLOG = str(Path(sys.executable).with_name("tenslog"))
LINE = encode_line(LineStatus(True, 6.0, IntensityScale(kind="level", maximum=20)))


def _until(what: str, check: Callable[[], bool], limit: float = 20.0) -> None:
    """Poll; the limit only stops a hung test."""
    deadline = time.monotonic() + limit
    while not check():
        assert time.monotonic() < deadline, f"never saw {what}"
        time.sleep(0.05)


class Unit:
    """A unit printing its status line every 50 ms on a pty reached through a symlink."""

    def __init__(self, link: Path) -> None:
        self.master, self.slave = os.openpty()
        tty.setraw(self.master)
        tty.setraw(self.slave)
        os.symlink(os.ttyname(self.slave), link)
        self.link = link
        self.talking = True
        self.thread = threading.Thread(target=self._talk, daemon=True)
        self.thread.start()

    def _talk(self) -> None:
        while self.talking:
            os.write(self.master, LINE)
            time.sleep(0.05)

    def pull_cable(self) -> None:
        self.talking = False
        self.thread.join()
        # The link goes with the cable, as udev removes /dev/serial/by-id/...: left in place it
        # names a /dev/pts number another process may be given, which tenslog would reopen.
        self.link.unlink()
        os.close(self.master)
        os.close(self.slave)


def _db_rows(db: Path, sql: str) -> list[tuple]:
    with Store.open(db) as store:
        return store.conn.execute(sql).fetchall()


def test_sigterm_during_a_link_loss_ends_the_session_where_the_unit_was_last_heard(tmp_path: Path) -> None:
    db, link = tmp_path / "tenslog.db", tmp_path / "ttyTENS"
    unit = Unit(link)
    env = {**os.environ, "TENSLOG_GRACE_SECONDS": "120"}
    record = subprocess.Popen(
        [TENSLOG, "--db", str(db), "record", "--driver", "line-serial", "--unit", str(link),
         "--option", "reconnect_cap=0.2"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )  # fmt: skip
    try:
        _until("the session start", lambda: db.exists() and _db_rows(db, "SELECT value FROM intensity") != [])
        unit.pull_cable()
        _until("the link loss", lambda: _db_rows(db, "SELECT lost_at FROM link_gaps") != [])
        time.sleep(1.0)  # unheard a while: the old bug claimed this second as therapy time
        record.send_signal(signal.SIGTERM)
        out, err = record.communicate(timeout=30)
    finally:
        if record.poll() is None:
            record.kill()
    assert record.returncode == 0, err
    assert "session 1 kept" in out
    with Store.open(db) as store:
        [session] = store.sessions()
    [gap] = session.gaps
    assert session.state is SessionState.INTERRUPTED
    assert gap.restored_at is None
    assert session.end == gap.lost_at, "the session claims time after the unit was last heard"
    assert [p.value for p in session.intensity] == [6]
