"""The "does it help?" words for the review, and the running average the live screen shows.
The analysis package (numpy/scipy) is imported on first use, not at start."""

from __future__ import annotations

from collections.abc import Sequence
from statistics import fmean
from typing import TYPE_CHECKING

from tenslog.settings import Settings
from tenslog.vocabulary import SessionKind

if TYPE_CHECKING:
    from tenslog.model import Session, SessionFigures


def mean_change(
    sessions: Sequence[Session | SessionFigures], kind: SessionKind = SessionKind.TENS
) -> tuple[float | None, int]:
    """Mean after - before over sessions of this kind rated both times, and how many there were."""
    changes = [s.change for s in sessions if s.kind is kind and s.change is not None]
    return (fmean(changes) if changes else None), len(changes)


def summary_text(
    sessions: Sequence[Session | SessionFigures], settings: Settings, kind: SessionKind | None = None
) -> str:
    """Plain words for the sessions shown. kind None: TENS, then how it compares with rest."""
    from tenslog.analysis import compare_with_rest, dose_response, summarize, to_records

    records = to_records(sessions)
    summary = summarize(records, settings, kind=kind or SessionKind.TENS)
    parts = [summary.plain_words()]
    if kind is None and summary.enough:  # else the comparison repeats "not enough" in other words
        parts.append(compare_with_rest(records, settings).plain_words())
    if kind is not SessionKind.REST and summary.enough:
        dose = dose_response(records, settings)
        parts += [dose.adherence.plain_words() + "\n" + dose.trend.plain_words(),
                  "Pain change by how the unit was used\n" + dose.tables(), dose.note]
    return "\n\n".join(parts)
