"""Run mutation testing (mutmut 3) on one module group at a time and print its score.

    .venv/bin/python tools/mutation.py decoders recorder   # groups from pyproject.toml
    .venv/bin/python tools/mutation.py --list
    .venv/bin/python tools/mutation.py decoders --again    # after adding tests: re-run survivors
    .venv/bin/python tools/mutation.py decoders --resume   # go on with an interrupted run
    .venv/bin/python tools/mutation.py store --only 'tenslog.store.writes.*'  # some mutants only

Each group in ``[tool.mutmut.groups.NAME]`` names the files to mutate and the fast tests that
pin them. mutmut reads one flat ``[tool.mutmut]`` table from the current directory and only
puts ``mutants/src`` on the import path, so for each group this lays out a scratch copy under
``build/mutation/NAME/`` (src/ holds tenslog and the driver packages side by side), writes
that group's flat ``[tool.mutmut]`` into the copy's pyproject.toml, runs ``mutmut run`` there
and writes ``score.json`` and ``survivors.txt`` next to it. ``mutmut show NAME`` and
``mutmut browse`` work from inside that folder.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time
import tomllib
from fnmatch import fnmatch
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORK = ROOT / "build" / "mutation"
# Files tests read relative to the repository (docs pinned by tests, the drivers' profiles).
ALSO_COPY = ["README.md", "hardware-notes.md"]  # also in [tool.mutmut] also_copy
KILLED = {"killed", "timeout", "caught by type check"}
NOT_RUN = {"not checked", "skipped"}


def groups() -> dict[str, dict[str, list[str]]]:
    data = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    return data["tool"]["mutmut"]["groups"]


def flat_config(common: dict[str, object], group: dict[str, list[str]]) -> str:
    """The [tool.mutmut] table mutmut reads, for one group (paths as they are in the copy)."""
    mutate = [re.sub(r"^drivers/", "src/", p) for p in group["mutate"]]
    keys: dict[str, object] = {
        "source_paths": ["src"],
        "only_mutate": mutate,
        "pytest_add_cli_args_test_selection": group["tests"],
        **{k: v for k, v in common.items() if k != "groups"},
    }
    lines = ["[tool.mutmut]"] + [f"{k} = {json.dumps(v)}" for k, v in keys.items()]
    return "\n".join(lines) + "\n"


def prepare(name: str, group: dict[str, list[str]]) -> Path:
    work = WORK / name
    shutil.rmtree(work, ignore_errors=True)
    (work / "src").mkdir(parents=True)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    shutil.copytree(ROOT / "src" / "tenslog", work / "src" / "tenslog", ignore=ignore)
    for package in sorted((ROOT / "drivers").iterdir()):
        if package.is_dir() and package.name.startswith("tenslog_"):
            shutil.copytree(package, work / "src" / package.name, ignore=ignore)
    shutil.copytree(ROOT / "tests", work / "tests", ignore=ignore)
    for name_ in ALSO_COPY:
        shutil.copy2(ROOT / name_, work / name_)
    text = (ROOT / "pyproject.toml").read_text("utf-8")
    data = tomllib.loads(text)
    # Drop every [tool.mutmut...] table and append the group's flat one.
    kept = re.sub(r"(?ms)^\[tool\.mutmut[^\]]*\].*?(?=^\[(?!tool\.mutmut)|\Z)", "", text)
    (work / "pyproject.toml").write_text(kept + "\n" + flat_config(data["tool"]["mutmut"], group))
    return work


def score(work: Path) -> dict[str, object]:
    """Count mutmut's verdicts from ``mutmut results --all true``."""
    out = subprocess.run([sys.executable, "-m", "mutmut", "results", "--all", "true"], cwd=work,
                         capture_output=True, text=True, check=True).stdout
    verdicts: dict[str, list[str]] = {}
    for line in out.splitlines():
        if ":" not in line:
            continue
        mutant, verdict = (part.strip() for part in line.rsplit(":", 1))
        verdicts.setdefault(verdict, []).append(mutant)
    counts = {k: len(v) for k, v in sorted(verdicts.items())}
    killed = sum(counts.get(k, 0) for k in KILLED)
    judged = sum(n for k, n in counts.items() if k not in NOT_RUN)
    survivors = sorted(verdicts.get("survived", []) + verdicts.get("no tests", []))
    (work / "survivors.txt").write_text("".join(f"{m}\n" for m in survivors))
    return {"counts": counts, "killed": killed, "judged": judged,
            "score": round(100 * killed / judged, 1) if judged else None}


