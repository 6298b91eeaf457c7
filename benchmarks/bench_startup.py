"""Start-up and memory: `tenslog --help` against a bare Python, and the dashboard's first frame
against a bare Textual app started the same way (fresh process, headless, 80x24). The first
frame is timed from the spawn to the first screen Textual hands its driver; the whole run to
exit is kept in the JSON as start_to_exit_ms."""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

from benchmarks.harness import ROOT, Row, Size, median_run, median_runs, python
from benchmarks.history import build_history


def run(size: Size) -> list[Row]:
    repeat = {"smoke": 1, "quick": 3, "full": 9}[size]
    warm_up = size != "smoke"  # the smoke run only shows every figure is produced
    tenslog = shutil.which("tenslog") or str(Path(sys.executable).with_name("tenslog"))
    env = {"PYTHONPATH": str(ROOT)}
    bare_python, help_run = median_runs([[python(), "-c", "pass"], [tenslog, "--help"]], repeat, warm_up)
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "t.db")
        frame = [python(), "-m", "benchmarks.first_frame"]
        bare_app, dash = median_runs([[*frame, "bare", db], [*frame, "dashboard", db]], repeat, warm_up, env=env)
        history_db = Path(tmp) / "history.db"
        build_history(history_db, years=0.1 if size == "smoke" else 10)
        dash_history = median_run([*frame, "dashboard", str(history_db)], 1, warm_up, env=env)
    assert dash.milestone_ms and bare_app.milestone_ms, "first_frame.py printed no first frame"
    ratio = dash.milestone_ms / bare_app.milestone_ms
    return [
        Row("start-up: tenslog --help", help_run.wall * 1000, "ms", "bare python -c pass", bare_python.wall * 1000),
        Row("start-up: dashboard first frame", dash.milestone_ms, "ms", "bare Textual app first frame",
            bare_app.milestone_ms, goal="<= 1.5x bare Textual", met=ratio <= 1.5,
            extra={"start_to_exit_ms": dash.wall * 1000, "bare_start_to_exit_ms": bare_app.wall * 1000}),
        Row("memory: dashboard peak RSS (empty db)", dash.max_rss_mb, "MB", "bare Textual app", bare_app.max_rss_mb),
        Row("memory: dashboard peak RSS (10-year db)", dash_history.max_rss_mb, "MB", "bare Textual app",
            bare_app.max_rss_mb),
    ]
