"""What the export benchmarks share: `tenslog export --format FMT -o FILE` against its baseline
script, run in turns at 1, 10 and 50 years (1 and 50 in a quick run, a tenth of a year in the
smoke run), each through harness.RSS_WRAPPER so each peak is the child's own; after every size
the two files are compared (the baseline must write the very same export), then removed."""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from benchmarks.harness import ChildRun, Size, median_runs, python
from benchmarks.history import history_for
from benchmarks.pty_start import tenslog_command


@dataclass(frozen=True)
class ExportRun:
    years: float
    export: ChildRun
    baseline: ChildRun
    first_rss: float  # the export's peak RSS at the first (smallest) size

    @property
    def label(self) -> str:
        return f"{self.years:g} years"


def export_runs(size: Size, fmt: str, baseline: Path, suffix: str,
                same: Callable[[Path, Path], bool]) -> Iterator[ExportRun]:
    repeat = {"smoke": 1, "quick": 1, "full": 3}[size]
    sizes = [0.1] if size == "smoke" else [1, 50] if size == "quick" else [1, 10, 50]
    tenslog = tenslog_command()
    first_rss = 0.0
    with tempfile.TemporaryDirectory() as tmp:
        for years in sizes:
            path = history_for(size, years, Path(tmp))
            ours, theirs = Path(tmp) / f"tenslog{suffix}", Path(tmp) / f"baseline{suffix}"
            commands = [[tenslog, "--db", str(path), "export", "--format", fmt, "-o", str(ours)],
                        [python(), str(baseline), str(path), str(theirs)]]
            # One warm-up (bytecode, the file cache) before the first size only: fifty years take minutes.
            export, base = median_runs(commands, repeat, warm_up=years == sizes[0] and size != "smoke",
                                       own_rss=True)
            if not same(ours, theirs):
                raise RuntimeError(f"{baseline.name} wrote another {fmt} export than tenslog at {years:g} years")
            ours.unlink()
            theirs.unlink()
            first_rss = first_rss or export.max_rss_mb
            yield ExportRun(years, export, base, first_rss)
