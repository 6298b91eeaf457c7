"""Issue 17: a session recorded live keeps the local UTC offset of each of its moments (schema
v3), so it is shown and exported in the user's local time, not in UTC. Run in UTC and in
America/Sao_Paulo (-03:00 all year): the expected values are written out for each."""

from __future__ import annotations

import csv
import io
import sqlite3
from pathlib import Path

import pytest

from tenslog.driver.events import (
    Connected,
    IntensityChanged,
    LinkLost,
    LinkRestored,
    StimulationStarted,
    StimulationStopped,
    UnitInfo,
)
from tenslog.exports import to_csv
from tenslog.model import IntensityScale, PainRating, RatingMoment
from tenslog.recorder import Recorder
from tenslog.store import Store

T0 = 1_760_000_000.0  # 2025-10-09 08:53:20 UTC
INFO = UnitInfo("line-serial", "/dev/ttyTENS", "Bridge", IntensityScale(kind="level", maximum=20))
OFFSET = {"UTC": 0, "America/Sao_Paulo": -3 * 3600}
START_SHOWN = {"UTC": "2025-10-09T08:53:20+00:00", "America/Sao_Paulo": "2025-10-09T05:53:20-03:00"}
END_SHOWN = {"UTC": "2025-10-09T09:23:20+00:00", "America/Sao_Paulo": "2025-10-09T06:23:20-03:00"}


def _record(store: Store) -> int:
    """Start, a change, a short link loss, another change, the end: through the real Recorder."""
    store.acquire_recording()
    rec = Recorder(store, grace_seconds=120, clock=lambda: T0)
    rec.handle(Connected(T0, INFO))
    rec.handle(StimulationStarted(T0, 4))
    rec.handle(IntensityChanged(T0 + 60, 7))
    rec.tick(T0 + 61)
    rec.handle(LinkLost(T0 + 600))
    rec.handle(LinkRestored(T0 + 610))
    rec.handle(IntensityChanged(T0 + 620, 6))  # heard on after the loss: it goes on
    rec.handle(StimulationStopped(T0 + 1800))
    sid = store.sessions()[0].id
    assert sid is not None
    return sid


def test_every_time_of_a_live_session_is_stored_with_the_local_offset(
    local_zone: str, store: Store, db_path: Path
) -> None:
    sid = _record(store)
    raw = sqlite3.connect(db_path)
    want = OFFSET[local_zone]
    assert raw.execute("SELECT utc_offset, end_offset FROM sessions").fetchall() == [(want, want)]
    assert raw.execute("SELECT utc_offset FROM intensity ORDER BY at").fetchall() == [(want,)] * 3
    assert raw.execute("SELECT lost_offset, restored_offset FROM link_gaps").fetchall() == [(want, want)]
    session = store.get(sid)
    assert session.start.isoformat() == START_SHOWN[local_zone]
    assert session.end is not None and session.end.isoformat() == END_SHOWN[local_zone]


def test_a_live_session_exports_in_local_time(local_zone: str, store: Store) -> None:
    sid = _record(store)
    store.set_rating(sid, PainRating(moment=RatingMoment.AFTER, value=3, at=store.get(sid).end))
    row = next(csv.DictReader(io.StringIO(to_csv([store.get(sid)]))))
    assert (row["start"], row["end"], row["after"]) == (START_SHOWN[local_zone], END_SHOWN[local_zone], "3")


@pytest.mark.usefixtures("sao_paulo")
def test_crash_recovery_ends_with_the_local_offset(db_path: Path) -> None:
    """A session a crash left open is closed at its last heartbeat, with that moment's offset."""
    with Store.open(db_path) as store:
        store.acquire_recording()
        rec = Recorder(store, grace_seconds=120, clock=lambda: T0)
        rec.handle(Connected(T0, INFO))
        rec.handle(StimulationStarted(T0, 4))
        rec.tick(T0 + 300)
        store.release_recording()  # as a killed process's lock goes with it
    with Store.open(db_path) as store:
        assert len(store.try_recover()) == 1
        [session] = store.sessions()
        assert session.end is not None and session.end.isoformat() == "2025-10-09T05:58:20-03:00"
