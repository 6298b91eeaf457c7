"""How values read to a person, the same in the CLI and the dashboard."""

from __future__ import annotations

from datetime import datetime


def format_change(change: int | None) -> str:
    if change is None:
        return "—"
    return "±0" if change == 0 else f"{change:+d}"


def format_when(start: datetime, now: datetime | None = None) -> str:
    local = start.astimezone()
    now = now or datetime.now().astimezone()
    return f"{local:%d %b %H:%M}" if local.year == now.year else f"{local:%d %b %Y}"
