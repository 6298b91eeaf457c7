"""ET-312B / MK-312BT: the read-only protocol (only the handshake and reads of the knobs and
the mode ever leave the driver) and the whole driver against a box emulated from the protocol
document behind a real pty, which refuses to go on after any write command."""

from __future__ import annotations

import asyncio
import os

import pytest
from hypothesis import given
from hypothesis import strategies as st

from support.et312_box import EmulatedEt312
from tenslog.driver.events import (
    Connected,
    IntensityChanged,
    LinkLost,
    LinkRestored,
    StimulationStarted,
    StimulationStopped,
    UnitNote,
)
from tenslog.driver.registry import load_driver
from tenslog.model import SessionState
from tenslog.testing import assert_events, fake_serial_port, has, like
from tenslog_serial import et312_proto as et
from tenslog_serial.et312 import Et312SerialDriver


def test_registered() -> None:
    assert load_driver("et312-serial") is Et312SerialDriver


def test_reads_are_framed_as_the_document_says() -> None:
    assert et.read_command(0x4064) == bytes([0x3C, 0x40, 0x64, 0xE0])
    assert et.read_command(0x407B) == bytes([0x3C, 0x40, 0x7B, 0xF7])
    assert et.read_reply(bytes([0x22, 0x80, 0xA2])) == 0x80
    assert et.read_reply(bytes([0x22, 0x80, 0xA3])) is None  # checksum
    assert et.read_reply(bytes([0x06, 0x80, 0x86])) is None  # not a read's reply
    assert et.read_reply(b"\x22\x80") is None


def test_only_the_handshake_and_reads_of_three_addresses_may_be_sent() -> None:
    assert et.checked(b"\x00") == b"\x00"
    for address in (0x4064, 0x4065, 0x407B):
        assert et.checked(et.read_command(address)) == et.read_command(address)
    forbidden = [
        bytes([0x4D, 0x42, 0x13, 0x00, 0xA0]),  # the key reset: write 0 to $4213
        bytes([0x4D, 0x40, 0x64, 0x10, 0xE1]),  # write level A
        bytes([0x2F, 0x00, 0x2F]),  # key exchange: allowed by the project, not used
        et.read_command(0x4213),  # a read, but not of an address on the list
        bytes([0x3C, 0x40, 0x64, 0x00]),  # a read with a wrong checksum
        b"\x00\x00",
        b"",
    ]
    for frame in forbidden:
        with pytest.raises(et.ForbiddenCommand):
            et.checked(frame)


@given(st.binary(max_size=12))
def test_any_frame_is_either_allowed_exactly_or_refused(frame: bytes) -> None:
    allowed = {b"\x00", *(et.read_command(a) for a in et.READABLE)}
    try:
        assert et.checked(frame) in allowed
    except et.ForbiddenCommand:
        assert frame not in allowed


@given(st.binary(max_size=6))
def test_any_reply_is_a_value_or_refused(data: bytes) -> None:
    value = et.read_reply(data)
    assert value is None or (data[0] == 0x22 and value == data[1])


async def test_a_session_from_an_emulated_box_with_a_pulled_cable(recording) -> None:
    with fake_serial_port() as unit:
        box = EmulatedEt312(unit)
        box.listen()
        driver = Et312SerialDriver(port=unit.port, poll_seconds="0.1", reconnect_cap="0.2")
        rec = recording(driver.clock)
        task = asyncio.create_task(rec.run(driver.events()))
        try:
            await rec.wait_for(has(StimulationStopped))  # power-on menu, knobs at 0
            box.memory[0x407B] = 0x76  # Waves
            box.memory[0x4064] = 40
            await rec.wait_for(has(StimulationStarted))
            box.memory[0x4065] = 90  # B is higher now
            await rec.wait_for(has(IntensityChanged))
            box.deafen()
            unit.unplug()
            await rec.wait_for(has(LinkLost))
            unit.plug()
            box.listen()
            await rec.wait_for(has(LinkRestored))
            box.memory[0x4064] = box.memory[0x4065] = 0
            await rec.wait_for(has(StimulationStopped, 2))
        finally:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)
            box.deafen()

    assert_events(
        rec.events,
        [
            Connected,
            like(UnitNote, topic="program", text="no mode running"),
            StimulationStopped,
            like(UnitNote, topic="program", text="mode Waves"),
            like(StimulationStarted, intensity=40),
            like(IntensityChanged, intensity=90),
            LinkLost,
            LinkRestored,
            like(StimulationStarted, intensity=90),
            StimulationStopped,
        ],
    )
    [session] = rec.sessions()
    assert session.state is SessionState.COMPLETE
    assert [p.value for p in session.intensity] == [40, 90]
    # Read-only: no write command reached the box, and nothing it did not know.
    assert box.writes == [] and box.unknown == [] and box.key is None
    sent = bytes(unit.received)
    reads = {et.read_command(a) for a in et.READABLE}
    while sent:  # every byte sent is a handshake or one of the three reads
        if sent[:1] == b"\x00":
            sent = sent[1:]
        else:
            assert sent[:4] in reads, sent[:4].hex()
            sent = sent[4:]


@pytest.mark.parametrize(("channel", "expected"), [("A", 40), ("B", 90), ("higher", 90)])
async def test_the_channel_option_picks_the_knob(recording, channel: str, expected: int) -> None:
    with fake_serial_port() as unit:
        box = EmulatedEt312(unit)
        box.memory.update({0x407B: 0x77, 0x4064: 40, 0x4065: 90})
        box.listen()
        driver = Et312SerialDriver(port=unit.port, channel=channel, poll_seconds="0.1")
        rec = recording(driver.clock)
        task = asyncio.create_task(rec.run(driver.events()))
        try:
            await rec.wait_for(has(StimulationStarted))
        finally:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)
            box.deafen()
    [started] = rec.of(StimulationStarted)
    assert started.intensity == expected
    assert box.writes == []


async def test_the_emulated_box_stops_at_a_write_command() -> None:
    """The emulation itself: a write command is kept, never carried out, and the box goes
    silent, so a driver that sent one would lose its unit in the test."""
    with fake_serial_port() as unit:
        box = EmulatedEt312(unit)
        box.listen()
        os.write(unit.slave, b"\x00")
        os.write(unit.slave, bytes([0x4D, 0x42, 0x13, 0x00, 0xA0]))  # the key reset
        os.write(unit.slave, b"\x00")
        for _ in range(500):
            await asyncio.sleep(0.01)
            if box.writes:
                break
        box.deafen()
        assert box.writes == [bytes([0x4D, 0x42, 0x13, 0x00, 0xA0])] and box.broken
        os.set_blocking(unit.slave, False)
        assert os.read(unit.slave, 10) == b"\x07"  # the first handshake only
