"""The CSV export (issue 16): `tenslog export --format csv -o FILE` against the same columns read
with sqlite3 and written with csv.writer by the least code that can (csv_baseline.py: python,
sqlite3, csv; one SELECT read row by row, written straight into the file, no fsync), runs in
turns, at 1, 10 and 50 years (1 and 50 in a quick run); and the export's peak RSS at each size
against its own at 1 year. Both are started through harness.RSS_WRAPPER, so each peak is the
child's own and both walls include the same small Python start. Every run checks that the two
files hold the same bytes: the baseline writes the very same CSV."""

from __future__ import annotations

import filecmp
import tempfile
from pathlib import Path

from benchmarks.harness import ROOT, Row, Size, median_runs, python
from benchmarks.history import history_for
from benchmarks.pty_start import tenslog_command

BASELINE = ROOT / "benchmarks" / "csv_baseline.py"


def run(size: Size) -> list[Row]:
    repeat = {"smoke": 1, "quick": 1, "full": 3}[size]
    sizes = [0.1] if size == "smoke" else [1, 50] if size == "quick" else [1, 10, 50]
    tenslog = tenslog_command()
    rows: list[Row] = []
    first_rss = 0.0
    with tempfile.TemporaryDirectory() as tmp:
        for years in sizes:
            path = history_for(size, years, Path(tmp))
            ours, theirs = Path(tmp) / "tenslog.csv", Path(tmp) / "baseline.csv"
            commands = [[tenslog, "--db", str(path), "export", "--format", "csv", "-o", str(ours)],
                        [python(), str(BASELINE), str(path), str(theirs)]]
            export, baseline = median_runs(commands, repeat, warm_up=years == sizes[0] and size != "smoke",
                                           own_rss=True)
            if not filecmp.cmp(ours, theirs, shallow=False):
                raise RuntimeError(f"csv_baseline.py wrote another CSV than tenslog at {years:g} years")
            ours.unlink()
            theirs.unlink()
            first_rss = first_rss or export.max_rss_mb
            label = f"{years:g} years"
            judged = years == 50 and size != "smoke"
            rows += [
                Row(f"csv: export CSV, {label}", export.wall * 1000, "ms",
                    "the same columns via sqlite3 + csv.writer (csv_baseline.py)", baseline.wall * 1000,
                    extra={"cpu_s": export.cpu, "baseline_cpu_s": baseline.cpu}),
                Row(f"csv: export CSV peak RSS, {label}", export.max_rss_mb, "MB", "1 year", first_rss,
                    goal="50 years <= 1.3x 1 year" if judged else "",
                    met=export.max_rss_mb <= 1.3 * first_rss if judged else None,
                    extra={"baseline_rss_mb": baseline.max_rss_mb}),
            ]
    return rows
