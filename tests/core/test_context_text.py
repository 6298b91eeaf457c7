"""A session's note and treatment names are text from outside (issue 12): control and
text-direction characters are refused naming the field; anything else is stored exactly and
read back from a real database file unchanged. A note may hold line breaks and tabs."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from tenslog.model import Session, SessionContext, Treatment, field_errors
from tenslog.store import Store

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
# What input refuses: C0/C1 controls, DEL, surrogates, line/paragraph separators, bidi controls.
REFUSED = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\u2028\u2029\u202a-\u202e\u2066-\u2069]")
REFUSED_IN_NOTE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\u2028\u2029\u202a-\u202e\u2066-\u2069]")
text = st.text(st.characters(codec="utf-8"), max_size=40) | st.text(alphabet="a \n\t\x1b\u202e\x85é中;", max_size=12)


def session(context: dict) -> Session:
    return Session(start=START, end=START + timedelta(minutes=30), context=context)


def stored_again(db: Path, s: Session) -> Session:
    with Store.open(db) as store:
        return store.get(store.add_session(s).id or 0)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(note=text)
def test_a_note_is_refused_only_for_control_characters_and_else_stored_exactly(note: str, tmp_path: Path) -> None:
    if REFUSED_IN_NOTE.search(note):
        with pytest.raises(ValidationError) as caught:
            session({"note": note})
        [error] = field_errors(caught.value)
        assert error.field == "note" and error.message.startswith(("contains a", "contains a carriage"))
        return
    db = tmp_path / f"{abs(hash(note))}.db"
    back = stored_again(db, session({"note": note}))
    assert back.context.note == note


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=text)
def test_a_treatment_name_is_refused_for_control_characters_and_else_kept(name: str, tmp_path: Path) -> None:
    try:
        treatment = Treatment(name=name)
    except ValidationError as exc:
        [error] = field_errors(exc)
        assert error.field == "name"
        assert REFUSED.search(name) or not name.strip() or ";" in name or len(name.strip()) > 80
        return
    assert not REFUSED.search(name) and ";" not in name
    assert treatment.name == name.strip()  # a name loses only its surrounding spaces
    db = tmp_path / f"{abs(hash(name))}.db"
    back = stored_again(db, session({"treatments": [treatment]}))
    assert back.context.treatments == (treatment,)


def test_a_refused_treatment_names_the_field_in_a_session() -> None:
    with pytest.raises(ValidationError) as caught:
        session({"treatments": [{"name": "heat\x1b[31m pad"}]})
    [error] = field_errors(caught.value)
    assert (error.field, error.message) == (
        "treatment",
        "contains a control character (U+001B); use letters, digits, spaces and punctuation (got 'heat\\x1b[31m pad')",
    )


def test_toggling_an_item_twice_gives_back_the_same_context() -> None:
    from tenslog.vocabulary import BodyRegion, SideEffect

    start = SessionContext(regions=("legs",), treatments=[Treatment(name="heat pad")])
    for item in (BodyRegion.NECK, BodyRegion.LEGS, SideEffect.DROWSINESS, Treatment(name="heat pad"),
                 Treatment(name="tizanidine", dose="2 mg", medication=True)):
        once = start.toggled(item)
        assert once != start and once.toggled(item) == start
    assert start.toggled(BodyRegion.NECK).regions == (BodyRegion.NECK, BodyRegion.LEGS)  # the list's order
