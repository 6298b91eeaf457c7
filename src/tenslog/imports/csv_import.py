"""CSV import: tenslog's own CSV export, or a paper diary typed into a spreadsheet.

Accepted columns (header names are case-insensitive; spaces count as underscores):

| column                | required | meaning                                                        |
|-----------------------|----------|----------------------------------------------------------------|
| start  (or date+time) | yes      | ISO 8601 `2025-03-03T09:00+01:00` or `2025-03-03 09:00`; without an offset it is this computer's local time |
| duration_min or end   | yes      | minutes, or the end time in the same format as start           |
| before, after         | yes      | pain 0-10 (whole numbers); a cell may be empty                 |
| follow_up             | no       | pain 0-10 at the later follow-up                               |
| kind                  | no       | `tens` (default) or `rest`                                     |
| unit, scale           | no       | unit name; scale `level`, `level 1-10`, `mA`, `mA (max 80)`    |
| intensity (or peak_intensity) | no | the (peak) intensity, in the unit's own scale              |
| state, source         | no       | `complete` (default) or `interrupted`; `manual` (default)      |
| note, for_doctor      | no       | the note (`\\n` a line break, `\\t` a tab, `\\\\` a backslash); `yes` |
| treatments, medications | no     | `heat pad; stretching`; `tizanidine 2 mg; ibuprofen`          |
| regions, side_effects | no       | `neck; lower back`; `drowsiness` (the names tenslog lists)     |
| extra_ratings         | no       | `stiffness/spasm before 6; stiffness/spasm after 3`            |

Ignored (worked out again): id, change, percent_change, responder. Any other column is an
error, so a misspelt "befor" is not silently dropped. A semicolon-separated file (as some
spreadsheets save) or a tab-separated one (.tsv) is recognised from its header.

A row with fewer cells than the header (spreadsheets drop trailing empty cells) reads the
missing ones as empty; a row with more is refused.

Quotes are strict (RFC 4180): a quote opens a cell, closes it, or is doubled inside it. One
line is one row: a cell cannot hold a line break, so a quote left open is refused naming its
line instead of swallowing the rows after it. The file is read a line at a time, within
tenslog.imports.limits.
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime, time, timedelta
from typing import Any, BinaryIO

from tenslog.imports.common import local, not_future
from tenslog.imports.csv_quotes import QuoteError, split_line
from tenslog.imports.encoding import text_lines
from tenslog.imports.errors import ImportFailed, Problem, file_problem
from tenslog.imports.limits import LIMITS, Limits, too_many_rows
from tenslog.imports.source import from_bytes
from tenslog.manual import UnitLookup, parse_number, parse_scale, treatment_data, unit_data
from tenslog.model import IntensityScale, SessionState
from tenslog.settings import Settings
from tenslog.text import shown, unguard_formula

ALIASES = {
    "start": "start", "start_time": "start", "date": "date", "time": "time", "end": "end",
    "duration_min": "duration_min", "duration": "duration_min", "minutes": "duration_min",
    "before": "before", "pain_before": "before", "after": "after", "pain_after": "after",
    "follow_up": "follow_up", "followup": "follow_up", "pain_follow_up": "follow_up",
    "kind": "kind", "type": "kind", "unit": "unit", "scale": "scale",
    "intensity": "intensity", "peak_intensity": "intensity", "state": "state", "source": "source",
    "note": "note", "for_doctor": "for_doctor", "treatments": "treatments", "with": "treatments",
    "medications": "medications", "regions": "regions", "where": "regions",
    "side_effects": "side_effects", "extra_ratings": "extra_ratings",
}  # fmt: skip
IGNORED = {"id", "change", "percent_change", "responder"}
# The column a model error is reported under (FieldError.field -> column).
CSV_COLUMN = {
    "start": "start", "end": "end", "kind": "kind", "state": "state", "source": "source",
    "unit": "unit", "unit.name": "unit", "unit.identity": "unit", "unit.driver": "unit",
    "unit.scale": "scale", "unit.scale.kind": "scale", "unit.scale.maximum": "scale",
    "intensity": "intensity", "intensity time": "intensity", "pain rating": "before",
    "rating time": "end", "ratings": "before",
    "note": "note", "context.for_doctor": "for_doctor", "treatment": "treatments",
    "context.treatments": "treatments", "where": "regions", "side effect": "side_effects",
    "extra rating": "extra_ratings", "context.extra_ratings": "extra_ratings",
}  # fmt: skip


class RowError(ValueError):
    """One cell could not be read; carries the column name."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(reason)
        self.field = field
        self.reason = reason


def _time(text: str, field: str) -> datetime:
    try:
        value = datetime.fromisoformat(text.strip())
    except ValueError:
        raise RowError(field, f"not a date and time I can read (got {text!r}); use e.g. 2025-03-03 09:00 or 2025-03-03T09:00+01:00") from None
    return local(value)


