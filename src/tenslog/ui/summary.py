"""The "does it help?" words for the review, and the running average the live screen shows.
The analysis package (numpy/scipy) is imported on first use, not at start."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from statistics import fmean
from typing import TYPE_CHECKING

from tenslog.settings import Settings
from tenslog.vocabulary import SessionKind

if TYPE_CHECKING:
    from tenslog.analysis.columns import Columns
    from tenslog.model import Session, SessionFigures


def mean_change(
    sessions: Sequence[Session | SessionFigures], kind: SessionKind = SessionKind.TENS
) -> tuple[float | None, int]:
    """Mean after - before over sessions of this kind rated both times, and how many there were."""
    changes = [s.change for s in sessions if s.kind is kind and s.change is not None]
    return (fmean(changes) if changes else None), len(changes)


@dataclass(frozen=True, slots=True)
class ReviewWords:
    answer: str  # the first thing read: TENS against rest, in plain words (fits at 80x24)
    details: str  # the statistics behind it, use, trend and the tables
    rest_rated: int | None  # rest periods in the comparison (None: no comparison asked for)
    compared: bool  # the comparison with rest has enough of both


def review_words(
    sessions: Sequence[Session | SessionFigures] | Columns, settings: Settings, kind: SessionKind | None = None
) -> ReviewWords:
    """Plain words for the sessions shown. kind None: TENS against rest first."""
    from tenslog.analysis import compare_with_rest, dose_response, summarize
    from tenslog.analysis.columns import columns_of

    records = columns_of(sessions)  # once, not in each of the three analyses
    summary = summarize(records, settings, kind=kind or SessionKind.TENS)
    lines = summary.plain_words().split("\n")
    headline, rest_of_summary = lines[0], "\n".join(lines[1:])
    answer, rest_rated, compared = headline, None, False
    if kind is None:
        comparison = compare_with_rest(records, settings)
        rest_rated, compared = comparison.rest_rated, comparison.enough
        if summary.enough:  # else the comparison repeats "not enough" in other words
            answer = (
                comparison.plain_words() if comparison.enough
                else f"{headline}\n{comparison.plain_words()}"
            )
            if comparison.enough:
                rest_of_summary = summary.plain_words()
    parts = [rest_of_summary] if rest_of_summary else []
    if kind is not SessionKind.REST and summary.enough:
        dose = dose_response(records, settings)
        parts += [dose.adherence.plain_words() + "\n" + dose.trend.plain_words(),
                  "Pain change by how the unit was used\n" + dose.tables(), dose.note]
    return ReviewWords(answer, "\n\n".join(parts), rest_rated, compared)


def summary_text(
    sessions: Sequence[Session | SessionFigures], settings: Settings, kind: SessionKind | None = None
) -> str:
    """All the plain words for the sessions shown, the answer first."""
    words = review_words(sessions, settings, kind)
    return "\n\n".join(part for part in (words.answer, words.details) if part)
