"""Analysis works on SessionFigures: sessions reduced to the few numbers it needs. The store
reads them straight from SQL (``Store.figures``); whole Sessions are reduced here once."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from typing import TYPE_CHECKING

from tenslog import display
from tenslog.model import Session, SessionFigures, UnitKey

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


__all__ = ["Record", "SessionFigures", "UnitKey", "to_records", "too_short"]
