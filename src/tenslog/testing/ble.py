"""Fake BLE peripherals behind bleak's own ``BleakScanner`` and ``BleakClient``, plugged in
through their public ``backend=`` argument: the driver under test runs its real bleak code
(scanning, connecting, ``start_notify``, reads) against peripherals the test controls::

    air = Airspace()
    unit = air.add(FakePeripheral("C0:FF:EE:00:00:01", "MyTENS", advertised=["fff0"],
                                  gatt={"fff0": {"fff1": ["read", "notify"]}}))
    BleakScanner(backend=air.scanner_backend); BleakClient(address, backend=air.client_backend)
    unit.notify("fff1", b"\\x05")     # the unit reports
    unit.drop()                       # the link breaks from the unit's side

Every write is recorded. A write not on the peripheral's allow-list (empty unless given) is
refused with ``WriteRefused`` and kept in ``refused``: a read-only driver's test asserts
``unit.writes == []``; a driver that sends a harmless status query lists exactly that query in
``allowed_writes`` and fails on any other. ``start_notify``'s CCCD write is not a write the
driver chose, so it is kept apart, in ``cccd_writes``."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from bleak.backends.characteristic import BleakGATTCharacteristic
from bleak.backends.client import BaseBleakClient
from bleak.backends.descriptor import BleakGATTDescriptor
from bleak.backends.device import BLEDevice
from bleak.backends.scanner import AdvertisementData, BaseBleakScanner
from bleak.backends.service import BleakGATTService, BleakGATTServiceCollection
from bleak.exc import BleakError
from bleak.uuids import normalize_uuid_str

CCCD = "00002902-0000-1000-8000-00805f9b34fb"
ADVERTISE_EVERY = 0.05  # seconds between adverts of an unconnected peripheral

Write = tuple[str, bytes]  # (characteristic or descriptor uuid, the bytes written)


class WriteRefused(BleakError):
    """The driver wrote something the fake peripheral's allow-list does not hold."""


@dataclass
class FakePeripheral:
    """One unit on the air. ``gatt``: service uuid -> characteristic uuid -> properties
    ("read", "notify", "write", ...). ``values``: what a read returns (the last notification
    too). ``allowed_writes``: the exact (uuid, bytes) writes this unit accepts."""

    address: str
    name: str
    advertised: list[str]
    gatt: dict[str, dict[str, list[str]]]
    values: dict[str, bytes] = field(default_factory=dict)
    allowed_writes: Iterable[Write] = ()
    in_range: bool = True
    rssi: int = -60
    # What the driver did, for the test's assertions:
    writes: list[Write] = field(default_factory=list)  # every write tried, allowed or not
    refused: list[Write] = field(default_factory=list)  # writes not on the allow-list
    cccd_writes: list[str] = field(default_factory=list)  # start_notify, per characteristic
    reads: list[str] = field(default_factory=list)
    connections: int = 0
    # The link, kept by the fake client:
    subscribers: dict[str, Callable[[bytearray], None]] = field(default_factory=dict)
    client: FakeClient | None = None
    _allowed: set[Write] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.values = {normalize_uuid_str(k): v for k, v in self.values.items()}
        self._allowed = {(normalize_uuid_str(u), bytes(d)) for u, d in self.allowed_writes}

    @property
    def connected(self) -> bool:
        return self.client is not None

    def notify(self, characteristic: str, data: bytes) -> None:
        """The unit sends a notification (it reaches the driver if it subscribed)."""
        uuid = normalize_uuid_str(characteristic)
        self.values[uuid] = data
        callback = self.subscribers.get(uuid)
        if self.client is not None and callback is not None:
            callback(bytearray(data))

    def drop(self) -> None:
        """The link breaks from the unit's side (out of range, switched off): the driver's
        ``disconnected_callback`` runs, as bleak's would."""
        client, self.client = self.client, None
        self.subscribers.clear()
        if client is not None:
            client.lost()

    def leave(self) -> None:
        """Out of range: the link drops and the unit is not found again until ``come_back``."""
        self.in_range = False
        self.drop()

    def come_back(self) -> None:
        self.in_range = True

    def _write(self, uuid: str, data: bytes) -> None:
        write = (uuid, bytes(data))
        self.writes.append(write)
        if write not in self._allowed:
            self.refused.append(write)
            raise WriteRefused(f"the fake peripheral {self.name!r} refuses the write {data!r} to {uuid}")


class Airspace:
    """The fake peripherals on the air, and the bleak backends that reach them."""

    def __init__(self) -> None:
        self.peripherals: dict[str, FakePeripheral] = {}
        # bleak instantiates the backend class itself, so each airspace gets its own classes.
        self.scanner_backend: type[BaseBleakScanner] = type(
            "FakeScanner", (FakeScanner,), {"air": self}
        )
        self.client_backend: type[BaseBleakClient] = type(
            "FakeClient", (FakeClient,), {"air": self}
        )

    def add(self, peripheral: FakePeripheral) -> FakePeripheral:
        self.peripherals[peripheral.address] = peripheral
        return peripheral

    def remove(self, address: str) -> None:
        peripheral = self.peripherals.pop(address, None)
        if peripheral is not None:
            peripheral.drop()


