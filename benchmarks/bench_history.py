"""History at scale: ten years of sessions; load them and compute the full summary (summary,
TENS versus rest, dose and time), against a raw sqlite3 read of the same rows."""

from __future__ import annotations

import json
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

from benchmarks.harness import ROOT, Row, Size, python, run_child
from benchmarks.history import build_history
from tenslog.analysis import compare_with_rest, dose_response, summarize
from tenslog.settings import Settings
from tenslog.store import Store


def full_summary(path: Path) -> float:
    started = time.perf_counter()
    with Store.open(path) as store:
        figures = store.figures()
    settings = Settings()
    summarize(figures, settings)
    compare_with_rest(figures, settings)
    dose_response(figures, settings)
    return time.perf_counter() - started


def raw_read(path: Path) -> float:
    started = time.perf_counter()
    conn = sqlite3.connect(path)
    for table in ("sessions", "intensity", "ratings"):
        conn.execute(f"SELECT * FROM {table}").fetchall()
    conn.close()
    return time.perf_counter() - started


def run(size: Size) -> list[Row]:
    repeat = {"smoke": 1, "quick": 3, "full": 7}[size]
    years = 0.1 if size == "smoke" else 10  # the smoke run only shows the figures are produced
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "ten-years.db"
        count = build_history(path, years=years)
        ours = statistics.median(full_summary(path) for _ in range(repeat))
        base = statistics.median(raw_read(path) for _ in range(repeat))
        review = json.loads(run_child([python(), "-m", "benchmarks.review_open", str(path), *(["--smoke"] if size == "smoke" else [])],
                                      env={"PYTHONPATH": str(ROOT)}).stdout.strip().splitlines()[-1])
    return [
        Row("history: review screen, 10 years, all time", review["all_time_ms"], "ms",
            "the same screen's first open (last 30 days)", review["open_ms"], goal="< 300 ms",
            met=review["all_time_ms"] < 300),
        Row("history: load 10 years + full summary", ours * 1000, "ms", "raw sqlite3 read of the rows",
            base * 1000, goal="< 300 ms", met=ours < 0.3, extra={"sessions": count}),
    ]
