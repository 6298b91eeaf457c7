"""The recorder's side of the store (store/recording.py), pinned value by value
(tools/mutation.py store): intensity rows batched many to an INSERT come back exactly as given,
in order, each with its own moment's UTC offset; a session's heartbeat, gaps and end are the
ones the recorder wrote; crash leftovers end at the last moment known."""

from __future__ import annotations

import os
import sqlite3
import stat
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tenslog.driver.events import Connected, IntensityChanged, StimulationStarted, UnitInfo
from tenslog.localtime import local_offset
from tenslog.model import IntensityScale, Unit
from tenslog.recorder import Recorder
from tenslog.store import DatabaseReadOnly, RecordingLocked, Store, StoreError
from tenslog.store.diagnosis import WriteProblem
from tenslog.vocabulary import SessionKind, SessionState

# Europe/Berlin moved from +01:00 to +02:00 at this instant (01:00 UTC, 29 March 2026).
SPRING = datetime(2026, 3, 29, 1, 0, tzinfo=UTC).timestamp()


@pytest.fixture
def berlin() -> Iterator[None]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TZ", "Europe/Berlin")
        time.tzset()
        yield
    time.tzset()


@pytest.fixture
def recording(store: Store) -> Store:
    store.acquire_recording()
    return store


def rows_of(path: Path, table: str, columns: str) -> list[tuple[object, ...]]:
    """What another reader of the file sees (committed rows only), in insertion order."""
    with sqlite3.connect(path) as conn:
        return conn.execute(f"SELECT {columns} FROM {table} ORDER BY rowid").fetchall()


def begin(store: Store, start: float) -> int:
    return store.begin_session(None, start, SessionKind.TENS, "line-serial")


@pytest.mark.usefixtures("berlin")
@pytest.mark.parametrize("count", [1, 99, 100, 101, 250])
def test_a_batch_of_any_size_is_stored_row_for_row_in_order(recording: Store, count: int) -> None:
    sid = begin(recording, SPRING - 60)
    # 0.3 s apart across the change to summer time: the offsets switch exactly at it.
    given = [(sid, SPRING - 15 + 0.3 * i, float(1 + i % 97)) for i in range(count)]
    recording.add_intensities(given)
    stored = rows_of(recording.path, "intensity", "session_id, at, value, utc_offset")
    assert stored == [(s, at, v, local_offset(at)) for s, at, v in given]
    if count >= 100:  # the batch spans the change: both offsets are there, at the right rows
        assert {o for *_, o in stored} == {3600, 7200}
        assert all((o == 7200) == (at >= SPRING) for _, at, _, o in stored)


@pytest.mark.usefixtures("berlin")
def test_each_row_takes_the_offset_of_its_own_second(recording: Store) -> None:
    sid = begin(recording, SPRING - 60)
    given = [(sid, SPRING - 0.5, 3.0), (sid, SPRING - 0.001, 4.0), (sid, SPRING, 5.0),
             (sid, SPRING + 0.999, 6.0), (sid, SPRING - 1.0, 7.0)]  # the last goes back a second
    recording.add_intensities(given)
    assert [r[0] for r in rows_of(recording.path, "intensity", "utc_offset")] == [3600, 3600, 7200, 7200, 3600]


def test_rows_of_two_sessions_in_one_batch_each_go_to_their_own(recording: Store) -> None:
    first, second = begin(recording, 1_760_000_000.0), begin(recording, 1_760_000_100.0)
    given = [(first, 1_760_000_001.0, 2.0), (second, 1_760_000_101.0, 8.0), (first, 1_760_000_002.5, 3.0)]
    recording.add_intensities(given)
    assert rows_of(recording.path, "intensity", "session_id, at, value") == given


def test_an_empty_batch_writes_nothing_and_one_row_is_one_row(recording: Store) -> None:
    sid = begin(recording, 1_760_000_000.0)
    recording.add_intensities([])
    assert rows_of(recording.path, "intensity", "value") == []
    recording.add_intensity(sid, 1_760_000_001.25, 12.5)
    assert rows_of(recording.path, "intensity", "session_id, at, value") == [(sid, 1_760_000_001.25, 12.5)]


