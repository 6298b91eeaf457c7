"""Serial link timing over a real pty (issue 10, "Serial link timing"; issue 17, stopping during
a link loss): a replug late in the grace period is still one session; an open port is not a
heard unit (the link is restored by a valid line only); silence means "nothing valid", so a
bridge printing debug or bad-CRC lines after losing its unit does not keep a session open; a
recording stopped while the unit is unheard ends where it was last heard.

Graces are scaled down (1-3 s) so the drills stay quick; waits poll and are bounded only to
fail rather than hang. Bounds on stored times come from the driver's own clock, read before and
after the moment in question (no timing asserts)."""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from faults.test_faults_links import SerialRig, _fixtures, until
from support.links import assert_one_session_bridged
from support.serial_dial import LEVELS, Dial
from tenslog.driver.events import LinkLost, LinkRestored
from tenslog.model import SessionState
from tenslog.recorder import LinkState
from tenslog.testing import FakeSerialUnit
from tenslog_serial.line import LineSerialDriver
from tenslog_serial.lineproto import LineStatus, encode_line

recording = _fixtures.recording  # the real Recorder + Store over a driver's event stream
pty_units = _fixtures.pty_units  # a fake serial unit behind a pty and a re-pointable symlink

PROPERTY = settings(
    max_examples=5,
    deadline=None,
    derandomize=True,  # the same examples on every run
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


async def _session_on(rec, unit, dial: Dial, driver, level: int = 6):
    task = asyncio.create_task(rec.run(driver.events(unit.port)))
    await until("the unit to connect", lambda: rec.recorder.link is LinkState.CONNECTED, rec)
    dial.on, dial.level = True, level
    await until(f"level {level}", lambda: rec.recorder.intensity == level, rec)
    return task


async def _stop(task: asyncio.Task, unit) -> None:
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)
    unit.read()


# -- a: the back-off stays inside the grace period ------------------------------------------
async def _replug_after(tmp: Path, delay: float, grace: float) -> list:
    rec = _fixtures.Recording(tmp / "tenslog.db", LineSerialDriver().clock, grace)
    dial = Dial()
    unit = FakeSerialUnit(tmp / "ttyTENS")
    unit.talk(dial.line)
    unit.plug()
    driver = LineSerialDriver()  # the default reconnect_cap (30 s), far above the grace
    driver.grace_seconds = grace  # as `tenslog record` and the dashboard set it
    try:
        task = await _session_on(rec, unit, dial, driver)
        unit.unplug()
        await until("LinkLost", lambda: rec.of(LinkLost), rec)
        await asyncio.sleep(delay)
        unit.plug()
        await until("LinkRestored", lambda: rec.of(LinkRestored) or rec.recorder.link is LinkState.LOST, rec)
        await until("level 6 again", lambda: rec.recorder.intensity == 6, rec)
        dial.on = False
        await until("the end", lambda: rec.recorder.session_id is None, rec)
        SerialRig(unit, dial).quiet()
        await _stop(task, unit)
        return rec.sessions()
    finally:
        unit.close()
        rec.close()


def test_a_replug_late_in_the_grace_period_is_one_session(tmp_path: Path) -> None:
    """The issue's example: 2.2 s into a 3 s grace. The back-off (0.5, 1, 2 s...) used to try
    next at 3.5 s, after the session had been ended; the cap is now an eighth of the grace."""
    assert_one_session_bridged(asyncio.run(_replug_after(tmp_path, 2.2, 3.0)))


@PROPERTY
@given(fraction=st.floats(0.0, 0.6))
def test_any_replug_well_inside_the_grace_is_exactly_one_session(fraction: float) -> None:
    grace = 2.0
    with tempfile.TemporaryDirectory() as tmp:
        sessions = asyncio.run(_replug_after(Path(tmp), fraction * grace, grace))
    assert_one_session_bridged(sessions)


def test_the_back_off_cap_is_a_fraction_of_the_grace_and_never_zero() -> None:
    from tenslog.driver.backoff import cap_within_grace

    assert cap_within_grace(30.0, 120.0) == 15.0  # default grace: a try every 15 s at most
    assert cap_within_grace(0.2, 120.0) == 0.2  # a smaller cap given by the user stays
    assert cap_within_grace(30.0, 0.0) > 0  # never a zero back-off (it hammered BlueZ)


# -- b: an open port is not a heard unit -----------------------------------------------------
async def test_b_a_quiet_unit_after_a_replug_ends_where_it_was_last_heard(
    recording, pty_units
) -> None:
    """Replugged, the port opens but the unit says nothing: the link must not be restored,
    and the session ends (after the grace) at the moment the unit was last heard, not at the
    moment the port reopened."""
    dial = Dial()
    unit = pty_units(dial.line)
    unit.plug()
    driver = LineSerialDriver(reconnect_cap="0.1")
    driver.silence_seconds = 1.0
    rec = recording(driver.clock, grace_seconds=1.0)
    task = await _session_on(rec, unit, dial, driver)
    try:
        unit.unplug()
        await until("LinkLost", lambda: rec.of(LinkLost), rec)
        unit.plug()
        SerialRig(unit, dial).quiet()  # the port is back, the unit is silent
        await until("the session to end", lambda: rec.recorder.session_id is None, rec)
    finally:
        await _stop(task, unit)
    assert rec.of(LinkRestored) == [], "no valid line arrived: the link was never restored"
    [session] = rec.sessions()
    [lost] = rec.of(LinkLost)
    assert session.state is SessionState.INTERRUPTED
    assert abs(session.end.timestamp() - lost.at) < 1e-3