class FakeScanner(BaseBleakScanner):
    """Advertises every peripheral in range and not connected, every ADVERTISE_EVERY s."""

    air: Airspace

    def __init__(
        self, detection_callback: Any = None, service_uuids: Any = None, *args: Any, **kwargs: Any
    ) -> None:
        super().__init__(detection_callback, service_uuids)
        self._timer: asyncio.TimerHandle | None = None

    async def start(self) -> None:
        self.seen_devices = {}
        # Adverts sent synchronously here would be missed: BleakScanner is not listening yet.
        self._timer = asyncio.get_running_loop().call_later(0.01, self._advertise)

    async def stop(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def _advertise(self) -> None:
        for p in list(self.air.peripherals.values()):
            if not p.in_range or p.client is not None:
                continue  # connected units stop advertising
            adv = AdvertisementData(
                local_name=p.name,
                manufacturer_data={},
                service_data={},
                service_uuids=[normalize_uuid_str(u) for u in p.advertised],
                tx_power=None,
                rssi=p.rssi,
                platform_data=(),
            )
            if self.is_allowed_uuid(adv.service_uuids):
                device = self.create_or_update_device(
                    p.address, p.address, p.name, {"fake": True}, adv
                )
                self.call_detection_callbacks(device, adv)
        self._timer = asyncio.get_running_loop().call_later(ADVERTISE_EVERY, self._advertise)


class FakeClient(BaseBleakClient):
    """A connection to one fake peripheral, with bleak's semantics: an unsolicited drop calls
    ``disconnected_callback``; ``disconnect()`` does not."""

    air: Airspace

    def __init__(self, address_or_ble_device: BLEDevice | str, **kwargs: Any) -> None:
        super().__init__(
            address_or_ble_device,
            disconnected_callback=kwargs.pop("disconnected_callback", None),
            timeout=kwargs.pop("timeout", 10.0),
            **kwargs,
        )
        self._connected = False
        self.peripheral: FakePeripheral | None = None

    @property
    def name(self) -> str:
        return self.peripheral.name if self.peripheral else ""

    @property
    def mtu_size(self) -> int:
        return 23

    @property
    def is_connected(self) -> bool:
        return self._connected

    async def connect(self, pair: bool, **kwargs: Any) -> None:
        p = self.air.peripherals.get(self.address)
        if p is None or not p.in_range:
            raise BleakError(f"Device with address {self.address} was not found")
        self.services = _services(p)
        self.peripheral, p.client, self._connected = p, self, True
        p.connections += 1

    def lost(self) -> None:
        self._connected = False
        if self._disconnected_callback is not None:
            asyncio.get_running_loop().call_soon(self._disconnected_callback)

    async def disconnect(self) -> None:  # solicited: no callback, as in bleak
        if self.peripheral is not None and self.peripheral.client is self:
            self.peripheral.client = None
            self.peripheral.subscribers.clear()
        self._connected = False

    async def pair(self, *args: Any, **kwargs: Any) -> None:
        raise BleakError("pairing is not emulated")

    async def unpair(self) -> None:
        raise BleakError("pairing is not emulated")

    def _peripheral(self) -> FakePeripheral:
        if not self._connected or self.peripheral is None:
            raise BleakError("Not connected")
        return self.peripheral

    async def read_gatt_char(
        self, characteristic: BleakGATTCharacteristic, **kwargs: Any
    ) -> bytearray:
        p = self._peripheral()
        p.reads.append(characteristic.uuid)
        return bytearray(p.values.get(characteristic.uuid, b""))

    async def read_gatt_descriptor(
        self, descriptor: BleakGATTDescriptor, **kwargs: Any
    ) -> bytearray:
        return bytearray(b"\x00\x00")

    async def write_gatt_char(
        self, characteristic: BleakGATTCharacteristic, data: Any, response: bool
    ) -> None:
        self._peripheral()._write(characteristic.uuid, bytes(data))

    async def write_gatt_descriptor(self, descriptor: BleakGATTDescriptor, data: Any) -> None:
        self._peripheral()._write(descriptor.uuid, bytes(data))

    async def start_notify(
        self,
        characteristic: BleakGATTCharacteristic,
        callback: Callable[[bytearray], None],
        **kwargs: Any,
    ) -> None:
        p = self._peripheral()
        if not {"notify", "indicate"} & set(characteristic.properties):
            raise BleakError(f"{characteristic.uuid} does not notify")
        p.cccd_writes.append(characteristic.uuid)
        p.subscribers[characteristic.uuid] = callback

    async def stop_notify(self, characteristic: BleakGATTCharacteristic) -> None:
        self._peripheral().subscribers.pop(characteristic.uuid, None)


def _services(p: FakePeripheral) -> BleakGATTServiceCollection:
    services = BleakGATTServiceCollection()
    handle = 1
    for service_uuid, chars in p.gatt.items():
        service = BleakGATTService(None, handle, normalize_uuid_str(service_uuid))
        services.add_service(service)
        handle += 1
        for char_uuid, props in chars.items():
            char = BleakGATTCharacteristic(
                None, handle, normalize_uuid_str(char_uuid), props, lambda: 20, service  # type: ignore[arg-type]  # any property string a test gives
            )
            services.add_characteristic(char)
            handle += 1
            if "notify" in props or "indicate" in props:
                services.add_descriptor(BleakGATTDescriptor(None, handle, CCCD, char))
                handle += 1
    return services