def test_a_refused_row_leaves_none_of_its_batch(recording: Store) -> None:
    sid = begin(recording, 1_760_000_000.0)
    good = [(sid, 1_760_000_000.0 + i, 5.0) for i in range(120)]
    with pytest.raises(Exception, match="CHECK constraint failed"):
        recording.add_intensities([*good, (sid, 1_760_000_200.0, -1.0)])
    assert rows_of(recording.path, "intensity", "value") == []
    recording.add_intensities(good[:2])  # the connection is usable again
    assert rows_of(recording.path, "intensity", "value") == [(5.0,), (5.0,)]


def test_a_session_begins_recording_with_its_heartbeat_at_the_start(recording: Store) -> None:
    sid = begin(recording, 1_760_000_000.5)
    assert rows_of(recording.path, "sessions", "id, kind, source, unit_id, start, state, heartbeat, \"end\"") == [
        (sid, "tens", "line-serial", None, 1_760_000_000.5, SessionState.RECORDING.value, 1_760_000_000.5, None)]


def test_the_heartbeat_only_moves_forward_and_only_for_its_session(recording: Store) -> None:
    sid, other = begin(recording, 1_760_000_000.0), begin(recording, 1_760_000_000.0)
    recording.heartbeat(sid, 1_760_000_005.5)
    recording.heartbeat(sid, 1_760_000_003.0)  # late and older: ignored
    assert rows_of(recording.path, "sessions", "id, heartbeat") == [(sid, 1_760_000_005.5), (other, 1_760_000_000.0)]
    recording.conn.execute("UPDATE sessions SET heartbeat = NULL WHERE id = ?", (other,))
    recording.heartbeat(other, 1_759_999_990.0)  # none yet, and before the start: the start
    assert rows_of(recording.path, "sessions", "heartbeat")[1] == (1_760_000_000.0,)


@pytest.mark.usefixtures("berlin")
def test_gaps_open_close_and_drop_only_in_their_own_session(recording: Store) -> None:
    sid, other = begin(recording, SPRING - 600), begin(recording, SPRING - 600)
    recording.open_gap(sid, SPRING - 300)
    recording.close_gap(sid, SPRING - 200)
    recording.open_gap(other, SPRING - 100)
    recording.open_gap(sid, SPRING - 10)
    recording.close_gap(sid, SPRING + 20)  # closes the open one only, with summer time
    columns = "session_id, lost_at, lost_offset, restored_at, restored_offset"
    assert rows_of(recording.path, "link_gaps", columns) == [
        (sid, SPRING - 300, 3600, SPRING - 200, 3600),
        (other, SPRING - 100, 3600, None, None),
        (sid, SPRING - 10, 3600, SPRING + 20, 7200),
    ]
    recording.drop_last_gap(sid)  # the latest of this session, not the latest row
    assert rows_of(recording.path, "link_gaps", "session_id, lost_at") == [(sid, SPRING - 300), (other, SPRING - 100)]


@pytest.mark.usefixtures("berlin")
def test_a_session_ends_where_told_never_before_its_start(recording: Store) -> None:
    sid, other, early = (begin(recording, SPRING - 600) for _ in range(3))
    recording.end_session(sid, SPRING + 5.5, SessionState.COMPLETE)
    recording.end_session(early, SPRING - 900, SessionState.INTERRUPTED)  # clocks disagreed
    columns = 'id, "end", heartbeat, state, end_offset'
    assert rows_of(recording.path, "sessions", columns) == [
        (sid, SPRING + 5.5, SPRING + 5.5, "complete", 7200),
        (other, None, SPRING - 600, "recording", None),
        (early, SPRING - 600, SPRING - 600, "interrupted", 3600),
    ]


