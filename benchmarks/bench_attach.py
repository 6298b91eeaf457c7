"""Attached dashboard: how long after a service-like writer commits a change the attached
dashboard has read it (p99, against a bare data_version reader polling at the same pace in the
same run), and its CPU while attached and idle (against a bare Textual app, idle)."""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
from pathlib import Path

from benchmarks.harness import ROOT, Row, Size, python, run_child

ENV = {"PYTHONPATH": str(ROOT)}


def delays(commits: list[tuple[float, float]], noticed: list[tuple[float, float]]) -> list[float]:
    """For each commit, ms until the first reading of its level at or after it (a level
    overwritten before any reading is not counted: nobody could have seen it)."""
    out = []
    for i, (level, at) in enumerate(commits):
        until = commits[i + 1][1] if i + 1 < len(commits) else float("inf")
        seen = next((t for value, t in noticed if t >= at and value == level), None)
        if seen is not None and seen < until + 1.0:
            out.append((seen - at) * 1000)
    return sorted(out)


def p99(values: list[float]) -> float:
    return values[max(0, int(len(values) * 0.99) - 1)] if values else float("nan")


def run(size: Size) -> list[Row]:
    seconds = {"smoke": 0.3, "quick": 5.0, "full": 30.0}[size]
    db = Path(tempfile.mkdtemp()) / "attach.db"

    writer = subprocess.Popen([python(), "-m", "benchmarks.attach", "writer", str(db), str(seconds)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                              env={**os.environ, **ENV})
    try:
        assert writer.stdout is not None and writer.stdin is not None
        assert writer.stdout.readline().strip() == "ready"
        smoke = ["--smoke"] if size == "smoke" else []
        dash = run_child([python(), "-m", "benchmarks.attach", "dashboard", str(db), str(seconds), *smoke],
                         env=ENV, timeout=seconds * 3 + 60)
        out, _ = writer.communicate("", timeout=30)
    finally:
        if writer.poll() is None:
            writer.kill()
    commits = json.loads(out.strip().splitlines()[-1])
    found = json.loads(dash.stdout.strip().splitlines()[-1])
    attached, floor = delays(commits, found["noticed"]), delays(commits, found["raw"])
    return [
        Row("attach: service write -> dashboard p99", p99(attached), "ms",
            "bare data_version reader, same pace", p99(floor), goal="<= 1000 ms",
            met=p99(attached) <= 1000, extra={"samples": float(len(attached))}),
        Row("attach: dashboard CPU, attached, idle", found["idle_cpu_percent"], "%",
            "bare Textual app, idle", found["bare_cpu_percent"], goal="< 2 % of one core",
            met=found["idle_cpu_percent"] < 2),
    ]
