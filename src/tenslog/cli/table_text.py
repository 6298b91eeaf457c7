"""The session table as rich prints it (cli/table.py's Table on rich's Console), written here
without importing rich's console: importing it and laying out twenty rows cell by cell was
about half of what `tenslog list` cost. The output is the same, byte for byte: the same column
fitting (each column as wide as its widest cell, then cut evenly when the table is too wide,
as rich's Table does it), the same ellipsis, widths in terminal cells (rich.cells, a small
module of rich), the same escape codes on a terminal (a bold heading, an italic title, a bold
yellow interrupted row; only bold and italic with NO_COLOR; none when piped).
tests/core/test_list_table_text.py holds it to rich's own output for any names and widths.

What this does not reproduce, it leaves to rich (``table_text`` returns None): a terminal
whose encoding is not UTF-8 (rich draws ASCII boxes), Windows, the variables that force a
terminal's behaviour (FORCE_COLOR, TTY_COMPATIBLE), a dumb terminal, and a width so narrow
that the title would wrap or a column would be cut to nothing."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping, Sequence
from typing import TextIO

from rich.cells import cell_len, set_cell_size

from tenslog.cli.table import (
    COLUMNS,
    EDGES,
    NUMBER,
    STATE,
    STATE_MIN,
    TITLE,
    UNIT,
    number_width,
    row_cells,
    unit_room,
)
from tenslog.store.lean import ListedSession
from tenslog.text import shown
from tenslog.vocabulary import SessionState

# Escape codes rich writes for the table's styles (the same for 8, 256 and 24-bit colour):
# the title (italic), the headings (bold), an interrupted row (INTERRUPTED_STYLE, bold yellow).
BOLD, ITALIC, RESET = "\x1b[1m", "\x1b[3m", "\x1b[0m"
BOLD_YELLOW = "\x1b[1;33m"


def _console_width(environ: Mapping[str, str]) -> int:
    """The width rich's Console takes: COLUMNS, else that of the first of stdin, stdout and
    stderr that is a terminal (whichever the output is), else 80."""
    columns = environ.get("COLUMNS")
    if columns is not None and columns.isdigit():
        return int(columns)
    width = 0
    for fd in (0, 1, 2):
        try:
            width = os.get_terminal_size(fd).columns
        except (AttributeError, ValueError, OSError):
            continue
        break
    return width or 80


def _styles(out: TextIO, environ: Mapping[str, str]) -> tuple[str, str, str] | None:
    """(title, heading, interrupted row) escape codes as rich picks them, "" for none; None for
    a case left to rich."""
    if sys.platform == "win32" or not (getattr(out, "encoding", None) or "utf-8").lower().startswith("utf"):
        return None
    if "FORCE_COLOR" in environ or environ.get("TTY_COMPATIBLE", "") in ("0", "1"):
        return None
    try:
        terminal = out.isatty()
    except ValueError:
        terminal = False
    if not terminal:
        return "", "", ""
    if environ.get("TERM", "").lower() in ("dumb", "unknown"):
        return None
    no_color = environ.get("NO_COLOR", "") != ""
    return ITALIC, BOLD, BOLD if no_color else BOLD_YELLOW


def _cell_max(length: int, pad: int, room: int) -> int:
    """rich's Measurement of a padded Text cell, its maximum: ``length`` cells plus ``pad``
    within ``room``."""
    if room < 1:
        return 0
    if room - pad < 1:
        return room
    inner = min(length, room)
    return min(inner + pad, room) if inner >= 1 else min(pad, room)


def _column_widths(lengths: list[list[int]], pads: list[int], room: int, unit_max: int,
                   number_min: int) -> list[int]:
    """rich's Table._calculate_column_widths for these columns (all no_wrap, none flexible)."""

    def measure(index: int, room: int, empty: int) -> int:
        if room < 1:
            return empty
        widest = min(max(_cell_max(n, pads[index], room) for n in lengths[index]), room)
        if index == STATE:  # min_width and max_width count the column's padding too
            widest = max(widest, STATE_MIN + pads[index])
        if index == NUMBER:
            widest = max(widest, number_min + pads[index])
        if index == UNIT:
            widest = min(widest, unit_max + pads[index])
        return widest or empty

    widths = [measure(i, room, 1) for i in range(len(lengths))]
    total = sum(widths)
    if total > room:  # rich's ratio_reduce: the excess taken from every column in turn
        excess, remaining = total - room, len(widths)
        reduced = []
        for width in widths:
            taken = min(width, round(excess / remaining))
            reduced.append(width - taken)
            excess -= taken
            remaining -= 1
        widths = [measure(i, w, 0) for i, w in enumerate(reduced)]
    return widths


