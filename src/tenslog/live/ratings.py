"""Pain ratings given on the dashboard (before, after, a follow-up later), and the numbers
shown right after a session."""

from __future__ import annotations

from contextlib import suppress
from datetime import datetime
from statistics import fmean

from tenslog.live.state import AfterSummary
from tenslog.localtime import local_time
from tenslog.settings import Settings
from tenslog.store import Store, StoreError
from tenslog.vocabulary import RatingMoment, SessionKind


def save_rating(
    store: Store, session_id: int, moment: RatingMoment, value: int, at: datetime | None = None
) -> None:
    """Store one pain rating given now (or at ``at``)."""
    from tenslog.model import PainRating

    rating = PainRating(moment=moment, value=value, at=at or local_time())
    store.set_rating(session_id, rating)


def after_summary(store: Store, settings: Settings, session_id: int | None) -> AfterSummary:
    """This session's change and the average over every TENS session rated both times that
    is long enough to count."""
    from tenslog.analysis.records import to_records

    change = None
    if session_id is not None:
        with suppress(StoreError):
            change = store.get(session_id).change
    figures = to_records(store.figures(kind=SessionKind.TENS), settings)
    changes = [f.change for f in figures if f.change is not None]
    return AfterSummary(change, fmean(changes) if changes else None, len(changes))
