"""Analysis works on SessionFigures: sessions reduced to the few numbers it needs. The store
reads them straight from SQL (``Store.figures``); whole Sessions are reduced here once."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from tenslog.lateness import late_after, late_before
from tenslog.model import Session, SessionFigures, UnitKey
from tenslog.settings import Settings

Record = SessionFigures  # the name analysis used before the core grew SessionFigures


def to_records(sessions: Iterable[Session | SessionFigures]) -> list[SessionFigures]:
    return [s if isinstance(s, SessionFigures) else SessionFigures.of(s) for s in sessions]


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
