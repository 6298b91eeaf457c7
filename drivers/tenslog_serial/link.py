"""The serial side shared by every line-based driver: open the port read-only in spirit
(nothing is ever written), split lines, decode, and reopen with capped back-off when the
cable is pulled. Subclasses only say how to decode a line and what silence means."""

from __future__ import annotations

import asyncio
import functools
from abc import abstractmethod
from collections.abc import AsyncGenerator, Sequence
from dataclasses import dataclass
from typing import ClassVar, Literal

import serial
import serial_asyncio_fast
from pydantic import Field

from tenslog.capture import Record
from tenslog.driver import Driver, FoundUnit
from tenslog.driver.backoff import Backoff, cap_within_grace
from tenslog.driver.events import Connected, DeviceEvent, LinkLost, LinkRestored, UnitInfo
from tenslog.driver.options import DriverOptions
from tenslog.driver.tracking import Reading, ReadingTracker
from tenslog_serial.framing import LineFramer
from tenslog_serial.ports import (
    UsbIdentity,
    describe,
    find_port_again,
    list_serial_ports,
    usb_identity_of,
)


@dataclass(slots=True)
class LinkStats:
    lines: int = 0  # lines decoded into a reading
    skipped: int = 0  # garbage, partial or irrelevant lines
    overlong: int = 0  # lines discarded for length
    reconnects: int = 0


class _Feed(asyncio.Protocol):
    """Receives bytes from the transport; never writes."""

    def __init__(self, queue: asyncio.Queue[tuple[str, object]]) -> None:
        self.queue = queue

    def data_received(self, data: bytes) -> None:
        self.queue.put_nowait(("data", data))

    def connection_lost(self, exc: Exception | None) -> None:
        self.queue.put_nowait(("lost", exc or "end of file"))


