"""Trials stored for the dashboard tests, on fixed dates around ui_helpers.NOW (20 Nov 2026)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from ui_helpers import session

from tenslog.model import SessionKind
from tenslog.store import Store
from tenslog.trial.plan import Arm, StoredTrial, TrialPlan

# Seed 7 draws TENS first, TENS first, rest first, ... : from 15 Nov, 1-day periods are
# TENS 15, rest 16 | TENS 17, rest 18 | rest 19, TENS 20 (today) | ...
RUNNING_START = date(2026, 11, 15)
FINISHED_START = date(2026, 11, 6)  # six pairs of 1-day periods: over on 17 Nov
TENS_MEANS = "[b]use the unit[/b] when pain rises, about 30 minutes"


def store_plan(store: Store, start: date, *, seed: int = 7, tens_means: str = TENS_MEANS) -> StoredTrial:
    plan = TrialPlan.make(start=start, created=datetime(2026, 11, 1, 9, tzinfo=UTC), seed=seed,
                          tens_means=tens_means, rest_means="lie down with a warm drink")
    return store.add_trial(plan, start)


def rate_periods(store: Store, trial: StoredTrial, until: date, tens: int, rest: int) -> None:
    """One session of the planned kind on each period day before ``until``: pain 7 before,
    then 7 + ``rest`` (rest) or 7 + ``tens`` (TENS) give or take a point: the pair
    differences are tens - rest + 0, +1, -1, 0, +1, -1."""
    now = date(2026, 11, 20)
    sessions = []
    for p in trial.plan.periods():
        if p.first_day >= until:
            continue
        change = tens + [-1, 0, 1][p.pair % 3] if p.arm is Arm.TENS else rest
        kind = SessionKind.TENS if p.arm is Arm.TENS else SessionKind.REST
        sessions.append(session((now - p.first_day).days, 7, 7 + change, kind=kind))
    store.add_sessions(sessions)
