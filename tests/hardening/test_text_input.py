"""Text from outside is refused at input when it holds control or text-direction characters:
in the model (so the CLI, the dashboard's forms and both imports), with an error naming the
field. What a unit reports is not refused (it must still record): it is made safe instead."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from tenslog.driver.events import Connected, StimulationStarted, StimulationStopped, UnitInfo
from tenslog.imports import ImportFailed, import_file
from tenslog.model import IntensityScale, Session, Unit, explain, manual_unit
from tenslog.recorder import Recorder, unit_from_info
from tenslog.store import Store
from tenslog.text import NAME_MAX, check_name, name_problem, reported_name, unsafe_character

from .text_data import HOSTILE_NAMES, inert

TENSLOG = shutil.which("tenslog") or str(Path(sys.executable).with_name("tenslog"))
SCALE = IntensityScale(kind="level", maximum=20)


def refusal(**fields: object) -> list[str]:
    with pytest.raises(ValidationError) as caught:
        Unit(**{"driver": "manual", "identity": "x", "name": "ok", **fields})  # type: ignore[arg-type]
    return explain(caught.value)


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_a_name_with_control_or_direction_characters_is_refused_naming_the_field(name: str) -> None:
    [message] = refusal(name=name)
    assert message.startswith("name: contains ")
    assert "U+" in message and "\n" not in message


@pytest.mark.parametrize("name", ["   ", "\u00a0 \u3000", ""])
def test_a_name_of_only_spaces_is_refused(name: str) -> None:
    [message] = refusal(name=name)
    assert message.startswith("name: ")


def test_surrounding_spaces_are_taken_off_a_name() -> None:
    assert Unit(driver="manual", name="  Beurer EM49 ").name == "Beurer EM49"


@pytest.mark.parametrize("field", ["driver", "identity"])
def test_the_other_unit_texts_refuse_control_characters(field: str) -> None:
    [message] = refusal(**{field: "a\x1bb"})
    assert message.startswith(f"{field}: contains a control character (U+001B)")


def test_a_session_source_refuses_control_characters() -> None:
    with pytest.raises(ValidationError) as caught:
        Session.model_validate({"source": "x\u202e", "start": "2026-03-02T09:00:00+00:00",
                                "end": "2026-03-02T09:30:00+00:00"})
    assert explain(caught.value)[0].startswith("source: contains a text-direction control character")


@given(st.text())
def test_any_text_is_a_plain_name_or_refused_with_a_reason(text: str) -> None:
    """The whole class: what is accepted holds no refused character, is trimmed, 1-80 long."""
    try:
        unit = manual_unit(text, SCALE)
    except ValidationError as exc:
        [message] = explain(exc)
        assert message.startswith("name: ") and message == f"name: {name_problem(text)} (got {text!r})"
        return
    assert unsafe_character(unit.name) is None
    assert unit.name == text.strip() and 1 <= len(unit.name) <= NAME_MAX
    assert check_name(unit.name) == unit.name


# -- the command line ---------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["evil\x1b]0;pwned\x07", "right\u202eto left", "   "])
def test_cli_add_refuses_the_name_in_one_line_and_saves_nothing(db_path: Path, name: str) -> None:
    done = subprocess.run([TENSLOG, "--db", str(db_path), "add", "--duration", "30", "--unit", name],
                          capture_output=True, text=True, env={**os.environ, "COLUMNS": "100"})
    assert done.returncode == 2
    error = done.stderr.strip().splitlines()[-1]
    assert error.startswith("Error: Invalid value for --unit: ")
    assert "Traceback" not in done.stderr and inert(done.stderr)
    with Store.open(db_path) as store:
        assert store.count() == 0


# -- imports -----------------------------------------------------------------------------------
def test_csv_import_refuses_a_name_with_a_direction_override_naming_line_and_field(
    store: Store, tmp_path: Path
) -> None:
    path = tmp_path / "diary.csv"
    path.write_text("start,duration_min,before,after,unit\n"
                    "2026-03-02 09:00,30,6,4,Beurer\n"
                    "2026-03-03 09:00,30,6,4,fake\u202e.exe\n", encoding="utf-8")
    with pytest.raises(ImportFailed) as caught:
        import_file(store, path, None, None)
    [problem] = caught.value.problems
    assert (problem.line, problem.field) == (3, "unit")  # the CSV column
    assert "text-direction" in problem.reason
    assert store.count() == 0  # nothing is imported unless the whole file is clean
    assert inert(caught.value.describe())


def test_json_import_refuses_an_escape_in_a_name(store: Store, tmp_path: Path) -> None:
    from support.sessions import rated_session
    from tenslog.exports import to_json

    from .text_data import START

    unit = Unit(driver="manual", identity="u", name="ok", scale=SCALE)
    text = to_json([rated_session(START, 30, 6, 4, level=5, unit=unit)])
    document = json.loads(text)
    document["sessions"][0]["unit"]["name"] = "o\x1b[2Jk"
    path = tmp_path / "export.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(ImportFailed) as caught:
        import_file(store, path, None, None)
    assert any("unit.name" in p.field + p.reason and "U+001B" in p.reason for p in caught.value.problems)
    assert store.count() == 0


def test_a_header_cell_with_an_escape_is_reported_inert(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "diary.csv"
    path.write_text("start,duration_min,before,after,\x1b]0;x\x07\n2026-03-02 09:00,30,6,4,a\n", encoding="utf-8")
    with pytest.raises(ImportFailed) as caught:
        import_file(store, path, None, None)
    assert "\\x1b]0;x\\x07" in caught.value.describe() and inert(caught.value.describe())


# -- what a unit reports -------------------------------------------------------------------------
@given(st.text(), st.text())
def test_any_reported_name_and_identity_become_a_unit_that_validates(name: str, identity: str) -> None:
    unit = unit_from_info(UnitInfo("line-serial", identity, name, SCALE))
    assert unsafe_character(unit.name) is None and unsafe_character(unit.identity) is None
    assert 1 <= len(unit.name) <= NAME_MAX and unit.name == unit.name.strip()
    assert unit.name == reported_name(name, "line-serial")
    # Distinct identities stay distinct unless they differ only in refused characters.
    assert len(unit.identity) == len(identity)


def test_a_unit_reporting_a_hostile_name_still_records(store: Store) -> None:
    """The session is kept; the name is stored with U+FFFD in place of the refused characters."""
    now = [1_780_000_000.0]
    recorder = Recorder(store, clock=lambda: now[0])
    info = UnitInfo("ble-profile", "em49@AA:BB:CC:DD:EE:FF", "EM49 \x1b]0;pwned\x07[/dim]\u202e", SCALE)
    recorder.handle(Connected(now[0], info))
    recorder.handle(StimulationStarted(now[0], 5))
    now[0] += 60
    recorder.handle(StimulationStopped(now[0]))
    [session] = store.sessions()
    assert session.unit is not None
    assert session.unit.name == "EM49 \ufffd]0;pwned\ufffd[/dim]\ufffd"
    assert session.duration is not None and session.duration.total_seconds() == 60
