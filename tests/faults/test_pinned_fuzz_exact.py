"""What the fuzz drills (test_faults_fuzz.py, test_imp_fuzz.py) accept as "refused, or stored
something valid" leaves one mutant alive: a reader that refuses or mangles a VALID input (issue
17). Here every input is valid by construction and the test knows what it means, so it must be
accepted and stored exactly as given: a TLP line decodes to its status, a clean TLP stream
recorded by the real Recorder stores exactly its sessions and levels, and a CSV diary or a JSON
export of valid sessions is stored value for value."""

from __future__ import annotations

import csv
import io
import json
import tempfile
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tenslog.driver.events import Connected
from tenslog.driver.tracking import ReadingTracker
from tenslog.imports import import_bytes
from tenslog.model import IntensityScale, Session, SessionState
from tenslog.recorder import Recorder
from tenslog.settings import Settings
from tenslog.store import Store
from tenslog_serial.line import LineSerialDriver
from tenslog_serial.lineproto import LineStatus, decode_line, encode_line

PURE = settings(max_examples=300, deadline=None, derandomize=True, database=None)
WITH_DB = settings(max_examples=40, deadline=None, derandomize=True, database=None,
                   suppress_health_check=[HealthCheck.too_slow])  # fmt: skip
SETTINGS = Settings(db="/nonexistent/never-opened.db")
T0 = 1_700_000_000.0


# -- the line protocol ---------------------------------------------------------------------
@st.composite
def line_statuses(draw: st.DrawFn) -> LineStatus:
    """Any status the protocol can carry: levels up to 9999, mA with up to 3 decimals."""
    if draw(st.booleans()):
        top = draw(st.integers(1, 9999))
        return LineStatus(draw(st.booleans()), float(draw(st.integers(0, top))), IntensityScale(kind="level", maximum=top))
    top_milli = draw(st.integers(1, 9_999_000))
    value = draw(st.integers(0, top_milli)) / 1000
    return LineStatus(draw(st.booleans()), value, IntensityScale(kind="mA", maximum=top_milli / 1000))


@PURE
@given(line_statuses(), st.sampled_from([b"\n", b"\r\n", b""]))
def test_every_valid_tlp_line_decodes_to_exactly_its_status(status: LineStatus, end: bytes) -> None:
    line = encode_line(status).rstrip(b"\n") + end
    assert decode_line(line) == status
    reading = LineSerialDriver().decode(line, 5.0)
    assert reading is not None and (reading.at, reading.on, reading.intensity) == (5.0, status.on, status.intensity)


def _expected_sessions(steps: list[tuple[bool, int]]) -> list[tuple[float, float, list[tuple[float, float]]]]:
    """(start, end, [(at, level)]) of each on-period of a line stream, one line a second from
    T0: a session starts at the first line on, notes each change of level, ends at the first
    line off."""
    sessions, current = [], None
    for i, (on, level) in enumerate(steps):
        at = T0 + i
        if on and current is None:
            current = (at, [(at, float(level))])
        elif on and current is not None and current[1][-1][1] != level:
            current[1].append((at, float(level)))
        elif not on and current is not None:
            sessions.append((current[0], at, current[1]))
            current = None
    return sessions


@WITH_DB
@given(st.lists(st.tuples(st.booleans(), st.integers(1, 20)), min_size=1, max_size=25))
def test_a_clean_tlp_stream_is_recorded_exactly(steps: list[tuple[bool, int]]) -> None:
    steps = [*steps, (False, 0)]  # the unit is switched off at the end
    scale = IntensityScale(kind="level", maximum=20)
    driver, tracker = LineSerialDriver(), ReadingTracker()
    with tempfile.TemporaryDirectory() as tmp, Store.open(Path(tmp) / "t.db") as store:
        recorder = Recorder(store, clock=lambda: T0 + len(steps))
        for i, (on, level) in enumerate(steps):
            reading = driver.decode(encode_line(LineStatus(on, float(level), scale)), T0 + i)
            assert reading is not None
            if i == 0:
                info = driver.unit_info("/dev/ttyTENS")
                assert info is not None
                recorder.handle(Connected(T0, info))
            for event in tracker.feed(reading):
                recorder.handle(event)
            recorder.tick(T0 + i + 0.5)
        stored = [
            (s.start.timestamp(), s.end.timestamp() if s.end else None,
             [(p.at.timestamp(), p.value) for p in s.intensity], s.state, s.unit and s.unit.scale)
            for s in store.sessions(newest_first=False)
        ]  # fmt: skip
    assert stored == [(a, b, pts, SessionState.COMPLETE, scale) for a, b, pts in _expected_sessions(steps)]


# -- importers -----------------------------------------------------------------------------
UNITS = {"TENS 7000": ("level 1-10", IntensityScale(kind="level", maximum=10)),
         'Clinic "mA", 2': ("mA (max 80)", IntensityScale(kind="mA", maximum=80)),
         "Ünïcødé;unit": ("mA", IntensityScale(kind="mA", maximum=None))}  # fmt: skip
OFFSETS = {"+01:00": timezone(timedelta(hours=1)), "-05:00": timezone(timedelta(hours=-5)),
           "Z": UTC, "+05:45": timezone(timedelta(hours=5, minutes=45))}  # fmt: skip
