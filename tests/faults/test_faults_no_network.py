"""tenslog opens no network socket: every command and the dashboard run under an audit hook
that kills the process on any connect, bind, send or name lookup outside AF_UNIX."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

GUARD = Path(__file__).parents[1] / "support" / "no_network.py"


def guarded(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(GUARD), *args], capture_output=True, text=True, timeout=120)


def test_the_guard_itself_catches_network_use(tmp_path: Path) -> None:
    probe = tmp_path / "probe.py"
    probe.write_text(f"import runpy, sys, socket\nsys.argv = ['x', 'cli', '--version']\n"
                     f"sys.addaudithook(runpy.run_path({str(GUARD)!r})['hook'])\n"
                     "socket.create_connection(('127.0.0.1', 9))\n")
    result = subprocess.run([sys.executable, str(probe)], capture_output=True, text=True)
    assert result.returncode == 97 and "NETWORK USE" in result.stderr


def test_every_command_runs_without_the_network(tmp_path: Path) -> None:
    db = str(tmp_path / "t.db")
    out = tmp_path / "out"
    commands = [
        ["add", "--duration", "30", "--intensity", "5", "--unit", "Unit", "--before", "6", "--after", "3"],
        ["add", "--kind", "rest", "--duration", "30", "--before", "6", "--after", "5"],
        ["list"],
        ["rate", "last", "--follow-up", "4"],
        ["record", "--driver", "simulator", "--option", "speed=max", "--option", "session_minutes=2"],
        ["drivers"],
        ["summary"],
        ["export", "--format", "csv", "--output", str(out) + ".csv"],
        ["export", "--format", "json", "--output", str(out) + ".json"],
        ["export", "--format", "fhir", "--output", str(out) + ".fhir.json"],
        ["export", "--format", "report", "--output", str(out) + ".html"],
    ]
    elsewhere = str(tmp_path / "other.db")
    lines = [["--db", db, *c] for c in commands] + [["--db", elsewhere, "import", str(out) + ".json"]]
    # Each command is its own process (forked from one guarded interpreter, hook included).
    result = guarded("each", json.dumps(lines))
    assert "NETWORK USE" not in result.stderr, result.stderr
    statuses = [json.loads(line) for line in result.stdout.splitlines() if line.startswith('{"args"')]
    assert [s["args"] for s in statuses] == lines, result.stderr[-2000:]
    failed = [s for s in statuses if s["status"] != 0]
    assert not failed, (failed, result.stderr[-2000:])
    assert len(json.loads(Path(out.with_suffix(".json")).read_text())["sessions"]) == 3  # the two added and the one recorded


@pytest.mark.parametrize("driver", ["simulator"])
def test_the_dashboard_runs_a_session_without_the_network(tmp_path: Path, driver: str) -> None:
    result = guarded("dashboard", str(tmp_path / "t.db"), driver)
    assert "NETWORK USE" not in result.stderr, result.stderr
    assert result.returncode == 0, result.stderr[-3000:]
