"""The reminder for a personal trial's ratings, in the same words for the service's desktop
notification and the dashboard's toast: a period day whose ratings are still missing."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from tenslog.store import Store
from tenslog.trial.status import trial_status


def trial_reminder(store: Store, today: date) -> str | None:
    """What to say today, or None when there is nothing to remind of (no active trial, not a
    period day, or today already rated). No ratings and none of the user's own words: it may
    show on a locked screen."""
    trial = store.active_trial(today)
    if trial is None or today < trial.plan.start:
        return None
    # A day either side: a session's local day follows its own offset, not today's.
    since = datetime.combine(today - timedelta(days=1), time()).astimezone()
    until = datetime.combine(today + timedelta(days=2), time()).astimezone()
    status = trial_status(trial, store.figures(since=since, until=until), today)
    if status.today_rated is not False:
        return None
    return f"{status.headline}. Today has no rated entry yet: rate your pain before and after."
