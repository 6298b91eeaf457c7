"""Validation errors travel as data (FieldError), never as text parsed back: every model rule's
error lands on its own form field and names its CSV column."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from pydantic import ValidationError

from tenslog.imports.csv_import import CSV_COLUMN
from tenslog.imports.service import check_sessions
from tenslog.model import FieldError, Session, field_errors
from tenslog.settings import Settings, SettingsError, load_settings
from tenslog.ui.entry import FIELDS, FORM_FIELD, build_session
from tenslog.vocabulary import SessionKind

T0 = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)
UNIT = {"driver": "manual", "identity": "u", "name": "U", "scale": {"kind": "level", "maximum": 20}}
BASE = {"start": T0, "end": T0 + timedelta(minutes=30)}

# One invalid session per model rule (field rules and rules across fields).
MODEL_RULES = {
    "start before 1970": {"start": datetime(1960, 1, 1, tzinfo=UTC)},
    "start in the future": {"start": datetime(2999, 1, 1, tzinfo=UTC), "end": None},
    "start without offset": {"start": datetime(2025, 3, 3, 9, 0)},
    "end before start": {"end": T0 - timedelta(minutes=1)},
    "longer than a day": {"end": T0 + timedelta(days=2)},
    "finished without end": {"end": None},
    "intensity outside": {"unit": UNIT, "intensity": [{"at": T0 - timedelta(hours=1), "value": 1}]},
    "negative intensity": {"unit": UNIT, "intensity": [{"at": T0, "value": -1}]},
    "intensity above max": {"unit": UNIT, "intensity": [{"at": T0, "value": 21}]},
    "rest with intensity": {"kind": "rest", "unit": UNIT, "intensity": [{"at": T0, "value": 1}]},
    "intensity without unit": {"intensity": [{"at": T0, "value": 1}]},
    "unit name blank": {"unit": {**UNIT, "name": "   "}},
    "unit name control": {"unit": {**UNIT, "name": "a\x07b"}},
    "unit name too long": {"unit": {**UNIT, "name": "x" * 81}},
    "scale maximum zero": {"unit": {**UNIT, "scale": {"kind": "level", "maximum": 0}}},
    "scale kind unknown": {"unit": {**UNIT, "scale": {"kind": "volts"}}},
    "rating of 11": {"ratings": [{"moment": "before", "value": 11, "at": T0}]},
    "rating in the future": {"ratings": [{"moment": "after", "value": 3, "at": datetime(2999, 1, 1, tzinfo=UTC)}]},
    "rated twice": {"ratings": [{"moment": "before", "value": 3, "at": T0}] * 2},
    "source control": {"source": "a\x1bb"},
}


@pytest.mark.parametrize("rule", sorted(MODEL_RULES))
def test_every_model_rule_names_a_field_the_form_and_the_csv_know(rule: str) -> None:
    with pytest.raises(ValidationError) as caught:
        Session.model_validate({**BASE, **MODEL_RULES[rule]})
    found = field_errors(caught.value, line=7)
    assert found and all(isinstance(e, FieldError) and e.line == 7 for e in found)
    for e in found:
        assert e.field in CSV_COLUMN or e.field == "source" or e.field == "kind", e
        if e.field not in ("source", "kind"):  # the form has no source or kind field
            assert FORM_FIELD[e.field] in FIELDS, e
        assert not e.message.startswith(f"{e.field}:"), "the field travels as data, not in the text"


def _form(values: dict[str, str], kind: SessionKind) -> dict[str, str]:
    return build_session({"start": "2025-03-03 09:00", "duration": "30", **values}, kind).errors


def _csv(cells: dict[str, str]) -> list[tuple[str, str]]:
    row = {"start": "2025-03-03 09:00", "duration_min": "30", "before": "", "after": "", **cells}
    text = ",".join(row) + "\n" + ",".join(row.values()) + "\n"
    good, problems = check_sessions(text.encode(), "csv", Settings())
    assert not good
    return [(p.field, p.reason) for p in problems]


# (form values, CSV cells, the form field, the CSV column), for each rule a person can reach.
REACHABLE = {
    "start before 1970": ({"start": "1969-12-31 10:00"}, {"start": "1969-12-31 10:00"}, "start", "start"),
    "start in the future": ({"start": "2099-01-01 10:00"}, {"start": "2099-01-01 10:00"}, "start", "start"),
    "end before start": ({"duration": "08:00"}, {"end": "2025-03-03 08:00"}, "duration", "end"),
    "longer than a day": ({"duration": "1500"}, {"duration_min": "1500"}, "duration", "duration_min"),
    "intensity above max": ({"intensity": "21", "scale": "level:20"},
                            {"intensity": "21", "scale": "level 1-20"}, "intensity", "intensity"),
    "unit name too long": ({"unit": "x" * 81}, {"unit": "x" * 81}, "unit", "unit"),
    "unit name control": ({"unit": "a\x07b"}, {"unit": "a\x07b"}, "unit", "unit"),
    "rating of 11": ({"before": "11"}, {"before": "11"}, "before", "before"),
    "follow-up of 11": ({"follow_up": "11"}, {"follow_up": "11"}, "follow_up", "follow_up"),
    "scale unreadable": ({"scale": "volts"}, {"scale": "volts"}, "scale", "scale"),
}


@pytest.mark.parametrize("rule", sorted(REACHABLE))
def test_each_error_lands_on_its_own_form_field_and_csv_column(rule: str) -> None:
    form_values, cells, form_field, column = REACHABLE[rule]
    errors = _form(form_values, SessionKind.TENS)
    assert list(errors) == [form_field], errors
    problems = _csv(cells)
    assert [field for field, _ in problems] == [column], problems


def test_a_rest_period_with_an_intensity_lands_on_intensity() -> None:
    assert list(_form({"intensity": "3"}, SessionKind.REST)) == ["intensity"]
    assert [f for f, _ in _csv({"kind": "rest", "intensity": "3"})] == ["intensity"]


def test_a_settings_error_carries_its_field_as_data(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TENSLOG_GRACE_SECONDS", "soon")
    with pytest.raises(SettingsError) as caught:
        load_settings()
    assert (caught.value.field, caught.value.reason) == ("TENSLOG_GRACE_SECONDS", "needs a number (got 'soon')")
