"""UTC offsets (issue 10: a session across a daylight-saving change; issue 17: sessions recorded
live outside UTC). Every stored time carries the local zone's offset at its own instant, and
the CSV, JSON and FHIR exports show each time with that offset. The tests run in zones other
than UTC (the rest of the suite pins UTC), set with TZ and time.tzset and restored after."""

from __future__ import annotations

import csv
import io
import json
import os
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tenslog.driver.events import (
    IntensityChanged,
    LinkLost,
    LinkRestored,
    StimulationStarted,
    StimulationStopped,
)
from tenslog.exports.csv_export import to_csv
from tenslog.exports.fhir_export import to_fhir_json
from tenslog.exports.json_export import to_json
from tenslog.imports.service import import_bytes
from tenslog.live.ratings import save_rating
from tenslog.localtime import local_offset, local_time
from tenslog.model import IntensityScale, RatingMoment, Session, Unit
from tenslog.recorder import Recorder
from tenslog.store import Store
from tenslog.store.migrations import APPLICATION_ID, migrate

# Berlin, spring 2026: at 01:00 UTC on 29 March, 02:00 CET becomes 03:00 CEST.
SPRING_2026 = datetime(2026, 3, 29, 1, 0, tzinfo=UTC).timestamp()
CET, CEST = 3600, 7200
UNIT = Unit(driver="line-serial", identity="/dev/ttyTENS", name="Bridge", scale=IntensityScale(kind="level", maximum=20))
TENSLOG = str(Path(sys.executable).with_name("tenslog"))


@contextmanager
def local_zone(name: str) -> Iterator[None]:
    old = os.environ.get("TZ")
    os.environ["TZ"] = name
    time.tzset()
    try:
        yield
    finally:
        if old is None:
            del os.environ["TZ"]
        else:
            os.environ["TZ"] = old
        time.tzset()


@pytest.fixture
def berlin() -> Iterator[None]:
    with local_zone("Europe/Berlin"):
        yield


def offset_of(value: datetime | str) -> int:
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    delta = moment.utcoffset()
    assert delta is not None
    return int(delta.total_seconds())


def record_live(store: Store, start: float, changes: list[float], end: float) -> int:
    """A session through the real Recorder, with the given event times (POSIX seconds)."""
    recorder = Recorder(store, unit=UNIT, clock=lambda: end)
    recorder.handle(StimulationStarted(start, 1))
    for n, at in enumerate(changes, start=2):
        recorder.handle(IntensityChanged(at, n))
    recorder.handle(StimulationStopped(end))
    sid = store.sessions(limit=1)[0].id
    assert sid is not None
    return sid


def assert_each_time_local(session: Session) -> None:
    times = [session.start, session.end, *(p.at for p in session.intensity), *(r.at for r in session.ratings)]
    times += [t for g in session.gaps for t in (g.lost_at, g.restored_at) if t is not None]
    for moment in times:
        assert moment is not None
        assert offset_of(moment) == local_offset(moment.timestamp()), moment


