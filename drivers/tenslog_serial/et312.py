"""et312-serial: ErosTek ET-312B and MK-312BT e-stim boxes (not TENS medical devices) over their
link cable or the MK-312BT's Bluetooth serial, read-only.

It handshakes (``0x00`` until ``0x07``) and then only peeks: level A and B knobs and the mode,
every ``poll_seconds``. It does no key exchange although the project allows it: once keyed, a
box expects every later connection to be encrypted with that key until it is switched off, and
undoing that needs a memory write ($4213) that tenslog never makes. Unkeyed, tenslog and any
other program can reconnect at any time. Every frame passes ``et312_proto.checked``."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncGenerator
from typing import Literal

import serial
import serial_asyncio_fast
from pydantic import Field

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
from tenslog_serial import et312_proto as et
from tenslog_serial.ports import describe, list_serial_ports

BAUD = 19200
REPLY_SECONDS = 0.5  # a reply not here by then is not coming (the box answers at once)


class BoxSilent(OSError):
    """The box did not answer the handshake or a read."""


class Et312SerialDriver(Driver):
    """Reads the level knobs (positions 0-255, not current) and the mode of an ET-312B or
    MK-312BT; sends only the handshake and reads, never a memory write."""

    name = "et312-serial"
    title = "ErosTek ET-312B / MK-312BT e-stim box (serial)"
    transport = "serial"
    capabilities = Capabilities(reports_on_off=True, reports_intensity=True)
    scale = IntensityScale(kind="level", maximum=255)  # a knob's position, not a current

    class Options(DriverOptions):
        port: str | None = Field(
            None, description="the serial port, e.g. /dev/ttyUSB0 or /dev/rfcomm0 (default: the first found)"
        )
        channel: Literal["A", "B", "higher"] = Field(
            "higher", description="which level knob is recorded: A, B, or the higher of the two"
        )
        poll_seconds: float = Field(
            0.5, ge=0.1, le=30, description="how often the knobs are read, in seconds"
        )
        reconnect_cap: float = Field(
            30.0, ge=0.05, le=600, description="longest wait in seconds between reopen attempts"
        )

    options: Options

    async def discover(self, timeout: float = 5.0) -> list[FoundUnit]:
        ports = await asyncio.to_thread(list_serial_ports)
        found = [FoundUnit(self.name, p.device, "ET-312B / MK-312BT", describe(p)) for p in ports]
        given = self.options.port
        if given and all(f.identity != given for f in found):
            found.insert(0, FoundUnit(self.name, given, "ET-312B / MK-312BT", "given with port="))
        return found

    async def events(self, identity: str | None = None) -> AsyncGenerator[DeviceEvent, None]:
        path = identity or self.options.port
        cap = cap_within_grace(self.options.reconnect_cap, self.grace_seconds)
        backoff = Backoff(first=min(0.5, cap), cap=cap)
        while path is None:
            found = await self.discover()
            if found:
                path = found[0].identity
            else:
                await asyncio.sleep(backoff.next_delay())
        tracker = ReadingTracker()
        announced = link_up = False
        last_heard = self.clock()
        mode: int | None = None
        while True:
            writer: asyncio.StreamWriter | None = None
            try:
                reader, writer = await serial_asyncio_fast.open_serial_connection(
                    url=path, baudrate=BAUD, exclusive=True
                )
                await self._handshake(reader, writer)
                tracker.reset()
                while True:
                    level, now_mode = await self._sample(reader, writer)
                    at = last_heard = self.clock()
                    backoff.succeeded()
                    if not announced:
                        announced = link_up = True
                        yield Connected(at, UnitInfo(self.name, path, "ET-312B / MK-312BT",
                                                     self.scale, self.capabilities))
                    elif not link_up:
                        link_up = True
                        yield LinkRestored(at)
                    if now_mode != mode:
                        mode = now_mode
                        name = et.mode_name(mode)
                        yield UnitNote(at, "program", f"mode {name}" if name else "no mode running")
                    running = et.mode_name(now_mode) is not None
                    for event in tracker.feed(Reading(at, running and level > 0, float(level))):
                        yield event
                    await asyncio.sleep(self.options.poll_seconds)
            except (serial.SerialException, OSError, ValueError, asyncio.IncompleteReadError) as exc:
                if link_up:
                    link_up = False
                    why = "box silent" if isinstance(exc, BoxSilent) else "serial port lost"
                    yield LinkLost(last_heard, why)
            finally:
                if writer is not None:
                    writer.transport.abort()
            await asyncio.sleep(backoff.next_delay())

    def _level(self, a: int, b: int) -> int:
        return {"A": a, "B": b}.get(self.options.channel, max(a, b))

    async def _sample(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> tuple[int, int]:
        a = await self._read(reader, writer, et.LEVEL_A)
        b = await self._read(reader, writer, et.LEVEL_B)
        mode = await self._read(reader, writer, et.MODE)
        return self._level(a, b), mode

    async def _handshake(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        """0x00 until the box answers 0x07 (resynchronises a box left mid-message)."""
        for _ in range(et.MAX_SYNC):
            self._send(writer, bytes([et.HANDSHAKE]))
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(REPLY_SECONDS):
                    if (await reader.readexactly(1))[0] == et.HANDSHAKE_REPLY:
                        return
        raise BoxSilent(
            "the box does not answer the handshake (if another program keyed it since it was "
            "switched on, switch it off and on)"
        )

    async def _read(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, address: int
    ) -> int:
        self._send(writer, et.read_command(address))
        try:
            async with asyncio.timeout(REPLY_SECONDS):
                value = et.read_reply(await reader.readexactly(3))
        except TimeoutError:
            raise BoxSilent(f"no reply to a read of ${address:04x}") from None
        except asyncio.IncompleteReadError:
            raise BoxSilent("the port closed") from None
        if value is None:
            raise BoxSilent(f"a bad reply to a read of ${address:04x}")  # resync by reopening
        return value

    @staticmethod
    def _send(writer: asyncio.StreamWriter, frame: bytes) -> None:
        writer.write(et.checked(frame))
