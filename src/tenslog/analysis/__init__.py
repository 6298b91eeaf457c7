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

from tenslog.analysis.compare import RestComparison, compare_with_rest
from tenslog.analysis.dose import DoseResponse, dose_response
from tenslog.analysis.per_session import SessionEffect, is_responder, percent_change, session_effect
from tenslog.analysis.records import Record, to_records
from tenslog.analysis.summary import Summary, summarize

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
