from __future__ import annotations

import json

import pytest

from tenslog.exports import to_json
from tenslog.imports import ImportFailed, import_bytes
from tenslog.imports.json_import import session_lines
from tenslog.store.store import Store

# Each test runs in UTC and in a zone outside it (issue 17: the suite ran in UTC only).
pytestmark = pytest.mark.usefixtures("local_zone")


def failure(db, data: bytes, settings) -> list[str]:
    with Store.open(db) as store, pytest.raises(ImportFailed) as info:
        import_bytes(store, data, "json", settings)
    return [str(p) for p in info.value.problems]


def test_bad_sessions_name_their_line_and_field(filled_db, sample, settings, fingerprint) -> None:
    before = fingerprint(filled_db)
    doc = json.loads(to_json(sample[:3]))
    doc["sessions"][1]["ratings"][0]["value"] = 12
    doc["sessions"][2]["start"] = "yesterday"
    text = json.dumps(doc, indent=2)
    lines = session_lines(text)
    assert lines is not None and len(lines) == 3
    assert text.splitlines()[lines[1] - 1].strip() == "{"
    problems = failure(filled_db, text.encode(), settings)
    assert problems[0].startswith(f"line {lines[0]}, field start: already in the database")
    assert problems[1] == f"line {lines[1]}, field pain rating: input should be less than or equal to 10 (got 12)"
    assert problems[2].startswith(f"line {lines[2]}, field start: input should be a valid datetime")
    assert fingerprint(filled_db) == before


@pytest.mark.parametrize(("data", "expected"), [
    (b'{"format": "tenslog", "version": 1, "sessions": [}', "line 1, field (file): not valid JSON"),
    (b'[1, 2]', "field format: not a tenslog export"),
    (b'{"format": "tenslog", "version": 9, "sessions": []}', "field version: made by a newer tenslog"),
    (b'{"format": "tenslog", "version": 1, "sessions": []}', "field sessions: there are no sessions"),
    (b'{"format": "tenslog", "version": 1, "sessions": [3]}', "line 1, field session: expected an object"),
    (b'\xff\xfe{}', "line 1, field (encoding): the file is not UTF-8"),
])  # fmt: skip
def test_file_level_problems(db, settings, fingerprint, data, expected) -> None:
    before = fingerprint(db)
    problems = failure(db, data, settings)
    assert problems[0].startswith(expected), problems
    assert fingerprint(db) == before


def test_duplicate_sessions_within_the_file(db, make_tens, settings) -> None:
    text = to_json([make_tens(0, 6, 4), make_tens(0, 6, 4)])
    (problem,) = failure(db, text.encode(), settings)
    assert "duplicate of line" in problem and "field start" in problem


def test_recording_session_is_refused(db, make_tens, settings) -> None:
    doc = json.loads(to_json([make_tens(0, 6, 4)]))
    doc["sessions"][0]["state"] = "recording"
    (problem,) = failure(db, json.dumps(doc).encode(), settings)
    assert problem.endswith("field state: a session still recording cannot be imported")


def test_unknown_field_is_named(db, make_tens, settings) -> None:
    doc = json.loads(to_json([make_tens(0, 6, 4)]))
    doc["sessions"][0]["mood"] = "ok"
    (problem,) = failure(db, json.dumps(doc).encode(), settings)
    assert "field mood: extra inputs are not permitted" in problem
