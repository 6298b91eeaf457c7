"""The session table printed by ``tenslog list`` (rich renders it; it ships with textual).
Kept to 80 columns: short headings, no wrapping. A unit's name is stored text: it goes in as a
Text, never as markup (see tenslog.display.literal). Built from the store's lean rows
(ListedSession), so the list loads no pydantic models."""

from __future__ import annotations

from collections.abc import Sequence

from rich import box
from rich.table import Table

from tenslog.display import format_change, format_duration, format_when, literal, too_short
from tenslog.store.lean import ListedSession
from tenslog.vocabulary import SessionKind, SessionState, describe_intensity


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


def sessions_table(sessions: Sequence[ListedSession], min_seconds: float = 0.0) -> Table:
    table = Table(title="Sessions, newest first (pain 0-10)", title_justify="left", box=box.SIMPLE_HEAD, collapse_padding=True,
                  pad_edge=False)
    for column, justify in (("#", "right"), ("when", "left"), ("unit", "left"),
                            ("time", "right"), ("level", "right"), ("before", "right"),
                            ("after", "right"), ("±", "right"), ("state", "left")):
        table.add_column(column, justify=justify, no_wrap=True,  # type: ignore[arg-type]
                         overflow="ellipsis", max_width=18 if column == "unit" else None,
                         min_width=11 if column == "state" else None)
    for s in sessions:
        style = "bold yellow" if s.state is SessionState.INTERRUPTED else None
        table.add_row(
            str(s.id), format_when(s.start), literal(_unit(s)), _minutes(s),
            _intensity(s), _rating(s.before), _rating(s.after), format_change(_change(s)),
            "too short" if s.state is SessionState.COMPLETE and too_short(s.duration, min_seconds)
            else s.state.value, style=style,
        )
    return table
