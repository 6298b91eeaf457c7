"""BLE drivers against an emulated peripheral behind bleak's real BleakScanner/BleakClient,
recorded by the real Recorder and Store. Every write reaching the backend is counted."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from support.ble_units import MEAS, TIMER, ZC_CONTROL, ZC_DIAL1, ZC_STREAM, TdcsUnit, emulated
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
from tenslog.testing import FakePeripheral, assert_events, at_level, has, like
from tenslog.testing.ble import FakeScanner
from tenslog_ble.opentdcs import OpenTdcsBleDriver
from tenslog_ble.profile_driver import ProfileBleDriver


def test_registered() -> None:
    assert load_driver("ble-profile") is ProfileBleDriver
    assert load_driver("opentdcs-ble") is OpenTdcsBleDriver


async def test_opentdcs_ble_session_with_a_dropped_link(recording, air) -> None:
    unit = TdcsUnit(air)
    driver = emulated(OpenTdcsBleDriver(reconnect_cap="0.2"), air)
    [found] = await driver.discover(0.2)
    rec = recording(driver.clock)
    task = asyncio.create_task(rec.run(driver.events(found.identity)))
    try:
        await rec.wait_for(has(Connected))
        await rec.wait_for(has(StimulationStopped))  # idle: the 50 uA test current is not "on"
        unit.set_ua, unit.remaining = 500, 600
        await rec.wait_for(at_level(0.5))
        unit.set_ua = 1000
        await rec.wait_for(at_level(1.0))
        unit.p.leave()  # out of range: the link drops
        await rec.wait_for(has(LinkLost))
        unit.set_ua = 1500
        await asyncio.sleep(0.2)
        unit.p.come_back()
        await rec.wait_for(has(LinkRestored))
        await rec.wait_for(at_level(1.5))
        unit.set_ua, unit.remaining = 50, 0
        await rec.wait_for(has(StimulationStopped, 2))
    finally:
        task.cancel()
        unit.task.cancel()
        await asyncio.gather(task, unit.task, return_exceptions=True)

    assert_events(
        rec.events,
        [
            Connected,
            StimulationStopped,
            like(StimulationStarted, intensity=0.5),
            like(IntensityChanged, intensity=1.0),
            LinkLost,
            LinkRestored,  # by the first valid notification, not by the new connection
            like(StimulationStarted, intensity=1.5),
            StimulationStopped,
        ],
    )
    [session] = rec.sessions()
    assert session.state is SessionState.COMPLETE
    assert [p.value for p in session.intensity] == [0.5, 1.0, 1.5]
    [gap] = session.gaps
    assert gap.restored_at is not None
    assert session.unit is not None and session.unit.scale.kind == "mA"
    assert unit.p.connections == 2
    assert unit.p.writes == []  # never a write: above all, never to Timer
    assert sorted(unit.p.cccd_writes) == sorted([MEAS, TIMER] * 2)  # start_notify, per connection


async def test_zc95_profile_reads_the_dial_then_follows_notifications(recording, air) -> None:
    zc = air.add(
        FakePeripheral(
            "C0:FF:EE:00:00:95",
            "ZC95",
            [ZC_STREAM, "180f"],
            {
                ZC_CONTROL: {
                    ZC_DIAL1: ["read", "notify"],
                    ZC_CONTROL[:-2] + "11": ["write-without-response"],
                }
            },
            values={ZC_DIAL1: (250).to_bytes(2, "little")},
        )
    )
    air.add(FakePeripheral("C0:FF:EE:00:00:02", "SomeWatch", ["180d"], {"180d": {"2a37": ["notify"]}}))
    driver = emulated(ProfileBleDriver(profile="zc95", reconnect_cap="0.2"), air)
    found = await driver.discover(0.2)
    assert [f.identity for f in found] == ["zc95@C0:FF:EE:00:00:95"]
    rec = recording(driver.clock)
    task = asyncio.create_task(rec.run(driver.events()))
    try:
        await rec.wait_for(at_level(250))  # read once at connect: the dial was already up
        zc.notify(ZC_DIAL1, (400).to_bytes(2, "little"))
        zc.notify(ZC_DIAL1, b"\x01")  # too short: skipped and counted
        zc.notify(ZC_DIAL1, (5000).to_bytes(2, "little"))  # above the scale: skipped
        await rec.wait_for(at_level(400))
        zc.notify(ZC_DIAL1, (0).to_bytes(2, "little"))
        await rec.wait_for(has(StimulationStopped))
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
    [session] = rec.sessions()
    assert [p.value for p in session.intensity] == [250, 400]
    assert zc.writes == [] and zc.reads == [ZC_DIAL1.lower()]
    assert driver.skipped == 2


async def test_coyote_profile_skips_other_messages(recording, air) -> None:
    coyote = air.add(
        FakePeripheral(
            "C0:FF:EE:00:00:03",
            "47L121000",
            ["180c"],
            {"180c": {"150a": ["write"], "150b": ["notify"]}, "180a": {"1500": ["read", "notify"]}},
        )
    )
    driver = emulated(ProfileBleDriver(profile="coyote-v3"), air)
    rec = recording(driver.clock)
    task = asyncio.create_task(rec.run(driver.events()))
    try:
        await rec.wait_for(has(Connected))
        await asyncio.sleep(0.05)
        coyote.notify("150b", bytes([0xB1, 0, 12, 30]))
        coyote.notify("150b", bytes([0xBE, 200, 200, 160, 160, 0, 0]))  # soft limits: not ours
        coyote.notify("150b", bytes([0xB1, 0, 15, 30]))
        await rec.wait_for(at_level(15))
        coyote.notify("150b", bytes([0xB1, 0, 0, 30]))
        await rec.wait_for(has(StimulationStopped))
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
    assert [p.value for p in rec.sessions()[0].intensity] == [12, 15]
    assert coyote.writes == [] and coyote.cccd_writes == ["0000150b-0000-1000-8000-00805f9b34fb"]


async def test_unit_out_of_range_at_first_is_waited_for(recording, air) -> None:
    unit = TdcsUnit(air)
    unit.p.in_range = False
    driver = emulated(OpenTdcsBleDriver(reconnect_cap="0.1"), air)
    driver.scan_seconds = 0.1
    rec = recording(driver.clock)
    task = asyncio.create_task(rec.run(driver.events()))
    try:
        await asyncio.sleep(0.4)
        assert rec.events == []
        unit.p.in_range = True
        await rec.wait_for(has(Connected))
    finally:
        task.cancel()
        unit.task.cancel()
        await asyncio.gather(task, unit.task, return_exceptions=True)
    assert unit.p.writes == []


def test_user_profile_from_a_file(tmp_path: Path) -> None:
    path = tmp_path / "mytens.toml"
    path.write_text(
        'name = "My TENS"\n[match]\nnames = ["MYTENS*"]\n[scale]\nkind = "level"\nmaximum = 20\n'
        '[intensity]\nservice = "fff0"\ncharacteristic = "fff1"\noffset = 3\n'
    )
    driver = ProfileBleDriver(profile=str(path))
    [profile] = driver.candidate_profiles()
    assert profile.id == "mytens" and profile.intensity.characteristic.startswith("0000fff1")
    assert profile.match.accepts("MYTENS-1234", [])
    extra = ProfileBleDriver(profiles_dir=str(tmp_path))
    assert "mytens" in extra.profiles and "zc95" in extra.profiles


GOOD = (
    'name = "X"\n[match]\nnames = ["X"]\n[scale]\nkind = "level"\n'
    '[intensity]\nservice = "fff0"\ncharacteristic = "fff1"\n'
)


@pytest.mark.parametrize(
    ("body", "named"),
    [
        (GOOD + "width = 5\n", "intensity.width"),
        (GOOD.replace('"level"', '"volts"'), "scale.kind"),
        (GOOD.replace('"fff0"', '"zz"'), "intensity.service"),
        (GOOD.replace('names = ["X"]\n', ""), "match"),
        (GOOD + "colour = 1\n", "intensity.colour"),
        ("name = [", "TOML"),
    ],
)
def test_bad_profiles_name_the_field(tmp_path: Path, body: str, named: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(body)
    with pytest.raises(DriverOptionError, match=named) as caught:
        ProfileBleDriver(profile=str(path))
    assert "'profile'" in str(caught.value) and "bad.toml" in str(caught.value)


def test_unknown_profile_and_options_are_named() -> None:
    with pytest.raises(DriverOptionError, match="no profile 'nope'"):
        ProfileBleDriver(profile="nope")
    with pytest.raises(DriverOptionError, match="'address'"):
        OpenTdcsBleDriver(address="x")


class NoAdapterScanner(FakeScanner):
    async def start(self) -> None:
        from bleak.exc import BleakError

        raise BleakError("No Bluetooth adapters found.")


async def test_no_adapter_is_said_at_once(air) -> None:
    from tenslog_ble.link import BluetoothUnavailable

    driver = emulated(OpenTdcsBleDriver(), air)
    driver.scanner_backend = NoAdapterScanner
    with pytest.raises(BluetoothUnavailable, match="No Bluetooth adapters"):
        await driver.discover(0.1)
    with pytest.raises(BluetoothUnavailable):
        async for _ in driver.events():
            pass