# -- a session across the change -------------------------------------------------------------
def test_live_session_across_spring_change_keeps_each_offset(berlin, store: Store, tmp_path: Path) -> None:
    start, change, end = SPRING_2026 - 1800, SPRING_2026 + 600, SPRING_2026 + 1800
    sid = record_live(store, start, [change], end)
    save_rating(store, sid, RatingMoment.BEFORE, 7, local_time(start))
    save_rating(store, sid, RatingMoment.AFTER, 4, local_time(end))
    session = store.get(sid)
    assert offset_of(session.start) == CET
    assert session.end is not None and offset_of(session.end) == CEST  # was CET: the start's
    assert [offset_of(p.at) for p in session.intensity] == [CET, CEST]
    assert offset_of(session.ratings[1].at) == CEST
    assert session.end.isoformat() == "2026-03-29T03:30:00+02:00"

    row = next(csv.DictReader(io.StringIO(to_csv([session]))))
    assert row["start"].endswith("+01:00") and row["end"] == "2026-03-29T03:30:00+02:00"
    assert row["duration_min"] == "60"

    doc = json.loads(to_json([session]))["sessions"][0]
    assert offset_of(doc["start"]) == CET and offset_of(doc["end"]) == CEST
    assert [offset_of(p["at"]) for p in doc["intensity"]] == [CET, CEST]
    assert [offset_of(r["at"]) for r in doc["ratings"]] == [CET, CEST]

    bundle = json.loads(to_fhir_json([session]))
    resources = [e["resource"] for e in bundle["entry"]]
    [procedure] = [r for r in resources if r["resourceType"] == "Procedure"]
    assert offset_of(procedure["performedPeriod"]["end"]) == CEST
    observed = sorted(offset_of(r["effectiveDateTime"]) for r in resources if r["resourceType"] == "Observation")
    assert observed == [CET, CEST]

    # The JSON export imports again with every offset as it was.
    with Store.open(tmp_path / "again.db") as other:
        import_bytes(other, to_json([session]).encode(), "json")
        [back] = other.sessions()
    assert [t.isoformat() for t in (back.start, back.end)] == [t.isoformat() for t in (session.start, session.end)]
    assert [r.at.isoformat() for r in back.ratings] == [r.at.isoformat() for r in session.ratings]


def test_gap_times_keep_their_own_offsets(berlin, store: Store) -> None:
    start = SPRING_2026 - 600
    recorder = Recorder(store, clock=lambda: start + 1200)
    recorder.handle(StimulationStarted(start, 2))
    recorder.handle(LinkLost(SPRING_2026 - 60))
    recorder.handle(LinkRestored(SPRING_2026 + 60))
    recorder.handle(IntensityChanged(SPRING_2026 + 120, 3))  # still on after the gap
    recorder.handle(StimulationStopped(start + 1200))
    [session] = store.sessions()
    [gap] = session.gaps
    assert offset_of(gap.lost_at) == CET and gap.restored_at is not None and offset_of(gap.restored_at) == CEST


def test_typed_session_across_autumn_change(tmp_path: Path) -> None:
    """`tenslog add` (a real subprocess in Berlin): 02:30 is given as the first one (CEST), and
    its end 90 minutes later is 03:00 CET, not 04:00+02:00."""
    db = tmp_path / "t.db"
    env = {**os.environ, "TZ": "Europe/Berlin"}
    done = subprocess.run(
        [TENSLOG, "--db", str(db), "add", "--start", "2026-10-25 01:30", "--duration", "120",
         "--before", "6", "--after", "3"],
        env=env, capture_output=True, text=True, check=False,
    )
    assert done.returncode == 0, done.stderr
    with local_zone("Europe/Berlin"), Store.open(db) as store:
        [session] = store.sessions()
        assert session.start.isoformat() == "2026-10-25T01:30:00+02:00"
        assert session.end is not None and session.end.isoformat() == "2026-10-25T02:30:00+01:00"
        assert [r.at.isoformat() for r in session.ratings] == [
            "2026-10-25T01:30:00+02:00", "2026-10-25T02:30:00+01:00"
        ]