@pytest.mark.usefixtures("berlin")
def test_crash_leftovers_end_at_the_last_moment_known_and_say_which(store: Store) -> None:
    by_heartbeat, by_change, bare, done = (begin(store, SPRING - 600) for _ in range(4))
    store.heartbeat(by_heartbeat, SPRING + 30)
    store.add_intensities([(by_heartbeat, SPRING + 10, 4.0), (by_change, SPRING - 500, 3.0),
                           (by_change, SPRING + 40.5, 6.0)])
    store.heartbeat(by_change, SPRING + 20)
    store.end_session(done, SPRING - 100, SessionState.COMPLETE)
    assert store.close_interrupted() == [by_heartbeat, by_change, bare]
    assert rows_of(store.path, "sessions", 'id, "end", state, end_offset') == [
        (by_heartbeat, SPRING + 30, "interrupted", 7200),
        (by_change, SPRING + 40.5, "interrupted", 7200),  # a change after the last heartbeat
        (bare, SPRING - 600, "interrupted", 3600),
        (done, SPRING - 100, "complete", 3600),
    ]
    assert store.close_interrupted() == []


def test_the_claim_is_taken_once_closes_leftovers_and_refuses_a_second_store(db_path: Path) -> None:
    with Store.open(db_path) as first, Store.open(db_path) as second:
        left = begin(first, 1_760_000_000.0)
        assert not first.is_recording_holder
        first.acquire_recording(role="record")
        assert first.is_recording_holder
        assert rows_of(db_path, "sessions", "state") == [("interrupted",)]  # closed on taking it
        first.acquire_recording(role="record")  # again: kept, nothing else happens
        assert first.is_recording_holder
        assert second.try_recover() == []  # the claim is held elsewhere: left alone
        with pytest.raises(RecordingLocked) as refused:
            second.acquire_recording()
        assert str(refused.value) == (
            f"another tenslog is already recording into {db_path}: `tenslog record` (pid {os.getpid()}); "
            "stop it with Ctrl+C in its terminal first.")
        Path(f"{db_path}.recorder").unlink()  # no holder named: the plain refusal
        with pytest.raises(RecordingLocked) as refused:
            second.acquire_recording()
        assert str(refused.value) == (
            f"another tenslog is already recording into {db_path}; "
            "finish that session (or close that window) first.")
        assert not second.is_recording_holder
        assert left == 1


def test_recovery_closes_leftovers_only_when_nobody_records(db_path: Path) -> None:
    with Store.open(db_path) as store:
        sid = begin(store, 1_760_000_000.0)
        store.heartbeat(sid, 1_760_000_009.0)
        assert store.try_recover() == [sid]
        assert rows_of(db_path, "sessions", 'state, "end"') == [("interrupted", 1_760_000_009.0)]
        store.acquire_recording()
        again = begin(store, 1_760_000_100.0)
        assert store.try_recover() == []  # the holder itself: its session is live, not a leftover
        assert rows_of(db_path, "sessions", "state")[1] == ("recording",)
        assert again == sid + 1


def test_a_fast_streams_changes_are_on_disk_at_the_next_tick_with_its_heartbeat(recording: Store) -> None:
    """Rule 3 with batched rows: what the recorder queued between two ticks (<= 0.5 s) is
    committed at the tick, every change, beside the heartbeat; before it, nothing is half there."""
    t0 = 1_760_000_000.0
    recorder = Recorder(recording, clock=lambda: t0)
    recorder.handle(Connected(t0, UnitInfo("line-serial", "u", "Unit", IntensityScale(kind="level", maximum=100))))
    recorder.handle(StimulationStarted(t0, 1.0))
    changes = [(t0 + 0.002 * i, float(2 + i % 97)) for i in range(1, 231)]  # 460 ms at 500/s
    for at, level in changes:
        recorder.handle(IntensityChanged(at, level))
    assert rows_of(recording.path, "intensity", "at, value") == [(t0, 1.0)]  # queued, not written
    recorder.tick(t0 + 0.5)
    assert rows_of(recording.path, "intensity", "at, value") == [(t0, 1.0), *changes]
    assert rows_of(recording.path, "sessions", "heartbeat, state") == [(t0 + 0.5, "recording")]


