"""A small history that touches every part of the FHIR export: TENS and rest, every state, both
scales, a unit-less TENS session, times in UTC (with microseconds) and away from it, the whole
context (note, regions, side effects, medicines, other treatments, extra ratings), text that
must be shown inert, and a stopped personal trial. Its Bundle, as written by the export built
with fhir.resources models (before it was streamed), is kept in
tests/exchange/data/fhir_bundle.json; the streamed export must write the same text."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

from support.trials import make_trial
from tenslog.model import (
    ExtraRating,
    IntensityPoint,
    IntensityScale,
    PainRating,
    RatingMoment,
    Session,
    SessionContext,
    SessionKind,
    SessionState,
    Treatment,
    Unit,
)
from tenslog.trial.plan import Deviation, StoredTrial
from tenslog.vocabulary import BodyRegion, SideEffect

GOLDEN = Path(__file__).resolve().parents[1] / "exchange" / "data" / "fhir_bundle.json"
TODAY = date(2026, 1, 10)
PATIENT = "Ana \x1b[31mRed"
CET = timezone(timedelta(hours=1))
WEST = timezone(timedelta(hours=-3))
LEVEL = Unit(driver="simulator", identity="sim-1", name="TENS 7000", scale=IntensityScale(kind="level", maximum=10))
MA = Unit(driver="line-serial", identity="COM3", name="Clinic mA", scale=IntensityScale(kind="mA", maximum=80))
PLAIN = Unit(driver="manual", identity="old", name="Old box", scale=IntensityScale())
# Stored by an older version or by hand: what the model refuses today must still come out inert.
HOSTILE = Unit.model_construct(driver="x", identity="y", name="evil\x1b]0;pwned\x07 \u202eunit",
                               scale=IntensityScale.model_construct(kind="mA", maximum=None))


def _rated(start: datetime, end: datetime | None, *values: int | None) -> tuple[PainRating, ...]:
    moments = (RatingMoment.BEFORE, RatingMoment.AFTER, RatingMoment.FOLLOW_UP)
    times = (start, end or start, (end or start) + timedelta(minutes=30))
    return tuple(PainRating(moment=m, value=v, at=t) for m, v, t in zip(moments, values, times, strict=False)
                 if v is not None)


def _session(start: datetime, minutes: int | None, *values: int | None, **fields: object) -> Session:
    end = None if minutes is None else start + timedelta(minutes=minutes)
    points = fields.pop("intensity", (3, 5.5))
    unit = fields.get("unit", LEVEL)
    intensity = () if unit is None else tuple(
        IntensityPoint(at=start + timedelta(minutes=i), value=v) for i, v in enumerate(points))  # type: ignore[attr-defined]
    return Session.model_construct(**{
        "id": None, "kind": SessionKind.TENS, "source": "simulator", "unit": LEVEL, "end": end,
        "state": SessionState.COMPLETE, "gaps": (), "context": SessionContext(), **fields,
        "start": start, "intensity": intensity, "ratings": _rated(start, end, *values),
    })


def golden_sessions() -> list[Session]:
    day = datetime(2025, 3, 3, 9, tzinfo=CET)
    context = SessionContext(
        note="Slept badly.\n\tLeft leg *worse* <b>x</b> =1+2 \\ [a](b)", for_doctor=True,
        treatments=(Treatment(name="heat pad"), Treatment(name="tizanidine", dose="2 mg", medication=True),
                    Treatment(name="ibuprofen", medication=True)),
        regions=(BodyRegion.NECK, BodyRegion.UPPER_BACK, BodyRegion.LEGS, BodyRegion.OTHER),
        side_effects=(SideEffect.SKIN_IRRITATION, SideEffect.DROWSINESS),
        extra_ratings=(ExtraRating(name="stiffness/spasm", moment=RatingMoment.BEFORE, value=6, at=day),
                       ExtraRating(name="sleep", moment=RatingMoment.AFTER, value=3, at=day + timedelta(hours=1))),
    )  # fmt: skip
    rest_context = SessionContext(note="-rest note", regions=(BodyRegion.HIPS,), side_effects=(SideEffect.OTHER,),
                                  treatments=(Treatment(name="stretching"), Treatment(name="tea", medication=True)))
    return [
        _session(day, 40, 7, 4, 3, context=context),
        _session(day + timedelta(days=1), 25, 0, 0, unit=MA, source="line-serial", state=SessionState.INTERRUPTED),
        _session(day + timedelta(days=2), 30, 6, 5, kind=SessionKind.REST, unit=None, source="manual",
                 context=rest_context),
        _session(datetime(2025, 3, 6, 7, 5, 9, 123456, tzinfo=UTC), 20, 5, None, unit=PLAIN, source="manual"),
        _session(datetime(2025, 3, 7, 22, 0, tzinfo=WEST), None, 8, unit=MA, state=SessionState.RECORDING,
                 context=SessionContext(note="still on", regions=(BodyRegion.LOWER_BACK,))),
        _session(datetime(2025, 3, 8, 9, tzinfo=CET), 15, None, 2, unit=None, source="manual"),  # TENS, no unit
        _session(datetime(2025, 3, 9, 9, tzinfo=CET), 15, 4, 4, unit=HOSTILE, source="drv\x1b[2J\u2066",
                 intensity=()),
        _session(datetime(2025, 3, 9, 9, tzinfo=CET), 15, 4, 4, unit=HOSTILE, source="drv\x1b[2J\u2066",
                 intensity=(2, 12.25)),  # the same start and unit: ids still differ
        _session(datetime(2025, 3, 10, 9, tzinfo=CET), 45, kind=SessionKind.REST, unit=None, source="manual"),
    ]


def golden_trials() -> list[StoredTrial]:
    trial = make_trial(pairs=4, period_days=2, washout_days=1, seed=9)
    stop = datetime(2026, 1, 9, 18, 30, tzinfo=CET)
    running = make_trial(pairs=3, period_days=1, seed=4, trial_id=2)
    return [StoredTrial(1, trial.plan, stop, (Deviation(stop, "stopped", "pads \x1bran out"),)), running]
