"""Stored text for the untrusted-text tests: names written straight into the SQLite file, as a
database made by an older tenslog (or by hand) may hold them, past the model's checks."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

from support.sessions import rated_session
from tenslog.model import IntensityScale, Unit
from tenslog.store import Store
from tenslog.text import unsafe_character

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
# The names of the issue, and the characters it names.
MARKUP_NAMES = ["TENS x[/bold]", "Mum's unit [backup]"]
HOSTILE_NAMES = ["evil\x1b]0;pwned\x07", "nul\x00here", "right\u202eto left", "two\nlines",
                 "iso\u2066late", "tab\tbed", "c1\x9b31m", "del\x7f"]
FORMULA_NAMES = ["=1+2", "+cmd", "-2+3", "@SUM(A1:A9)", "'=already quoted", "''-two"]
OLD_FORMULA_NAMES = ["\t=tab first", "\r=cr first"]  # refused now; an old database may hold them


def store_names(db: Path, names: Sequence[str], *, source: str | None = None, start: datetime = START) -> None:
    """One rated TENS session per name (units without connection, so the chooser lists them),
    the names put in with plain SQL afterwards."""
    with Store.open(db) as store:
        for i, _ in enumerate(names):
            unit = Unit(driver="manual", identity=f"unit-{i}", name=f"placeholder {i}",
                        scale=IntensityScale(kind="level", maximum=20))
            store.add_session(rated_session(start + timedelta(hours=i), 30, 6, 4, level=8, unit=unit))
    with sqlite3.connect(db) as conn:
        for i, name in enumerate(names):
            conn.execute("UPDATE units SET name = ? WHERE identity = ?", (name, f"unit-{i}"))
        if source is not None:
            conn.execute("UPDATE sessions SET source = ?", (source,))
    conn.close()


def inert(text: str) -> bool:
    """No character that acts on a terminal or reorders text (line breaks between lines aside)."""
    return all(unsafe_character(line) is None for line in text.split("\n"))
