"""What every benchmark shares: a result row (a figure, its baseline from the same run, the
ratio, the goal), child processes measured with wait4, and the printed table."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Literal

ROOT = Path(__file__).resolve().parents[1]
Size = Literal["full", "quick", "smoke"]  # the figures to quote, a short look, CI's check


@dataclass
class Row:
    name: str
    value: float
    unit: str
    baseline_name: str = ""
    baseline: float | None = None
    goal: str = ""
    met: bool | None = None
    extra: dict[str, float] = field(default_factory=dict)

    @property
    def ratio(self) -> float | None:
        if self.baseline in (None, 0):
            return None
        return self.value / self.baseline  # type: ignore[operator]


@dataclass(frozen=True)
class ChildRun:
    wall: float  # seconds
    cpu: float  # user + system seconds
    max_rss_mb: float
    stdout: str
    milestone_ms: float | None = None  # what the child printed as first_frame_ms=...


# Linux keeps a process's peak RSS across fork and exec: a child of this (large) process
# reports at least our own RSS. For peak-memory figures the child is started by a small
# Python that reports its child's peak (RUSAGE_CHILDREN) on stderr.
RSS_WRAPPER = (
    "import resource, subprocess, sys; rc = subprocess.call(sys.argv[1:]); "
    "print(f'child_maxrss_kb={resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}', file=sys.stderr); "
    "sys.exit(rc)"
)


def run_child(args: list[str], *, env: dict[str, str] | None = None, timeout: float = 900,
              own_rss: bool = False) -> ChildRun:
    """Run a child to completion and read its own CPU time and peak memory (wait4), not ours.
    ``own_rss``: start it through RSS_WRAPPER so that its peak memory is its own (the wall
    time then includes a small Python's start)."""
    if own_rss:
        args = [sys.executable, "-c", RSS_WRAPPER, *args]
    started = time.perf_counter()
    # The child may time its own milestones from this (see first_frame.py).
    spawned = {"BENCH_SPAWNED_AT": repr(time.monotonic())}
    # Python caches bytecode, as it does for anyone who has not turned that off: otherwise our
    # own modules would be compiled on every start while the libraries' caches are used.
    inherited = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**inherited, **(env or {}), **spawned})
    deadline = started + timeout
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if time.perf_counter() > deadline:
            proc.kill()
            raise TimeoutError(f"{args} took over {timeout} s")
        time.sleep(0.005)
    wall = time.perf_counter() - started
    out = proc.stdout.read() if proc.stdout else ""
    err = proc.stderr.read() if proc.stderr else ""
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise RuntimeError(f"{args} failed ({proc.returncode}):\n{err[-2000:]}")
    milestone = next((float(line.split("=", 1)[1]) for line in out.splitlines()
                      if line.startswith("first_frame_ms=")), None)
    rss_kb = next((int(line.split("=", 1)[1]) for line in err.splitlines()
                   if line.startswith("child_maxrss_kb=")), usage.ru_maxrss)
    return ChildRun(wall, usage.ru_utime + usage.ru_stime, rss_kb / 1024, out, milestone)


def median_run(args: list[str], repeat: int, warm_up: bool = True, **kwargs: object) -> ChildRun:
    """The median of ``repeat`` runs after one untimed warm-up (bytecode and file caches)."""
    return median_runs([args], repeat, warm_up, **kwargs)[0]


def median_runs(commands: list[list[str]], repeat: int, warm_up: bool = True,
                **kwargs: object) -> list[ChildRun]:
    """Each command's median over ``repeat`` runs, taken in turns (a, b, a, b, ...) so that a
    figure and its baseline see the same moments of a noisy machine; one warm-up each first."""
    for args in commands if warm_up else []:
        run_child(args, **kwargs)  # type: ignore[arg-type]
    rounds = [[run_child(args, **kwargs) for args in commands] for _ in range(repeat)]  # type: ignore[arg-type]
    return [_median([r[i] for r in rounds]) for i in range(len(commands))]


def _median(runs: list[ChildRun]) -> ChildRun:
    return ChildRun(
        statistics.median(r.wall for r in runs),
        statistics.median(r.cpu for r in runs),
        max(r.max_rss_mb for r in runs),
        runs[-1].stdout,
        statistics.median(r.milestone_ms for r in runs) if all(r.milestone_ms for r in runs) else None,
    )


def python() -> str:
    return sys.executable


def print_table(rows: list[Row]) -> None:
    print(f"{'benchmark':44} {'value':>14} {'baseline':>14} {'ratio':>8}  goal")
    for r in rows:
        base = "" if r.baseline is None else f"{r.baseline:,.4g}"
        ratio = "" if r.ratio is None else f"{r.ratio:.3g}"
        mark = {True: "met", False: "NOT MET", None: ""}[r.met]
        print(f"{r.name:44} {r.value:>10,.4g} {r.unit:<3} {base:>14} {ratio:>8}  {r.goal} {mark}".rstrip())
        if r.baseline_name:
            print(f"{'':44} {'':>14} ({r.baseline_name})")


def write_json(rows: list[Row], path: Path, meta: dict[str, object]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {"meta": meta, "results": [{**asdict(r), "ratio": r.ratio} for r in rows]}
    path.write_text(json.dumps(data, indent=2))
