"""Run every benchmark, print a table and write JSON:
    python -m benchmarks.run [--quick] [--only NAME ...] [--json PATH]
--quick is the smoke run CI does (small sizes, few repeats); without it the figures are the
ones to quote. Each figure is set against a baseline measured in the same run."""

from __future__ import annotations

import argparse
import importlib
import platform
import time
from pathlib import Path

from benchmarks.harness import ROOT, Row, print_table, write_json

BENCHMARKS = ["ingest", "live_ui", "startup", "history"]


def main(argv: list[str] | None = None) -> list[Row]:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="a smoke run: small sizes, few repeats")
    parser.add_argument("--only", nargs="+", choices=BENCHMARKS, default=BENCHMARKS)
    parser.add_argument("--json", type=Path, default=ROOT / "benchmarks" / "results" / "latest.json")
    args = parser.parse_args(argv)
    rows: list[Row] = []
    started = time.time()
    for name in args.only:
        rows += importlib.import_module(f"benchmarks.bench_{name}").run(args.quick)
    print_table(rows)
    meta = {"quick": args.quick, "when": started, "seconds": time.time() - started,
            "python": platform.python_version(), "machine": platform.machine(), "cpus": __import__("os").cpu_count()}
    write_json(rows, args.json, meta)
    print(f"\nwritten: {args.json}")
    return rows


if __name__ == "__main__":
    main()
