"""The session table printed by ``tenslog list``: its columns and cells, and the rich Table
built from them (rich ships with textual). Kept to 80 columns: short headings, no wrapping. A
unit's name is stored text: it goes in as a Text, never as markup (see tenslog.display.literal).
Built from the store's lean rows (ListedSession), so the list loads no pydantic models.
``table_text`` writes the same table without importing rich's console."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from tenslog.display import format_change, format_duration, format_when, too_short
from tenslog.store.lean import ListedSession
from tenslog.vocabulary import SessionKind, SessionState, describe_intensity

if TYPE_CHECKING:
    from rich.table import Table

TITLE = "Sessions, newest first (pain 0-10)"
# heading, justify; the unit's name is cut to UNIT_MAX (with an ellipsis), the state column is
# at least STATE_MIN wide (so "interrupted" and "too short" line up)
COLUMNS = (("#", "right"), ("when", "left"), ("unit", "left"), ("time", "right"), ("level", "right"),
           ("before", "right"), ("after", "right"), ("±", "right"), ("state", "left"))
NUMBER, UNIT, STATE = 0, 2, 8  # their positions
UNIT_MAX, STATE_MIN = 18, 11
UNIT_MIN = 8  # a unit's name is cut down to this before any other column is cut
EDGES = 2 + len(COLUMNS) - 1  # the box's left and right edges and a divider between columns
INTERRUPTED_STYLE = "bold yellow"


def _minutes(session: ListedSession) -> str:
    return "…" if session.duration is None else format_duration(session.duration, compact=True)


def _rating(value: int | None) -> str:
    return "—" if value is None else str(value)


def _unit(session: ListedSession) -> str:
    if session.unit_name is not None:
        return session.unit_name
    return "rest (no unit)" if session.kind is SessionKind.REST else "—"


def _intensity(session: ListedSession) -> str:
    if session.unit_name is None or session.peak is None:
        return "—"
    return describe_intensity(session.scale_kind or "level", session.scale_max, session.peak)


def _change(session: ListedSession) -> int | None:
    """after - before: negative means the pain fell."""
    b, a = session.before, session.after
    return None if a is None or b is None else a - b


def row_cells(s: ListedSession, min_seconds: float) -> list[str]:
    """One session's cells, in COLUMNS order; the unit's name as stored (not yet made inert)."""
    return [
        str(s.id), format_when(s.start), _unit(s), _minutes(s),
        _intensity(s), _rating(s.before), _rating(s.after), format_change(_change(s)),
        "too short" if s.state is SessionState.COMPLETE and too_short(s.duration, min_seconds)
        else s.state.value,
    ]


def unit_room(rows: Sequence[Sequence[str]], width: int) -> int:
    """How wide the unit's names may be in ``width`` cells: UNIT_MAX, less what the table lacks
    (down to UNIT_MIN). A name cut short is still recognisable; a session number, a time or a
    level cut short is not (`tenslog rate 109…`), and rich would cut every column evenly."""
    from rich.cells import cell_len  # a small module of rich; its console is not loaded

    needed, names = EDGES + len(COLUMNS) - 1, 0  # every column but the last has one space of padding
    for index, (heading, _) in enumerate(COLUMNS):
        widest = max(cell_len(heading), *(cell_len(row[index]) for row in rows))
        if index == UNIT:
            widest = names = min(widest, UNIT_MAX)
        elif index == STATE:
            widest = max(widest, STATE_MIN)
        needed += widest
    return max(UNIT_MIN, names - max(0, needed - width))


def number_width(rows: Sequence[Sequence[str]]) -> int:
    """The session numbers' column is never narrower than its longest number: `tenslog rate`
    and `note` take it. (Where even that does not fit, the table's right edge is cropped.)"""
    return max(len(COLUMNS[NUMBER][0]), *(len(row[NUMBER]) for row in rows))


def sessions_table(sessions: Sequence[ListedSession], min_seconds: float = 0.0, width: int = 80) -> Table:
    """The table for a terminal ``width`` cells wide (the unit's names are cut to fit it)."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    from tenslog.text import shown

    rows: list[list] = []
    for s in sessions:
        cells: list = row_cells(s, min_seconds)
        cells[UNIT] = shown(cells[UNIT])
        rows.append(cells)
    unit_max = unit_room(rows, width)
    table = Table(title=TITLE, title_justify="left", box=box.SIMPLE_HEAD, collapse_padding=True,
                  pad_edge=False)
    for index, (column, justify) in enumerate(COLUMNS):
        table.add_column(column, justify=justify, no_wrap=True,  # type: ignore[arg-type]
                         overflow="ellipsis", max_width=unit_max if index == UNIT else None,
                         min_width={STATE: STATE_MIN, NUMBER: number_width(rows)}.get(index))
    for s, cells in zip(sessions, rows, strict=True):
        cells[UNIT] = Text(cells[UNIT])  # shown already: literal, never markup
        table.add_row(*cells, style=INTERRUPTED_STYLE if s.state is SessionState.INTERRUPTED else None)
    return table
