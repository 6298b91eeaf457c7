"""JSON import of tenslog's own export (see tenslog.exports.json_export for the schema).
Problems name the line where the session starts in the file and the field at fault."""

from __future__ import annotations

import json
import re
from typing import Any, BinaryIO

from tenslog.exports.json_export import FORMAT, VERSION
from tenslog.imports.encoding import decode_utf8
from tenslog.imports.errors import ImportFailed, Problem, file_problem
from tenslog.imports.limits import LIMITS, Limits, too_many_rows
from tenslog.imports.source import from_bytes
from tenslog.trial.exchange import trial_from_dict
from tenslog.trial.plan import PlanError, StoredTrial

_WS = re.compile(r"[ \t\n\r]*")


def _skip(text: str, i: int) -> int:
    return _WS.match(text, i).end()  # type: ignore[union-attr]


def session_lines(text: str) -> list[int] | None:
    """The line on which each element of the top-level "sessions" array starts (None if the
    layout is unusual). json gives no positions, so the array is walked with raw_decode."""
    dec = json.JSONDecoder()
    found: list[int] | None = None
    try:
        i = _skip(text, 0)
        if text[i] != "{":
            return None
        i = _skip(text, i + 1)
        while text[i] != "}":
            key, i = dec.raw_decode(text, i)
            i = _skip(text, i)
            if text[i] != ":":
                return None
            i = _skip(text, i + 1)
            if key == "sessions" and text[i] == "[":
                found, line, pos = [], 1, 0
                i = _skip(text, i + 1)
                while text[i] != "]":
                    line += text.count("\n", pos, i)
                    pos = i
                    found.append(line)
                    _, i = dec.raw_decode(text, i)
                    i = _skip(text, i)
                    if text[i] == ",":
                        i = _skip(text, i + 1)
                i += 1
            else:
                _, i = dec.raw_decode(text, i)
            i = _skip(text, i)
            if text[i] == ",":
                i = _skip(text, i + 1)
    except (ValueError, IndexError):
        return None
    return found


Row = tuple[int | None, dict[str, Any]]


def parse_json(data: bytes | BinaryIO, limits: Limits = LIMITS) -> tuple[list[Row], list[Problem]]:
    """JSON has no rows to stream, so the file is read whole, but never more than the byte limit."""
    rows, problems, _ = parse_json_with_trials(data, limits)
    return rows, problems


def _trials(doc: dict[str, Any]) -> tuple[list[StoredTrial], list[Problem]]:
    """The personal trials in the file (optional), each checked like a new plan."""
    found = doc.get("trials", [])
    if not isinstance(found, list):
        return [], [Problem(None, "trials", "expected a list of trials")]
    trials, problems = [], []
    for i, item in enumerate(found):
        try:
            trials.append(trial_from_dict(item))
        except PlanError as exc:
            problems.append(Problem(None, f"trials[{i}]", str(exc)))
    return trials, problems


def parse_json_with_trials(
    data: bytes | BinaryIO, limits: Limits = LIMITS,
) -> tuple[list[Row], list[Problem], list[StoredTrial]]:
    """As parse_json, and the file's personal trials (tenslog.trial.exchange)."""
    stream = from_bytes(data, limits) if isinstance(data, bytes) else data
    text = decode_utf8(stream.read())
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise file_problem(f"not valid JSON: {exc.msg} (column {exc.colno})", line=exc.lineno) from None
    except RecursionError:
        raise file_problem("not valid JSON: nested too deeply") from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise file_problem(f'not a tenslog export: expected {{"format": "{FORMAT}", "version": {VERSION}, "sessions": [...]}}', field="format")
    version = doc.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise file_problem(f"expected a version number (got {version!r})", field="version")
    if version > VERSION:
        raise file_problem(f"made by a newer tenslog (format version {version}; this one reads {VERSION}): update tenslog", field="version")
    sessions = doc.get("sessions")
    if not isinstance(sessions, list):
        raise file_problem("expected a list of sessions", field="sessions")
    if not sessions:
        raise file_problem("there are no sessions in the file", field="sessions")
    if len(sessions) > limits.max_rows:
        raise too_many_rows(limits)
    lines = session_lines(text)
    if lines is None or len(lines) != len(sessions):
        lines = [None] * len(sessions)  # type: ignore[list-item]
    rows: list[Row] = []
    problems: list[Problem] = []
    for line, item in zip(lines, sessions, strict=True):
        if not isinstance(item, dict):
            problems.append(Problem(line, "session", "expected an object { ... }"))
            continue
        item = {k: v for k, v in item.items() if k != "id"}  # the database gives new numbers
        if item.get("state") == "recording":
            problems.append(Problem(line, "state", "a session still recording cannot be imported"))
            continue
        rows.append((line, item))
    trials, trial_problems = _trials(doc)
    return rows, problems + trial_problems, trials


__all__ = ["ImportFailed", "parse_json", "parse_json_with_trials", "session_lines"]
