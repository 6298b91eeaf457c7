"""The recorder turns device events into sessions in a real SQLite file."""

from __future__ import annotations

from datetime import timedelta

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
from tenslog.model import IntensityScale, SessionState
from tenslog.recorder import LinkState, Recorder
from tenslog.store import Store

# Each test runs in UTC and in a zone outside it (issue 17: the suite ran in UTC only).
pytestmark = pytest.mark.usefixtures("local_zone")

T0 = 1_760_000_000.0
INFO = UnitInfo("simulator", "sim-1", "Simulated unit", IntensityScale(kind="level", maximum=20))


@pytest.fixture
def recorder(store: Store) -> Recorder:
    store.acquire_recording()
    rec = Recorder(store, grace_seconds=120, clock=lambda: T0)
    rec.handle(Connected(T0, INFO))
    return rec


def test_a_session_is_written_when_stimulation_starts(recorder: Recorder, store: Store) -> None:
    recorder.handle(StimulationStarted(T0 + 1, 4))
    (session,) = store.sessions()
    assert session.state is SessionState.RECORDING and session.peak_intensity == 4
    assert session.unit is not None and session.unit.name == "Simulated unit"


def test_a_full_session_keeps_changes_only(recorder: Recorder, store: Store) -> None:
    recorder.handle(StimulationStarted(T0, 3))
    for i, level in enumerate([3, 3, 5, 5, 5, 6, 6, 4]):
        recorder.handle(IntensityChanged(T0 + i + 1, level))
        recorder.tick(T0 + i + 1.5)
    recorder.handle(StimulationStopped(T0 + 1800))
    (session,) = store.sessions()
    assert [p.value for p in session.intensity] == [3, 5, 6, 4]
    assert session.state is SessionState.COMPLETE
    assert session.duration == timedelta(minutes=30)


def test_a_short_link_loss_continues_the_session_and_records_the_gap(recorder: Recorder, store: Store) -> None:
    recorder.handle(StimulationStarted(T0, 5))
    recorder.handle(LinkLost(T0 + 60))
    assert recorder.link is LinkState.RECONNECTING
    recorder.tick(T0 + 100)
    recorder.handle(LinkRestored(T0 + 110))
    recorder.handle(StimulationStarted(T0 + 110, 6))  # a reconnected driver re-announces the state
    recorder.handle(StimulationStopped(T0 + 600))
    (session,) = store.sessions()
    assert session.state is SessionState.COMPLETE and session.duration == timedelta(minutes=10)
    (gap,) = session.gaps
    assert (gap.restored_at - gap.lost_at) == timedelta(seconds=50)  # type: ignore[operator]
    assert [p.value for p in session.intensity] == [5, 6]


def test_a_loss_longer_than_the_grace_period_ends_the_session_at_the_last_known_time(
    recorder: Recorder, store: Store
) -> None:
    recorder.handle(StimulationStarted(T0, 5))
    recorder.tick(T0 + 30)
    recorder.handle(LinkLost(T0 + 60))
    recorder.tick(T0 + 60 + 121)
    assert recorder.link is LinkState.LOST and recorder.session_id is None
    recorder.handle(LinkRestored(T0 + 400))
    recorder.handle(StimulationStarted(T0 + 400, 5))  # still on: a new session, not the old one
    recorder.handle(StimulationStopped(T0 + 500))
    first, second = store.sessions(newest_first=False)
    assert first.state is SessionState.INTERRUPTED and first.duration == timedelta(seconds=60)
    assert second.state is SessionState.COMPLETE and second.duration == timedelta(seconds=100)


def test_unit_found_off_after_a_reconnect_ends_at_the_last_moment_it_was_known_on(
    recorder: Recorder, store: Store
) -> None:
    recorder.handle(StimulationStarted(T0, 5))
    recorder.handle(LinkLost(T0 + 60))
    recorder.handle(LinkRestored(T0 + 90))
    recorder.handle(StimulationStopped(T0 + 90))
    (session,) = store.sessions()
    assert session.duration == timedelta(seconds=60) and session.gaps == ()


def test_heartbeats_advance_only_while_the_unit_is_heard(recorder: Recorder, store: Store) -> None:
    recorder.handle(StimulationStarted(T0, 5))
    recorder.tick(T0 + 10)
    recorder.handle(LinkLost(T0 + 12))
    recorder.tick(T0 + 50)
    assert store.last_heartbeat(recorder.session_id or 0) == T0 + 12  # the moment the loss was noticed


def test_stopping_the_app_mid_session_keeps_the_session(recorder: Recorder, store: Store) -> None:
    recorder.clock = lambda: T0 + 300
    recorder.handle(StimulationStarted(T0, 5))
    recorder.stop()
    (session,) = store.sessions()
    assert session.state is SessionState.INTERRUPTED and session.duration == timedelta(minutes=5)


def test_a_manual_unit_is_started_and_stopped_by_the_user(store: Store) -> None:
    from tenslog.model import Unit

    unit = Unit(driver="manual", identity="em49", name="Beurer EM49")
    rec = Recorder(store, unit=unit)
    assert rec.link is LinkState.CONNECTED
    rec.handle(StimulationStarted(T0))
    rec.handle(StimulationStopped(T0 + 1200))
    (session,) = store.sessions()
    assert session.source == "manual" and session.duration == timedelta(minutes=20)
