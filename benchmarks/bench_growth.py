"""How the cost grows with history: 1, 10 and 50 years (3 sessions a day). Each command runs
as a person runs it, a fresh process, set against a baseline process doing the least the same
answer needs (Python, the same libraries, a raw read of the same rows), runs alternating.
The smoke run: a tenth of a year, `list` and the in-process figures only."""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from benchmarks.harness import ChildRun, Row, Size, median_runs, python
from benchmarks.history import history_for
from benchmarks.pty_start import tenslog_command
from tenslog.analysis import compare_with_rest, dose_response, summarize
from tenslog.analysis.reading import read_columns
from tenslog.settings import Settings
from tenslog.store import Store

LIST_BASE = """
import sys, click, sqlite3
c = sqlite3.connect(sys.argv[1])
rows = c.execute('SELECT * FROM sessions ORDER BY start DESC LIMIT 20').fetchall()
ids = ','.join(str(r[0]) for r in rows)
c.execute(f'SELECT * FROM ratings WHERE session_id IN ({ids})').fetchall()
"""
SUMMARY_BASE = """
import sys, click, sqlite3, numpy, scipy.stats
c = sqlite3.connect(sys.argv[1])
for t in ('sessions', 'intensity', 'ratings'):
    c.execute(f'SELECT * FROM {t}').fetchall()
"""


def in_process(path: Path) -> tuple[float, float, float]:
    """ms to open the store, to read every session's figures (as `tenslog summary` and the
    report do: columns straight from SQL), to compute the whole summary."""
    t0 = time.perf_counter()
    store = Store.open(path)
    t1 = time.perf_counter()
    figures = read_columns(store)
    t2 = time.perf_counter()
    settings = Settings()
    summarize(figures, settings)
    compare_with_rest(figures, settings)
    dose_response(figures, settings)
    t3 = time.perf_counter()
    store.close()
    return (t1 - t0) * 1000, (t2 - t1) * 1000, (t3 - t2) * 1000


def run(size: Size) -> list[Row]:
    repeat = {"smoke": 1, "quick": 1, "full": 3}[size]
    sizes = [0.1] if size == "smoke" else [1, 10, 50]
    tenslog = tenslog_command()
    rows: list[Row] = []
    first: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for years in sizes:
            path = history_for(size, years, Path(tmp))
            db = str(path)
            figures = [in_process(path) for _ in range(max(repeat, 3))]
            opened, loaded, summed = (statistics.median(f[i] for f in figures) for i in range(3))
            label = f"{years:g} years"
            rows += [
                Row(f"growth: open the database, {label}", opened, "ms"),
                Row(f"growth: full summary in-process, {label}", loaded + summed, "ms",
                    "of which loading the figures", loaded),
            ]
            commands = [[tenslog, "--db", db, "list"], [python(), "-c", LIST_BASE, db]]
            exports: list[list[str]] = []
            if size != "smoke":
                out = str(Path(tmp) / "out")
                commands += [[tenslog, "--db", db, "summary"], [python(), "-c", SUMMARY_BASE, db],
                             [tenslog, "--db", db, "export", "--format", "report", "-o", out + ".html"]]
                exports.append([tenslog, "--db", db, "export", "--format", "json", "-o", out + ".json"])
                # The FHIR export's time and memory: bench_fhir.py, against its own baseline.
            runs = median_runs(commands, repeat, warm_up=size != "smoke")
            if exports:  # peak memory: each export's own (see harness.RSS_WRAPPER)
                runs += median_runs(exports, repeat, warm_up=False, own_rss=True)
            listed, list_base = runs[0], runs[1]
            rows.append(Row(f"growth: tenslog list, {label}", listed.wall * 1000, "ms",
                            "python -c 'import click, sqlite3' + raw read of the rows", list_base.wall * 1000,
                            goal="<= 2x (10 years)" if years == 10 else "",
                            met=listed.wall <= 2 * list_base.wall if years == 10 else None))
            if size == "smoke":
                continue
            rows += _process_rows(label, years, runs[2:], first)
    return rows


def _process_rows(label: str, years: float, runs: list[ChildRun], first: dict[str, float]) -> list[Row]:
    summary, summary_base, report, json_export = runs
    if years == 1:
        first.update(summary=summary.wall, report=report.wall, json=json_export.max_rss_mb)
    at_fifty = years == 50
    return [
        Row(f"growth: tenslog summary, {label}", summary.wall * 1000, "ms",
            "python + click, numpy, scipy.stats + raw read of all rows", summary_base.wall * 1000,
            goal="50 years <= 1.5x 1 year" if at_fifty else "",
            met=summary.wall <= 1.5 * first["summary"] if at_fifty else None,
            extra={"times_1_year": summary.wall / first["summary"]}),
        Row(f"growth: export report, {label}", report.wall * 1000, "ms", "1 year", first["report"] * 1000,
            goal="50 years <= 1.5x 1 year" if at_fifty else "", met=report.wall <= 1.5 * first["report"] if at_fifty else None),
        Row(f"growth: export JSON peak RSS, {label}", json_export.max_rss_mb, "MB", "1 year", first["json"],
            goal="50 years <= 1.3x 1 year" if at_fifty else "",
            met=json_export.max_rss_mb <= 1.3 * first["json"] if at_fifty else None,
            extra={"seconds": json_export.wall}),
    ]
