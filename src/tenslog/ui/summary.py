"""The review's "does it help?" panel as plain text. One function, so switching it to the
analysis package is a change here only. Analysis (scipy) is imported on first use."""

from __future__ import annotations

from collections.abc import Sequence
from statistics import fmean

from tenslog.model import Session, SessionKind
from tenslog.settings import Settings
from tenslog.ui.format import average_text


def mean_change(sessions: Sequence[Session], kind: SessionKind = SessionKind.TENS) -> tuple[float | None, int]:
    """Mean after - before over sessions of this kind rated both times, and how many there were."""
    changes = [s.change for s in sessions if s.kind is kind and s.change is not None]
    return (fmean(changes) if changes else None), len(changes)


def summary_text(sessions: Sequence[Session], settings: Settings) -> str:
    try:
        from tenslog.analysis import summarize  # type: ignore[attr-defined]
    except ImportError:
        return _fallback(sessions, settings)
    return _plain_words(summarize(sessions, settings))


def _plain_words(result: object) -> str:
    for attr in ("plain_words", "text", "summary"):
        value = getattr(result, attr, None)
        if callable(value):
            value = value()
        if isinstance(value, str):
            return value
    return str(result)


def _fallback(sessions: Sequence[Session], settings: Settings) -> str:
    tens, n_tens = mean_change(sessions, SessionKind.TENS)
    rest, n_rest = mean_change(sessions, SessionKind.REST)
    if n_tens < settings.min_rated_sessions:
        return (
            f"Not enough data yet: {n_tens} TENS session{'s' if n_tens != 1 else ''} rated before "
            f"and after; {settings.min_rated_sessions} are needed for a summary."
        )
    lines = [f"With TENS, pain changed by {average_text(tens)} points on average ({n_tens} sessions)."]
    if n_rest:
        lines.append(f"Resting without it: {average_text(rest)} points ({n_rest} rest periods).")
    else:
        lines.append("Add rest periods (rated the same way, without the unit) to compare.")
    return "\n".join(lines)
