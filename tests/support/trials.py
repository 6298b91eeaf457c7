"""Helpers for trial tests: a plan on fixed dates, and simulated ratings for its periods."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta, timezone

import numpy as np

from tenslog.model import SessionFigures, SessionKind
from tenslog.trial.plan import Arm, Period, StoredTrial, TrialPlan

CET = timezone(timedelta(hours=1))
START = date(2026, 1, 5)


def make_trial(*, pairs: int = 6, period_days: int = 1, washout_days: int = 0, seed: int = 7,
               trial_id: int = 1, stopped: datetime | None = None) -> StoredTrial:
    plan = TrialPlan.make(start=START, created=datetime(2026, 1, 4, 20, 0, tzinfo=CET),
                          pairs=pairs, period_days=period_days, washout_days=washout_days,
                          seed=seed)
    return StoredTrial(trial_id, plan, stopped)


def entry(day: date, kind: SessionKind, before: int, after: int, hour: int = 9) -> SessionFigures:
    start = datetime(day.year, day.month, day.day, hour, tzinfo=CET)
    return SessionFigures(None, kind, start, 30.0, None, None, before, after)


Change = Callable[[Period, int], float]  # (period, days since the trial's start) -> mean change


def simulate(trial: StoredTrial, change: Change, *, rng: np.random.Generator, noise: float = 1.0,
             kind_done: Callable[[Period], SessionKind] | None = None) -> list[SessionFigures]:
    """One rated entry a day in every period: before about 7, after = before + change + noise
    (whole numbers, kept on the 0-10 scale). ``kind_done`` says what was really done."""
    out = []
    for p in trial.plan.periods():
        kind = kind_done(p) if kind_done else (SessionKind.TENS if p.arm is Arm.TENS else SessionKind.REST)
        for i in range(p.days()):
            day = p.first_day + timedelta(days=i)
            before = int(np.clip(round(7 + rng.normal(0, 0.7)), 0, 10))
            after = int(np.clip(round(before + change(p, (day - START).days) + rng.normal(0, noise)), 0, 10))
            out.append(entry(day, kind, before, after))
    return out