def _number(text: str, field: str) -> float:
    try:
        value = parse_number(text)
    except ValueError:
        raise RowError(field, f"not a number (got {text!r})") from None
    if not math.isfinite(value) or value < 0:
        raise RowError(field, f"must be a number of 0 or more (got {text!r})")
    return value


def _rating(text: str, field: str) -> int | None:
    text = text.strip()
    if not text:
        return None
    if not re.fullmatch(r"[+-]?\d{1,6}", text):
        raise RowError(field, f"pain is a whole number from 0 to 10 (got {text!r})")
    value = int(text)
    if not 0 <= value <= 10:
        raise RowError(field, f"pain is rated 0 to 10 (got {value})")
    return value


def _scale(text: str) -> IntensityScale:
    try:
        return parse_scale(text)
    except ValueError as exc:
        raise RowError("scale", str(exc)) from None


def _start(cells: dict[str, str]) -> datetime:
    if cells.get("start", "").strip():
        return _time(cells["start"], "start")
    day_text = cells.get("date", "").strip()
    if not day_text:
        raise RowError("start", "missing: give the start (or a date and a time)")
    try:
        day = date.fromisoformat(day_text)
    except ValueError:
        try:
            return _time(day_text, "date")  # a full date-time in the date column
        except RowError:
            raise RowError("date", f"not a date I can read (got {day_text!r}); use YYYY-MM-DD, e.g. 2025-03-03") from None
    clock_text = cells.get("time", "").strip()
    if not clock_text:
        raise RowError("time", "missing: give the time the session started, e.g. 09:00")
    try:
        clock = time.fromisoformat(clock_text)
    except ValueError:
        raise RowError("time", f"not a time I can read (got {clock_text!r}); use HH:MM, e.g. 09:00") from None
    return local(datetime.combine(day, clock))


def _row_to_data(cells: dict[str, str], settings: Settings, lookup: UnitLookup | None = None) -> dict[str, Any]:
    start = _start(cells)
    if cells.get("end", "").strip():
        end = _time(cells["end"], "end")
    elif cells.get("duration_min", "").strip():
        minutes = _number(cells["duration_min"], "duration_min")
        if minutes > 24 * 60:
            raise RowError("duration_min", f"longer than a day ({minutes:g} minutes)")
        end = start + timedelta(minutes=minutes)
    else:
        raise RowError("duration_min", "missing: give the duration in minutes (or the end time)")
    kind = (cells.get("kind") or "tens").strip().lower() or "tens"
    if kind not in ("tens", "rest"):
        raise RowError("kind", f"expected 'tens' or 'rest' (got {kind!r})")
    state = (cells.get("state") or "complete").strip().lower() or "complete"
    if state not in (SessionState.COMPLETE, SessionState.INTERRUPTED):
        raise RowError("state", f"expected 'complete' or 'interrupted' (got {state!r})")
    intensity = cells.get("intensity", "").strip()
    peak = _number(intensity, "intensity") if intensity else None
    # Our export guards text cells against spreadsheet formulas ('=...): take that guard off.
    unit_name = unguard_formula(cells.get("unit", "")).strip()
    scale_text = cells.get("scale", "").strip()
    unit = None
    if kind == "tens" and (unit_name or scale_text or peak is not None):
        # One unit per name, as typed in by hand (tenslog.manual); its stored scale when none is given.
        unit = unit_data(unit_name, _scale(scale_text) if scale_text else None, lookup)
    elif kind == "rest" and (unit_name or peak is not None):
        field = "intensity" if peak is not None else "unit"
        raise RowError(field, "a rest period is without the unit; leave unit and intensity empty")
    ratings = []
    follow_at = not_future(end + timedelta(minutes=settings.follow_up_minutes))
    for moment, at in (("before", start), ("after", end), ("follow_up", follow_at)):
        value = _rating(cells.get(moment, ""), moment)
        if value is not None:
            ratings.append({"moment": moment, "value": value, "at": at})
    return {
        "kind": kind,
        "source": unguard_formula(cells.get("source") or "manual").strip() or "manual",
        "unit": unit,
        "start": start,
        "end": end,
        "state": state,
        "intensity": [] if peak is None else [{"at": start, "value": peak}],
        "ratings": ratings,
        "context": _context(cells, {"before": start, "after": end, "follow_up": follow_at}),
    }


def _items(cells: dict[str, str], column: str) -> list[str]:
    text = unguard_formula(cells.get(column, ""))
    return [item.strip() for item in text.split(";") if item.strip()]


def _unescape(match: re.Match[str]) -> str:
    return {"n": "\n", "t": "\t", "\\": "\\"}[match.group(1)]


