"""Exports carry stored text as data, never as something that runs: CSV cells a spreadsheet
would take for a formula are guarded (OWASP) and our import takes the guard off again; FHIR
strings hold no character FHIR forbids; the HTML report escapes."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

from fhir.resources.R4B.bundle import Bundle
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from tenslog.exports import to_csv, to_fhir_json
from tenslog.exports.csv_export import TEXT_COLUMNS
from tenslog.imports import import_file
from tenslog.model import IntensityScale, Unit
from tenslog.store import Store
from tenslog.text import guard_formula, name_problem, needs_guard, shown, unguard_formula

from .text_data import (
    FORMULA_NAMES,
    HOSTILE_NAMES,
    MARKUP_NAMES,
    OLD_FORMULA_NAMES,
    inert,
    store_names,
)

ANY = st.text(min_size=1)
FORMULA_LIKE = st.tuples(st.sampled_from(["", "=", "+", "-", "@", "'=", "''-", "'", "\t", "\r"]),
                         st.text()).map("".join).filter(bool)


def stored(db: Path) -> list:  # type: ignore[type-arg]
    with Store.open(db) as store:
        return store.sessions(newest_first=False)


def cells(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def assert_safe_csv(text: str) -> None:
    """No text cell a spreadsheet would run; numeric cells read as numbers (negatives too)."""
    for row in cells(text):
        for column, value in row.items():
            if column in TEXT_COLUMNS:
                assert not needs_guard(value), (column, value)
                assert inert(value)
            elif value and column not in ("start", "end"):
                float(value)


# -- CSV -----------------------------------------------------------------------------------------
def test_csv_guards_formula_names_quotes_them_and_keeps_negative_numbers(db_path: Path) -> None:
    store_names(db_path, FORMULA_NAMES + OLD_FORMULA_NAMES)
    text = to_csv(stored(db_path))
    lines = text.splitlines()
    assert ',"\'=1+2",' in lines[1] and ',"\'+cmd",' in lines[2] and ',"\'-2+3",' in lines[3]
    assert ',"\'@SUM(A1:A9)",' in lines[4]
    assert ',"\'\'=already quoted",' in lines[5] and ',"\'\'\'-two",' in lines[6]
    # Tab and CR from an old database are written out visibly, so nothing starts a formula.
    assert ",\\x09=tab first," in lines[7] and ",\\x0d=cr first," in lines[8]
    assert all(line.endswith(",-2,-33.3,yes" + "," * 7) for line in lines[1:])  # numbers stay numbers (7 empty context cells)
    assert_safe_csv(text)


def test_our_csv_import_reads_the_guarded_names_back_exactly(db_path: Path, tmp_path: Path) -> None:
    store_names(db_path, FORMULA_NAMES)
    path = tmp_path / "export.csv"
    path.write_text(to_csv(stored(db_path)), encoding="utf-8")
    again = tmp_path / "again.db"
    with Store.open(again) as store:
        import_file(store, path, None, None)
    assert [s.unit.name for s in stored(again)] == FORMULA_NAMES
    assert [s.change for s in stored(again)] == [-2] * len(FORMULA_NAMES)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(names=st.lists(st.one_of(ANY, FORMULA_LIKE), min_size=1, max_size=5))
def test_any_stored_name_exports_to_csv_that_runs_nothing(tmp_path_factory, names: list[str]) -> None:
    db = tmp_path_factory.mktemp("db") / "tenslog.db"
    store_names(db, names, source=names[0])
    text = to_csv(stored(db))
    assert_safe_csv(text)
    assert [row["unit"] for row in cells(text)] == [guard_formula(shown(n)) for n in names]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=st.one_of(ANY, FORMULA_LIKE))
def test_any_valid_name_round_trips_through_our_csv(tmp_path_factory, name: str) -> None:
    assume(name_problem(name) is None)
    unit = Unit(driver="manual", identity="u", name=name, scale=IntensityScale(kind="level", maximum=20))
    folder = tmp_path_factory.mktemp("rt")
    store_names(folder / "a.db", [unit.name])
    path = folder / "export.csv"
    path.write_text(to_csv(stored(folder / "a.db")), encoding="utf-8")
    with Store.open(folder / "b.db") as store:
        import_file(store, path, None, None)
    [back] = stored(folder / "b.db")
    assert back.unit.name == unit.name


@given(st.text())
def test_the_guard_is_undone_exactly(value: str) -> None:
    assert unguard_formula(guard_formula(value)) == value
    assert not needs_guard(guard_formula(value))


# -- FHIR ----------------------------------------------------------------------------------------
FORBIDDEN_IN_FHIR = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def strings(node: object) -> list[str]:
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        return [s for value in node.values() for s in strings(value)]
    if isinstance(node, list):
        return [s for value in node for s in strings(value)]
    return []


def assert_valid_fhir(text: str) -> None:
    Bundle.model_validate_json(text)  # fhir.resources' own validation
    for value in strings(json.loads(text)):
        assert not FORBIDDEN_IN_FHIR.search(value), value  # FHIR string: no controls but tab/CR/LF
        assert inert(value) and value.strip()


def test_fhir_writes_control_characters_in_names_and_sources_out(db_path: Path) -> None:
    store_names(db_path, HOSTILE_NAMES + MARKUP_NAMES, source="ble\x1b[31m")
    text = to_fhir_json(stored(db_path))
    assert_valid_fhir(text)
    assert "TENS unit: evil\\\\x1b]0;pwned\\\\x07" in text  # JSON escapes the backslash once more
    assert "Recorded by: ble\\\\x1b[31m." in text
    assert "TENS unit: TENS x[/bold]" in text


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(names=st.lists(ANY, min_size=1, max_size=4), source=ANY)
def test_any_stored_text_gives_fhir_that_validates(tmp_path_factory, names: list[str], source: str) -> None:
    db = tmp_path_factory.mktemp("db") / "tenslog.db"
    store_names(db, names, source=source)
    assert_valid_fhir(to_fhir_json(stored(db)))


# -- HTML report ---------------------------------------------------------------------------------
def test_the_report_escapes_names_and_writes_control_characters_out(db_path: Path) -> None:
    from tenslog.exports.report import build_report

    store_names(db_path, ["<script>alert(1)</script>", "evil\x1b]0;x\x07", "A&B \u202e"])
    page = build_report(stored(db_path))
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "evil\\x1b]0;x\\x07" in page and "A&amp;B \\u202e" in page
    assert inert(page)
