"""History at scale: load ten years of sessions and compute the full summary (summary, TENS
versus rest, dose and time) against a raw sqlite3 read of the same rows; the review screen on
ten and fifty years, its key pressed 3 s after start and at once; all time as shown again, the
first time (worked out ahead) and right after a change committed elsewhere (read and worked out
on the key). (The smoke run only shows
that the in-process figures are produced, on a tenth of a year; it starts no dashboard.)"""

from __future__ import annotations

import json
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

from benchmarks.harness import ROOT, Row, Size, python, run_child
from benchmarks.history import build_history, cached_history
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


def review(path: Path, *flags: str) -> dict[str, float]:
    run = run_child([python(), "-m", "benchmarks.review_open", str(path), *flags], env={"PYTHONPATH": str(ROOT)},
                    timeout=300)
    return json.loads(run.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def run(size: Size) -> list[Row]:
    repeat = {"smoke": 1, "quick": 3, "full": 7}[size]
    with tempfile.TemporaryDirectory() as tmp:
        if size == "smoke":
            path = Path(tmp) / "tenth.db"
            count = build_history(path, years=0.1)
        else:
            path = cached_history(10)
            with Store.open(path) as store:
                count = store.conn.execute("SELECT count(*) FROM sessions").fetchone()[0]
        pairs = [(full_summary(path), raw_read(path)) for _ in range(repeat)]  # alternating
        ours = statistics.median(p[0] for p in pairs)
        base = statistics.median(p[1] for p in pairs)
        rows = [Row("history: load 10 years + full summary", ours * 1000, "ms", "raw sqlite3 read of the rows",
                    base * 1000, goal="< 300 ms", met=ours < 0.3, extra={"sessions": count})]
        if size == "smoke":
            return rows
        later, at_once = review(path), review(path, "--at-once")
        fifty = review(cached_history(50))
        cold = review(cached_history(50), "--cold")
    return [*rows,
        Row("history: review, 10 years, all time", later["all_time_ms"], "ms",
            "the same screen's first open (last 30 days)", later["open_ms"], goal="< 300 ms",
            met=later["all_time_ms"] < 300),
        Row("history: review pressed at once, 10 years", at_once["open_ms"], "ms",
            "the same, pressed 3 s after start", later["open_ms"], goal="settles < 500 ms",
            met=at_once["open_ms"] < 500),
        Row("history: review, 50 years, all time", fifty["all_time_ms"], "ms",
            "10 years, all time", later["all_time_ms"], goal="< 300 ms", met=fifty["all_time_ms"] < 300),
        # All time is worked out ahead and kept until the data changes: its first showing, and
        # "a" right after a change committed elsewhere (read and worked out on the key).
        Row("history: review, 50 years, all time, first time", fifty["all_time_first_ms"], "ms",
            "10 years, the same", later["all_time_first_ms"], goal="< 300 ms",
            met=fifty["all_time_first_ms"] < 300),
        Row("history: review, 50 years, all time after a change", cold["all_time_cold_ms"], "ms",
            "the same, shown again", fifty["all_time_ms"], goal="< 300 ms", met=cold["all_time_cold_ms"] < 300),
    ]
