"""The benchmarks still run (a quick smoke run, as CI does): every figure is produced next to
its same-run baseline and written as JSON. Figures are for people; nothing here asserts speed."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parents[1]


def test_quick_benchmark_run_writes_every_figure_with_its_baseline(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    result = subprocess.run(
        [sys.executable, "-m", "benchmarks.run", "--quick", "--json", str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=240, env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "benchmark" in result.stdout.splitlines()[0]
    rows = {r["name"]: r for r in json.loads(out.read_text())["results"]}
    for name in ("ingest: decoded+recorded events/s", "live UI: CPU at 50 notifications/s",
                 "start-up: dashboard first frame", "history: load 10 years + full summary",
                 "memory: dashboard peak RSS in a session"):
        assert rows[name]["value"] > 0 and rows[name]["baseline"] > 0, name
    assert rows["live UI: notification -> screen p50"]["extra"]["samples"] > 50
