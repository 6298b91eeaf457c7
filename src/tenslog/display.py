"""How values read to a person, the same in the CLI and the dashboard."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from tenslog.text import shown

if TYPE_CHECKING:
    from rich.text import Text  # rich ships with textual; both the CLI table and the UI take Text


def literal(text: str, style: str = "") -> Text:
    """Stored or reported text for a rich table or a Textual widget: shown literally (a Text is
    never read as markup, so "[/bold]" is printed as typed) and inert (see tenslog.text.shown)."""
    # Imported here: `tenslog list` writes its table without rich (cli/table_text.py).
    from rich.text import Text

    return Text(shown(text), style=style)


def format_change(change: int | None) -> str:
    if change is None:
        return "—"
    return "±0" if change == 0 else f"{change:+d}"


def too_short(duration: timedelta | None, min_seconds: float) -> bool:
    """Ended before the shortest session that counts (the min_session_seconds setting): a
    stray key or a blip, left out of every analysis. One still recording is not judged."""
    return duration is not None and duration.total_seconds() < min_seconds


def format_when(start: datetime, now: datetime | None = None) -> str:
    local = start.astimezone()
    now = now or datetime.now().astimezone()
    return f"{local:%d %b %H:%M}" if local.year == now.year else f"{local:%d %b %Y}"


def format_duration(value: timedelta | None, *, compact: bool = False) -> str:
    """"25 s", "45 min", "1 h 05" (compact: "25s", "45m", "1h05"); "—" when unknown."""
    if value is None:
        return "—"
    seconds = round(value.total_seconds())
    if seconds < 60:
        return f"{seconds}s" if compact else f"{seconds} s"
    minutes = round(seconds / 60)
    if minutes < 60:
        return f"{minutes}m" if compact else f"{minutes} min"
    return f"{minutes // 60}h{minutes % 60:02d}" if compact else f"{minutes // 60} h {minutes % 60:02d}"
