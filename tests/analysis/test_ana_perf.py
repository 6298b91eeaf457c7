"""Ten years at three sessions a day must stay quick enough for a dashboard."""

from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone

import numpy as np

from tenslog.analysis import compare_with_rest, dose_response, summarize, to_records
from tenslog.model import IntensityPoint, IntensityScale, PainRating, RatingMoment, Session, SessionKind, Unit

UNIT = Unit(driver="manual", identity="u", name="TENS 7000", scale=IntensityScale(kind="level", maximum=10))


def _history(n: int) -> list[Session]:
    rng = np.random.default_rng(3)
    t0 = datetime(2015, 1, 1, 8, tzinfo=timezone(timedelta(hours=1)))
    out = []
    for i in range(n):
        start = t0 + timedelta(hours=8 * i)
        end = start + timedelta(minutes=int(rng.integers(10, 90)))
        before = int(rng.integers(2, 10))
        after = int(max(0, before - rng.integers(-1, 4)))
        rest = i % 4 == 0
        out.append(
            Session.model_construct(
                id=i, kind=SessionKind.REST if rest else SessionKind.TENS, source="manual",
                unit=None if rest else UNIT, start=start, end=end, state="complete",
                intensity=() if rest else (IntensityPoint.model_construct(at=start, value=float(rng.integers(1, 11))),),
                ratings=(PainRating.model_construct(moment=RatingMoment.BEFORE, value=before, at=start),
                         PainRating.model_construct(moment=RatingMoment.AFTER, value=after, at=end)),
                gaps=(),
            )  # fmt: skip
        )
    return out


def test_ten_years_is_fast(settings) -> None:
    sessions = _history(11_000)
    timings = {}
    t = time.perf_counter()
    records = to_records(sessions)
    timings["records"] = time.perf_counter() - t
    for name, fn in (("summary", summarize), ("rest", compare_with_rest), ("dose", dose_response)):
        t = time.perf_counter()
        result = fn(records, settings)
        timings[name] = time.perf_counter() - t
        assert result is not None
    print(timings)
    assert all(v < 0.3 for v in timings.values()), timings
