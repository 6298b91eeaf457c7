"""The BLE link checked for the serial link's three timing faults (issue 10) and for stopping
during a link loss (issue 17), through bleak's real BleakScanner/BleakClient with the emulated
peripheral of tenslog.testing plugged in by their ``backend=`` hook.

What was found and fixed: the back-off (cap 60 s) outran a short grace (a: fixed as serial);
the link was reported restored on connect, before the unit said anything (b: fixed, restored
by the first valid reading, which the once-per-connection read gives a dial at once); and a
unit that stays connected but sends nothing valid kept the session open for ever (c: a
profile may now give ``silence_seconds``; Open-tDCS notifies every 500 ms and has 5 s, units
that notify only on change, like a dial, have none)."""

from __future__ import annotations

import asyncio
import struct
import tempfile
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from faults.test_faults_links import _fixtures, until
from hardening.test_links_serial import PROPERTY
from support.ble_units import MEAS, TIMER, TdcsUnit, emulated
from support.links import assert_one_session_bridged
from tenslog.driver.events import LinkLost, LinkRestored
from tenslog.model import SessionState
from tenslog.recorder import LinkState
from tenslog.testing import Airspace
from tenslog_ble.opentdcs import OpenTdcsBleDriver

recording = _fixtures.recording
air = _fixtures.air


def _driver(air: Airspace, silence: float | None = None, **options: str) -> OpenTdcsBleDriver:
    driver = emulated(OpenTdcsBleDriver(**options), air)
    driver.scan_seconds = 0.1
    if silence is not None:
        driver.profile = driver.profile.model_copy(update={"silence_seconds": silence})
    return driver


def test_open_tdcs_profile_declares_its_silence() -> None:
    assert OpenTdcsBleDriver().profile.silence_seconds == 5


async def _session_on(rec, unit: TdcsUnit, driver) -> asyncio.Task:
    task = asyncio.create_task(rec.run(driver.events()))
    await until("the unit to connect", lambda: rec.recorder.link is LinkState.CONNECTED, rec)
    unit.set_ua, unit.remaining = 1000, 600
    await until("1 mA", lambda: rec.recorder.intensity == 1.0, rec)
    return task


async def _stop(task: asyncio.Task, unit: TdcsUnit) -> None:
    task.cancel()
    unit.task.cancel()
    await asyncio.gather(task, unit.task, return_exceptions=True)


# -- a: the back-off stays inside the grace period ------------------------------------------
async def _out_of_range_for(tmp: Path, delay: float, grace: float) -> list:
    unit = TdcsUnit(Airspace())
    driver = _driver(unit.air)  # the default reconnect_cap (60 s)
    driver.grace_seconds = grace
    rec = _fixtures.Recording(tmp / "tenslog.db", driver.clock, grace)
    try:
        task = await _session_on(rec, unit, driver)
        try:
            unit.p.leave()
            await until("LinkLost", lambda: rec.of(LinkLost), rec)
            await asyncio.sleep(delay)
            unit.p.come_back()
            await until("back", lambda: rec.of(LinkRestored) or rec.recorder.link is LinkState.LOST, rec)
            await until("1 mA again", lambda: rec.recorder.intensity == 1.0, rec)
            unit.set_ua, unit.remaining = 50, 0
            await until("the end", lambda: rec.recorder.session_id is None, rec)
        finally:
            await _stop(task, unit)
        return rec.sessions()
    finally:
        rec.close()


def test_a_ble_unit_back_late_in_the_grace_period_is_one_session(tmp_path: Path) -> None:
    assert_one_session_bridged(asyncio.run(_out_of_range_for(tmp_path, 2.2, 3.0)))


@PROPERTY
@given(fraction=st.floats(0.0, 0.7))
def test_any_ble_return_well_inside_the_grace_is_exactly_one_session(fraction: float) -> None:
    grace = 3.0
    with tempfile.TemporaryDirectory() as tmp:
        sessions = asyncio.run(_out_of_range_for(Path(tmp), fraction * grace, grace))
    assert_one_session_bridged(sessions)


# -- b and issue 17: a connection is not a heard unit ----------------------------------------
def _mute(unit: TdcsUnit) -> None:
    """The unit keeps its link but says nothing valid: no notifications, unreadable values."""
    unit.task.cancel()
    unit.p.values = dict.fromkeys(unit.p.values, b"\x00")


