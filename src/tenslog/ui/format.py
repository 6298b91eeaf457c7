"""How numbers and times read on screen. Pure functions, shared by every screen."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from tenslog.display import format_duration, too_short
from tenslog.vocabulary import SessionKind, SessionState

if TYPE_CHECKING:
    from tenslog.model import Session


def clock_text(seconds: float | None) -> str:
    """Elapsed time for the big digits: MM:SS, or H:MM:SS after an hour."""
    if seconds is None:
        return "00:00"
    total = int(seconds)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"


def duration_text(value: timedelta | None) -> str:
    return format_duration(value)


def rating_text(value: int | None) -> str:
    return "—" if value is None else str(value)


def average_text(value: float | None) -> str:
    """A mean change, one decimal, signed the same way as the CLI's per-session change."""
    if value is None:
        return "—"
    if round(value, 1) == 0:
        return "±0.0"
    return f"{value:+.1f}"


def state_text(session: Session, min_seconds: float = 0.0) -> str:
    # Words and a mark, never colour alone.
    short = " · too short: counts in no analysis" if too_short(session.duration, min_seconds) else ""
    if session.state is SessionState.INTERRUPTED:
        return "! interrupted" + short
    if session.state is SessionState.RECORDING:
        return "● recording"
    return "~ too short: counts in no analysis" if short else "complete"


def kind_text(session: Session) -> str:
    return "TENS" if session.kind is SessionKind.TENS else "rest"
