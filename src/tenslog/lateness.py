"""When a pain rating counts in the analysis: a "before" given before the session or soon after
it began, an "after" near its end (settings before_rating_minutes, after_rating_minutes). Its own
module, light to import, so `tenslog rate` can say so without loading the statistics."""

from __future__ import annotations

from tenslog.model import SessionFigures
from tenslog.settings import Settings


def late_before(r: SessionFigures, settings: Settings) -> bool:
    """A "before" given more than before_rating_minutes after the start."""
    return (r.before is not None and r.before_at is not None
            and r.before_at - r.start.timestamp() > settings.before_rating_minutes * 60)


def late_after(r: SessionFigures, settings: Settings) -> bool:
    """An "after" given further than after_rating_minutes from the end (a session still open
    has no end to measure from: its rating counts)."""
    if r.after is None or r.after_at is None or r.duration_min is None:
        return False
    end = r.start.timestamp() + r.duration_min * 60
    return abs(r.after_at - end) > settings.after_rating_minutes * 60
