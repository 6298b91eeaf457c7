"""The benchmarks still run (the smoke run, as CI does: tiny sizes, one repeat, two Textual
starts, no simulated session and no long history): every figure of the smoke report is
produced, finite and positive, next to its same-run baseline, and written as JSON. Figures
are for people; nothing here asserts speed."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parents[1]
ROWS = {  # every row of the smoke report, and whether it has a baseline
    "ingest: decoded+recorded events/s": True,
    "ingest: tenslog record over a pty, events/s": True,
    "ingest: tenslog record vs the fastest unit": True,
    "ingest: disk fsync, small file in the same folder": False,
    "start-up: tenslog --help": True,
    "start-up: dashboard first painted frame (pty)": True,
    "start-up: unit list usable (pty)": True,
    "memory: RSS at first frame": True,
    "memory: RSS after 0.2 s idle": True,
    "history: load 10 years + full summary": True,
    "growth: open the database, 0.1 years": False,
    "growth: full summary in-process, 0.1 years": True,
    "growth: tenslog list, 0.1 years": True,
    "fhir: export FHIR, 0.1 years": True,
    "fhir: export FHIR peak RSS, 0.1 years": True,
    "csv: export CSV, 0.1 years": True,
    "csv: export CSV peak RSS, 0.1 years": True,
    "attach: service write -> dashboard p99": True,
    "attach: dashboard CPU, attached, idle": True,
}


def positive(x: object) -> bool:
    return isinstance(x, (int, float)) and math.isfinite(x) and x > 0


def test_smoke_benchmark_run_writes_every_figure_with_its_baseline(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    result = subprocess.run(
        [sys.executable, "-m", "benchmarks.run", "--smoke", "--json", str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=120, env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.splitlines()[0].startswith("benchmark ")
    report = json.loads(out.read_text())
    assert report["meta"]["size"] == "smoke"
    rows = {r["name"]: r for r in report["results"]}
    assert sorted(rows) == sorted(ROWS), "the report has exactly the known rows"
    for name, has_baseline in ROWS.items():
        row = rows[name]
        assert positive(row["value"]), (name, row["value"])
        if has_baseline:
            assert positive(row["baseline"]) and positive(row["ratio"]), (name, row)
        assert name in result.stdout, f"{name} is missing from the printed table"
    assert rows["history: load 10 years + full summary"]["extra"]["sessions"] > 0
