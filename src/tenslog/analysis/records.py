"""Analysis works on SessionFigures: sessions reduced to the few numbers it needs. The store
reads them straight from SQL (``Store.figures``); whole Sessions are reduced here once."""

from __future__ import annotations

from collections.abc import Iterable

from tenslog.model import Session, SessionFigures, UnitKey

Record = SessionFigures  # the name analysis used before the core grew SessionFigures


def to_records(sessions: Iterable[Session | SessionFigures]) -> list[SessionFigures]:
    return [s if isinstance(s, SessionFigures) else SessionFigures.of(s) for s in sessions]


__all__ = ["Record", "SessionFigures", "UnitKey", "to_records"]