class SerialLineDriver(Driver):
    """Base for drivers of units that print status lines on a serial port."""

    transport = "serial"
    baudrate: ClassVar[int] = 115200
    max_line: ClassVar[int] = 256
    silence_seconds: ClassVar[float] = 5.0
    # What it means when a port stays open but nothing valid arrives for silence_seconds.
    silence_means: ClassVar[Literal["stopped", "lost"]] = "lost"

    class Options(DriverOptions):
        port: str | None = Field(
            None, description="the serial port, e.g. /dev/serial/by-id/... (default: the first found)"
        )
        baudrate: int = Field(115200, ge=300, le=4_000_000, description="the port's speed in baud")
        reconnect_cap: float = Field(
            30.0, ge=0.05, le=600, description="longest wait in seconds between reopen attempts"
        )

    options: Options

    def __init__(self, /, **options: str) -> None:
        super().__init__(**options)
        self.port = self.options.port
        self.baud = self.options.baudrate
        self.reconnect_cap = self.options.reconnect_cap
        self.reconnect_first = min(0.5, self.reconnect_cap)
        self.stats = LinkStats()

    # -- what a subclass provides -----------------------------------------------------------
    @abstractmethod
    def decode(self, line: bytes, at: float) -> Reading | None:
        """A reading from one line, or None to skip it (it is counted)."""

    @abstractmethod
    def unit_info(self, identity: str) -> UnitInfo | None:
        """The unit as known so far; None until the stream has told enough (e.g. its scale)."""

    # -- Driver -----------------------------------------------------------------------------
    async def discover(self, timeout: float = 5.0) -> list[FoundUnit]:
        ports = await asyncio.to_thread(list_serial_ports)
        found = [FoundUnit(self.name, p.device, self.title, describe(p)) for p in ports]
        if self.port and all(f.identity != self.port for f in found):
            found.insert(0, FoundUnit(self.name, self.port, self.title, "given with port="))
        return found

    async def events(self, identity: str | None = None) -> AsyncGenerator[DeviceEvent, None]:
        cap = cap_within_grace(self.reconnect_cap, self.grace_seconds)
        backoff = Backoff(first=min(self.reconnect_first, cap), cap=cap)
        path = identity or self.port
        while path is None:  # no port named: wait for one to be plugged in (USB ones first)
            found = await self.discover()
            if found:
                path = found[0].identity
            else:
                await asyncio.sleep(backoff.next_delay())
        usb: UsbIdentity | None = None
        tracker = ReadingTracker()
        framer = LineFramer(self.max_line)
        announced = False  # Connected sent
        link_up = False  # as last told to the recorder
        loop = asyncio.get_running_loop()
        while True:
            queue: asyncio.Queue[tuple[str, object]] = asyncio.Queue()  # one per connection
            ports = await asyncio.to_thread(list_serial_ports)
            usb = usb or usb_identity_of(path, ports)
            now_path = find_port_again(path, usb, ports)
            transport = None
            try:
                if now_path is None:
                    raise serial.SerialException(f"{path} is not there")
                transport, _ = await serial_asyncio_fast.create_serial_connection(
                    loop,
                    functools.partial(_Feed, queue),
                    now_path,
                    baudrate=self.baud,
                    exclusive=True,  # a second reader would steal bytes
                )
            except (serial.SerialException, OSError, ValueError):
                await asyncio.sleep(backoff.next_delay())
                continue
            framer.reset()
            tracker.reset()  # the first reading re-announces the state
            if announced and not link_up:
                # An open port says nothing about the unit (a bridge may have lost it): the
                # link is restored only when a valid line arrives, below.
                self.stats.reconnects += 1
            try:
                last_heard = self.clock()
                # Silence is measured from the last VALID line: debug prints and bad-CRC lines
                # from a bridge that lost its unit must not keep the link alive.
                quiet_since = loop.time()
                while True:
                    if not announced and (info := self.unit_info(path)) is not None:
                        announced = link_up = True
                        yield Connected(self.clock(), info)
                    try:
                        # Not wait_for: on 3.11 it can swallow a cancel that races an item
                        # (CPython gh-86296), and the recording could not be stopped.
                        async with asyncio.timeout_at(quiet_since + self.silence_seconds):
                            kind, payload = await queue.get()
                    except TimeoutError:
                        quiet_since = loop.time()  # look again one silence period from now
                        for event in self._silence(tracker, last_heard, link_up and announced):
                            if isinstance(event, LinkLost):
                                link_up = False
                            yield event
                        continue
                    if kind == "lost":
                        if announced and link_up:
                            link_up = False
                            yield LinkLost(self.clock(), f"serial port lost: {payload}")
                        break
                    assert isinstance(payload, bytes)
                    at = self.clock()
                    lines = framer.feed(payload)
                    self.stats.overlong = framer.overlong
                    heard = False  # a valid line in this chunk (all its lines arrived at `at`)
                    for line in lines:
                        reading = self.decode(line, at)
                        if reading is None:
                            self.stats.skipped += 1
                            continue
                        self.stats.lines += 1
                        if not heard:
                            heard = True
                            last_heard = at
                            quiet_since = loop.time()
                            backoff.succeeded()  # the link proved itself
                        if not announced and (info := self.unit_info(path)) is not None:
                            announced = link_up = True
                            yield Connected(at, info)
                        if announced and not link_up:  # reopened, or silence ended
                            link_up = True
                            tracker.reset()
                            yield LinkRestored(at)
                        for event in tracker.feed(reading):
                            yield event
            finally:
                if not transport.is_closing():
                    transport.abort()
            await asyncio.sleep(backoff.next_delay())

    def replay(self, records: Sequence[Record]) -> list[DeviceEvent]:
        """The capture's raw bytes split into lines and decoded as the unit's would be."""
        framer, tracker = LineFramer(self.max_line), ReadingTracker()
        events: list[DeviceEvent] = []
        for record in records:
            for line in [] if record.mark else framer.feed(record.data):
                reading = self.decode(line, record.t)
                if reading is not None:
                    events += tracker.feed(reading)
        return events

    def _silence(
        self, tracker: ReadingTracker, last_heard: float, link_up: bool
    ) -> list[DeviceEvent]:
        if self.silence_means == "stopped":
            if tracker.on:
                return tracker.feed(Reading(last_heard, on=False))
            return []
        if link_up:
            return [LinkLost(last_heard, "unit silent")]
        return []
