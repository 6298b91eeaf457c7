"""The simulator, run accelerated through the real Recorder and Store."""

from __future__ import annotations

import time

import pytest

from tenslog.driver import DriverOptionError
from tenslog.driver.events import LinkLost, LinkRestored, StimulationStarted
from tenslog.driver.registry import load_driver
from tenslog.model import SessionState
from tenslog_simulator import SimulatorDriver


async def collect(driver: SimulatorDriver) -> list:
    return [event async for event in driver.events()]


def relative(events: list) -> list:
    t0 = events[0].at
    out = []
    for e in events:
        fields = {k: getattr(e, k) for k in e.__slots__ if k not in ("at", "unit")}
        out.append((type(e).__name__, round(e.at - t0, 6), fields))
    return out


def test_registered_under_the_entry_point_group() -> None:
    assert load_driver("simulator") is SimulatorDriver


async def test_same_seed_same_events_other_seed_other_events() -> None:
    options = {"speed": "max", "sessions": "2", "session_minutes": "3", "link_loss": "1", "garbage": "0.2"}
    a = relative(await collect(SimulatorDriver(seed="7", **options)))
    b = relative(await collect(SimulatorDriver(seed="7", **options)))
    c = relative(await collect(SimulatorDriver(seed="8", **options)))
    assert a == b
    # Another seed is another run: pinned by where (seconds from the start) the link drops.
    lost = lambda run: [at for kind, at, _ in run if kind == "LinkLost"]  # noqa: E731
    assert (len(a), lost(a)) == (35, [93.25, 325.25])
    assert (len(c), lost(c)) == (32, [134.75, 329.5])


async def test_accelerated_run_records_expected_sessions_with_gaps(recording) -> None:
    driver = SimulatorDriver(
        seed="3", speed="max", sessions="3", session_minutes="5", link_loss="2", garbage="0.1"
    )
    rec = recording(driver.clock)
    await rec.run(driver.events())
    sessions = rec.sessions()
    assert len(sessions) == driver.expected_sessions == 3
    assert all(s.state is SessionState.COMPLETE for s in sessions)
    assert all(len(s.gaps) == 2 and all(g.restored_at for g in s.gaps) for s in sessions)
    assert len(rec.of(LinkLost)) == len(rec.of(LinkRestored)) == driver.expected_link_losses == 6
    # Garbage is counted, never recorded: every stored intensity is a level the plan holds.
    assert driver.stats.garbage > 0
    for session, planned in zip(sessions, driver.plan.sessions, strict=True):
        assert {p.value for p in session.intensity} <= {lvl for _, lvl in planned.changes}
        assert session.duration.total_seconds() == pytest.approx(
            planned.end - planned.start, abs=0.5
        )


async def test_real_time_factor_and_clock(recording) -> None:
    driver = SimulatorDriver(speed="60", session_minutes="0.5", idle_seconds="1", rate="50")
    rec = recording(driver.clock)
    await rec.run(driver.events())
    assert len(rec.sessions()) == 1
    # The run ends about now: simulated times never run far into the future.
    assert abs(driver.clock() - time.time()) < 60
    assert rec.events[-1].at < driver.clock()


async def test_rate_50_benchmark_is_fast() -> None:
    driver = SimulatorDriver(speed="max", rate="50", sessions="2", session_minutes="10")
    events = await collect(driver)
    assert driver.stats.frames >= 50 * 2 * 10 * 60
    assert sum(isinstance(e, StimulationStarted) for e in events) == 2


async def test_vanish_ends_the_stream_with_a_link_loss(recording) -> None:
    driver = SimulatorDriver(speed="max", session_minutes="2", vanish="60")
    rec = recording(driver.clock)
    await rec.run(driver.events())
    assert isinstance(rec.events[-1], LinkLost) and rec.events[-1].reason == "unit vanished"
    rec.recorder.stop()
    [session] = rec.sessions()
    assert session.state is SessionState.INTERRUPTED


@pytest.mark.parametrize(
    ("options", "named"),
    [
        ({"speed": "fast"}, "speed"),
        ({"garbage": "2"}, "garbage"),
        ({"sessions": "1.5"}, "sessions"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_bad_options_name_the_option(options: dict, named: str) -> None:
    with pytest.raises(DriverOptionError, match=repr(named)):
        SimulatorDriver(**options)


async def test_discover_offers_one_unit() -> None:
    [unit] = await SimulatorDriver().discover()
    assert unit.name == "Simulated TENS unit" and unit.driver == "simulator"
