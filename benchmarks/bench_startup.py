"""Start-up and memory as a person meets them: `tenslog --help` against a bare Python, and the
real `tenslog` command (click included) in a pseudo-terminal against a Textual app with one
Static started the same way: the first frame actually painted, the unit list usable (its "No
connection" choice can be taken), RSS at the first frame and after idling. Runs alternate
(bare, dashboard, dashboard on ten years, ...) so that each figure and its baseline meet the
same moments of a noisy machine; the figures are medians."""

from __future__ import annotations

import statistics
import sys
import tempfile
from pathlib import Path

from benchmarks.harness import Row, Size, median_runs, python
from benchmarks.history import cached_history
from benchmarks.pty_start import BARE_APP, Start, start, tenslog_command

READY = b"No connection"


def run(size: Size) -> list[Row]:
    repeat = {"smoke": 1, "quick": 3, "full": 9}[size]
    idle = {"smoke": 0.2, "quick": 5.0, "full": 5.0}[size]
    tenslog = tenslog_command()
    bare_python, help_run = median_runs([[python(), "-c", "pass"], [tenslog, "--help"]], repeat, size != "smoke")
    with tempfile.TemporaryDirectory() as tmp:
        empty = Path(tmp) / "t.db"
        history = None if size == "smoke" else cached_history(10)
        commands = {
            "bare": lambda idle_s: start([sys.executable, str(BARE_APP)], idle=idle_s),
            "dash": lambda idle_s: start([tenslog, "--db", str(empty)], ready=READY, idle=idle_s),
            "dash10": lambda idle_s: start([tenslog, "--db", str(history)], ready=READY, idle=idle_s),
        }
        if size == "smoke":  # CI's check: each kind of figure once, two Textual starts in all
            del commands["dash10"]
        if size != "smoke":
            for measure in commands.values():
                measure(0.0)  # warm-up: bytecode and file caches
        runs: dict[str, list[Start]] = {name: [] for name in commands}
        for i in range(repeat):
            for name, measure in commands.items():
                runs[name].append(measure(idle if i == 0 else 0.0))  # idle once: it only adds waiting
    bare, dash = _median(runs["bare"]), _median(runs["dash"])
    rows = [
        Row("start-up: tenslog --help", help_run.wall * 1000, "ms", "bare python -c pass", bare_python.wall * 1000),
        Row("start-up: dashboard first painted frame (pty)", dash.first_frame_ms, "ms",
            "Textual app with one Static, same way", bare.first_frame_ms, goal="<= 1.5x bare Textual",
            met=dash.first_frame_ms <= 1.5 * bare.first_frame_ms),
        Row("start-up: unit list usable (pty)", dash.ready_ms or 0.0, "ms", "bare app's first painted frame",
            bare.first_frame_ms, goal="<= 1.7x bare Textual", met=(dash.ready_ms or 0) <= 1.7 * bare.first_frame_ms),
        Row("memory: RSS at first frame", dash.rss_first_mb, "MB", "bare app at its first frame", bare.rss_first_mb),
        Row(f"memory: RSS after {idle:g} s idle", runs["dash"][0].rss_idle_mb or 0.0, "MB", "bare app, same idle",
            runs["bare"][0].rss_idle_mb or 0.0, goal="<= 2x bare",
            met=(runs["dash"][0].rss_idle_mb or 0) <= 2 * (runs["bare"][0].rss_idle_mb or 1)),
    ]
    if size == "smoke":
        return rows
    dash10 = _median(runs["dash10"])
    return [*rows,
        Row("start-up: first painted frame, 10-year db", dash10.first_frame_ms, "ms", "bare app's first painted frame",
            bare.first_frame_ms, goal="<= 1.5x bare Textual", met=dash10.first_frame_ms <= 1.5 * bare.first_frame_ms),
        Row("start-up: unit list usable, 10-year db", dash10.ready_ms or 0.0, "ms", "bare app's first painted frame",
            bare.first_frame_ms, goal="<= 1.7x bare Textual", met=(dash10.ready_ms or 0) <= 1.7 * bare.first_frame_ms),
        Row("memory: RSS at first frame, 10-year db", dash10.rss_first_mb, "MB", "bare app at its first frame",
            bare.rss_first_mb),
        Row(f"memory: RSS after {idle:g} s idle, 10-year db", runs["dash10"][0].rss_idle_mb or 0.0, "MB",
            "bare app, same idle", runs["bare"][0].rss_idle_mb or 0.0),
    ]


def _median(starts: list[Start]) -> Start:
    readies = [s.ready_ms for s in starts if s.ready_ms is not None]
    return Start(statistics.median(s.first_frame_ms for s in starts),
                 statistics.median(readies) if readies else None,
                 statistics.median(s.rss_first_mb for s in starts), None)