RATING = st.one_of(st.none(), st.integers(0, 10))


@st.composite
def diary_rows(draw: st.DrawFn, minute: int) -> tuple[dict[str, str], dict]:
    """One valid CSV row and what it means."""
    offset = draw(st.sampled_from(sorted(OFFSETS)))
    start = (datetime(2020, 1, 1) + timedelta(minutes=minute)).replace(tzinfo=OFFSETS[offset])
    minutes = draw(st.integers(1, 240))
    by_end = draw(st.booleans())
    kind = draw(st.sampled_from(["tens", "TENS", "rest", "Rest"]))
    before, after, follow_up = draw(RATING), draw(RATING), draw(RATING)
    unit = draw(st.sampled_from(sorted(UNITS))) if kind.lower() == "tens" else None
    top = UNITS[unit][1].maximum if unit else None
    peak = draw(st.integers(0, int(top or 99))) if unit else None
    source = draw(st.sampled_from(["", "manual", "paper diary"]))
    state = draw(st.sampled_from(["", "complete", "interrupted"]))
    row = {
        "start": start.strftime("%Y-%m-%dT%H:%M") + offset,
        "end": (start + timedelta(minutes=minutes)).strftime("%Y-%m-%dT%H:%M") + offset if by_end else "",
        "duration_min": "" if by_end else str(minutes),
        "before": "" if before is None else str(before),
        "after": "" if after is None else str(after),
        "follow_up": "" if follow_up is None else str(follow_up),
        "kind": kind, "unit": unit or "", "scale": UNITS[unit][0] if unit else "",
        "intensity": "" if peak is None else str(peak), "source": source, "state": state,
    }  # fmt: skip
    end = start + timedelta(minutes=minutes)
    ratings = [(m, v, at) for m, v, at in (("before", before, start), ("after", after, end),
               ("follow_up", follow_up, end + timedelta(minutes=30))) if v is not None]  # fmt: skip
    meaning = {
        "kind": kind.lower(), "start": start, "end": end, "source": source or "manual",
        "state": SessionState(state or "complete"), "ratings": ratings,
        "unit": (unit, UNITS[unit][1]) if unit else None,
        "intensity": [] if peak is None else [(start, float(peak))],
    }  # fmt: skip
    return row, meaning


def _as_stored(s: Session) -> dict:
    return {
        "kind": s.kind.value, "start": s.start, "end": s.end, "source": s.source, "state": s.state,
        "ratings": [(r.moment.value, r.value, r.at) for r in s.ratings],
        "unit": (s.unit.name, s.unit.scale) if s.unit else None,
        "intensity": [(p.at, p.value) for p in s.intensity],
    }  # fmt: skip


@st.composite
def diaries(draw: st.DrawFn) -> tuple[bytes, list[dict]]:
    # Days apart, so no two rows fall on the same instant whatever their offsets (a duplicate).
    days = draw(st.lists(st.integers(0, 4 * 365), min_size=1, max_size=5, unique=True))
    rows = [draw(diary_rows(d * 24 * 60 + draw(st.integers(0, 600)))) for d in days]
    out = io.StringIO()
    delimiter = draw(st.sampled_from([",", ";", "\t"]))
    writer = csv.DictWriter(out, fieldnames=list(rows[0][0]), delimiter=delimiter,
                            lineterminator=draw(st.sampled_from(["\n", "\r\n"])))  # fmt: skip
    writer.writeheader()
    writer.writerows(r for r, _ in rows)
    return out.getvalue().encode(), sorted((m for _, m in rows), key=lambda m: m["start"])  # as stored


def _import(data: bytes, fmt: str) -> list[Session]:
    with tempfile.TemporaryDirectory() as tmp, Store.open(Path(tmp) / "t.db") as store:
        result = import_bytes(store, data, fmt, SETTINGS)  # type: ignore[arg-type]
        stored = store.sessions(newest_first=False)
    assert result.imported == len(stored) and not result.skipped
    return stored


@WITH_DB
@given(diaries())
def test_a_valid_csv_diary_is_stored_exactly_as_written(diary: tuple[bytes, list[dict]]) -> None:
    data, meanings = diary
    assert [_as_stored(s) for s in _import(data, "csv")] == meanings


@WITH_DB
@given(diaries())
def test_a_valid_json_export_is_stored_exactly_as_written(diary: tuple[bytes, list[dict]]) -> None:
    """The same sessions written as tenslog's JSON (each rating and change with its own time)."""
    _, meanings = diary
    doc = {"format": "tenslog", "version": 1, "sessions": [{
        "kind": m["kind"], "source": m["source"], "start": m["start"].isoformat(), "end": m["end"].isoformat(),
        "state": m["state"].value,
        "unit": None if m["unit"] is None else {"driver": "manual", "identity": m["unit"][0].lower(),
                                                 "name": m["unit"][0], "scale": m["unit"][1].model_dump()},
        "intensity": [{"at": at.isoformat(), "value": v} for at, v in m["intensity"]],
        "ratings": [{"moment": mo, "value": v, "at": at.isoformat()} for mo, v, at in m["ratings"]],
        "gaps": [],
    } for m in meanings]}  # fmt: skip
    assert [_as_stored(s) for s in _import(json.dumps(doc).encode(), "json")] == meanings
