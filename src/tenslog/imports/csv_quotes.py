"""Strict RFC 4180 quotes for one CSV line, and where a line breaks them (the cell to name).

A quote may only open a cell (after optional spaces), close it, or be doubled inside it. One
line is one row: a cell cannot span lines, so an unclosed quote never swallows the lines after
it (tenslog.imports.encoding.text_lines splits at every line ending, so a line holds none inside).
"""

from __future__ import annotations

import csv


class QuoteError(ValueError):
    """A line whose quotes are not strict RFC 4180 quotes; carries the column index."""

    def __init__(self, index: int, reason: str) -> None:
        super().__init__(reason)
        self.index = index
        self.reason = reason


def _loose_count(line: str, delimiter: str) -> int:
    """How many cells the csv module reads when quotes are not strict."""
    return len(next(csv.reader([line], delimiter=delimiter, skipinitialspace=True), [""]))


def _strays(prefix: str, delimiter: str) -> bool:
    """Whether this start of a line already has text after a closing quote."""
    try:
        next(csv.reader([prefix], delimiter=delimiter, skipinitialspace=True, strict=True), None)
    except csv.Error as exc:
        return "end of data" not in str(exc)
    return False


def _stray_text_index(line: str, delimiter: str) -> int:
    """The cell with text after its closing quote. The loose read cannot tell (it keeps the stray
    text in the cell and reads on), so find the shortest start of the line the strict read
    refuses for it: it ends in that cell. Bisected; the csv module reads left to right, so every
    longer start is refused too."""
    low, high = 0, len(line)  # line[:low] is read, line[:high] is refused
    while high - low > 1:
        middle = (low + high) // 2
        low, high = (low, middle) if _strays(line[:middle], delimiter) else (middle, high)
    return _loose_count(line[:high], delimiter) - 1


def split_line(line: str, delimiter: str) -> list[str]:
    """One line's cells with strict quotes; QuoteError names the first cell that breaks them."""
    try:
        values = next(csv.reader([line], delimiter=delimiter, skipinitialspace=True, strict=True), [])
    except csv.Error as exc:
        if "end of data" in str(exc):  # the open quote swallows the rest: its cell is the last
            raise QuoteError(_loose_count(line, delimiter) - 1, 'a quote (") opens here and is not '
                             "closed on this line; close it (a value cannot span lines)") from None  # fmt: skip
        raise QuoteError(_stray_text_index(line, delimiter), 'text after a closing quote ("); put the '
                         'whole value in quotes and double any quote inside, e.g. "5"" pads"') from None  # fmt: skip
    for index, value in enumerate(values):
        # A quote inside a value is only right when the value was quoted, with the quote doubled.
        if '"' in value and f'"{value.replace(chr(34), chr(34) * 2)}"' not in line:
            raise QuoteError(index, 'a quote (") inside a value that does not start with one; put the '
                             'whole value in quotes and double the quote inside, e.g. "5"" pads"')  # fmt: skip
    return values


__all__ = ["QuoteError", "split_line"]
