"""For the report tests: a diary as a real user builds it: TENS sessions and rest periods, a heat pad used mostly with
TENS, notes (some long, several lines) marked for the doctor, and a personal trial."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import numpy as np

from support.sessions import rated_session
from support.trials import make_trial, simulate
from tenslog.model import IntensityScale, Session, SessionContext, SessionKind, Treatment, Unit
from tenslog.settings import Settings
from tenslog.trial.analysis import TrialResult, analyse_trial
from tenslog.trial.plan import Arm

CET = timezone(timedelta(hours=1))
START = datetime(2025, 1, 6, 8, 0, tzinfo=CET)
UNITS = (Unit(driver="manual", identity="a", name="TENS 7000", scale=IntensityScale(kind="level", maximum=20)),
         Unit(driver="manual", identity="b", name="Clinic unit <b>", scale=IntensityScale(kind="mA", maximum=80)))
LONG_NOTE = ("Woke with spasms in both legs after a bad night; tizanidine 2 mg at 7.\n"
             "Used the unit on the lower back for the whole session, then rested. " * 5)


def diary(n: int) -> list[Session]:
    """``n`` entries, about three TENS sessions to each rest period, one or two a day."""
    rng = np.random.default_rng(n)
    out = []
    for i in range(n):
        start = START + timedelta(hours=12 * i + int(rng.integers(0, 4)))
        rest = i % 4 == 3
        before = int(rng.integers(4, 9))
        after = max(0, before - int(rng.integers(0, 2 if rest else 5)))
        s = rated_session(start, 30, before, after, kind=SessionKind.REST if rest else SessionKind.TENS,
                          level=None if rest else float(rng.integers(3, 16)), unit=UNITS[i % 2])
        heat = (not rest and i % 3 != 0) or (rest and i % 12 == 3)
        note = ""
        if i % 5 == 0:
            note = LONG_NOTE if i % 10 == 0 else f"Session {i}: <b>felt</b> & tingling\n=cmd|' /C calc'!A0"
        s = s.model_copy(update={"context": SessionContext(
            treatments=(Treatment(name="heat pad"),) if heat else (), note=note, for_doctor=bool(note))})
        out.append(s)
    return out


def trial_result(pairs_done: int = 3) -> TrialResult:
    """A six-pair trial, ``pairs_done`` pairs over: TENS helps by about 2 points."""
    trial = make_trial(pairs=6)
    figures = simulate(trial, lambda p, _: -3.0 if p.arm is Arm.TENS else -1.0, rng=np.random.default_rng(3))
    today = trial.plan.start + timedelta(days=2 * pairs_done)
    return analyse_trial(trial, figures, Settings(db="/nonexistent/never.db"), today)
