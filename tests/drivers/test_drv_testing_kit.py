"""The driver-test kit (tenslog.testing) does what a driver author relies on: the fake serial
unit is a real port to pyserial, the fake BLE peripheral answers bleak's own client and scanner
and refuses writes off its allow-list, and the event assertions say plainly what differed."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from collections.abc import AsyncGenerator
from unittest.mock import ANY

import pytest
import serial
from bleak import BleakClient, BleakScanner

from tenslog.driver.events import (
    Connected,
    DeviceEvent,
    IntensityChanged,
    LinkLost,
    StimulationStarted,
    StimulationStopped,
    UnitInfo,
)
from tenslog.model import IntensityScale
from tenslog.testing import (
    Airspace,
    FakePeripheral,
    WriteRefused,
    assert_events,
    collect_events,
    fake_serial_port,
    has,
    like,
    watch_events,
)

UNIT = UnitInfo("acme", "acme-1", "ACME", IntensityScale(kind="level", maximum=9))
SAID: list[DeviceEvent] = [
    Connected(100.0, UNIT),
    StimulationStarted(101.0, 3),
    IntensityChanged(102.5, 5),
    StimulationStopped(110.0),
]


# -- assert_events ---------------------------------------------------------------------------
def test_events_match_by_kind_and_fields_with_times_ignored() -> None:
    assert_events(
        SAID,
        [
            Connected,  # a kind alone
            StimulationStarted(0, 3),  # an event: every field but the time
            like(IntensityChanged, intensity=5),  # the fields named only
            StimulationStopped(at=ANY),
        ],
    )


def test_a_difference_is_shown_as_a_diff_of_the_events_that_differ() -> None:
    with pytest.raises(AssertionError) as failed:
        assert_events(SAID, [Connected, like(StimulationStarted, intensity=3), StimulationStopped])
    assert str(failed.value) == (
        "the driver's events differ from those expected (times ignored):\n"
        "@@ -1,3 +1,4 @@\n"
        " Connected()\n"
        " StimulationStarted(intensity=3)\n"
        "+IntensityChanged(intensity=5)\n"
        " StimulationStopped()"
    )


def test_times_are_compared_only_when_asked() -> None:
    assert_events(SAID[1:2], [StimulationStarted(1.0, 3)])
    with pytest.raises(AssertionError, match=r"times compared[\s\S]*-StimulationStarted\(at=1.0, intensity=3\)\n\+StimulationStarted\(at=101.0, intensity=3\)"):
        assert_events(SAID[1:2], [StimulationStarted(1.0, 3)], times=True)


def test_ignored_kinds_are_left_out_first() -> None:
    assert_events([*SAID[:2], LinkLost(105.0), *SAID[2:]], SAID, ignore=[LinkLost])


def test_like_names_a_field_the_event_does_not_have() -> None:
    with pytest.raises(TypeError, match="StimulationStopped has no field 'intensity'"):
        like(StimulationStopped, intensity=0)


# -- collect_events / watch_events -----------------------------------------------------------
class Stream:
    """A driver's stream: says ``events``, then waits (or fails with ``crash``)."""

    def __init__(self, events: list[DeviceEvent], crash: Exception | None = None) -> None:
        self.events, self.crash, self.closed = events, crash, False

    async def __call__(self) -> AsyncGenerator[DeviceEvent, None]:
        try:
            for event in self.events:
                yield event
            if self.crash is not None:
                raise self.crash
            await asyncio.Event().wait()  # the link stays until the consumer lets go
        finally:
            self.closed = True


async def test_collect_stops_when_the_condition_holds_and_closes_the_stream() -> None:
    stream = Stream(SAID)
    got = await collect_events(stream(), until=has(StimulationStarted))
    assert got == SAID[:2] and stream.closed


async def test_collect_fails_with_what_the_driver_said_if_the_bound_passes_first() -> None:
    stream = Stream(SAID[:2])
    with pytest.raises(AssertionError) as failed:
        await collect_events(stream(), until=has(StimulationStopped), timeout=0.2)
    assert str(failed.value) == (
        "no StimulationStopped within 0.2 s; the driver said:\n"
        "Connected(unit=UnitInfo(driver='acme', identity='acme-1', name='ACME', "
        f"scale={UNIT.scale!r}, capabilities={UNIT.capabilities!r}))\n"
        "StimulationStarted(intensity=3)"
    )
    assert stream.closed


async def test_collect_says_when_the_stream_ended_before_the_condition() -> None:
    async def short() -> AsyncGenerator[DeviceEvent, None]:
        yield SAID[0]

    with pytest.raises(AssertionError, match=r"^the stream ended before 2 × Connected; the driver said:\nConnected\("):
        await collect_events(short(), until=has(Connected, 2))
    assert await collect_events(short()) == SAID[:1]


