"""The dashboard's reminder for a personal trial (the service reminds where it runs): on a
period day not yet rated, one notice after start-up. Light on purpose (no analysis, no numpy):
it runs while the dashboard starts."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from tenslog.store import Store
from tenslog.trial.status import trial_status


def trial_reminder(store: Store, today: date) -> str | None:
    """What to say today, or None: no running trial, not a period day, or already rated."""
    trial = store.active_trial(today)
    if trial is None or today < trial.plan.start:
        return None
    # Today's entries are all it needs; a day either side for entries in another offset.
    since = datetime.combine(today - timedelta(days=1), time()).astimezone()
    until = datetime.combine(today + timedelta(days=2), time()).astimezone()
    status = trial_status(trial, store.figures(since=since, until=until), today)
    if status.today_rated is not False:
        return None
    return (f"Personal trial: {status.headline}, not rated yet. {status.todo} "
            "Rate your pain before and after. Press 4 for the trial.")
