"""Reminders where there is no desktop (a server, no session bus): `tenslog service` says so
once and records as ever. And the dashboard's --rate option refuses what it cannot use."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from support.service_proc import QUICK_SIMULATOR, Lines, service_env, start, stop
from tenslog.cli.main import cli
from tenslog.presence import attach_dashboard, dashboard_attached
from tenslog.store import Store

TIME = re.compile(r"^\d\d:\d\d:\d\d ")


def test_without_a_session_bus_the_service_says_so_once_and_records(db_path: Path, tmp_path: Path) -> None:
    env = service_env(DBUS_SESSION_BUS_ADDRESS=f"unix:path={tmp_path / 'no-bus-here'}",
                      TENSLOG_MIN_SESSION_SECONDS="0")  # every session is worth a reminder
    proc = start(db_path, *QUICK_SIMULATOR, env=env)
    out = Lines(proc.stdout)
    out.wait_for("ended (complete)", count=2)  # two sessions: two starts and two ends to remind of
    assert stop(proc) == 0
    said = [TIME.sub("", line) for line in out.rest()]
    assert proc.stderr is not None
    errors = proc.stderr.read()
    about = [line for line in said + errors.splitlines() if "notification" in line]
    assert len(about) == 1, about
    assert about[0].startswith("desktop notifications: none here, no session bus (")
    assert about[0].endswith("); recording goes on without them (rate in the dashboard or with `tenslog rate`)")
    assert "Traceback" not in errors
    with Store.open(db_path) as store:
        assert len(store.sessions()) == sum(line.endswith("started") for line in said) >= 2


@pytest.mark.parametrize(("given", "message"), [
    ("abc", "needs a session number such as 12 or 12:after (got 'abc'; see: tenslog list)"),
    ("0", "needs a session number such as 12 or 12:after (got '0'; see: tenslog list)"),
    ("9" * 20, f"needs a session number such as 12 or 12:after (got '{'9' * 20}'; see: tenslog list)"),
    ("3:later", "the part after ':' is one of before, after, follow_up (got 'later')"),
])
def test_rate_refuses_what_is_not_a_session_rating(db_path: Path, given: str, message: str) -> None:
    result = CliRunner().invoke(cli, ["--db", str(db_path), "--rate", given])
    assert result.exit_code == 2
    assert f"Invalid value for --rate: {message}" in " ".join(result.output.split())
    assert not db_path.exists()  # nothing was opened, let alone written


def test_rate_goes_with_the_dashboard_only(db_path: Path) -> None:
    result = CliRunner().invoke(cli, ["--db", str(db_path), "--rate", "3", "list"])
    assert result.exit_code == 2
    assert ("--rate opens the dashboard; give it without a command (to rate from the command "
            "line: tenslog rate 3 --after N)") in " ".join(result.output.split())


def test_a_killed_dashboard_leaves_no_mark(tmp_path: Path) -> None:
    db = tmp_path / "tenslog.db"
    mine = attach_dashboard(db)
    assert dashboard_attached(db)
    assert os.stat(f"{db}.dashboard").st_mode & 0o777 == 0o600
    mine.close()
    assert not dashboard_attached(db)
    code = f"from tenslog.presence import attach_dashboard; p = attach_dashboard({str(db)!r}); print('on', flush=True); input()"
    other = subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert other.stdout is not None and other.stdout.readline() == "on\n"
    assert dashboard_attached(db)
    other.send_signal(signal.SIGKILL)  # no unmount, no clean-up: the kernel lets go of the lock
    other.wait(timeout=10)
    assert not dashboard_attached(db)
