"""The CSV export (issue 16): `tenslog export --format csv -o FILE` against the same columns read
with sqlite3 and written with csv.writer by the least code that can (csv_baseline.py: python,
sqlite3, csv; one SELECT read row by row, written straight into the file, no fsync), runs in
turns, at 1, 10 and 50 years (1 and 50 in a quick run); and the export's peak RSS at each size
against its own at 1 year. Both are started through harness.RSS_WRAPPER, so each peak is the
child's own and both walls include the same small Python start. Every run checks that the two
files hold the same bytes: the baseline writes the very same CSV."""

from __future__ import annotations

import filecmp

from benchmarks.export_growth import export_runs
from benchmarks.harness import ROOT, Row, Size

BASELINE = ROOT / "benchmarks" / "csv_baseline.py"


def run(size: Size) -> list[Row]:
    rows: list[Row] = []
    for r in export_runs(size, "csv", BASELINE, ".csv", lambda a, b: filecmp.cmp(a, b, shallow=False)):
        judged = r.years == 50 and size != "smoke"
        rows += [
            Row(f"csv: export CSV, {r.label}", r.export.wall * 1000, "ms",
                "the same columns via sqlite3 + csv.writer (csv_baseline.py)", r.baseline.wall * 1000,
                extra={"cpu_s": r.export.cpu, "baseline_cpu_s": r.baseline.cpu}),
            Row(f"csv: export CSV peak RSS, {r.label}", r.export.max_rss_mb, "MB", "1 year", r.first_rss,
                goal="50 years <= 1.3x 1 year" if judged else "",
                met=r.export.max_rss_mb <= 1.3 * r.first_rss if judged else None,
                extra={"baseline_rss_mb": r.baseline.max_rss_mb}),
        ]
    return rows
