"""What the export/import hardening tests share: the installed `tenslog` command in a
subprocess, a database with a few sessions, a fingerprint to show it unchanged, and diary rows."""

from __future__ import annotations

import csv
import hashlib
import io
import os
import shutil
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from support.sessions import rated_session
from support.warm_cli import run_tenslog
from tenslog.model import IntensityScale, Unit
from tenslog.store import Store

TENSLOG = shutil.which("tenslog") or str(Path(sys.executable).with_name("tenslog"))
HEADER = ["start", "duration_min", "before", "after", "unit", "scale", "intensity"]
UNIT = Unit(driver="manual", identity="import:TENS 7000", name="TENS 7000", scale=IntensityScale(kind="level", maximum=10))


def tenslog(db: Path, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "100"}
    return run_tenslog(["--db", str(db), *args], env=env, cwd=cwd)


def filled_database(path: Path, sessions: int = 3) -> Path:
    start = datetime(2025, 3, 3, 9, tzinfo=UTC)
    with Store.open(path) as store:
        store.add_sessions([rated_session(start + timedelta(days=i), 30, 6, 4, unit=UNIT, level=3) for i in range(sessions)])
    return path


def fingerprint(store: Store) -> str:
    """Every session as loaded: equal before and after means the history is unchanged."""
    return hashlib.sha256("".join(s.model_dump_json() for s in store.sessions(newest_first=False)).encode()).hexdigest()


def diary_row(day: int, unit: str = "TENS 7000") -> list[str]:
    return [f"2025-04-{1 + day % 28:02d} {8 + day // 28 % 12:02d}:00", "30", "6", "4", unit, "level 1-10", "3"]


def diary(rows: list[list[str]], delimiter: str = ",") -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    writer.writerow(HEADER)
    writer.writerows(rows)
    return out.getvalue()
