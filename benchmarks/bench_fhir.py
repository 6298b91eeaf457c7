"""The FHIR export (issue 16): `tenslog export --format fhir -o FILE` against the same Bundle
built as plain dicts and written with json by the least code that can (fhir_baseline.py: python,
sqlite3, json, uuid; every row read at once, the whole Bundle dumped at once, no fsync), runs in
turns, at 1 and 50 years (and 10 in a full run); and the export's peak RSS at each size against
its own at 1 year. Both are started through harness.RSS_WRAPPER, so each peak is the child's own
and both walls include the same small Python start. Every run checks that the two files hold
the same text (the Bundle's timestamp aside): the baseline builds the very same Bundle."""

from __future__ import annotations

import tempfile
from pathlib import Path

from benchmarks.harness import ROOT, Row, Size, median_runs, python
from benchmarks.history import history_for
from benchmarks.pty_start import tenslog_command

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
    repeat = {"smoke": 1, "quick": 1, "full": 3}[size]
    sizes = [0.1] if size == "smoke" else [1, 50] if size == "quick" else [1, 10, 50]
    tenslog = tenslog_command()
    rows: list[Row] = []
    first_rss = 0.0
    with tempfile.TemporaryDirectory() as tmp:
        for years in sizes:
            path = history_for(size, years, Path(tmp))
            ours, theirs = Path(tmp) / "tenslog.fhir.json", Path(tmp) / "baseline.fhir.json"
            commands = [[tenslog, "--db", str(path), "export", "--format", "fhir", "-o", str(ours)],
                        [python(), str(BASELINE), str(path), str(theirs)]]
            # One warm-up (bytecode, the file cache) before the first size only: fifty years take minutes.
            export, baseline = median_runs(commands, repeat, warm_up=years == sizes[0] and size != "smoke",
                                           own_rss=True)
            if not same_text(ours, theirs):
                raise RuntimeError(f"fhir_baseline.py wrote another Bundle than tenslog at {years:g} years")
            ours.unlink()
            theirs.unlink()
            first_rss = first_rss or export.max_rss_mb
            label = f"{years:g} years"
            judged = size != "smoke"
            rows += [
                Row(f"fhir: export FHIR, {label}", export.wall * 1000, "ms",
                    "the same Bundle as plain dicts + json (fhir_baseline.py)", baseline.wall * 1000,
                    goal="<= 2x" if judged else "", met=export.wall <= 2 * baseline.wall if judged else None,
                    extra={"cpu_s": export.cpu, "baseline_cpu_s": baseline.cpu}),
                Row(f"fhir: export FHIR peak RSS, {label}", export.max_rss_mb, "MB", "1 year", first_rss,
                    goal="50 years <= 1.3x 1 year" if years == 50 and judged else "",
                    met=export.max_rss_mb <= 1.3 * first_rss if years == 50 and judged else None,
                    extra={"baseline_rss_mb": baseline.max_rss_mb}),
            ]
    return rows
