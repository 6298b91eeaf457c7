"""The CLI as a user meets it: tenslog --db FILE export|import|summary ..."""

from __future__ import annotations

import csv
import io
import json
import stat

import pytest
from fhir.resources.R4B.bundle import Bundle

# Each test runs in UTC and in a zone outside it (issue 17: the suite ran in UTC only).
pytestmark = pytest.mark.usefixtures("local_zone")


def invoke(runner, cli, db, *args):
    return runner.invoke(cli, ["--db", str(db), *args])


def test_export_csv_to_stdout_with_selection(runner, cli, filled_db) -> None:
    result = invoke(runner, cli, filled_db, "export", "--format", "csv", "--kind", "rest")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == 7 and {r["kind"] for r in rows} == {"rest"}
    result = invoke(runner, cli, filled_db, "export", "--since", "2025-03-05", "--until", "2025-03-06", "--unit", "TENS 7000")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["start"][:10] for r in rows] == ["2025-03-05", "2025-03-06"]  # --until includes that day


def test_export_files_are_owner_only(runner, cli, filled_db, tmp_path) -> None:
    for fmt, name in (("json", "out.json"), ("fhir", "out.fhir.json"), ("report", "report.html")):
        target = tmp_path / name
        result = invoke(runner, cli, filled_db, "export", "--format", fmt, "--output", str(target))
        assert result.exit_code == 0, result.output
        assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert len(json.loads((tmp_path / "out.json").read_text())["sessions"]) == 19
    Bundle.model_validate_json((tmp_path / "out.fhir.json").read_text())


def test_export_bad_input_writes_nothing(runner, cli, filled_db, tmp_path) -> None:
    target = tmp_path / "x.csv"
    result = invoke(runner, cli, filled_db, "export", "--since", "last tuesday", "--output", str(target))
    assert result.exit_code != 0 and "not a date: use YYYY-MM-DD" in result.output and not target.exists()
    page = tmp_path / "report.html"  # without --output the report goes to Documents: tests/exports
    result = invoke(runner, cli, filled_db, "export", "--format", "report", "--patient-name", "A\x1b", "-o", str(page))
    assert result.exit_code != 0 and "control character (U+001B)" in result.output and not page.exists()
    result = invoke(runner, cli, filled_db, "export", "--output", str(tmp_path / "missing" / "x.csv"))
    assert result.exit_code != 0 and "nothing was written" in result.output


def test_import_round_trip_and_refusal(runner, cli, filled_db, tmp_path, fingerprint) -> None:
    dump, db = tmp_path / "all.json", tmp_path / "fresh.db"
    assert invoke(runner, cli, filled_db, "export", "--format", "json", "-o", str(dump)).exit_code == 0
    result = invoke(runner, cli, db, "import", str(dump), "--dry-run")
    assert result.exit_code == 0 and "19 sessions would be imported" in result.output
    result = invoke(runner, cli, db, "import", str(dump))
    assert result.exit_code == 0 and "Imported 19 sessions" in result.output
    before = fingerprint(db)
    result = invoke(runner, cli, db, "import", str(dump))  # the same file twice: all duplicates
    assert result.exit_code == 1
    assert "19 problems found; nothing was imported" in result.output
    assert "already in the database" in result.output
    assert fingerprint(db) == before


def test_import_bad_csv_exits_nonzero_and_lists_lines(runner, cli, db, tmp_path, fingerprint) -> None:
    diary = tmp_path / "diary.csv"
    diary.write_text("date,time,duration_min,before,after\n2025-03-03,09:00,30,12,4\n2025-03-04,09:00,30,6,4\n")
    before = fingerprint(db)
    result = invoke(runner, cli, db, "import", str(diary))
    assert result.exit_code == 1 and "line 2, field before: pain is rated 0 to 10 (got 12)" in result.output
    assert fingerprint(db) == before
    result = invoke(runner, cli, db, "import", str(diary), "--skip-bad")
    assert result.exit_code == 0 and "Imported 1 session." in result.output and "line 2" in result.output


def test_summary_command(runner, cli, filled_db) -> None:
    result = invoke(runner, cli, filled_db, "summary")
    assert result.exit_code == 0, result.output
    out = result.output
    assert "Over 11 rated TENS sessions" in out
    assert "median change (after - before)" in out
    assert "TENS compared with rest" in out and "typical period brought" in out
    few = invoke(runner, cli, filled_db, "summary", "--until", "2025-03-04")
    assert "Not enough data yet" in few.output
