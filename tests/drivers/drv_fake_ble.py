"""An emulated BLE peripheral behind bleak's real BleakScanner / BleakClient, plugged in
through their ``backend=`` arguments. Every write that reaches the backend is recorded, so a
test can prove a driver is read-only (start_notify's CCCD write is recorded apart)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
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


@dataclass
class Peripheral:
    address: str
    name: str
    advertised: list[str]
    # service uuid -> characteristic uuid -> properties
    gatt: dict[str, dict[str, list[str]]]
    values: dict[str, bytes] = field(default_factory=dict)
    in_range: bool = True
    subscribers: dict[str, Callable[[bytearray], None]] = field(default_factory=dict)
    client: FakeClient | None = None
    writes: list[tuple[str, str, bytes]] = field(default_factory=list)  # any write: a failure
    cccd_writes: list[str] = field(default_factory=list)  # start_notify: allowed
    reads: list[str] = field(default_factory=list)
    connections: int = 0

    def notify(self, characteristic: str, data: bytes) -> None:
        uuid = normalize_uuid_str(characteristic)
        self.values[uuid] = data
        callback = self.subscribers.get(uuid)
        if self.client is not None and callback is not None:
            callback(bytearray(data))

    def drop(self) -> None:
        """The link breaks from the unit's side (out of range, switched off)."""
        client, self.client = self.client, None
        self.subscribers.clear()
        if client is not None:
            client.lost()


class Air:
    """The peripherals currently on the air."""

    peripherals: dict[str, Peripheral] = {}

    @classmethod
    def reset(cls) -> None:
        cls.peripherals = {}

    @classmethod
    def add(cls, peripheral: Peripheral) -> Peripheral:
        cls.peripherals[peripheral.address] = peripheral
        return peripheral


class FakeScanner(BaseBleakScanner):
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
        for p in list(Air.peripherals.values()):
            if not p.in_range or p.client is not None:
                continue  # connected units stop advertising
            adv = AdvertisementData(
                local_name=p.name,
                manufacturer_data={},
                service_data={},
                service_uuids=[normalize_uuid_str(u) for u in p.advertised],
                tx_power=None,
                rssi=-60,
                platform_data=(),
            )
            if self.is_allowed_uuid(adv.service_uuids):
                device = self.create_or_update_device(
                    p.address, p.address, p.name, {"emulated": True}, adv
                )
                self.call_detection_callbacks(device, adv)
        self._timer = asyncio.get_running_loop().call_later(0.05, self._advertise)


class FakeClient(BaseBleakClient):
    def __init__(self, address_or_ble_device: BLEDevice | str, **kwargs: Any) -> None:
        super().__init__(
            address_or_ble_device,
            disconnected_callback=kwargs.pop("disconnected_callback", None),
            timeout=kwargs.pop("timeout", 10.0),
            **kwargs,
        )
        self._connected = False
        self.peripheral: Peripheral | None = None

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
        p = Air.peripherals.get(self.address)
        if p is None or not p.in_range:
            raise BleakError(f"Device with address {self.address} was not found")
        self.services = self._services(p)
        self.peripheral, p.client, self._connected = p, self, True
        p.connections += 1

    def _services(self, p: Peripheral) -> BleakGATTServiceCollection:
        services = BleakGATTServiceCollection()
        handle = 1
        for service_uuid, chars in p.gatt.items():
            service = BleakGATTService(None, handle, normalize_uuid_str(service_uuid))
            services.add_service(service)
            handle += 1
            for char_uuid, props in chars.items():
                char = BleakGATTCharacteristic(
                    None, handle, normalize_uuid_str(char_uuid), props, lambda: 20, service
                )
                services.add_characteristic(char)
                handle += 1
                if "notify" in props:
                    services.add_descriptor(BleakGATTDescriptor(None, handle, CCCD, char))
                    handle += 1
        return services

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

    def _peripheral(self) -> Peripheral:
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
        self._peripheral().writes.append(("characteristic", characteristic.uuid, bytes(data)))

    async def write_gatt_descriptor(self, descriptor: BleakGATTDescriptor, data: Any) -> None:
        self._peripheral().writes.append(("descriptor", descriptor.uuid, bytes(data)))

    async def start_notify(
        self,
        characteristic: BleakGATTCharacteristic,
        callback: Callable[[bytearray], None],
        **kwargs: Any,
    ) -> None:
        p = self._peripheral()
        if (
            "notify" not in characteristic.properties
            and "indicate" not in characteristic.properties
        ):
            raise BleakError(f"{characteristic.uuid} does not notify")
        p.cccd_writes.append(characteristic.uuid)
        p.subscribers[characteristic.uuid] = callback

    async def stop_notify(self, characteristic: BleakGATTCharacteristic) -> None:
        self._peripheral().subscribers.pop(characteristic.uuid, None)