def _fit(text: str, width: int, justify: str) -> str:
    """A cell's text in ``width`` cells as rich's Text does it: cut with an ellipsis, then
    padded on the right (left-justified) or the left (right-justified, after trailing spaces
    are dropped)."""
    if justify == "right":
        text = text.rstrip()
    length = cell_len(text)
    if length > width:
        return set_cell_size(text, width - 1) + "…"
    return text + " " * (width - length) if justify == "left" else " " * (width - length) + text


def table_text(sessions: Sequence[ListedSession], min_seconds: float, out: TextIO = sys.stdout,
               environ: Mapping[str, str] = os.environ) -> str | None:
    """The table exactly as ``Console(markup=False, emoji=False).print(sessions_table(...))``
    writes it to ``out``, or None where that is left to rich (see the module's note)."""
    styles = _styles(out, environ)
    if styles is None:
        return None
    title_style, heading_style, interrupted_style = styles
    rows = [[shown(c) if i == UNIT else c for i, c in enumerate(row_cells(s, min_seconds))] for s in sessions]
    styled = [interrupted_style if s.state is SessionState.INTERRUPTED else "" for s in sessions]
    headings = [heading for heading, _ in COLUMNS]
    last = len(COLUMNS) - 1
    pads = [0 if i == last else 1 for i in range(len(COLUMNS))]  # collapsed padding, no edge pad
    lengths = [[cell_len(headings[i]), *(cell_len(r[i]) for r in rows)] for i in range(len(COLUMNS))]
    width = _console_width(environ)
    widths = _column_widths(lengths, pads, width - EDGES, unit_room(rows, width), number_width(rows))
    table_width = sum(widths) + EDGES
    if table_width < cell_len(TITLE) or any(w - p < 1 for w, p in zip(widths, pads, strict=True)):
        return None  # a title rich would wrap, a column cut to nothing

    def line(cells: list[str], style: str) -> list[tuple[str, str]]:
        segments = [(" ", "")]  # the box's left edge
        for i, (cell, (_, justify)) in enumerate(zip(cells, COLUMNS, strict=True)):
            segments.append((_fit(cell, widths[i] - pads[i], justify), style))
            if pads[i]:
                segments.append((" " * pads[i], style))
            segments.append((" ", ""))  # a divider (after the last column: the right edge)
        return segments

    inside = sum(widths) + len(COLUMNS) - 1
    lines = [[(TITLE + " " * (table_width - cell_len(TITLE)), title_style)],
             [(" " * table_width, "")],
             line(headings, heading_style),
             [(" " + "─" * inside + " ", "")]]
    lines += [line(row, style) for row, style in zip(rows, styled, strict=True)]
    lines.append([(" " * table_width, "")])
    return "".join(_cropped(segments, width) + "\n" for segments in lines)


def _cropped(segments: list[tuple[str, str]], width: int) -> str:
    """A line's segments, written, cut to ``width`` cells as rich's Console.print cuts them
    (the table can come out a little wider than the terminal: the state column keeps its
    minimum width when the others are narrowed)."""
    if sum(cell_len(text) for text, _ in segments) <= width:
        return "".join(f"{style}{text}{RESET}" if style else text for text, style in segments)
    parts, used = [], 0
    for text, style in segments:
        length = cell_len(text)
        if used + length >= width:  # this one reaches the edge: cut, and the rest dropped
            text = set_cell_size(text, width - used)
            if text:
                parts.append(f"{style}{text}{RESET}" if style else text)
            break
        parts.append(f"{style}{text}{RESET}" if style else text)
        used += length
    return "".join(parts)