async def test_17_stopping_while_a_replugged_unit_is_quiet_ends_where_it_was_last_heard(
    recording, pty_units
) -> None:
    """Issue 17: the user stops recording (quits) during the link loss, within the grace,
    after the port came back but before the unit spoke: the session must not claim the time
    up to the stop."""
    dial = Dial()
    unit = pty_units(dial.line)
    unit.plug()
    driver = LineSerialDriver(reconnect_cap="0.1")
    rec = recording(driver.clock, grace_seconds=120.0)
    task = await _session_on(rec, unit, dial, driver)
    try:
        unit.unplug()
        await until("LinkLost", lambda: rec.of(LinkLost), rec)
        unit.plug()
        SerialRig(unit, dial).quiet()
        await until("the port to reopen", lambda: driver.stats.reconnects == 1, rec)
        await asyncio.sleep(0.5)  # quiet a while after the reopen
    finally:
        await _stop(task, unit)
    sid = rec.recorder.stop(SessionState.INTERRUPTED)  # as `record` and the dashboard do
    [lost] = rec.of(LinkLost)
    session = rec.store.get(sid)
    assert session.state is SessionState.INTERRUPTED
    assert abs(session.end.timestamp() - lost.at) < 1e-3


# -- c: silence means "nothing valid" ------------------------------------------------------
def _bad_crc(level: int) -> bytes:
    line = encode_line(LineStatus(True, float(level), LEVELS))
    crc = int(line[-5:-1], 16)
    return line[:-5] + f"{(crc + 1) % 0x10000:04X}".encode() + b"\n"


NOISE = st.one_of(
    st.builds(_bad_crc, st.integers(1, 20)),  # a valid-looking line with a wrong checksum
    st.text(st.characters(min_codepoint=32, max_codepoint=126), max_size=60).map(
        lambda t: ("dbg: " + t + "\n").encode()  # a bridge's debug print
    ),
    st.binary(max_size=40).map(lambda b: b.replace(b"\n", b"") + b"\n"),  # line noise
)


async def _noise_after_loss(rec, unit, dial: Dial, driver, noise: list[bytes]) -> tuple[float, float]:
    """The unit prints valid lines, then (its bridge lost it) only ``noise``, round and round.
    Returns the driver's clock just before and after its last valid line was read."""
    task = await _session_on(rec, unit, dial, driver)
    try:
        SerialRig(unit, dial).quiet()  # the test now decides what the unit prints
        lines = driver.stats.lines
        before = driver.clock()
        unit.write(dial.line())
        await until("the last valid line", lambda: driver.stats.lines > lines, rec)
        after = driver.clock()

        async def chatter() -> None:
            while True:
                for line in noise:
                    unit.write(line)
                    await asyncio.sleep(0.02)

        talking = asyncio.create_task(chatter())
        try:
            await until("the session to end", lambda: rec.recorder.session_id is None, rec)
        finally:
            talking.cancel()
            await asyncio.gather(talking, return_exceptions=True)
    finally:
        await _stop(task, unit)
    return before, after


async def test_c_debug_and_bad_crc_lines_after_the_unit_is_lost_end_the_session(
    recording, pty_units
) -> None:
    dial = Dial()
    unit = pty_units(dial.line)
    unit.plug()
    driver = LineSerialDriver(reconnect_cap="0.1")
    driver.silence_seconds = 0.5
    rec = recording(driver.clock, grace_seconds=0.5)
    before, after = await _noise_after_loss(
        rec, unit, dial, driver, [b"dbg: unit not found, retrying\n", _bad_crc(6)]
    )
    [session] = rec.sessions()
    [lost] = rec.of(LinkLost)
    assert session.state is SessionState.INTERRUPTED
    assert before <= lost.at <= after, "lost at the last valid line, whatever came after"
    assert abs(session.end.timestamp() - lost.at) < 1e-3


@PROPERTY
@given(noise=st.lists(NOISE, min_size=1, max_size=5))
def test_any_stream_of_invalid_lines_ends_the_session_at_the_last_valid_one(
    noise: list[bytes],
) -> None:
    async def drill(tmp: Path) -> None:
        dial = Dial()
        unit = FakeSerialUnit(tmp / "ttyTENS")
        unit.talk(dial.line)
        unit.plug()
        driver = LineSerialDriver(reconnect_cap="0.1")
        driver.silence_seconds = 0.4
        rec = _fixtures.Recording(tmp / "tenslog.db", driver.clock, 0.4)
        try:
            before, after = await _noise_after_loss(rec, unit, dial, driver, noise)
            [session] = rec.sessions()
            [lost] = rec.of(LinkLost)
            assert session.state is SessionState.INTERRUPTED
            assert before <= lost.at <= after
            assert abs(session.end.timestamp() - lost.at) < 1e-3
        finally:
            unit.close()
            rec.close()

    with tempfile.TemporaryDirectory() as tmp:
        asyncio.run(drill(Path(tmp)))
