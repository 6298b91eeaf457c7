"""Emulated BLE units the driver, link and fault tests share: the Open-tDCS firmware's
notifications and the UUIDs of the profiles under test, reached through bleak's own
BleakScanner/BleakClient by the fake airspace (tenslog.testing.ble)."""

from __future__ import annotations

import asyncio
import struct

from tenslog.testing import Airspace, FakePeripheral
from tenslog_ble.link import ProfileLinkDriver

TDCS = "a1b2c3d4-1234-5678-abcd-ef0123456789"
MEAS = "a1b2c3d5-1234-5678-abcd-ef0123456789"
TIMER = "a1b2c3d6-1234-5678-abcd-ef0123456789"
ZC_STREAM = "ac7744c0-0bad-11ef-a9cd-0800200c9a00"
ZC_CONTROL = "ac7744c0-0bad-11ef-a9cd-0800200c9b00"
ZC_DIAL1 = "ac7744c0-0bad-11ef-a9cd-0800200c9b01"


def emulated(driver: ProfileLinkDriver, air: Airspace) -> ProfileLinkDriver:
    """The driver's bleak scanner and client reach the fake peripherals in ``air``."""
    driver.scanner_backend, driver.client_backend = air.scanner_backend, air.client_backend
    driver.scan_seconds = 0.5
    return driver


class TdcsUnit:
    """Open-tDCS firmware behaviour: both characteristics notify every period."""

    def __init__(self, air: Airspace) -> None:
        self.air = air
        self.set_ua, self.remaining, self.long_frames = 50, 0, True
        self.p: FakePeripheral = air.add(
            FakePeripheral(
                "C0:FF:EE:00:00:01",
                "tDCS",
                [TDCS],
                {TDCS: {MEAS: ["read", "notify"], TIMER: ["read", "write", "notify"]}},
            )
        )
        self._frames()
        self.task = asyncio.create_task(self._run())

    def _frames(self) -> None:
        meas = struct.pack("<6H", self.set_ua, self.set_ua, 3700, 1200, 2000, 4000)
        self.long_frames = not self.long_frames  # the firmware's 12 bytes and the doc's 10
        self.p.notify(MEAS, meas if self.long_frames else meas[:10])
        self.p.notify(TIMER, struct.pack("<4H", 1000, self.remaining, 30, 30))

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(0.02)
            self._frames()
