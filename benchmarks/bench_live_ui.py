"""Live UI: the dashboard's CPU and notification-to-screen delay with the simulator at 50
notifications a second, against a Textual app repainting a widget at the same rate."""

from __future__ import annotations

import json

from benchmarks.harness import ROOT, Row, Size, python, run_child


def measure(which: str, seconds: float) -> dict[str, float]:
    run = run_child([python(), "-m", "benchmarks.live_ui", which, str(seconds)], env={"PYTHONPATH": str(ROOT)},
                    timeout=seconds + 300, own_rss=True)  # its own peak, not one inherited from us
    return {**json.loads(run.stdout.strip().splitlines()[-1]), "max_rss_mb": run.max_rss_mb}


def run(size: Size) -> list[Row]:
    seconds = {"smoke": 0.5, "quick": 4.0, "full": 30.0}[size]
    dash = measure("dashboard", seconds)
    bare = measure("bare", seconds)
    return [
        Row("live UI: CPU at 50 notifications/s", dash["cpu_percent"], "%", "Textual app repainting a widget 50/s",
            bare["cpu_percent"], goal="< 10 % of one core", met=dash["cpu_percent"] < 10),
        Row("live UI: notification -> screen p50", dash["p50_ms"], "ms", extra={"samples": dash["samples"]}),
        Row("live UI: notification -> screen p99", dash["p99_ms"], "ms", goal="< 100 ms",
            met=dash["p99_ms"] < 100),
        Row("memory: dashboard peak RSS in a session", dash["max_rss_mb"], "MB", "the repainting Textual app",
            bare["max_rss_mb"]),
    ]
