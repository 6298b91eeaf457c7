"""A small history that touches every column of the CSV export: the FHIR golden history (every
state, both scales, a unit-less TENS session, microseconds, the whole context, text to show
inert), and besides it sessions across both daylight-saving changes of Europe/Berlin, cells a
spreadsheet would take for a formula (unit, source, note, treatments, extra ratings), notes
with quotes, commas, line breaks and backslashes, fractional peaks and durations, pain 0 before,
a follow-up rating alone. Text the model refuses today is put in with plain SQL, as an older
version may have stored it. Its export, as written before the CSV export was streamed, is kept
in tests/exchange/data/csv_export.csv (and the selections beside it); the streamed export
must write the same bytes."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta, timezone
from pathlib import Path

from support.fhir_cases import MA, golden_sessions
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
from tenslog.store import Store

DATA = Path(__file__).resolve().parents[1] / "exchange" / "data"
# The golden files, and the `tenslog export` arguments and settings that wrote them.
GOLDEN: dict[str, tuple[list[str], dict[str, str]]] = {
    "csv_export.csv": (["--format", "csv"], {}),
    "csv_export_rest.csv": (["--format", "csv", "--kind", "rest"], {}),
    "csv_export_unit.csv": (["--format", "csv", "--unit", "Clinic mA", "--since", "2025-03-01",
                             "--until", "2025-10-31"], {}),
    "csv_export_strict.csv": (["--format", "csv"], {"TENSLOG_RESPONDER_POINTS": "4", "TENSLOG_RESPONDER_PERCENT": "50"}),
}
WINTER, SUMMER = timezone(timedelta(hours=1)), timezone(timedelta(hours=2))  # Europe/Berlin
FORMULA = Unit(driver="manual", identity="formula", name="formula placeholder", scale=IntensityScale(kind="level"))


def _session(start: datetime, minutes: float, ratings: tuple[tuple[str, int, datetime], ...], *,
             unit: Unit | None = MA, levels: tuple[float, ...] = (4, 12.3456), end_zone: timezone | None = None,
             kind: SessionKind = SessionKind.TENS, context: SessionContext | None = None,
             source: str = "line-serial") -> Session:  # fmt: skip
    end = start + timedelta(minutes=minutes)
    if end_zone is not None:
        end = end.astimezone(end_zone)
    return Session(
        kind=kind, source=source, unit=unit, start=start, end=end, state=SessionState.COMPLETE,
        intensity=tuple(IntensityPoint(at=start + timedelta(minutes=i), value=v) for i, v in enumerate(levels)),
        ratings=tuple(PainRating(moment=RatingMoment(m), value=v, at=at) for m, v, at in ratings),
        context=context or SessionContext(),
    )  # fmt: skip


def csv_sessions() -> list[Session]:
    spring = datetime(2025, 3, 30, 1, 40, tzinfo=WINTER)  # clocks go 02:00 -> 03:00 meanwhile
    autumn = datetime(2025, 10, 26, 2, 30, tzinfo=SUMMER)  # clocks go 03:00 -> 02:00 meanwhile
    quoted = SessionContext(
        note='He said "stop", then: ok\nline two\ttabbed \\ back "end"', for_doctor=True,
        treatments=(Treatment(name="heat pad"), Treatment(name="ice, then heat"),
                    Treatment(name="paracetamol", dose="1 g", medication=True)),
        extra_ratings=(ExtraRating(name="sleep", moment=RatingMoment.AFTER, value=2, at=spring + timedelta(hours=1)),
                       ExtraRating(name="stiffness/spasm", moment=RatingMoment.BEFORE, value=7, at=spring)),
    )  # fmt: skip
    return [
        *golden_sessions(),
        _session(spring, 50, (("before", 7, spring), ("after", 3, spring + timedelta(minutes=50))),
                 end_zone=SUMMER, context=quoted),
        _session(autumn, 61.5, (("before", 0, autumn), ("after", 3, autumn + timedelta(minutes=61))),
                 end_zone=WINTER, levels=(0.0005,)),
        _session(datetime(2025, 6, 1, 12, 0, 0, 499999, tzinfo=SUMMER), 33.333,
                 (("follow_up", 2, datetime(2025, 6, 1, 13, tzinfo=SUMMER)),), unit=FORMULA, levels=(3,),
                 context=SessionContext(note="=HYPERLINK(\"http://x\",\"y\")", treatments=(Treatment(name="tea"),))),
        _session(datetime(2025, 6, 2, 12, tzinfo=SUMMER), 30, (("before", 10, datetime(2025, 6, 2, 12, tzinfo=SUMMER)),
                 ("after", 7, datetime(2025, 6, 2, 12, 30, tzinfo=SUMMER))), unit=None, kind=SessionKind.REST,
                 levels=(), source="manual", context=SessionContext(note="a, b", for_doctor=True)),
        _session(datetime(2025, 6, 3, 12, tzinfo=SUMMER), 20, (("before", 5, datetime(2025, 6, 3, 12, tzinfo=SUMMER)),
                 ("after", 4, datetime(2025, 6, 3, 12, 20, tzinfo=SUMMER))), unit=FORMULA, levels=(2, 2),
                 context=SessionContext(extra_ratings=(
                     ExtraRating(name="dose", moment=RatingMoment.BEFORE, value=1, at=datetime(2025, 6, 3, 12, tzinfo=SUMMER)),),
                     treatments=(Treatment(name="walk"),))),
    ]  # fmt: skip


def build_csv_history(db: Path) -> None:
    """The history above in ``db``, then the text only an older version let in."""
    with Store.open(db) as store:
        store.add_sessions(csv_sessions())
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE units SET name = '=cmd|'' /C calc''!A0' WHERE identity = 'formula'")
        conn.execute("UPDATE sessions SET source = '@SUM(1+1)' WHERE start = ?",
                     (datetime(2025, 6, 3, 12, tzinfo=SUMMER).timestamp(),))
        conn.execute("UPDATE sessions SET note = '-2+3 \x1b[31mred\r\nnext' WHERE start = ?",
                     (datetime(2025, 6, 3, 12, tzinfo=SUMMER).timestamp(),))
        conn.execute("UPDATE co_treatments SET name = '+walk' WHERE name = 'walk'")
        conn.execute("UPDATE extra_ratings SET name = '=dose' WHERE name = 'dose'")
    conn.close()
