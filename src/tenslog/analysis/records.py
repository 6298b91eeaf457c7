"""Analysis works on SessionFigures: sessions reduced to the few numbers it needs. The store
reads them straight from SQL (``Store.figures``); whole Sessions are reduced here once."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from tenslog.model import Session, SessionFigures, UnitKey
from tenslog.settings import Settings

Record = SessionFigures  # the name analysis used before the core grew SessionFigures


def to_records(sessions: Iterable[Session | SessionFigures]) -> list[SessionFigures]:
    return [s if isinstance(s, SessionFigures) else SessionFigures.of(s) for s in sessions]


def late_before(r: Record, settings: Settings) -> bool:
    """A "before" given more than before_rating_minutes after the start."""
    return (r.before is not None and r.before_at is not None
            and r.before_at - r.start.timestamp() > settings.before_rating_minutes * 60)


def late_after(r: Record, settings: Settings) -> bool:
    """An "after" given further than after_rating_minutes from the end (a session still open
    has no end to measure from: its rating counts)."""
    if r.after is None or r.after_at is None or r.duration_min is None:
        return False
    end = r.start.timestamp() + r.duration_min * 60
    return abs(r.after_at - end) > settings.after_rating_minutes * 60


def on_time(records: Iterable[Record], settings: Settings) -> tuple[list[Record], int]:
    """The records with every late rating left out (as if not given), and how many were."""
    kept, late = [], 0
    for r in records:
        b, a = late_before(r, settings), late_after(r, settings)
        if b or a:
            late += b + a
            r = replace(r, before=None if b else r.before, after=None if a else r.after)
        kept.append(r)
    return kept, late


__all__ = ["Record", "SessionFigures", "UnitKey", "late_after", "late_before", "on_time", "to_records"]
