"""The FHIR export streams (issue 16): plain dicts from the store's lean rows, an entry at a
time. It must still write the Bundle the fhir.resources models wrote (kept in
data/fhir_bundle.json, see support/fhir_cases.py), and fhir.resources must accept it: the whole
Bundle at a small size, a sample of entries from half a year of history."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from fhir.resources.R4B.bundle import Bundle, BundleEntry
from fhir.resources.R4B.period import Period
from hypothesis import given
from hypothesis import strategies as st

from support.fhir_cases import GOLDEN, PATIENT, TODAY, golden_sessions, golden_trials
from tenslog.exports import fhir_chunks, to_fhir_json, write_private
from tenslog.exports.fhir_time import period
from tenslog.model import (
    IntensityPoint,
    PainRating,
    RatingMoment,
    Session,
    SessionContext,
    SessionKind,
    SessionState,
)
from tenslog.store import Store
from tenslog.store import exported as lean_rows

in_both_zones = pytest.mark.usefixtures("local_zone")  # stored times come back in their own offsets
STAMP = re.compile(r'"timestamp": "[^"]*"')


def without_stamp(text: str) -> str:
    return STAMP.sub('"timestamp": "TIMESTAMP"', text, count=1)


@in_both_zones
def test_the_streamed_bundle_is_the_one_the_fhir_models_wrote(tmp_path: Path) -> None:
    golden = GOLDEN.read_text(encoding="utf-8")
    assert without_stamp(to_fhir_json(golden_sessions(), PATIENT, golden_trials(), TODAY)) == golden
    # and read back from the database as lean rows, as `tenslog export` reads them
    with Store.open(tmp_path / "t.db") as store:
        store.add_sessions(golden_sessions())
        text = to_fhir_json(store.exported(), PATIENT, golden_trials(), TODAY)
    assert without_stamp(text) == golden
    stamp = json.loads(text)["timestamp"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?Z", stamp)
    Bundle.model_validate_json(text)  # fhir.resources checks every resource of the whole Bundle


@in_both_zones
def test_the_cli_writes_the_same_entries_owner_only(tmp_path: Path, cli, runner) -> None:
    db, out = tmp_path / "t.db", tmp_path / "bundle.json"
    with Store.open(db) as store:
        store.add_sessions(golden_sessions())
    result = runner.invoke(cli, ["--db", str(db), "export", "--format", "fhir", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "Wrote 9 sessions to" in result.output
    assert os.stat(out).st_mode & 0o777 == 0o600
    written = json.loads(out.read_text(encoding="utf-8"))
    golden = json.loads(GOLDEN.read_text(encoding="utf-8"))
    assert written["entry"][0] == {"fullUrl": golden["entry"][0]["fullUrl"], "resource": {"resourceType": "Patient"}}
    sessions = golden["entry"][3:]  # the golden file has two trials before them
    assert [e["fullUrl"] for e in written["entry"][1:]] == [e["fullUrl"] for e in sessions]
    # Opening the database ended the one still "recording" (no recorder holds it): its
    # Procedure is the one entry that differs, now stopped.
    changed = [(a["resource"], b["resource"]) for a, b in zip(written["entry"][1:], sessions, strict=True) if a != b]
    assert [(now["status"], then["status"]) for now, then in changed] == [("stopped", "in-progress")]
    Bundle.model_validate(written)


@in_both_zones
def test_a_selection_counts_its_own_sessions(tmp_path: Path, cli, runner) -> None:
    db, out = tmp_path / "t.db", tmp_path / "rest.json"
    with Store.open(db) as store:
        store.add_sessions(golden_sessions())
    result = runner.invoke(cli, ["--db", str(db), "export", "--format", "fhir", "--kind", "rest", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "Wrote 2 sessions to" in result.output
    kinds = [e["resource"]["resourceType"] for e in json.loads(out.read_text())["entry"]]
    # two rest periods: 2 + 0 pain ratings, a medicine and another treatment beside the first
    assert kinds == ["Patient", "Observation", "Observation", "Procedure", "MedicationStatement"]
    by_unit = runner.invoke(cli, ["--db", str(db), "export", "--format", "fhir", "--unit", "Clinic mA", "-o", str(out)])
    assert "Wrote 2 sessions to" in by_unit.output
    units = {e["resource"].get("usedCode", [{}])[0].get("text") for e in json.loads(out.read_text())["entry"]}
    assert units == {None, "TENS unit: Clinic mA"}
    unknown = runner.invoke(cli, ["--db", str(db), "export", "--format", "fhir", "--unit", "Nope", "-o", str(out)])
    assert unknown.exit_code == 1 and "no unit named 'Nope'; the units are" in unknown.output


def half_a_year() -> list[Session]:
    """Half a year, two a day: TENS with two intensity points, and a rest period every sixth."""
    zone = timezone(timedelta(hours=2))
    unit = golden_sessions()[0].unit
    out = []
    for i in range(365):
        start = datetime(2024, 1, 1, 8, tzinfo=zone) + timedelta(hours=12 * i, minutes=i % 50)
        end = start + timedelta(minutes=30)
        ratings = (PainRating(moment=RatingMoment.BEFORE, value=i % 11, at=start),
                   PainRating(moment=RatingMoment.AFTER, value=(i * 7) % 11, at=end))  # fmt: skip
        rest = i % 6 == 5
        out.append(Session.model_construct(
            id=None, kind=SessionKind.REST if rest else SessionKind.TENS, source="manual" if rest else "simulator",
            unit=None if rest else unit, start=start, end=end, state=SessionState.COMPLETE,
            intensity=() if rest else (IntensityPoint(at=start, value=2), IntensityPoint(at=end, value=i % 9 + 1)),
            ratings=ratings, gaps=(), context=SessionContext(),
        ))  # fmt: skip
    return out


def test_half_a_year_streams_to_a_valid_bundle(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(lean_rows, "CHUNK", 100)  # read in four chunks: none lost, none out of order
    sessions = half_a_year()
    with Store.open(tmp_path / "t.db") as store:
        store.add_sessions(sessions)
        path = write_private(tmp_path / "year.json", fhir_chunks(store.exported()))
    doc = json.loads(path.read_text(encoding="utf-8"))
    entries = doc["entry"]
    tens = sum(s.kind is SessionKind.TENS for s in sessions)
    assert len(entries) == 1 + tens + 2 * len(sessions)  # Patient, a Procedure per TENS session, two ratings each
    assert len({e["fullUrl"] for e in entries}) == len(entries)
    assert [e["resource"]["valueInteger"] for e in entries[-2:]] == [364 % 11, (364 * 7) % 11]
    # Peak intensities come from the store's own max: session 8 (i = 8) peaked at 8 % 9 + 1 = 9.
    ninth = [e["resource"] for e in entries if e["resource"]["resourceType"] == "Procedure"][7]
    assert ninth["note"][1]["text"] == "Peak intensity 9/10 on the unit's own scale (level 1-10)."
    for entry in entries[:: max(1, len(entries) // 30)] + entries[-3:]:  # a sample, through fhir.resources
        BundleEntry.model_validate(entry)
    Bundle.model_validate({**doc, "entry": entries[:40]})


def test_the_fhir_export_loads_neither_the_fhir_models_nor_pydantic(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    with Store.open(db) as store:
        store.add_sessions(golden_sessions()[:3])
    out = tmp_path / "b.json"
    child = ("import sys\nfrom tenslog.cli.main import cli\n"
             f"cli.main(['--db', {str(db)!r}, 'export', '--format', 'fhir', '-o', {str(out)!r}], prog_name='tenslog',"
             " standalone_mode=False)\n"
             "print(sorted({m.split('.')[0] for m in sys.modules} & {'fhir', 'fhir_core', 'pydantic', 'pydantic_core'}))")
    done = subprocess.run([sys.executable, "-c", child], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.splitlines()[-1] == "[]"
    assert "Wrote 3 sessions to" in done.stderr
    # Patient, 2 Procedures, 7 pain ratings; 3 treatments and 2 extra ratings of the first
    # session, 2 treatments of the rest period
    assert len(json.loads(out.read_text())["entry"]) == 1 + 2 + 7 + 5 + 2


@given(st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2200, 1, 1),
                    timezones=st.integers(-86399, 86399).map(lambda s: timezone(timedelta(seconds=s)))))
def test_a_fhir_time_is_written_as_the_fhir_models_wrote_it(at: datetime) -> None:
    """"Z" for a zero offset, microseconds only when there are some, an offset's seconds cut."""
    assert period(at, at) == json.loads(Period(start=at, end=at).model_dump_json())