def test_the_dashboards_claim_is_named_in_the_refusal_and_its_lock_file_is_owner_only(db_path: Path) -> None:
    with Store.open(db_path) as first, Store.open(db_path) as second:
        first.acquire_recording()  # the dashboard's default
        assert stat.S_IMODE(os.stat(f"{db_path}.lock").st_mode) == 0o600
        with pytest.raises(RecordingLocked) as refused:
            second.acquire_recording(role="service")
        assert str(refused.value) == (
            f"another tenslog is already recording into {db_path}: the tenslog dashboard "
            f"(pid {os.getpid()}); finish that session (or close that window) first.")
        first.release_recording()
        second.acquire_recording(role="service")  # free again: taken, and named
        assert second.is_recording_holder and not first.is_recording_holder
        assert Path(f"{db_path}.recorder").read_text() == f'{{"pid": {os.getpid()}, "role": "service"}}'


def test_the_offset_is_looked_up_again_whenever_the_second_changes(recording: Store) -> None:
    """A zone (POSIX rule) that moves an hour ahead two seconds after the epoch: rows going
    forward and back across that second each take their own second's offset."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TZ", "AAA0BBB,J1/0:00:02,J365/23")
        time.tzset()
        try:
            sid = begin(recording, 0.5)
            recording.add_intensities([(sid, at, 1.0) for at in (1.0, 2.5, 1.5, 3.0, 0.5)])
            assert rows_of(recording.path, "intensity", "at, utc_offset") == [
                (1.0, 0), (2.5, 3600), (1.5, 0), (3.0, 3600), (0.5, 0)]
        finally:
            patch.undo()
            time.tzset()


@pytest.mark.usefixtures("berlin")
def test_a_session_of_a_unit_is_stored_with_it_and_its_starts_own_offset(recording: Store) -> None:
    unit = Unit(driver="line-serial", identity="/dev/ttyUSB0", name="Bridge")
    winter = recording.begin_session(unit, SPRING - 60, SessionKind.REST, "line-serial")
    summer = recording.begin_session(unit, SPRING + 60, SessionKind.TENS, "line-serial")
    (unit_id,) = rows_of(recording.path, "units", "id")[0]
    assert rows_of(recording.path, "sessions", "id, kind, unit_id, utc_offset") == [
        (winter, "rest", unit_id, 3600), (summer, "tens", unit_id, 7200)]
    recording.open_gap(summer, SPRING + 90)
    recording.open_gap(winter, SPRING - 30)
    assert rows_of(recording.path, "link_gaps", "lost_offset") == [(7200,), (3600,)]


def test_a_read_only_database_gives_no_claim_and_no_lock_file(store: Store) -> None:
    # What Store.open finds for a read-only mount (tests/hardening/test_storage_read_only.py
    # mounts one in a namespace); set here directly to stay in-process.
    store.read_only_reason = WriteProblem("its file system is mounted read-only", "remount it read-write")
    with pytest.raises(DatabaseReadOnly) as refused:
        store.acquire_recording()
    assert str(refused.value) == (f"{store.path} is read-only (its file system is mounted read-only); "
                                  "nothing was changed. To save, remount it read-write.")
    assert store.try_recover() == []
    assert not store.is_recording_holder
    assert not Path(f"{store.path}.lock").exists()


def test_a_lock_file_that_cannot_be_opened_is_named(store: Store) -> None:
    lock = Path(f"{store.path}.lock")
    lock.mkdir()  # not a file: opening it fails whoever we are (root too)
    with pytest.raises(StoreError) as refused:
        store.acquire_recording()
    assert str(refused.value) == f"cannot create the lock file {lock}: Is a directory; nothing was changed."
    assert not store.is_recording_holder
    assert store.try_recover() == []  # nor recovery: it needs the same lock
