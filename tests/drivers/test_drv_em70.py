"""Beurer EM 70 Wireless: the decoder against every frame of the documented capture
(Trojan13/ma-ems, first_ble_log_documented.txt), any bytes at all, and the whole driver against a
fake EM 70 behind bleak's own client, which refuses every write but the two queries."""

from __future__ import annotations

import asyncio

import pytest
from hypothesis import given
from hypothesis import strategies as st

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
from tenslog.testing import Airspace, FakePeripheral, WriteRefused, assert_events, has, like
from tenslog_ble import em70_frames as em
from tenslog_ble.em70 import CHARACTERISTICS, SERVICE, Em70Driver, ForbiddenWrite

# The capture, line by line: what was sent or received, and what tenslog makes of it.
CAPTURE = [
    ("add", "5a0507000066", em.Frame(7, b"\x00", 2), None),  # the state query
    ("recv", "5a0c07000901001e3e000000d3", em.Frame(7, bytes.fromhex("000901001e3e0000"), 2),
     em.State(intensity=0, program=9, minutes_left=30)),
    ("add", "5a0501000060", em.Frame(1, b"\x00", 2), em.Intensity(0)),  # intensity +1: never sent
    ("recv", "5a0501030063", em.Frame(1, b"\x03", 2), em.Intensity(3)),
    ("recv", "5a0c07010901031d3b3b00010e", em.Frame(7, bytes.fromhex("010901031d3b3b00"), 2),
     em.State(intensity=3, program=9, minutes_left=29)),
    ("recv", "5a0501040064", em.Frame(1, b"\x04", 2), em.Intensity(4)),
    ("recv", "5a0c07010901041d3a3a00010d", em.Frame(7, bytes.fromhex("010901041d3a3a00"), 2),
     em.State(intensity=4, program=9, minutes_left=29)),
]


@pytest.mark.parametrize(("direction", "hexed", "frame", "message"), CAPTURE)
def test_every_frame_of_the_capture_decodes_as_documented(direction, hexed, frame, message) -> None:
    data = bytes.fromhex(hexed)
    assert em.parse(data) == frame
    assert em.decode(data) == message
    assert em.encode(frame.command, frame.info) == data  # the app's own framing, byte for byte


def test_only_the_state_and_version_queries_may_be_sent() -> None:
    assert {bytes.fromhex("5a0507000066"), bytes.fromhex("5a0508000067")} == em.ALLOWED_WRITES
    assert bytes.fromhex(CAPTURE[0][1]) == em.STATE_QUERY  # exactly what the app sent
    sent_by_the_app_to_change_things = bytes.fromhex(CAPTURE[2][1])
    assert sent_by_the_app_to_change_things not in em.ALLOWED_WRITES
    for command in (1, 2, 3, 4, 5, 6, 13):
        for info in (b"\x00", b"\x01", b"\x05"):
            assert em.encode(command, info) not in em.ALLOWED_WRITES


def test_a_one_byte_checksum_as_em70_py_reads_it_is_accepted_too() -> None:
    body = bytes.fromhex("5a0c07010901061d3b3b0000")  # 9 info bytes, as the Java DeviceState reads
    data = body + bytes([sum(body) & 0xFF])
    assert em.parse(data) == em.Frame(7, bytes.fromhex("010901061d3b3b0000"), 1)
    assert em.decode(data) == em.State(intensity=6, program=9, minutes_left=29)


@pytest.mark.parametrize(
    "hexed",
    [
        "5a0c07010901031d3b3b000111",  # checksum wrong (either way it is read)
        "5a0c07010901031d3b3b0001",  # cut short
        "5b0501030063",  # another start byte
        "5a0601030063",  # length byte disagrees with the frame
        "5a05070000660000",  # trailing bytes
        "5a050b800090",  # level 128: no level (the app reads signed bytes)
        "",
    ],
)
def test_a_damaged_frame_is_refused(hexed: str) -> None:
    assert em.decode(bytes.fromhex(hexed)) is None


@given(st.binary(max_size=40))
def test_any_bytes_decode_or_are_refused_never_raise(data: bytes) -> None:
    message = em.decode(data)
    assert message is None or isinstance(
        message, em.State | em.Intensity | em.Program | em.SessionStopped | em.Notice | em.Version
    )


@given(st.integers(0, 127), st.integers(0, 255), st.integers(0, 255), st.binary(min_size=4, max_size=4))
def test_a_state_frame_carries_its_level_program_and_minutes(level, program, minutes, rest) -> None:
    info = bytes([1, program, 1, level, minutes]) + rest[:3]
    assert em.decode(em.encode(em.Command.STATE_READ, info)) == em.State(level, program, minutes)


@given(st.sampled_from([1, 2, 3, 11]), st.integers(0, 127))
def test_an_intensity_frame_carries_its_level(command: int, level: int) -> None:
    assert em.decode(em.encode(command, bytes([level]))) == em.Intensity(level)


# -- the whole driver against a fake EM 70 ----------------------------------------------------