# -- issue 17: recorded live outside UTC -----------------------------------------------------
def test_live_session_outside_utc_is_stored_and_exported_in_local_time(berlin, store: Store, db_path: Path) -> None:
    now = time.time()
    sid = record_live(store, now - 600, [now - 300], now - 60)
    save_rating(store, sid, RatingMoment.AFTER, 3)
    stored = sqlite3.connect(db_path).execute("SELECT utc_offset, end_offset FROM sessions").fetchone()
    assert stored == (local_offset(now - 600), local_offset(now - 60)) and stored[0] in (CET, CEST)
    session = store.get(sid)
    assert_each_time_local(session)
    row = next(csv.DictReader(io.StringIO(to_csv([session]))))
    assert not row["start"].endswith("+00:00") and offset_of(row["start"]) == stored[0]
    doc = json.loads(to_json([session]))["sessions"][0]
    assert offset_of(doc["start"]) == stored[0] and offset_of(doc["ratings"][0]["at"]) == local_offset(now)
    bundle = json.loads(to_fhir_json([session]))
    period = next(e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Procedure")
    assert offset_of(period["performedPeriod"]["start"]) == stored[0]
    # `tenslog list` in Berlin shows the local wall time of the start.
    store.close()
    shown = subprocess.run([TENSLOG, "--db", str(db_path), "list"], env={**os.environ, "TZ": "Europe/Berlin"},
                           capture_output=True, text=True, check=True).stdout
    assert f"{session.start:%d %b %H:%M}" in shown


def test_record_command_outside_utc(tmp_path: Path) -> None:
    """The real `tenslog record` (simulator) in New York: stored with New York's offset."""
    db = tmp_path / "t.db"
    env = {**os.environ, "TZ": "America/New_York"}
    subprocess.run(
        [TENSLOG, "--db", str(db), "record", "--driver", "simulator", "--option", "speed=max",
         "--option", "sessions=1", "--option", "session_minutes=1"],
        env=env, capture_output=True, text=True, check=True, timeout=60,
    )
    with local_zone("America/New_York"), Store.open(db) as store:
        [session] = store.sessions()
        assert offset_of(session.start) in (-5 * 3600, -4 * 3600)
        assert_each_time_local(session)


# -- old databases ---------------------------------------------------------------------------
def test_version_2_database_is_migrated_with_per_time_offsets(berlin, db_path: Path) -> None:
    db_path.parent.mkdir(mode=0o700)
    conn = sqlite3.connect(db_path, isolation_level=None)
    migrate(conn, target=2)
    assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    start, end = SPRING_2026 - 1800, SPRING_2026 + 1800
    conn.executescript(f"""
        INSERT INTO sessions (id, kind, source, start, "end", state, heartbeat, utc_offset)
          VALUES (1, 'tens', 'manual', {start}, {end}, 'complete', {end}, {CET}),
                 (2, 'tens', 'manual', {start}, {end}, 'complete', {end}, 0);
        INSERT INTO intensity VALUES (1, {start}, 2), (1, {end}, 3), (2, {end}, 3);
        INSERT INTO ratings VALUES (1, 'after', 4, {end}), (2, 'after', 4, {end});
    """)
    conn.close()
    with Store.open(db_path) as store:
        recorded_here, elsewhere = store.sessions(newest_first=False)
    assert recorded_here.end is not None and offset_of(recorded_here.end) == CEST
    assert [offset_of(p.at) for p in recorded_here.intensity] == [CET, CEST]
    assert offset_of(recorded_here.ratings[0].at) == CEST
    # Its start offset is not Berlin's: it was not recorded here; every time keeps UTC.
    assert elsewhere.end is not None and {offset_of(t) for t in (elsewhere.start, elsewhere.end, elsewhere.ratings[0].at)} == {0}


# -- the whole class: any instants, in zones with all kinds of changes -----------------------
ZONES = ["Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "Europe/Dublin", "America/Santiago",
         "Asia/Kolkata", "Pacific/Chatham"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    zone=st.sampled_from(ZONES),
    start=st.floats(946_684_800, 1_760_000_000),  # 2000 .. 2025 (ratings may not lie ahead)
    steps=st.lists(st.floats(1, 6 * 3600), min_size=1, max_size=5),
)
def test_every_stored_time_has_its_own_local_offset(tmp_path_factory, zone: str, start: float, steps: list[float]) -> None:
    times = [start]
    for step in steps:
        times.append(times[-1] + step)
    with local_zone(zone), Store.open(tmp_path_factory.mktemp("z") / "t.db") as store:
        sid = record_live(store, times[0], times[1:-1], times[-1])
        save_rating(store, sid, RatingMoment.AFTER, 5, local_time(times[-1]))
        session = store.get(sid)
        assert_each_time_local(session)
        doc = json.loads(to_json([session]))["sessions"][0]
        exported = [doc["start"], doc["end"], *(p["at"] for p in doc["intensity"]), doc["ratings"][0]["at"]]
        for text, at in zip(exported, [times[0], times[-1], *times[:-1], times[-1]], strict=True):
            moment = datetime.fromisoformat(text)
            assert moment.timestamp() == pytest.approx(at, abs=1e-3)
            assert offset_of(moment) == local_offset(at)
