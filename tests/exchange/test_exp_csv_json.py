from __future__ import annotations

import csv
import io
import json
import stat

import pytest

from tenslog.exports import COLUMNS, to_csv, to_json, write_private
from tenslog.exports.csv_export import __doc__ as csv_doc
from tenslog.imports import import_bytes
from tenslog.store.store import Store

# Each test runs in UTC and in a zone outside it (issue 17: the suite ran in UTC only).
pytestmark = pytest.mark.usefixtures("local_zone")


def test_csv_reads_back_with_the_same_values(filled_db, settings) -> None:
    with Store.open(filled_db) as store:
        sessions = store.sessions(newest_first=False)
    rows = list(csv.DictReader(io.StringIO(to_csv(sessions, settings))))
    assert len(rows) == len(sessions)
    assert tuple(rows[0]) == COLUMNS
    for row, s in zip(rows, sessions, strict=True):
        assert row["id"] == str(s.id)
        assert row["kind"] == s.kind.value and row["source"] == s.source
        assert row["start"] == s.start.isoformat() and row["start"].endswith("+01:00")
        assert row["before"] == ("" if s.before is None else str(s.before))
        assert row["after"] == ("" if s.after is None else str(s.after))
        assert row["change"] == ("" if s.change is None else str(s.change))
        assert float(row["duration_min"]) == s.duration.total_seconds() / 60
    first = rows[0]
    assert (first["unit"], first["scale"], first["peak_intensity"]) == ("TENS 7000", "level 1-10", "5.5")
    assert (first["before"], first["after"], first["change"], first["percent_change"], first["responder"]) == (
        "6", "3", "-3", "-50", "yes",
    )  # fmt: skip
    zero = next(r for r in rows if r["unit"] == "Clinic mA")
    assert zero["percent_change"] == "" and zero["state"] == "interrupted" and zero["scale"] == "mA (max 80)"
    unrated = next(r for r in rows if r["after"] == "" and r["kind"] == "tens")
    assert unrated["change"] == "" and unrated["responder"] == ""
    rest = next(r for r in rows if r["kind"] == "rest")
    assert rest["unit"] == "" and rest["peak_intensity"] == ""


def test_every_csv_column_is_documented() -> None:
    for column in COLUMNS:
        assert f"| {column} " in csv_doc


def test_json_round_trips_through_import_into_a_fresh_db(filled_db, tmp_path, settings, canonical) -> None:
    with Store.open(filled_db) as store:
        original = store.sessions(newest_first=False)
    text = to_json(original)
    doc = json.loads(text)
    assert (doc["format"], doc["version"]) == ("tenslog", 2)
    fresh = tmp_path / "fresh.db"
    with Store.open(fresh) as store:
        result = import_bytes(store, text.encode(), "json", settings)
        assert result.imported == len(original)
        again = store.sessions(newest_first=False)
    assert [canonical(s) for s in again] == [canonical(s) for s in original]
    # the detail the CSV cannot carry survived: intensity points, rating times, gaps
    assert again[0].intensity == original[0].intensity and len(again[0].intensity) == 2
    assert again[0].gaps == original[0].gaps and again[0].gaps
    assert {r.at for r in again[1].ratings} == {r.at for r in original[1].ratings}


def test_export_files_are_owner_only(tmp_path) -> None:
    target = tmp_path / "out.csv"
    target.write_text("old")
    target.chmod(0o644)  # an existing world-readable file is replaced, not reused
    write_private(target, "new")
    assert target.read_text() == "new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]  # no temporary left behind