async def test_b_a_silent_unit_after_a_reconnect_ends_where_it_was_last_heard(
    recording, air
) -> None:
    unit = TdcsUnit(air)
    driver = _driver(unit.air, silence=0.5, reconnect_cap="0.1")
    rec = recording(driver.clock, grace_seconds=1.0)
    task = await _session_on(rec, unit, driver)
    try:
        unit.p.leave()
        await until("LinkLost", lambda: rec.of(LinkLost), rec)
        _mute(unit)
        unit.p.come_back()
        await until("the session to end", lambda: rec.recorder.session_id is None, rec)
    finally:
        await _stop(task, unit)
    assert unit.p.connections >= 2, "it did reconnect"
    assert rec.of(LinkRestored) == [], "nothing valid arrived: the link was never restored"
    [session] = rec.sessions()
    [lost] = rec.of(LinkLost)
    assert session.state is SessionState.INTERRUPTED
    assert abs(session.end.timestamp() - lost.at) < 1e-3
    assert unit.p.writes == []


async def test_17_quitting_while_a_reconnected_unit_is_silent_ends_where_it_was_last_heard(
    recording, air
) -> None:
    unit = TdcsUnit(air)
    driver = _driver(unit.air, reconnect_cap="0.1")
    rec = recording(driver.clock, grace_seconds=120.0)
    task = await _session_on(rec, unit, driver)
    try:
        unit.p.leave()
        await until("LinkLost", lambda: rec.of(LinkLost), rec)
        _mute(unit)
        unit.p.come_back()
        await until("the reconnect", lambda: unit.p.connections == 2, rec)
        await asyncio.sleep(0.5)
    finally:
        await _stop(task, unit)
    sid = rec.recorder.stop(SessionState.INTERRUPTED)  # the app closes
    [lost] = rec.of(LinkLost)
    session = rec.store.get(sid)
    assert abs(session.end.timestamp() - lost.at) < 1e-3


# -- c: silence means "nothing valid" --------------------------------------------------------
GARBAGE = st.tuples(
    st.sampled_from([MEAS, TIMER]),
    st.binary(max_size=20).filter(lambda b: len(b) not in (8, 10, 12)),  # no accepted length
)


async def _garbage_after(rec, unit: TdcsUnit, driver, garbage: list[tuple[str, bytes]]) -> tuple[float, float]:
    task = await _session_on(rec, unit, driver)
    try:
        unit.task.cancel()  # the test now decides what the unit notifies
        await asyncio.gather(unit.task, return_exceptions=True)
        before = driver.clock()
        unit._frames()  # its last valid frames: notified (and stamped) synchronously
        after = driver.clock()

        async def chatter() -> None:
            while True:
                for uuid, data in garbage:
                    unit.p.notify(uuid, data)
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


async def test_c_invalid_notifications_alone_end_the_session(recording, air) -> None:
    unit = TdcsUnit(air)
    driver = _driver(unit.air, silence=0.5, reconnect_cap="0.1")
    rec = recording(driver.clock, grace_seconds=0.5)
    garbage = [(MEAS, struct.pack("<3H", 1, 2, 3)), (TIMER, b"\xff")]
    before, after = await _garbage_after(rec, unit, driver, garbage)
    session = rec.sessions()[0]  # a reconnect may read a state and start another
    lost = rec.of(LinkLost)[0]
    assert session.state is SessionState.INTERRUPTED
    assert before <= lost.at <= after
    assert abs(session.end.timestamp() - lost.at) < 1e-3


@PROPERTY
@given(garbage=st.lists(GARBAGE, min_size=1, max_size=5))
def test_any_stream_of_invalid_notifications_ends_the_session_at_the_last_valid_one(
    garbage: list[tuple[str, bytes]],
) -> None:
    async def drill(tmp: Path) -> None:
        unit = TdcsUnit(Airspace())
        driver = _driver(unit.air, silence=0.4, reconnect_cap="0.1")
        rec = _fixtures.Recording(tmp / "tenslog.db", driver.clock, 0.4)
        try:
            before, after = await _garbage_after(rec, unit, driver, garbage)
            session = rec.sessions()[0]
            lost = rec.of(LinkLost)[0]
            assert session.state is SessionState.INTERRUPTED
            assert before <= lost.at <= after
            assert abs(session.end.timestamp() - lost.at) < 1e-3
        finally:
            rec.close()

    with tempfile.TemporaryDirectory() as tmp:
        asyncio.run(drill(Path(tmp)))
