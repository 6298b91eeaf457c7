"""CSV export: one row per session, UTF-8, comma-separated, header row first.

Columns (empty cell = not recorded / not defined):

| column          | meaning                                                                  |
|-----------------|--------------------------------------------------------------------------|
| id              | tenslog's session number                                                 |
| kind            | `tens` (with the unit) or `rest` (rated the same way, without the unit)  |
| source          | `manual` (typed in) or the driver that recorded it                       |
| unit            | the unit's name (empty for rest periods)                                 |
| scale           | the unit's intensity scale: `level 1-10`, `level`, `mA (max 80)`, `mA`   |
| start           | start, ISO 8601 with the local UTC offset, to the second, e.g. `2025-03-03T09:00:00+01:00` |
| end             | end, same format (empty while still recording)                           |
| duration_min    | minutes from start to end, one decimal                                   |
| state           | `complete`, `interrupted` (end is the last known time) or `recording`    |
| peak_intensity  | highest intensity in the session, in the unit's own scale                |
| before          | pain before, 0-10 (Numeric Rating Scale, 0 = no pain)                    |
| after           | pain right after, 0-10                                                   |
| follow_up       | pain at the later follow-up, 0-10                                        |
| change          | after - before; negative = pain fell                                     |
| percent_change  | change / before x 100, one decimal; empty when before is 0 (undefined)   |
| responder       | `yes` if pain fell by >= 2 points or >= 30 % (settings), `no`, or empty  |
| note            | the session's note; a line break is written `\\n`, a tab `\\t`, a backslash `\\\\` |
| for_doctor      | `yes` if the note is marked for the doctor, else empty                   |
| treatments      | other treatments at the same time, e.g. `heat pad; stretching`           |
| medications     | medicines taken with it, with the dose if given: `tizanidine 2 mg`       |
| regions         | where it hurt: `neck; lower back` (neck, upper back, lower back, shoulders, arms, hips, legs, other) |
| side_effects    | `skin irritation`, `drowsiness`, `more spasm`, `other`, separated by `; ` |
| extra_ratings   | ratings you defined, e.g. `stiffness/spasm before 6; stiffness/spasm after 3` |

The CSV is for reading and spreadsheets; intensity changes within a session, rating times and
link gaps are only in the JSON export, which round-trips exactly. A note keeps to one line
(escaped as above), so every row is one line and tenslog's CSV import reads it back.

Text cells (unit, source, ...) are guarded against formula injection as OWASP recommends: a cell
starting with `=`, `+`, `-`, `@`, tab or CR gets a single quote in front and is quoted, so a
spreadsheet shows it as text and never runs it. tenslog's own CSV import removes exactly that
quote again. Numeric cells are written as numbers (a negative change stays `-2`). A control or
text-direction character in stored text is written out visibly (`\x1b`), as on screen.

Streamed (issue 16): rows are made from the store's lean rows (``Store.exported``, read a chunk
at a time, no pydantic) and written as they are made (``csv_chunks``), so fifty years go out in
the memory of one chunk. The bytes are those the export wrote from whole sessions before
(tests/exchange/data/csv_export*.csv).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from tenslog.analysis.per_session import is_responder, percent_change
from tenslog.settings import Settings
from tenslog.store.exported import ExportedSession, exported
from tenslog.text import LIST_SEPARATOR, guard_formula, shown
from tenslog.vocabulary import RatingMoment

if TYPE_CHECKING:  # the model only for its type: the export from the store runs without pydantic
    from tenslog.model import Session

CONTEXT_COLUMNS = ("note", "for_doctor", "treatments", "medications", "regions", "side_effects", "extra_ratings")
TEXT_COLUMNS = frozenset({"kind", "source", "unit", "scale", "state", "responder", *CONTEXT_COLUMNS})
COLUMNS: tuple[str, ...] = (
    "id", "kind", "source", "unit", "scale", "start", "end", "duration_min", "state",
    "peak_intensity", "before", "after", "follow_up", "change", "percent_change", "responder",
    *CONTEXT_COLUMNS,
)  # fmt: skip
HEADER = ",".join(COLUMNS) + "\n"
# Of the text cells, those that can hold stored text; the others hold only tenslog's own words
# (kind, scale, state, responder, for_doctor, regions, side effects), which never need a guard
# or quotes.
_FREE_TEXT = tuple(COLUMNS.index(c) for c in ("source", "unit", "note", "treatments", "medications", "extra_ratings"))
_SPECIAL = re.compile('[,"\r\n]')  # what makes a cell need quotes
_HALF_SECOND = timedelta(microseconds=500_000)
_NO_CONTEXT = ("",) * len(CONTEXT_COLUMNS)
BATCH = 256  # rows joined into one piece of text: fewer writes, and memory still bounded
_NOTE_ESCAPES = str.maketrans({"\\": "\\\\", "\n": "\\n", "\t": "\\t"})


def note_cell(note: str) -> str:
    """A note on one line: backslash, line break and tab written as ``\\\\``, ``\\n``, ``\\t``."""
    return note.translate(_NOTE_ESCAPES)


def _num(value: float | None, digits: int = 1) -> str:
    if value is None:
        return ""
    return f"{round(value, digits):g}"


def _time(moment: datetime) -> str:
    """To the nearest second: a recorded session's microseconds are noise in a spreadsheet."""
    return (moment + _HALF_SECOND).isoformat(timespec="seconds")  # the rest is cut off


