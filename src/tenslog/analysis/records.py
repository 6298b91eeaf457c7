"""Analysis works on SessionFigures: sessions reduced to the few numbers it needs. The store
reads them straight from SQL (``Store.figures``); whole Sessions are reduced here once."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import timedelta
from typing import TYPE_CHECKING

from tenslog import display
from tenslog.lateness import late_after, late_before
from tenslog.model import Session, SessionFigures, UnitKey
from tenslog.settings import Settings

if TYPE_CHECKING:
    from tenslog.settings import Settings

Record = SessionFigures  # the name analysis used before the core grew SessionFigures


def to_records(
    sessions: Iterable[Session | SessionFigures], settings: Settings | None = None
) -> list[SessionFigures]:
    """Sessions reduced to their figures; with ``settings``, those too short to count (a stray
    key, a blip: under ``min_session_seconds``) are left out of every analysis."""
    records = [s if isinstance(s, SessionFigures) else SessionFigures.of(s) for s in sessions]
    if settings is None:
        return records
    return [r for r in records if not too_short(r, settings)]


def too_short(record: SessionFigures, settings: Settings) -> bool:
    """Ended before the shortest session that counts (one still recording is not judged)."""
    duration = None if record.duration_min is None else timedelta(minutes=record.duration_min)
    return display.too_short(duration, settings.min_session_seconds)


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


__all__ = ["Record", "SessionFigures", "UnitKey", "late_after", "late_before", "on_time", "to_records", "too_short"]
