"""The Bluetooth side shared by the BLE drivers: scan with a filter, connect with
bleak-retry-connector (a fresh BleakClient and BLEDevice per connection, its 20 s connect
timeout, disconnect on any failure), subscribe, decode, and reconnect after a drop with capped
exponential back-off. It never writes a characteristic; start_notify's CCCD write is the one
write, and reads happen once per connection to learn the current state."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncGenerator, Sequence
from typing import Any

from bleak import BleakClient, BleakScanner
from bleak.backends.client import BaseBleakClient
from bleak.backends.device import BLEDevice
from bleak.backends.scanner import AdvertisementData, BaseBleakScanner
from bleak.exc import BleakError
from bleak_retry_connector import establish_connection
from pydantic import Field

from tenslog.capture import Record
from tenslog.driver import Driver, FoundUnit
from tenslog.driver.backoff import Backoff, cap_within_grace
from tenslog.driver.events import Connected, DeviceEvent, LinkLost, LinkRestored, UnitInfo
from tenslog.driver.options import DriverOptions
from tenslog.driver.tracking import ReadingTracker
from tenslog_ble.decode import ProfileDecoder
from tenslog_ble.profile import Profile

_DROPPED = object()


class BluetoothUnavailable(OSError):
    """No adapter, BlueZ not running, or no permission to scan."""


class ProfileLinkDriver(Driver):
    """A BLE driver whose unit is described by a Profile. Tests inject fake backends by
    setting ``scanner_backend`` / ``client_backend`` (never a user option), e.g. those of a
    ``tenslog.testing.Airspace``."""

    transport = "ble"
    scanner_backend: type[BaseBleakScanner] | None = None
    client_backend: type[BaseBleakClient] | None = None
    scan_seconds: float = 10.0
    reconnect_first: float = 0.5
    reconnect_cap: float = 60.0
    skipped: int = 0  # notifications that did not decode, over all connections

    class Options(DriverOptions):
        scan_seconds: float = Field(
            10.0, ge=1, le=600, description="how long one scan looks for the unit, in seconds"
        )
        reconnect_cap: float = Field(
            60.0, ge=0.05, le=3600, description="longest wait in seconds between reconnect attempts"
        )

    options: Options

    def __init__(self, /, **options: str) -> None:
        super().__init__(**options)
        self.scan_seconds = self.options.scan_seconds
        self.reconnect_cap = self.options.reconnect_cap
        self.reconnect_first = min(self.reconnect_first, self.reconnect_cap)

    def candidate_profiles(self) -> list[Profile]:
        raise NotImplementedError

    def replay(self, records: Sequence[Record]) -> list[DeviceEvent]:
        """The capture through the one profile chosen (ble-profile: --option profile=ID)."""
        profiles = self.candidate_profiles()
        if len(profiles) != 1:
            known = ", ".join(sorted(p.id for p in profiles)) or "none"
            raise ValueError(f"choose the profile to replay with: --profile ID (known: {known})")
        decoder, tracker = ProfileDecoder(profiles[0]), ReadingTracker()
        events: list[DeviceEvent] = []
        for record in records:
            reading = None if record.mark else decoder.feed(record.source, record.data, record.t)
            if reading is not None:
                events += tracker.feed(reading)
        return events

    def _backend(self, kind: str) -> dict[str, Any]:
        backend = self.scanner_backend if kind == "scanner" else self.client_backend
        return {} if backend is None else {"backend": backend}

    def _profile_for(
        self, device: BLEDevice, adv: AdvertisementData, only: str = ""
    ) -> Profile | None:
        name = adv.local_name or device.name
        return next(
            (
                p
                for p in self.candidate_profiles()
                if (not only or p.id == only) and p.match.accepts(name, adv.service_uuids)
            ),
            None,
        )

    # -- Driver -----------------------------------------------------------------------------
    async def discover(self, timeout: float = 5.0) -> list[FoundUnit]:
        try:
            seen = await BleakScanner.discover(timeout, return_adv=True, **self._backend("scanner"))
        except (BleakError, OSError) as exc:  # no adapter, BlueZ not running, no permission
            raise BluetoothUnavailable(f"Bluetooth is not available: {exc}") from exc
        found = []
        for device, adv in seen.values():
            profile = self._profile_for(device, adv)
            if profile is not None:
                detail = f"{adv.local_name or device.name or '?'} {device.address}, RSSI {adv.rssi}"
                found.append(
                    FoundUnit(self.name, f"{profile.id}@{device.address}", profile.name, detail)
                )
        return found

    async def events(self, identity: str | None = None) -> AsyncGenerator[DeviceEvent, None]:
        wanted_profile, _, given = (identity or "").rpartition("@")
        address = given or None

        def wanted(device: BLEDevice, adv: AdvertisementData) -> bool:
            if address is not None and device.address.upper() != address.upper():
                return False
            return self._profile_for(device, adv, wanted_profile) is not None

        cap = cap_within_grace(self.reconnect_cap, self.grace_seconds)
        backoff = Backoff(first=min(self.reconnect_first, cap), cap=cap)
        tracker = ReadingTracker()
        announced = False
        link_up = False  # as last told to the recorder
        loop = asyncio.get_running_loop()
        while True:
            queue: asyncio.Queue[tuple[object, bytes, float]] = asyncio.Queue()
            try:
                client = await self._connect(wanted, wanted_profile, queue)
            except BluetoothUnavailable:
                if not announced:
                    raise  # never connected: tell the user now rather than wait in silence
                client = None  # the adapter went away mid-recording: keep trying
            if client is None:
                await asyncio.sleep(backoff.next_delay())
                continue
            profile, bleak_client, unit = client
            decoder = ProfileDecoder(profile)
            tracker.reset()  # the first reading after a (re)connect re-announces the state
            # A unit that notifies periodically and falls silent is lost (at the last valid
            # notification); one that notifies only on change (a dial) has no such limit.
            silence = profile.silence_seconds
            try:
                if not announced:
                    announced = link_up = True
                    yield Connected(self.clock(), unit)
                # After a reconnect the link counts as restored only when a valid reading
                # arrives: a connection alone says nothing about the unit's state.
                last_heard = self.clock()
                quiet_since = loop.time()
                await self._read_current(bleak_client, profile, queue)
                while True:
                    try:
                        async with asyncio.timeout_at(
                            None if silence is None else quiet_since + silence
                        ):
                            source, data, at = await queue.get()
                    except TimeoutError:
                        if link_up:
                            link_up = False
                            yield LinkLost(last_heard, "unit silent")
                        break  # let go of a silent connection and connect afresh
                    if source is _DROPPED:
                        if link_up:
                            link_up = False
                            yield LinkLost(at, "bluetooth link dropped")
                        break
                    reading = decoder.feed(str(source), data, at)
                    if reading is None:
                        continue  # not valid: it neither restores the link nor keeps it alive
                    last_heard = at
                    quiet_since = loop.time()
                    backoff.succeeded()  # the connection proved itself
                    if not link_up:
                        link_up = True
                        tracker.reset()
                        yield LinkRestored(at)
                    for event in tracker.feed(reading):
                        yield event
            finally:
                self.skipped += decoder.skipped
                with contextlib.suppress(Exception):
                    await bleak_client.disconnect()
            await asyncio.sleep(backoff.next_delay())

    async def _connect(
        self, wanted: Any, only: str, queue: asyncio.Queue[tuple[object, bytes, float]]
    ) -> tuple[Profile, BleakClient, UnitInfo] | None:
        found = await self._find(wanted)
        if found is None:
            return None
        device, adv = found
        profile = self._profile_for(device, adv, only)
        assert profile is not None

        def dropped(_client: BleakClient) -> None:
            queue.put_nowait((_DROPPED, b"", self.clock()))

        def notified(characteristic: Any, data: bytearray) -> None:
            queue.put_nowait((characteristic.uuid, bytes(data), self.clock()))

        client: BleakClient | None = None
        try:
            client = await establish_connection(
                BleakClient,
                device,
                profile.name,
                disconnected_callback=dropped,
                max_attempts=3,
                **self._backend("client"),
            )
            for uuid in profile.characteristics:
                await client.start_notify(uuid, notified)  # writes only the CCCD
        except Exception:  # noqa: BLE001 - any failure: let go of the adapter, back off, try again
            if client is not None:
                with contextlib.suppress(Exception):
                    await client.disconnect()
            return None
        unit = UnitInfo(
            self.name,
            f"{profile.id}@{device.address}",
            profile.name,
            profile.scale,
            self.capabilities,
        )
        return profile, client, unit

    async def _find(self, wanted: Any) -> tuple[BLEDevice, AdvertisementData] | None:
        """A fresh BLEDevice with its advertisement, from a new scan."""
        result: asyncio.Future[tuple[BLEDevice, AdvertisementData]] = (
            asyncio.get_running_loop().create_future()
        )

        def seen(device: BLEDevice, adv: AdvertisementData) -> None:
            if not result.done() and wanted(device, adv):
                result.set_result((device, adv))

        try:
            async with BleakScanner(seen, **self._backend("scanner")):
                try:
                    async with asyncio.timeout(self.scan_seconds):  # cancel-safe, unlike wait_for
                        return await result
                except TimeoutError:
                    return None
        except (BleakError, OSError) as exc:
            raise BluetoothUnavailable(f"Bluetooth is not available: {exc}") from exc

    async def _read_current(
        self, client: BleakClient, profile: Profile, queue: asyncio.Queue
    ) -> None:
        """Read each readable characteristic once, so a unit that only notifies on change (a
        dial) still tells its state now. Reading changes nothing on the unit."""
        for uuid in profile.characteristics:
            char = client.services.get_characteristic(uuid)
            if char is None or "read" not in char.properties:
                continue
            with contextlib.suppress(Exception):
                data = await client.read_gatt_char(char)
                queue.put_nowait((char.uuid, bytes(data), self.clock()))