def _scale(kind: str | None, maximum: float | None) -> str:
    """The unit's scale in words, as IntensityScale.label."""
    if kind == "level":
        return f"level 1-{maximum:g}" if maximum else "level"
    return f"mA (max {maximum:g})" if maximum else "mA"


def session_row(s: Session | ExportedSession, settings: Settings) -> list[str]:
    """The session's cells in COLUMNS order, before quoting and the formula guard."""
    s = exported(s)
    rated = {moment: value for moment, value, _ in reversed(s.ratings)}  # the first of each moment
    before, after = rated.get(RatingMoment.BEFORE), rated.get(RatingMoment.AFTER)
    follow = rated.get(RatingMoment.FOLLOW_UP)
    resp = is_responder(before, after, settings)
    return [
        "" if s.id is None else str(s.id),
        s.kind.value,
        s.source,
        "" if s.unit_name is None else s.unit_name,
        "" if s.unit_name is None else _scale(s.scale_kind, s.scale_max),
        _time(s.start),
        "" if s.end is None else _time(s.end),
        "" if s.end is None else _num((s.end - s.start).total_seconds() / 60),
        s.state.value,
        _num(s.peak, 3),
        "" if before is None else str(before),
        "" if after is None else str(after),
        "" if follow is None else str(follow),
        "" if before is None or after is None else str(after - before),
        _num(percent_change(before, after)),
        "" if resp is None else ("yes" if resp else "no"),
        *_context(s),
    ]


def _context(s: ExportedSession) -> tuple[str, ...]:
    """The CONTEXT_COLUMNS cells."""
    if not (s.note or s.for_doctor or s.treatments or s.regions or s.side_effects or s.extra_ratings):
        return _NO_CONTEXT  # most sessions: nothing added
    join = LIST_SEPARATOR.join
    return (
        note_cell(s.note),
        "yes" if s.for_doctor else "",
        join(f"{name} {dose}".strip() for name, dose, medication in s.treatments if not medication),
        join(f"{name} {dose}".strip() for name, dose, medication in s.treatments if medication),
        join(r.value for r in s.regions),
        join(e.value for e in s.side_effects),
        join(f"{name} {moment.value} {value}" for name, moment, value, _ in s.extra_ratings),
    )


def _text(value: str) -> str:
    """A text cell as written: control characters an older version let in written out visibly,
    guarded against formulas, and quoted whenever guarded or holding a comma, quote or line
    break (as csv.QUOTE_MINIMAL would). The csv module cannot quote a field it deems plain
    (Python 3.11 has no QUOTE_STRINGS), and a guarded field must be quoted: so fields are
    written here."""
    if not value:
        return value
    value = shown(value)
    guarded = guard_formula(value)
    if guarded != value or _SPECIAL.search(value):
        return '"' + guarded.replace('"', '""') + '"'
    return value


def csv_line(s: Session | ExportedSession, settings: Settings) -> str:
    """The session's row as one line of the CSV file, line break included. Only the cells that
    can hold stored text are guarded and quoted: numbers, ISO times and tenslog's own words
    never start like a formula or hold a comma, quote or line break."""
    cells = session_row(s, settings)
    for i in _FREE_TEXT:
        cells[i] = _text(cells[i])
    return ",".join(cells) + "\n"


def csv_chunks(sessions: Iterable[Session | ExportedSession], settings: Settings | None = None) -> Iterator[str]:
    """The CSV text a piece at a time: the header, then BATCH rows per piece, each row made
    from its session as the session is read."""
    settings = settings or Settings()
    yield HEADER
    batch: list[str] = []
    for s in sessions:
        batch.append(csv_line(s, settings))
        if len(batch) >= BATCH:
            yield "".join(batch)
            batch = []
    if batch:
        yield "".join(batch)


def to_csv(sessions: Iterable[Session | ExportedSession], settings: Settings | None = None) -> str:
    return "".join(csv_chunks(sessions, settings))