async def test_watch_raises_the_drivers_own_crash_and_closes_the_stream() -> None:
    stream = Stream(SAID[:1], crash=OSError("port vanished"))
    with pytest.raises(OSError, match="port vanished"):
        async with watch_events(stream()) as seen:
            await seen.wait_for(has(StimulationStarted))
    assert stream.closed and seen.events == SAID[:1]


# -- the fake serial unit --------------------------------------------------------------------
def test_the_fake_serial_unit_is_a_real_port_to_pyserial() -> None:
    with fake_serial_port() as unit:
        port = serial.Serial(unit.port, 115200, timeout=5)
        unit.write(b"ON 3\r\n")
        assert port.readline() == b"ON 3\r\n"
        port.write(b"STATUS?\n")
        port.flush()
        assert unit.read() == b"STATUS?\n" and unit.received == b"STATUS?\n"
        unit.unplug()  # the cable is pulled under the open port
        with pytest.raises(serial.SerialException):
            port.read(1)
        port.close()
        unit.plug()  # back, behind the same path
        again = serial.Serial(unit.port, 115200, timeout=5)
        unit.write(b"OFF\r\n")
        assert again.readline() == b"OFF\r\n"
        again.close()
    assert unit.received == b"STATUS?\n"


async def test_a_talking_unit_repeats_its_line_until_hushed() -> None:
    state = {"line": b"ON 3\r\n"}
    with fake_serial_port() as unit:
        unit.talk(lambda: state["line"], period=0.01)
        port = serial.Serial(unit.port, 115200, timeout=5)
        assert await asyncio.to_thread(port.readline) == b"ON 3\r\n"
        state["line"] = b"OFF\r\n"
        while (line := await asyncio.to_thread(port.readline)) == b"ON 3\r\n":
            pass
        assert line == b"OFF\r\n" and unit.talking
        unit.hush()
        assert not unit.talking
        port.close()


# -- the fake BLE peripheral -----------------------------------------------------------------
SERVICE, LEVEL, CONTROL = "fff0", "fff1", "fff2"
QUERY = b"\x01"  # a harmless status query this unit's driver may send


def unit_on(air: Airspace) -> FakePeripheral:
    return air.add(
        FakePeripheral(
            "C0:FF:EE:00:00:07",
            "MyTENS",
            [SERVICE],
            {SERVICE: {LEVEL: ["read", "notify"], CONTROL: ["write"]}},
            values={LEVEL: b"\x04"},
            allowed_writes=[(CONTROL, QUERY)],
        )
    )


async def test_bleaks_own_client_reads_and_subscribes_and_only_allowed_writes_pass() -> None:
    air = Airspace()
    unit = unit_on(air)
    found = await BleakScanner.discover(0.2, backend=air.scanner_backend)
    assert [d.name for d in found] == ["MyTENS"]
    heard: list[bytes] = []
    async with BleakClient(found[0], backend=air.client_backend) as client:
        assert await client.read_gatt_char(LEVEL) == b"\x04"
        await client.start_notify(LEVEL, lambda _, data: heard.append(bytes(data)))
        unit.notify(LEVEL, b"\x05")
        await client.write_gatt_char(CONTROL, QUERY, response=True)
        with pytest.raises(WriteRefused, match=r"refuses the write b'\\x02'"):
            await client.write_gatt_char(CONTROL, b"\x02", response=True)  # e.g. "intensity up"
    control = "0000fff2-0000-1000-8000-00805f9b34fb"
    assert heard == [b"\x05"]
    assert unit.writes == [(control, QUERY), (control, b"\x02")]
    assert unit.refused == [(control, b"\x02")]
    assert unit.cccd_writes == ["0000fff1-0000-1000-8000-00805f9b34fb"] and unit.connections == 1


async def test_a_peripheral_out_of_range_drops_the_link_and_is_not_found() -> None:
    air = Airspace()
    unit = unit_on(air)
    dropped = asyncio.Event()
    client = BleakClient(unit.address, backend=air.client_backend, disconnected_callback=lambda _: dropped.set())
    await client.connect()
    unit.leave()
    async with asyncio.timeout(5):
        await dropped.wait()
    assert not client.is_connected
    assert await BleakScanner.discover(0.2, backend=air.scanner_backend) == []
    unit.come_back()
    assert [d.address for d in await BleakScanner.discover(0.2, backend=air.scanner_backend)] == [unit.address]


def test_the_kit_loads_no_test_framework_and_no_dashboard() -> None:
    code = (
        "import sys, tenslog.testing.events, tenslog.testing.serial_port, tenslog.testing.ble\n"
        "print(sorted({'pytest', '_pytest', 'hypothesis', 'textual'} & set(sys.modules)))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