def refresh_tests(name: str) -> tuple[Path, list[str]]:
    """The last run's folder with today's tests, and the mutants that survived it."""
    work = WORK / name
    survivors = work / "survivors.txt"
    if not survivors.is_file():
        raise SystemExit(f"{name}: no finished run in {work} to repeat; run it without --again")
    shutil.rmtree(work / "tests")
    shutil.copytree(ROOT / "tests", work / "tests", ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    return work, survivors.read_text().split()


def run(name: str, group: dict[str, list[str]], max_children: int, again: bool,
        resume: bool, only: list[str]) -> dict[str, object]:
    names: list[str] = list(only)  # mutmut matches these with fnmatch
    if again:
        work, survivors = refresh_tests(name)
        names = [m for m in survivors if not only or any(fnmatch(m, p) for p in only)]
    elif resume and (WORK / name / "mutants").is_dir():
        work = WORK / name  # mutmut skips the mutants it already judged
    else:
        work = prepare(name, group)
    started = time.monotonic()
    # The fuzz drill's example counts are for CI; each mutant needs far fewer to be caught.
    env = {"TENSLOG_FUZZ_EXAMPLES": "200", "TENSLOG_FUZZ_DB_EXAMPLES": "40", **os.environ}
    # `mutmut` rather than `python -m mutmut`: mutmut forks itself and warns about the latter.
    mutmut = shutil.which("mutmut", path=str(Path(sys.executable).parent)) or "mutmut"
    log = (work / "mutmut.log").open("a" if again or resume else "w")
    done = subprocess.run([mutmut, "run", "--max-children", str(max_children), *names], cwd=work,
                          env=env, stdout=log, stderr=subprocess.STDOUT, check=False)
    result = {"group": name, **score(work), "seconds": round(time.monotonic() - started),
              "mutmut_exit": done.returncode}
    (work / "score.json").write_text(json.dumps(result, indent=2) + "\n")
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("groups", nargs="*", help="group names (default: all)")
    parser.add_argument("--list", action="store_true", help="list the groups and exit")
    parser.add_argument("--max-children", type=int, default=max(1, (os.cpu_count() or 2) - 1))
    parser.add_argument("--again", action="store_true",
                        help="re-run only the last run's survivors, with the tests as they are now")
    parser.add_argument("--resume", action="store_true",
                        help="go on with an interrupted run (same tests), judging only the rest")
    parser.add_argument("--only", action="append", default=[], metavar="PATTERN",
                        help="judge only the mutants whose names match (fnmatch; repeatable), "
                             "e.g. 'tenslog.store.writes.*'; the others stay 'not checked'")
    args = parser.parse_args()
    known = groups()
    if args.list:
        for name, group in known.items():
            print(f"{name}: {' '.join(group['mutate'])}")
        return 0
    unknown = [g for g in args.groups if g not in known]
    if unknown:
        parser.error(f"unknown group(s) {', '.join(unknown)}; known: {', '.join(known)}")
    worst = 0
    for name in args.groups or list(known):
        result = run(name, known[name], args.max_children, args.again, args.resume,
                     args.only)
        print(f"{name}: {result['score']} % killed ({result['killed']}/{result['judged']}), "
              f"{result['seconds']} s; survivors in {WORK / name / 'survivors.txt'}", flush=True)
        worst = max(worst, int(result["mutmut_exit"]))  # type: ignore[call-overload]
    return worst


if __name__ == "__main__":
    sys.exit(main())