def _context(cells: dict[str, str], rated_at: dict[str, datetime]) -> dict[str, Any]:
    """The context columns as model input (the model checks names and lists)."""
    mark = unguard_formula(cells.get("for_doctor", "")).strip().lower()
    if mark not in ("", "yes", "no"):
        raise RowError("for_doctor", f"expected 'yes' or empty (got {mark!r})")
    treatments: list[dict[str, Any]] = [{"name": name} for name in _items(cells, "treatments")]
    for item in _items(cells, "medications"):
        try:  # "tizanidine 2 mg": the dose is split off as `tenslog add --with` does
            treatments.append(treatment_data(item, ()))
        except ValueError:
            treatments.append({"name": item, "medication": True})
    extra = []
    for item in _items(cells, "extra_ratings"):
        parts = item.rsplit(None, 2)  # any run of spaces between: a typed "spasm after  3" is fine
        name, moment, value = parts if len(parts) == 3 else (item, "", "")
        if moment not in rated_at or not re.fullmatch(r"\d{1,2}", value):
            raise RowError("extra_ratings", f"expected NAME before|after|follow_up 0-10 (got {item!r})")
        extra.append({"name": name, "moment": moment, "value": int(value), "at": rated_at[moment]})
    return {
        "note": re.sub(r"\\([nt\\])", _unescape, unguard_formula(cells.get("note", ""))),
        "for_doctor": mark == "yes",
        "treatments": treatments,
        "regions": [r.lower() for r in _items(cells, "regions")],
        "side_effects": [e.lower() for e in _items(cells, "side_effects")],
        "extra_ratings": extra,
    }


def _columns(header: list[str], line: int = 1) -> tuple[list[str | None], list[Problem]]:
    problems: list[Problem] = []
    mapped: list[str | None] = []
    seen: set[str] = set()
    for raw in header:
        name = re.sub(r"\s+", "_", raw.strip().lower())
        if name in IGNORED or name == "":
            mapped.append(None)
            continue
        target = ALIASES.get(name)
        if target is None:
            problems.append(Problem(line, shown(raw), f"unknown column {raw!r}; expected some of: {', '.join(sorted(set(ALIASES.values())))}"))
        elif target in seen:
            problems.append(Problem(line, shown(raw), f"column {raw!r} appears twice (as {target})"))
        seen.add(target or "")
        mapped.append(target)
    missing = []
    if "start" not in seen and "date" not in seen:
        missing.append("start (or date and time)")
    if "duration_min" not in seen and "end" not in seen:
        missing.append("duration_min (or end)")
    missing += [c for c in ("before", "after") if c not in seen]
    for column in missing:
        problems.append(Problem(line, column, "missing column"))
    return mapped, problems


Row = tuple[int, dict[str, Any]]
DELIMITERS = (",", ";", "\t")  # the first wins a tie


def _column(index: int, header: list[str]) -> str:
    name = header[index].strip() if 0 <= index < len(header) else ""
    return name or f"column {index + 1}"


def parse_csv(
    data: bytes | BinaryIO, settings: Settings | None = None, limits: Limits = LIMITS,
    lookup: UnitLookup | None = None,
) -> tuple[list[Row], list[Problem]]:
    """Rows that passed (line, validated-Session-ready data) and every problem found, read one
    line at a time. Raises ImportFailed for problems with the whole file (encoding, size, empty,
    columns). Comma, semicolon and tab separated files are told apart by their header."""
    settings = settings or Settings()
    stream = from_bytes(data, limits) if isinstance(data, bytes) else data
    lines = text_lines(stream)
    header_line, first = next(((n, t) for n, t in lines if t.strip()), (0, ""))
    if not header_line:
        raise file_problem("the file is empty")
    delimiter = max(DELIMITERS, key=first.count)
    try:
        header = split_line(first, delimiter)
    except QuoteError as exc:
        raise file_problem(f"the header row cannot be read: {exc.reason}", line=header_line) from None
    mapped, problems = _columns(header, header_line)
    if problems:
        raise ImportFailed(problems, "the columns are not right, so nothing was imported")
    rows: list[Row] = []
    row_problems: list[Problem] = []
    count = 0
    for line, text in lines:
        if not text.strip():
            continue  # blank lines are common at the end of typed files
        count += 1
        if count > limits.max_rows:
            raise too_many_rows(limits, line)
        try:
            values = split_line(text, delimiter)
        except QuoteError as exc:
            row_problems.append(Problem(line, _column(exc.index, header), exc.reason))
            continue
        if not any(v.strip() for v in values):
            continue  # a row of empty cells (",,,")
        if len(values) > len(mapped):
            row_problems.append(Problem(line, "row", f"has {len(values)} cells but the header has {len(mapped)} columns"))
            continue
        # A short row leaves the last columns empty (non-strict zip: a typed diary often ends early).
        cells = {col: v for col, v in zip(mapped, values, strict=False) if col is not None}
        try:
            data_row = _row_to_data(cells, settings, lookup)
        except RowError as exc:
            row_problems.append(Problem(line, exc.field, exc.reason))
            continue
        except (ValueError, OverflowError) as exc:  # e.g. a date pushed past year 9999
            row_problems.append(Problem(line, "row", f"cannot be read ({exc})"))
            continue
        rows.append((line, data_row))
    if not rows and not row_problems:
        raise file_problem("there are no sessions in the file, only a header", line=header_line)
    return rows, row_problems
