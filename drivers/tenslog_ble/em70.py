"""beurer-em70: the Beurer EM 70 Wireless (TENS/EMS) over Bluetooth LE, read-only.

It subscribes to the unit's one characteristic (either of the two UUIDs the sources give) and
writes nothing but the two queries in ``em70_frames.ALLOWED_WRITES``: the state query, once per
``poll_seconds`` (the unit reports its full state only when asked, as the capture shows), and
the version query once per connection. Every write passes ``_send``, which refuses any other
frame, so a stimulation command (1-6, 13) cannot leave this driver."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncGenerator, Sequence
from typing import Any

from bleak import BleakClient, BleakScanner
from bleak.backends.characteristic import BleakGATTCharacteristic
from bleak.backends.client import BaseBleakClient
from bleak.backends.device import BLEDevice
from bleak.backends.scanner import AdvertisementData, BaseBleakScanner
from bleak.exc import BleakError
from bleak_retry_connector import establish_connection
from pydantic import Field

from tenslog.capture import Record
from tenslog.driver import Driver, FoundUnit
from tenslog.driver.backoff import Backoff, cap_within_grace
from tenslog.driver.events import (
    Connected,
    DeviceEvent,
    LinkLost,
    LinkRestored,
    UnitInfo,
    UnitNote,
)
from tenslog.driver.options import DriverOptions
from tenslog.driver.tracking import Reading, ReadingTracker
from tenslog.model import Capabilities, IntensityScale
from tenslog_ble import em70_frames as em
from tenslog_ble.link import BluetoothUnavailable

SERVICE = "646687fb-033f-9393-6ca2-0e9401adeb32"  # BLE_Emulator_JAVA/Constants.java
# Constants.java names the first; BLE_Emulator_Python/server.py uses the second. Either is used.
CHARACTERISTICS = (
    "646687fb-033f-9393-6ca2-0e9401ad2a30",
    "64668730-033f-9393-6ca2-0e9401adeb32",
)
NAMES = ("EM 70", "EM70", "LT1102")  # name prefixes: not verified on a real unit
_DROPPED = object()


class ForbiddenWrite(RuntimeError):
    """A frame off the allow-list reached the sending code: a bug, refused before the radio."""


class Em70Driver(Driver):
    """Reads the level, on/off and the end of a session; shows the program, overload and low
    battery live. Sends only the state and version queries, never a setting."""

    # Tests set scanner_backend / client_backend: bleak's backend= hook, never a user option.

    name = "beurer-em70"
    title = "Beurer EM 70 Wireless (Bluetooth LE)"
    transport = "ble"
    capabilities = Capabilities(reports_on_off=True, reports_intensity=True)
    scale = IntensityScale(kind="level")  # the unit's own levels; its maximum is not verified
    scanner_backend: type[BaseBleakScanner] | None = None
    client_backend: type[BaseBleakClient] | None = None
    reconnect_first: float = 0.5
    skipped: int = 0  # notifications that did not decode
    _program: int | None = None  # the program last announced (a note only when it changes)

    class Options(DriverOptions):
        address: str | None = Field(
            None, description="the unit's Bluetooth address (default: the first EM 70 found)"
        )
        scan_seconds: float = Field(
            10.0, ge=0.1, le=600, description="how long one scan looks for the unit, in seconds"
        )
        poll_seconds: float = Field(
            1.0, ge=0.2, le=30, description="how often the unit's state is asked for, in seconds"
        )
        reconnect_cap: float = Field(
            60.0, ge=0.05, le=3600, description="longest wait in seconds between reconnect attempts"
        )

    options: Options

    def _backend(self, scanner: bool) -> dict[str, Any]:
        backend = self.scanner_backend if scanner else self.client_backend
        return {} if backend is None else {"backend": backend}

    def _is_em70(self, device: BLEDevice, adv: AdvertisementData, address: str | None) -> bool:
        if address is not None:
            return device.address.upper() == address.upper()
        name = adv.local_name or device.name or ""
        return SERVICE in [u.lower() for u in adv.service_uuids] or name.startswith(NAMES)

    async def discover(self, timeout: float = 5.0) -> list[FoundUnit]:
        try:
            seen = await BleakScanner.discover(timeout, return_adv=True, **self._backend(True))
        except (BleakError, OSError) as exc:
            raise BluetoothUnavailable(f"Bluetooth is not available: {exc}") from exc
        return [
            FoundUnit(self.name, device.address, "Beurer EM 70",
                      f"{adv.local_name or device.name or '?'} {device.address}, RSSI {adv.rssi}")
            for device, adv in seen.values()
            if self._is_em70(device, adv, self.options.address)
        ]

    async def events(self, identity: str | None = None) -> AsyncGenerator[DeviceEvent, None]:
        address = identity or self.options.address
        cap = cap_within_grace(self.options.reconnect_cap, self.grace_seconds)
        backoff = Backoff(first=min(self.reconnect_first, cap), cap=cap)
        tracker = ReadingTracker()
        silence = max(5.0, 5 * self.options.poll_seconds)  # it answers every query it gets
        announced = link_up = False
        self._program: int | None = None
        loop = asyncio.get_running_loop()
        while True:
            queue: asyncio.Queue[tuple[object, bytes, float]] = asyncio.Queue()
            try:
                linked = await self._connect(address, queue)
            except BluetoothUnavailable:
                if not announced:
                    raise
                linked = None
            if linked is None:
                await asyncio.sleep(backoff.next_delay())
                continue
            client, char, unit = linked
            tracker.reset()
            poller = asyncio.create_task(self._poll(client, char))
            try:
                if not announced:
                    announced = link_up = True
                    yield Connected(self.clock(), unit)
                last_heard = self.clock()
                quiet_since = loop.time()
                while True:
                    try:
                        async with asyncio.timeout_at(quiet_since + silence):
                            source, data, at = await queue.get()
                    except TimeoutError:
                        if link_up:
                            link_up = False
                            yield LinkLost(last_heard, "unit silent")
                        break
                    if source is _DROPPED:
                        if link_up:
                            link_up = False
                            yield LinkLost(at, "bluetooth link dropped")
                        break
                    message = em.decode(data)
                    if message is None:
                        self.skipped += 1
                        continue  # not valid: neither restores the link nor keeps it alive
                    last_heard, quiet_since = at, loop.time()
                    backoff.succeeded()
                    if not link_up:
                        link_up = True
                        tracker.reset()
                        yield LinkRestored(at)
                    for event in self._events_of(message, at, tracker):
                        yield event
            finally:
                poller.cancel()
                with contextlib.suppress(BaseException):
                    await poller
                with contextlib.suppress(Exception):
                    await client.disconnect()
            await asyncio.sleep(backoff.next_delay())

    def replay(self, records: Sequence[Record]) -> list[DeviceEvent]:
        tracker = ReadingTracker()
        events: list[DeviceEvent] = []
        for record in records:
            message = None if record.mark else em.decode(record.data)
            if message is not None:
                events += self._events_of(message, record.t, tracker)
        return events

    def _events_of(self, message: em.Message, at: float, tracker: ReadingTracker) -> list[DeviceEvent]:
        """What one decoded frame tells the recorder. On means a level above 0 (the capture's
        idle unit reports 0); command 12 ends the session whatever the level was."""
        events: list[DeviceEvent] = []
        if isinstance(message, em.State | em.Program) and message.program != self._program:
            self._program = message.program
            events.append(UnitNote(at, "program", f"program {message.program}"))
        match message:
            case em.State(intensity=level) | em.Intensity(intensity=level):
                events += tracker.feed(Reading(at, None, float(level)))
            case em.SessionStopped():
                events += tracker.feed(Reading(at, False, None))
                events.append(UnitNote(at, "overload", ""))  # a new session starts clean
            case em.Notice(text=text):
                topic = "overload" if text == em.OVERLOAD_TEXT else "battery"
                events.append(UnitNote(at, topic, text))
        return events

    async def _connect(
        self, address: str | None, queue: asyncio.Queue[tuple[object, bytes, float]]
    ) -> tuple[BleakClient, BleakGATTCharacteristic, UnitInfo] | None:
        device = await self._find(address)
        if device is None:
            return None

        def dropped(_client: BleakClient) -> None:
            queue.put_nowait((_DROPPED, b"", self.clock()))

        def notified(_char: Any, data: bytearray) -> None:
            queue.put_nowait((None, bytes(data), self.clock()))

        client: BleakClient | None = None
        try:
            client = await establish_connection(
                BleakClient, device, "Beurer EM 70", disconnected_callback=dropped,
                max_attempts=3, **self._backend(False),
            )
            char = next(
                c for uuid in CHARACTERISTICS
                if (c := client.services.get_characteristic(uuid)) is not None
            )
            await client.start_notify(char, notified)  # writes only the CCCD
            await self._send(client, char, em.VERSION_QUERY)
        except Exception:  # noqa: BLE001 - any failure (no such characteristic too): let go, back off
            if client is not None:
                with contextlib.suppress(Exception):
                    await client.disconnect()
            return None
        unit = UnitInfo(self.name, device.address, "Beurer EM 70", self.scale, self.capabilities)
        return client, char, unit

    async def _find(self, address: str | None) -> BLEDevice | None:
        found: asyncio.Future[BLEDevice] = asyncio.get_running_loop().create_future()

        def seen(device: BLEDevice, adv: AdvertisementData) -> None:
            if not found.done() and self._is_em70(device, adv, address):
                found.set_result(device)

        try:
            async with BleakScanner(seen, **self._backend(True)):
                try:
                    async with asyncio.timeout(self.options.scan_seconds):
                        return await found
                except TimeoutError:
                    return None
        except (BleakError, OSError) as exc:
            raise BluetoothUnavailable(f"Bluetooth is not available: {exc}") from exc

    async def _poll(self, client: BleakClient, char: BleakGATTCharacteristic) -> None:
        """Ask for the state now and every poll_seconds; a failed write waits for the next."""
        while True:
            with contextlib.suppress(BleakError, OSError):
                await self._send(client, char, em.STATE_QUERY)
            await asyncio.sleep(self.options.poll_seconds)

    @staticmethod
    async def _send(client: BleakClient, char: BleakGATTCharacteristic, frame: bytes) -> None:
        if frame not in em.ALLOWED_WRITES:
            raise ForbiddenWrite(f"refused to send {frame.hex()}: not a query on the allow-list")
        await client.write_gatt_char(char, frame, response="write" in char.properties)
