"""Recorder behaviour that mutation testing showed no test pinned (see docs/mutation.md): a
nameless unit is stored under its driver's name, the heartbeat moves on again after a link
comes back, and the UI hears exactly which session ended and how."""

from __future__ import annotations

from pathlib import Path

from tenslog.driver.events import (
    Connected,
    LinkLost,
    LinkRestored,
    StimulationStarted,
    StimulationStopped,
    UnitInfo,
)
from tenslog.model import IntensityScale, SessionState
from tenslog.recorder import LinkState, Recorder
from tenslog.store import Store

T0 = 1_760_000_000.0
SCALE = IntensityScale(kind="level", maximum=20)


def connected(store: Store, name: str = "Simulated unit") -> Recorder:
    store.acquire_recording()
    rec = Recorder(store, grace_seconds=120, clock=lambda: T0)
    rec.handle(Connected(T0, UnitInfo("simulator", "sim-1", name, SCALE)))
    return rec


def test_a_unit_that_reports_no_usable_name_is_stored_under_its_drivers_name(store: Store) -> None:
    rec = connected(store, name="   ")  # only spaces: nothing to show
    rec.handle(StimulationStarted(T0 + 1, 4))
    (session,) = store.sessions()
    assert session.unit is not None and session.unit.name == "simulator"


def test_after_a_link_comes_back_the_heartbeat_follows_the_clock_again(store: Store) -> None:
    rec = connected(store)
    rec.handle(StimulationStarted(T0, 5))
    rec.tick(T0 + 10)
    rec.handle(LinkLost(T0 + 20))
    rec.tick(T0 + 30)  # while lost the heartbeat stays where the unit was last heard
    assert rec.session_id is not None and store.last_heartbeat(rec.session_id) == T0 + 20
    rec.handle(LinkRestored(T0 + 40))
    assert rec.link is LinkState.CONNECTED
    rec.tick(T0 + 50)
    assert store.last_heartbeat(rec.session_id) == T0 + 50


def test_listeners_hear_which_session_ended_and_in_what_state(store: Store) -> None:
    rec = connected(store)
    started: list[int] = []
    ended: list[tuple[int, SessionState]] = []
    rec.on_started.append(started.append)
    rec.on_ended.append(lambda sid, state: ended.append((sid, state)))
    rec.handle(StimulationStarted(T0, 5))
    rec.handle(StimulationStopped(T0 + 60))
    rec.handle(StimulationStarted(T0 + 120, 3))
    second = rec.stop()
    (first_id,) = started[:1]
    assert started == [first_id, second] and first_id != second
    assert ended == [(first_id, SessionState.COMPLETE), (second, SessionState.INTERRUPTED)]


def test_what_the_live_screen_reads_is_empty_before_and_after_a_session(store: Store) -> None:
    rec = Recorder(store, clock=lambda: T0 + 30)
    # The live screen shows "no level" for None and formats any other value as a number.
    assert (rec.intensity, rec.started_at, rec.elapsed, rec.lost_since, rec.problem,
            rec.capabilities, rec.unit) == (None, None, None, None, None, None, None)
    assert rec.grace_seconds == 120.0  # the documented default grace
    store.acquire_recording()
    rec.handle(Connected(T0, UnitInfo("simulator", "sim-1", "Simulated unit", SCALE)))
    rec.handle(StimulationStarted(T0, 5))
    assert (rec.intensity, rec.started_at, rec.elapsed) == (5, T0, 30.0)
    rec.handle(StimulationStopped(T0 + 20))
    assert (rec.intensity, rec.started_at, rec.elapsed, rec.problem) == (None, None, None, None)


def test_a_reconnect_announced_by_connected_closes_the_gap_when_it_came(store: Store) -> None:
    rec = connected(store)
    rec.handle(StimulationStarted(T0, 5))
    rec.handle(LinkLost(T0 + 20))
    rec.handle(Connected(T0 + 45, UnitInfo("simulator", "sim-1", "Simulated unit", SCALE)))
    assert rec.link is LinkState.CONNECTED
    rec.handle(StimulationStarted(T0 + 45, 5))  # a reconnected driver re-announces the state
    rec.handle(StimulationStopped(T0 + 100))
    (session,) = store.sessions()
    assert [(g.lost_at.timestamp(), g.restored_at and g.restored_at.timestamp()) for g in session.gaps] == [
        (T0 + 20, T0 + 45)
    ]
    assert session.state is SessionState.COMPLETE and session.end is not None
    assert session.end.timestamp() == T0 + 100


def test_a_link_lost_for_exactly_the_grace_still_continues_the_session(store: Store) -> None:
    rec = connected(store)
    rec.handle(StimulationStarted(T0, 5))
    rec.handle(LinkLost(T0 + 10))
    rec.tick(T0 + 130)  # exactly 120 s: still within the grace
    assert rec.link is LinkState.RECONNECTING and rec.session_id is not None
    rec.tick(T0 + 130.5)
    assert rec.link is LinkState.LOST and rec.session_id is None
    (session,) = store.sessions()
    assert session.state is SessionState.INTERRUPTED and session.end is not None
    assert session.end.timestamp() == T0 + 10  # ended when the unit was last heard


def test_a_unit_typed_in_by_hand_is_the_sessions_unit(store: Store) -> None:
    from tenslog.model import Unit

    unit = Unit(driver="manual", identity="my tens", name="My TENS", scale=SCALE)
    store.acquire_recording()
    rec = Recorder(store, unit=unit, clock=lambda: T0)
    assert rec.link is LinkState.CONNECTED  # nothing to wait for
    rec.handle(StimulationStarted(T0, 7))
    rec.handle(StimulationStopped(T0 + 60))
    (session,) = store.sessions()
    assert session.unit is not None and session.unit.name == "My TENS" and session.source == "manual"


def test_the_level_before_a_session_starts_is_shown(store: Store) -> None:
    from tenslog.driver.events import IntensityChanged

    rec = connected(store)
    rec.handle(IntensityChanged(T0 + 1, 6))
    assert rec.intensity == 6 and rec.session_id is None and store.sessions() == []


def test_a_write_refused_by_a_locked_file_is_shown_and_retried(tmp_path: Path) -> None:
    import sqlite3

    from tenslog.driver.events import IntensityChanged

    path = tmp_path / "tenslog.db"
    store = Store.open(path, busy_timeout_ms=50)
    rec = connected(store)
    rec.handle(StimulationStarted(T0, 5))
    other = sqlite3.connect(path, isolation_level=None)  # another program holds the write lock
    other.execute("BEGIN EXCLUSIVE")
    rec.handle(IntensityChanged(T0 + 1, 7))
    rec.tick(T0 + 2)
    assert rec.problem is not None and "locked" in rec.problem
    other.execute("ROLLBACK")
    other.close()
    rec.tick(T0 + 3)
    assert rec.problem is None
    (session,) = store.sessions()
    assert [p.value for p in session.intensity] == [5, 7]
    store.close()


def test_a_start_without_a_level_shows_no_level_until_one_is_reported(store: Store) -> None:
    from tenslog.driver.events import IntensityChanged

    rec = connected(store)
    rec.handle(IntensityChanged(T0, 4))  # the level before, from the previous session
    rec.handle(StimulationStarted(T0 + 1, None))
    assert rec.intensity is None and rec.session_id is not None
    rec.handle(IntensityChanged(T0 + 2, 6))
    assert rec.intensity == 6
