"""Run every benchmark, print a table and write JSON:
    python -m benchmarks.run [--quick | --smoke] [--only NAME ...] [--json PATH]
Without an option the figures are the ones to quote; --quick is a short look (small sizes,
few repeats); --smoke is what CI runs (tiny sizes, one repeat, no warm-up: it shows that every
figure is still produced, not how fast). Each figure is set against a baseline measured in
the same run."""

from __future__ import annotations

import argparse
import importlib
import platform
import time
from pathlib import Path

from benchmarks.harness import ROOT, Row, Size, print_table, write_json

BENCHMARKS = ["ingest", "live_ui", "startup", "history", "growth", "fhir", "csv", "attach"]
NOT_IN_SMOKE = {"live_ui"}  # a simulated session of several seconds: quick and full runs only


def main(argv: list[str] | None = None) -> list[Row]:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sizes = parser.add_mutually_exclusive_group()
    sizes.add_argument("--quick", action="store_true", help="a short look: small sizes, few repeats")
    sizes.add_argument("--smoke", action="store_true", help="CI's check that every figure is produced")
    parser.add_argument("--only", nargs="+", choices=BENCHMARKS, default=BENCHMARKS)
    parser.add_argument("--json", type=Path, default=ROOT / "benchmarks" / "results" / "latest.json")
    args = parser.parse_args(argv)
    rows: list[Row] = []
    started = time.time()
    size: Size = "smoke" if args.smoke else "quick" if args.quick else "full"
    for name in args.only:
        if size == "smoke" and name in NOT_IN_SMOKE:
            continue
        done = importlib.import_module(f"benchmarks.bench_{name}").run(size)
        if size != "smoke":  # as each finishes: a later one that fails does not lose these
            print_table(done)
            print(flush=True)
        rows += done
    print_table(rows)
    meta = {"size": size, "when": started, "seconds": time.time() - started,
            "python": platform.python_version(), "machine": platform.machine(), "cpus": __import__("os").cpu_count()}
    write_json(rows, args.json, meta)
    print(f"\nwritten: {args.json}")
    return rows


if __name__ == "__main__":
    main()
