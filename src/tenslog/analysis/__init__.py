"""Effectiveness analysis: does the unit help, how sure can we be, and compared with what.

Public API (all accept Sessions, or the lighter SessionFigures that ``Store.figures()`` reads
straight from SQL; use those for dashboards and long histories):
- ``session_effect(session, settings) -> SessionEffect``
- ``summarize(sessions, settings, kind=TENS) -> Summary``
- ``compare_with_rest(sessions, settings) -> RestComparison``
- ``dose_response(sessions, settings, span=None) -> DoseResponse``
- ``to_records(sessions) -> list[SessionFigures]``: reduce Sessions once, then pass them to all three.
Every result has ``plain_words()``.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tenslog.analysis.compare import RestComparison, compare_with_rest
    from tenslog.analysis.dose import DoseResponse, dose_response
    from tenslog.analysis.per_session import (
        SessionEffect,
        is_responder,
        percent_change,
        session_effect,
    )
    from tenslog.analysis.records import Record, to_records
    from tenslog.analysis.summary import Summary, summarize

# Loaded on first use (PEP 562): importing one light module of this package, as the CSV export
# does for per_session, must not load numpy and scipy with the statistics.
_HOME = {
    "RestComparison": "compare", "compare_with_rest": "compare",
    "DoseResponse": "dose", "dose_response": "dose",
    "SessionEffect": "per_session", "is_responder": "per_session", "percent_change": "per_session",
    "session_effect": "per_session",
    "Record": "records", "to_records": "records",
    "Summary": "summary", "summarize": "summary",
}  # fmt: skip


def __getattr__(name: str) -> Any:
    if name not in _HOME:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{_HOME[name]}"), name)


__all__ = [
    "DoseResponse",
    "Record",
    "RestComparison",
    "SessionEffect",
    "Summary",
    "compare_with_rest",
    "dose_response",
    "is_responder",
    "percent_change",
    "session_effect",
    "summarize",
    "to_records",
]