class FakeEm70(FakePeripheral):
    """Answers the state query with its full state and the version query with 1.2, as the
    capture shows; any other write is refused by the allow-list (and fails the test)."""

    level = 0
    running = 0
    program = 9

    def state(self) -> bytes:
        return em.encode(7, bytes([self.running, self.program, 1, self.level, 30, 0x3E, 0, 0]))

    def _write(self, uuid: str, data: bytes) -> None:
        super()._write(uuid, data)  # raises WriteRefused off the allow-list
        self.notify(uuid, self.state() if data == em.STATE_QUERY else em.encode(8, b"\x01\x02"))


def fake_em70(air: Airspace, characteristic: str) -> FakeEm70:
    return air.add(
        FakeEm70(
            "F9:8B:6F:12:EC:AE",
            "EM 70",
            [SERVICE],
            {SERVICE: {characteristic: ["write", "notify"]}},
            allowed_writes=[(characteristic, em.STATE_QUERY), (characteristic, em.VERSION_QUERY)],
        )
    )


def emulated(air: Airspace, **options: str) -> Em70Driver:
    driver = Em70Driver(scan_seconds="0.5", poll_seconds="0.2", reconnect_cap="0.2", **options)
    driver.scanner_backend, driver.client_backend = air.scanner_backend, air.client_backend
    return driver


def test_registered_with_its_options() -> None:
    assert load_driver("beurer-em70") is Em70Driver


@pytest.mark.parametrize("characteristic", CHARACTERISTICS)
async def test_a_session_from_the_fake_em70_with_notes_and_a_dropped_link(
    recording, air, characteristic
) -> None:
    unit = fake_em70(air, characteristic)
    driver = emulated(air)
    [found] = await driver.discover(0.2)
    assert (found.identity, found.name) == ("F9:8B:6F:12:EC:AE", "Beurer EM 70")
    rec = recording(driver.clock)
    task = asyncio.create_task(rec.run(driver.events(found.identity)))
    try:
        await rec.wait_for(has(StimulationStopped))  # idle: level 0
        unit.running, unit.level = 1, 3
        await rec.wait_for(has(StimulationStarted))
        unit.level = 5
        unit.notify(characteristic, em.encode(11, b"\x05"))  # the unit's own intensity notice
        await rec.wait_for(has(IntensityChanged))
        unit.notify(characteristic, em.encode(14, b"\x00"))  # overload
        unit.notify(characteristic, em.encode(15, b"\x00"))  # low battery
        await rec.wait_for(has(UnitNote, 3))
        assert rec.recorder.unit_notes == (
            "program 9 · the unit reports an overload (check the electrodes) · "
            "the unit reports a low battery"
        )
        unit.leave()
        await rec.wait_for(has(LinkLost))
        unit.come_back()
        await rec.wait_for(has(LinkRestored))
        unit.notify(characteristic, em.encode(12, b"\x00"))  # session stopped
        unit.running, unit.level = 0, 0
        await rec.wait_for(has(StimulationStopped, 2))
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)

    assert_events(
        [e for e in rec.events if not isinstance(e, UnitNote) or e.topic != "overload" or e.text],
        [
            like(Connected),
            like(UnitNote, topic="program", text="program 9"),
            StimulationStopped,
            like(StimulationStarted, intensity=3),
            like(IntensityChanged, intensity=5),
            like(UnitNote, topic="overload", text=em.OVERLOAD_TEXT),
            like(UnitNote, topic="battery", text=em.LOW_BATTERY_TEXT),
            LinkLost,
            LinkRestored,
            like(StimulationStarted, intensity=5),
            StimulationStopped,
        ],
    )
    assert rec.recorder.unit_notes == "program 9 · the unit reports a low battery"
    [session] = rec.sessions()
    assert session.state is SessionState.COMPLETE
    assert session.source == "beurer-em70"
    assert [p.value for p in session.intensity] == [3, 5]
    # Read-only: nothing was refused, and only the two queries were ever written.
    assert unit.refused == []
    assert {data for _, data in unit.writes} == {em.STATE_QUERY, em.VERSION_QUERY}


async def test_the_driver_refuses_to_send_anything_off_its_allow_list(air) -> None:
    characteristic = CHARACTERISTICS[0]
    unit = fake_em70(air, characteristic)
    driver = emulated(air)
    from bleak import BleakClient

    async with BleakClient(unit.address, backend=air.client_backend) as client:
        char = client.services.get_characteristic(characteristic)
        for command in (1, 2, 3, 4, 5, 6, 13):
            with pytest.raises(ForbiddenWrite):
                await driver._send(client, char, em.encode(command, b"\x00"))
        await driver._send(client, char, em.STATE_QUERY)
        # And the fake unit itself fails a test on any other write that got past a driver.
        with pytest.raises(WriteRefused):
            await client.write_gatt_char(char, em.encode(1, b"\x00"), response=True)
    assert [data for _, data in unit.writes] == [em.STATE_QUERY, em.encode(1, b"\x00")]
    assert unit.refused == [(char.uuid, em.encode(1, b"\x00"))]
