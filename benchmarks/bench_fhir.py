"""The FHIR export (issue 16): `tenslog export --format fhir -o FILE` against the same Bundle
built as plain dicts and written with json by the least code that can (fhir_baseline.py: python,
sqlite3, json, uuid; every row read at once, the whole Bundle dumped at once, no fsync), runs in
turns, at 1 and 50 years (and 10 in a full run); and the export's peak RSS at each size against
its own at 1 year. Both are started through harness.RSS_WRAPPER, so each peak is the child's own
and both walls include the same small Python start. Every run checks that the two files hold
the same text (the Bundle's timestamp aside): the baseline builds the very same Bundle."""

from __future__ import annotations

from pathlib import Path

from benchmarks.export_growth import export_runs
from benchmarks.harness import ROOT, Row, Size

BASELINE = ROOT / "benchmarks" / "fhir_baseline.py"
HEADER_LINES = 4  # "{", resourceType, type, timestamp: the timestamp is the one line that differs


def same_text(a: Path, b: Path) -> bool:
    with a.open("rb") as fa, b.open("rb") as fb:
        heads = [[f.readline() for _ in range(HEADER_LINES)] for f in (fa, fb)]
        if heads[0][:3] != heads[1][:3] or not heads[0][3].startswith(b'  "timestamp": "'):
            return False
        while True:
            block_a, block_b = fa.read(1 << 20), fb.read(1 << 20)
            if block_a != block_b:
                return False
            if not block_a:
                return True


def run(size: Size) -> list[Row]:
    rows: list[Row] = []
    judged = size != "smoke"
    for r in export_runs(size, "fhir", BASELINE, ".fhir.json", same_text):
        rows += [
            Row(f"fhir: export FHIR, {r.label}", r.export.wall * 1000, "ms",
                "the same Bundle as plain dicts + json (fhir_baseline.py)", r.baseline.wall * 1000,
                goal="<= 2x" if judged else "", met=r.export.wall <= 2 * r.baseline.wall if judged else None,
                extra={"cpu_s": r.export.cpu, "baseline_cpu_s": r.baseline.cpu}),
            Row(f"fhir: export FHIR peak RSS, {r.label}", r.export.max_rss_mb, "MB", "1 year", r.first_rss,
                goal="50 years <= 1.3x 1 year" if r.years == 50 and judged else "",
                met=r.export.max_rss_mb <= 1.3 * r.first_rss if r.years == 50 and judged else None,
                extra={"baseline_rss_mb": r.baseline.max_rss_mb}),
        ]
    return rows
