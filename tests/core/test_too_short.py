"""A session under the minimum (min_session_seconds, default 60 s) is marked "too short" where
sessions are listed, so it is easy to find and delete; it counts in no analysis."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from support.warm_cli import run_tenslog

TENSLOG = shutil.which("tenslog") or str(Path(sys.executable).with_name("tenslog"))


def run(db: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return run_tenslog(["--db", str(db), *args], env={**os.environ, "COLUMNS": "100", **env})


def test_list_marks_a_session_under_the_minimum_too_short(db_path: Path) -> None:
    for minutes, unit in (("0.5", "Blip unit"), ("20", "Real unit")):
        added = run(db_path, "add", "--start", "2026-01-05 09:30", "--duration", minutes,
                    "--unit", unit, "--before", "6", "--after", "6")
        assert added.returncode == 0, added.stderr
    listed = run(db_path, "list")
    blip = next(line for line in listed.stdout.splitlines() if "Blip unit" in line)
    real = next(line for line in listed.stdout.splitlines() if "Real unit" in line)
    assert blip.rstrip().endswith("too short") and real.rstrip().endswith("complete"), listed.stdout
    lowered = run(db_path, "list", TENSLOG_MIN_SESSION_SECONDS="10")
    blip = next(line for line in lowered.stdout.splitlines() if "Blip unit" in line)
    assert blip.rstrip().endswith("complete")  # the minimum is a setting
