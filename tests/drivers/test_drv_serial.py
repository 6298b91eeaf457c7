"""Serial drivers through real pseudo-terminals, recorded by the real Recorder and Store."""

from __future__ import annotations

import asyncio

import pytest

from support.serial_dial import LEVELS, Dial
from tenslog.driver import DriverOptionError
from tenslog.driver.events import (
    Connected,
    IntensityChanged,
    LinkLost,
    LinkRestored,
    StimulationStarted,
    StimulationStopped,
)
from tenslog.driver.registry import load_driver
from tenslog.model import SessionState
from tenslog.testing import assert_events, at_level, has, like
from tenslog_serial.line import LineSerialDriver
from tenslog_serial.lineproto import LineStatus, encode_line
from tenslog_serial.opentdcs import OpenTdcsSerialDriver
from tenslog_serial.opentdcs_decode import encode_status_line


def test_registered() -> None:
    assert load_driver("line-serial") is LineSerialDriver
    assert load_driver("opentdcs-serial") is OpenTdcsSerialDriver


async def test_line_serial_session_survives_a_pulled_cable(recording, pty_units) -> None:
    dial = Dial()
    unit = pty_units(dial.line)
    unit.plug()
    driver = LineSerialDriver(reconnect_cap="0.2", name="Bridge")
    rec = recording(driver.clock)
    task = asyncio.create_task(rec.run(driver.events(unit.port)))
    try:
        await rec.wait_for(has(Connected))
        dial.on, dial.level = True, 3
        await rec.wait_for(at_level(3))
        # Garbage, a line split across writes, a corrupted line and an over-long line.
        unit.write(b"\x00\xff garbage\n$TENS,ON,9,L20*0000\n")
        half = encode_line(LineStatus(True, 5.0, LEVELS))
        dial.level = 5
        unit.write(half[:7])
        await asyncio.sleep(0.02)
        unit.write(half[7:])
        unit.write(b"x" * 500 + b"\n")
        await rec.wait_for(at_level(5))
        unit.unplug()  # the cable is pulled
        await rec.wait_for(has(LinkLost))
        dial.level = 7  # turned up while we could not see it
        await asyncio.sleep(0.3)
        unit.plug()  # plugged back in (a new pty behind the same symlink)
        await rec.wait_for(has(LinkRestored))
        await rec.wait_for(at_level(7))
        dial.on, dial.level = False, 0
        await rec.wait_for(has(StimulationStopped, 2))  # the first one is "off" at connect
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        unit.read()

    assert_events(
        rec.events,
        [
            like(Connected, unit=driver.unit_info(unit.port)),
            StimulationStopped,  # the unit was off when the driver first heard it
            like(StimulationStarted, intensity=3),
            like(IntensityChanged, intensity=5),  # not 9: the bad-checksum line was skipped
            LinkLost,
            LinkRestored,
            like(StimulationStarted, intensity=7),  # what the unit says first, once back
            StimulationStopped,
        ],
    )
    [session] = rec.sessions()
    assert session.state is SessionState.COMPLETE
    assert [p.value for p in session.intensity] == [3, 5, 7]
    [gap] = session.gaps
    assert gap.restored_at is not None and gap.restored_at > gap.lost_at
    assert (
        session.unit is not None and session.unit.scale == LEVELS and session.unit.name == "Bridge"
    )
    assert 9 not in [p.value for p in session.intensity]  # the bad-checksum line was skipped
    assert driver.stats.skipped >= 2 and driver.stats.overlong >= 1 and driver.stats.reconnects == 1
    assert unit.received == b""  # read-only: not one byte reached the unit


async def test_line_serial_silence_is_a_link_loss(recording, pty_units) -> None:
    dial = Dial(on=True, level=4)
    unit = pty_units(dial.line)
    unit.plug()
    driver = LineSerialDriver(reconnect_cap="0.2")
    driver.silence_seconds = 0.3
    rec = recording(driver.clock)
    task = asyncio.create_task(rec.run(driver.events(unit.port)))
    try:
        await rec.wait_for(at_level(4))
        unit.hush()  # the bridge stops talking but the port stays open
        await rec.wait_for(has(LinkLost))
        unit.talk(dial.line)
        await rec.wait_for(has(LinkRestored))
        await rec.wait_for(has(StimulationStarted, 2))
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
    [session] = rec.sessions()
    assert len(session.gaps) == 1 and [p.value for p in session.intensity] == [4]
    assert unit.received == b""


async def test_opentdcs_serial_session(recording, pty_units) -> None:
    state = {"set": 50, "remaining": None}

    def line() -> bytes:
        return encode_status_line(state["set"], state["remaining"], measured_ua=state["set"] - 3)

    unit = pty_units(line)
    unit.plug()
    driver = OpenTdcsSerialDriver(reconnect_cap="0.2")
    rec = recording(driver.clock)
    task = asyncio.create_task(rec.run(driver.events(unit.port)))
    try:
        await rec.wait_for(has(Connected))
        unit.write(b"Session START: 1000uA, 600s, ramp 30/30\r\n")
        state.update(set=500, remaining=600)
        await rec.wait_for(at_level(0.5))
        state.update(set=1000, remaining=590)
        await rec.wait_for(at_level(1.0))
        unit.unplug()
        await rec.wait_for(has(LinkLost))
        unit.plug()
        await rec.wait_for(has(LinkRestored))
        await rec.wait_for(has(StimulationStarted, 2))
        unit.hush()  # the firmware stops printing once the session is over...
        unit.write(b"Session COMPLETE\r\n")  # ...after saying so
        await rec.wait_for(has(StimulationStopped))
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        unit.read()
    [session] = rec.sessions()
    assert session.state is SessionState.COMPLETE
    assert [p.value for p in session.intensity] == [0.5, 1.0]
    assert len(session.gaps) == 1 and session.unit.scale.kind == "mA"
    assert unit.received == b""


async def test_opentdcs_silence_ends_stimulation(recording, pty_units) -> None:
    unit = pty_units(lambda: encode_status_line(2000, 100))
    unit.plug()
    driver = OpenTdcsSerialDriver()
    driver.silence_seconds = 0.3
    rec = recording(driver.clock)
    task = asyncio.create_task(rec.run(driver.events(unit.port)))
    try:
        await rec.wait_for(at_level(2.0))
        unit.hush()
        await rec.wait_for(has(StimulationStopped))
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
    [session] = rec.sessions()
    assert session.state is SessionState.COMPLETE and not rec.of(LinkLost)


@pytest.mark.parametrize(
    ("options", "named"),
    [
        ({"baudrate": "fast"}, "baudrate"),
        ({"reconnect_cap": "-1"}, "reconnect_cap"),
        ({"parity": "E"}, "parity"),
    ],
)
def test_bad_options_name_the_option(options: dict, named: str) -> None:
    with pytest.raises(DriverOptionError, match=repr(named)):
        LineSerialDriver(**options)


async def test_discover_lists_the_given_port_without_opening_it(tmp_path) -> None:
    found = await OpenTdcsSerialDriver(port=str(tmp_path / "ttyX")).discover()
    assert found[0].identity == str(tmp_path / "ttyX")
