"""`tenslog list`, the CSV and JSON exports and the CSV and JSON imports start without the
statistics (numpy, scipy), the report's matplotlib or the FHIR models: each of those costs
hundreds of milliseconds and tens of megabytes before the user sees a line. One child process
runs the commands in turn as the user types them, and after each says which of those modules
are loaded (a module loaded once stays loaded, so the first command that loads one is named)."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

HEAVY = ("numpy", "scipy", "matplotlib", "fhir", "plotext", "textual")

CHILD = f"""
import json, sys
from tenslog.cli.main import cli
for args in json.loads(sys.argv[1]):
    try:
        cli.main(args, prog_name="tenslog", standalone_mode=False)
    except SystemExit as stop:
        assert not stop.code, (args, stop.code)
    loaded = sorted({{m.split(".")[0] for m in sys.modules}} & set({HEAVY!r}))
    print(json.dumps([" ".join(args[2:]), loaded]), flush=True)
"""


def test_list_csv_and_json_exchange_load_no_statistics_charts_or_fhir(tmp_path: Path) -> None:
    db, other = str(tmp_path / "t.db"), str(tmp_path / "other.db")
    csv_file, json_file = tmp_path / "out.csv", tmp_path / "out.json"
    commands = [
        ["--db", db, "add", "--duration", "30", "--before", "6", "--after", "4"],
        ["--db", db, "list"],
        ["--db", db, "export", "--format", "csv", "-o", str(csv_file)],
        ["--db", db, "export", "--format", "json", "-o", str(json_file)],
        ["--db", other, "import", str(csv_file)],
        ["--db", str(tmp_path / "third.db"), "import", str(json_file)],
    ]
    done = subprocess.run([sys.executable, "-c", CHILD, json.dumps(commands)], capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr[-2000:]
    steps = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("[")]
    assert steps == [[" ".join(c[2:]), []] for c in commands]
    # and the commands did their work: the session went out and came back in, twice
    assert ",30,complete,,6,4,,-2,-33.3,yes," in csv_file.read_text()
    assert [r["value"] for r in json.loads(json_file.read_text())["sessions"][0]["ratings"]] == [6, 4]
    assert done.stdout.count("Imported 1 session.") == 2


def test_list_and_the_csv_export_load_no_pydantic_models(tmp_path: Path) -> None:
    """`tenslog list` and `tenslog export --format csv` read lean rows (store.listed,
    store.exported) and write them: the session models and their validation library
    (pydantic, ~0.25 s of imports) are never loaded for them."""
    db, out = str(tmp_path / "t.db"), str(tmp_path / "out.csv")
    subprocess.run([sys.executable, "-m", "tenslog", "--db", db, "add", "--duration", "30", "--before", "6",
                    "--after", "4"], check=True, capture_output=True, timeout=60)
    child = ("import sys\nfrom tenslog.cli.main import cli\n"
             f"cli.main(['--db', {db!r}, 'list'], prog_name='tenslog', standalone_mode=False)\n"
             f"cli.main(['--db', {db!r}, 'export', '-o', {out!r}], prog_name='tenslog', standalone_mode=False)\n"
             "print(sorted({m.split('.')[0] for m in sys.modules} & {'pydantic', 'pydantic_core'}))")
    done = subprocess.run([sys.executable, "-c", child], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr[-2000:]
    lines = done.stdout.splitlines()
    assert lines[-1] == "[]"
    # and the session is listed: number 1, 30 minutes, before 6, after 4, change -2
    rows = [line.split() for line in lines if line.split()[:1] == ["1"]]
    assert len(rows) == 1 and rows[0][-6:] == ["30m", "—", "6", "4", "-2", "complete"]
    # and exported: 30 minutes, complete, no peak, 6 before, 4 after, -2, -33.3 %, a responder
    assert ",30,complete,,6,4,,-2,-33.3,yes," in Path(out).read_text()
    assert "Wrote 1 session to" in done.stderr


# What `tenslog list --db FILE` leaves for when it is needed: the recording lock's library (only
# when a crash left a session to close), the trial plans, the default data folder's library,
# rich's console and table (the table is written by cli/table_text.py), the FHIR export's rows.
LIST_LEAVES = ("pydantic", "pydantic_core", "filelock", "platformdirs", "rich.console", "rich.table",
               "tenslog.trial", "tenslog.store.exported")


def _list_in_child(db: str) -> tuple[list[str], list[str]]:
    """`tenslog --db DB list` in a fresh process: its output lines and which of LIST_LEAVES it loaded."""
    child = ("import json, sys\nfrom tenslog.cli.main import cli\n"
             f"cli.main(['--db', {db!r}, 'list'], prog_name='tenslog', standalone_mode=False)\n"
             f"print(json.dumps(sorted({{m for m in sys.modules if m.startswith({LIST_LEAVES!r})}})))")
    done = subprocess.run([sys.executable, "-c", child], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr[-2000:]
    *lines, loaded = done.stdout.splitlines()
    return lines, json.loads(loaded)


def test_list_loads_no_pydantic_lock_library_trial_plans_or_rich_console(tmp_path: Path) -> None:
    """`tenslog list` reads lean rows (store.listed) and writes them: the session models and
    their validation library (pydantic, ~0.25 s of imports) are never loaded for it, nor the
    lock library while there is nothing to recover, nor rich's console. A session a crash left
    recording is still closed by the next list (under the lock: then filelock is loaded)."""
    db = str(tmp_path / "t.db")
    subprocess.run([sys.executable, "-m", "tenslog", "--db", db, "add", "--duration", "30", "--before", "6",
                    "--after", "4"], check=True, capture_output=True, timeout=60)
    lines, loaded = _list_in_child(db)
    assert loaded == []
    # and the session is listed: number 1, 30 minutes, before 6, after 4, change -2
    rows = [line.split() for line in lines if line.split()[:1] == ["1"]]
    assert len(rows) == 1 and rows[0][-6:] == ["30m", "—", "6", "4", "-2", "complete"]

    conn = sqlite3.connect(db)  # as a recorder killed mid-session leaves it
    with conn:
        conn.execute("UPDATE sessions SET state = 'recording', \"end\" = NULL, heartbeat = start + 600")
    conn.close()
    lines, loaded = _list_in_child(db)
    rows = [line.split() for line in lines if line.split()[:1] == ["1"]]
    assert rows[0][-6:] == ["10m", "—", "6", "4", "-2", "interrupted"]
    assert "filelock" in loaded and "rich.console" not in loaded
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT state FROM sessions").fetchall() == [("interrupted",)]  # stored, not only shown
    conn.close()
