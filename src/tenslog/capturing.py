"""`tenslog capture`: records what an unknown unit sends into a capture file (tenslog.capture),
read-only. Over BLE it subscribes to every notifying characteristic and reads every readable one
once a second (reads only: the one write is start_notify's CCCD); over serial it keeps the raw
bytes and sends nothing. Each record is written and flushed as it arrives, so a capture stopped
any way keeps all but its last line. Not a driver: it decodes nothing."""

from __future__ import annotations

import asyncio
import contextlib
import os
from pathlib import Path
from types import TracebackType
from typing import Any, Literal, Self

from tenslog.capture import MARKS, SERIAL, Record, header, record_line
from tenslog.clock import system_clock


class CaptureWriter:
    """A new capture file (never an existing one), owner-only, one flushed line per record."""

    def __init__(self, path: Path, transport: Literal["ble", "serial"]) -> None:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)  # FileExistsError: said by the CLI
        self.file = os.fdopen(fd, "w", encoding="utf-8")
        self.path = path
        self.started = system_clock.now()
        self.records = 0
        self._line(header(transport))

    def _line(self, text: str) -> None:
        self.file.write(text + "\n")
        self.file.flush()

    def elapsed(self) -> float:
        return max(0.0, system_clock.now() - self.started)

    def add(self, source: str, data: bytes) -> None:
        self.records += 1
        self._line(record_line(Record(self.elapsed(), source, bytes(data))))

    def mark(self, mark: str) -> None:
        if mark in MARKS:
            self._line(record_line(Record(self.elapsed(), mark=mark)))

    def close(self) -> None:
        self.file.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()


async def capture_ble(
    address: str,
    out: CaptureWriter,
    stop: asyncio.Event,
    *,
    scan_seconds: float = 10.0,
    read_every: float = 1.0,
    backends: tuple[Any, Any] = (None, None),
) -> list[str]:
    """Until ``stop``: every notification and a read of every readable characteristic each
    ``read_every`` s. Returns the characteristics watched. ``backends``: tests' fake bleak."""
    from bleak import BleakClient, BleakScanner

    scanner, client_backend = backends
    device = await BleakScanner.find_device_by_address(
        address, scan_seconds, **({"backend": scanner} if scanner else {})
    )
    if device is None:
        raise OSError(f"no Bluetooth device {address} found in {scan_seconds:g} s")
    async with BleakClient(device, **({"backend": client_backend} if client_backend else {})) as client:
        chars = [c for s in client.services for c in s.characteristics]
        for char in chars:
            if {"notify", "indicate"} & set(char.properties):
                await client.start_notify(char, lambda c, data: out.add(c.uuid, bytes(data)))
        readable = [c for c in chars if "read" in c.properties]
        while not stop.is_set():
            for char in readable:
                with contextlib.suppress(Exception):  # a read refused by the unit: skip it
                    out.add(char.uuid, bytes(await client.read_gatt_char(char)))
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(read_every):
                    await stop.wait()
    return [c.uuid for c in chars]


async def capture_serial(port: str, baudrate: int, out: CaptureWriter, stop: asyncio.Event) -> None:
    """Until ``stop`` or the port closes: the raw bytes as they arrive. Writes nothing."""
    import serial_asyncio_fast

    reader, writer = await serial_asyncio_fast.open_serial_connection(url=port, baudrate=baudrate, exclusive=True)
    try:
        stopping = asyncio.ensure_future(stop.wait())
        while not stop.is_set():
            chunk = asyncio.ensure_future(reader.read(4096))
            await asyncio.wait({chunk, stopping}, return_when=asyncio.FIRST_COMPLETED)
            if not chunk.done():
                chunk.cancel()
                break
            data = chunk.result()
            if not data:
                break  # the port closed (cable pulled)
            out.add(SERIAL, data)
        stopping.cancel()
    finally:
        writer.transport.abort()
