"""Steps of the system clock during a session (issue 10, "Clock jumps").

A serial unit talks over a real pty, recorded by the real Recorder into a real Store, while the
system clock (``time.time``, which stands for the machine's clock, not the unit under test) is
set back or forward by two hours mid-session. The stored session must last the steady elapsed
time, keep its points inside it, and its JSON export must import again."""

from __future__ import annotations

import asyncio
import importlib.util
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tenslog.clock import SteadyClock, system_clock
from tenslog.driver.events import StimulationStarted, StimulationStopped
from tenslog.exports.json_export import to_json
from tenslog.imports.service import check_sessions, import_bytes
from tenslog.model import IntensityScale, Session, SessionState
from tenslog.recorder import Recorder
from tenslog.store import Store
from tenslog.testing import at_level, has
from tenslog_serial.line import LineSerialDriver
from tenslog_serial.lineproto import LineStatus, encode_line


def _driver_test_fixtures():
    """tests/drivers/conftest.py under a name of its own, as tests/faults/test_faults_links.py does."""
    name = "tenslog_driver_test_fixtures"
    if name not in sys.modules:
        path = Path(__file__).resolve().parents[1] / "drivers" / "conftest.py"
        spec = importlib.util.spec_from_file_location(name, path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


recording = _driver_test_fixtures().recording  # the real Recorder + Store over a driver's events
pty_units = _driver_test_fixtures().pty_units  # a fake serial unit behind a pty

LEVELS = IntensityScale(kind="level", maximum=20)
TWO_HOURS = 2 * 3600.0
SLACK = 0.25  # scheduling jitter between our bracketing readings and the driver's stamps


class SystemClock:
    """``time.time`` with a step added: the machine's clock being set."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.step = 0.0
        real = time.time
        monkeypatch.setattr(time, "time", lambda: real() + self.step)


@pytest.fixture
def system_time(monkeypatch: pytest.MonkeyPatch) -> Iterator[SystemClock]:
    clock = SystemClock(monkeypatch)
    yield clock
    clock.step = 0.0
    system_clock.now()  # re-anchor on the true clock before the next test


def assert_inside(session: Session) -> None:
    assert session.end is not None
    for point in session.intensity:
        assert session.start <= point.at <= session.end
    for gap in session.gaps:
        assert session.start <= gap.lost_at <= session.end


class Dial:
    def __init__(self) -> None:
        self.on, self.level = False, 0

    def line(self) -> bytes:
        return encode_line(LineStatus(self.on, float(self.level), LEVELS))


@pytest.mark.parametrize("steps", [[-TWO_HOURS], [TWO_HOURS], [-TWO_HOURS, TWO_HOURS]],
                         ids=["back", "forward", "back-then-forward"])
async def test_serial_session_over_a_clock_step_keeps_its_true_length(
    recording, pty_units, system_time: SystemClock, tmp_path: Path, steps: list[float]
) -> None:
    dial = Dial()
    unit = pty_units(dial.line)
    unit.plug()
    driver = LineSerialDriver(reconnect_cap="0.2", name="Bridge")
    rec = recording(driver.clock)
    notes: list[str] = []
    task = asyncio.create_task(rec.run(driver.events(unit.port)))
    try:
        await rec.wait_for(has(StimulationStopped))  # "off" when it connects
        outer_start = time.monotonic()
        dial.on, dial.level = True, 3
        await rec.wait_for(at_level(3))
        inner_start = time.monotonic()
        for n, step in enumerate(steps):
            system_time.step += step  # the machine's clock is set mid-session
            dial.level = 5 + n
            await rec.wait_for(at_level(5 + n))
            notes.append(rec.recorder.clock_note or "")
        await asyncio.sleep(0.3)
        inner_end = time.monotonic()
        dial.on, dial.level = False, 0
        await rec.wait_for(has(StimulationStopped, 2))
        outer_end = time.monotonic()
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)

    [session] = rec.sessions()
    assert session.state is SessionState.COMPLETE
    assert session.duration is not None
    length = session.duration.total_seconds()
    assert inner_end - inner_start - SLACK <= length <= outer_end - outer_start + SLACK
    assert [p.value for p in session.intensity] == [3, *(5 + n for n in range(len(steps)))]
    assert_inside(session)
    assert all("system clock was set" in note for note in notes)  # visible while recording
    # The export imports again (into a fresh database), exactly.
    data = to_json([session]).encode()
    good, problems = check_sessions(data, "json")
    assert problems == [] and len(good) == 1
    with Store.open(tmp_path / "again.db") as other:
        assert import_bytes(other, data, "json").imported == 1
        [back] = other.sessions()
        assert (back.start, back.end) == (session.start, session.end)
        assert [p.at for p in back.intensity] == [p.at for p in session.intensity]
    assert unit.received == b""


def test_the_next_session_starts_at_true_wall_time(system_time: SystemClock, store: Store) -> None:
    clock = SteadyClock()  # on the (patched) system clock, free of other tests' recorders
    recorder = Recorder(store, clock=clock.now, steady=clock)
    heard: list = []
    clock.listeners.append(heard.append)  # how `tenslog record` prints it
    recorder.handle(StimulationStarted(recorder.clock(), 2))
    system_time.step = -TWO_HOURS
    recorder.tick()
    [jump] = heard
    assert jump.step == pytest.approx(-TWO_HOURS, abs=1) and not jump.followed
    assert recorder.clock_note is not None and "set back by 2 h 00 min" in recorder.clock_note
    recorder.handle(StimulationStopped(recorder.clock()))
    assert recorder.clock_note is None
    # No session open now: the clock follows the wall clock again.
    assert abs(recorder.clock() - time.time()) < 0.5


# -- the whole class: any sequence of steps during a session -------------------------------
class FakeTime:
    """A steady clock that only moves when told, and a wall clock that may also be stepped."""

    def __init__(self) -> None:
        self.steady = 1000.0
        self.wall = 1.7e9

    def advance(self, seconds: float) -> None:
        self.steady += seconds
        self.wall += seconds


moves = st.lists(
    st.tuples(
        st.floats(0.0, 30.0),  # steady seconds that pass
        st.floats(-3 * 86400, 3 * 86400) | st.just(0.0),  # a step of the wall clock
        st.booleans(),  # the unit reports a new level then
    ),
    max_size=25,
)


@settings(max_examples=80, deadline=None)
@given(moves=moves)
def test_wall_clock_steps_never_change_a_session(tmp_path_factory, moves) -> None:
    fake = FakeTime()
    clock = SteadyClock(wall=lambda: fake.wall, steady=lambda: fake.steady)
    path = tmp_path_factory.mktemp("steps") / "t.db"
    with Store.open(path) as store:
        recorder = Recorder(store, clock=clock.now, steady=clock)
        recorder.handle(StimulationStarted(clock.now(), 1))
        assert clock.pinned
        level, elapsed = 1, 0.0
        for passed, step, report in moves:
            fake.advance(passed)
            elapsed += passed
            fake.wall += step
            if report:
                level += 1
                recorder.handle(StimulationStarted(clock.now(), level))
            recorder.tick()
        if any(abs(step) > 2 * clock.threshold for _, step, _ in moves):
            assert recorder.clock_note is not None  # the live screen and `record` say so
        recorder.handle(StimulationStopped(clock.now()))
        assert not clock.pinned
        [session] = store.sessions()
    assert session.duration is not None
    assert session.duration.total_seconds() == pytest.approx(elapsed, abs=1e-3)
    assert_inside(session)
    assert [p.value for p in session.intensity] == list(range(1, level + 1))
    if any(abs(step) > 2 * clock.threshold for _, step, _ in moves):
        assert clock.jumps > 0  # noted, never followed
    if all(step == 0 for _, step, _ in moves):
        assert clock.jumps == 0


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.floats(0.0, 100.0), st.floats(-1e6, 1e6), st.booleans()), max_size=30))
def test_pinned_clock_is_the_steady_clock(steps) -> None:
    """While pinned, now() moves exactly as the steady clock does, whatever the wall does;
    unpinned, it is the wall clock."""
    fake = FakeTime()
    clock = SteadyClock(wall=lambda: fake.wall, steady=lambda: fake.steady)
    for passed, step, pinned in steps:
        if pinned:
            clock.pin()
            before = clock.now()
            fake.advance(passed)
            fake.wall += step
            assert clock.now() - before == pytest.approx(passed, abs=1e-6)
            clock.unpin()
        else:
            fake.advance(passed)
            fake.wall += step
        assert clock.now() == fake.wall
