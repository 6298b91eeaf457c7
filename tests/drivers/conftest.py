"""Shared helpers for driver tests: a real Recorder + Store consuming a driver's events."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import aclosing
from pathlib import Path

import pytest

from tenslog.driver.events import DeviceEvent
from tenslog.model import Session
from tenslog.recorder import Recorder, run_recorder
from tenslog.store import Store


class Recording:
    """Runs ``run_recorder`` over an event stream, keeping a copy of every event."""

    def __init__(
        self, path: Path, clock: Callable[[], float], grace_seconds: float = 120.0
    ) -> None:
        self.store = Store.open(path)
        self.recorder = Recorder(self.store, clock=clock, grace_seconds=grace_seconds)
        self.events: list[DeviceEvent] = []
        self.arrived = asyncio.Condition()

    async def _tee(self, events: AsyncIterator[DeviceEvent]) -> AsyncIterator[DeviceEvent]:
        async with aclosing(events):  # type: ignore[type-var]  # closed with the tee, as drivers expect
            async for event in events:
                self.events.append(event)
                async with self.arrived:
                    self.arrived.notify_all()
                yield event

    async def run(self, events: AsyncIterator[DeviceEvent], *, tick_seconds: float = 0.05) -> None:
        await run_recorder(self._tee(events), self.recorder, tick_seconds=tick_seconds)

    async def wait_for(
        self, predicate: Callable[[list[DeviceEvent]], bool], timeout: float = 10.0
    ) -> None:
        async def until() -> None:
            async with self.arrived:
                await self.arrived.wait_for(lambda: predicate(self.events))

        await asyncio.wait_for(until(), timeout)

    def of(self, kind: type) -> list[DeviceEvent]:
        return [e for e in self.events if isinstance(e, kind)]

    def sessions(self) -> list[Session]:
        return self.store.sessions(newest_first=False)

    def close(self) -> None:
        self.store.close()


@pytest.fixture
def recording(tmp_path: Path):
    made: list[Recording] = []

    def make(clock: Callable[[], float], grace_seconds: float = 120.0) -> Recording:
        rec = Recording(tmp_path / "tenslog.db", clock, grace_seconds)
        made.append(rec)
        return rec

    yield make
    for rec in made:
        rec.close()


class PtyUnit:
    """A unit on the far end of a pseudo-terminal, reached through a symlink (like
    /dev/serial/by-id/...), which ``replug`` re-points at a fresh pty as a replug would.
    It prints ``line()`` every ``period`` seconds; everything the driver writes is collected."""

    def __init__(self, link: Path, line: Callable[[], bytes], period: float = 0.05) -> None:
        self.link = link
        self.line = line
        self.period = period
        self.received = bytearray()  # bytes the driver sent us: must stay empty
        self.master = self.slave = -1
        self._task: asyncio.Task[None] | None = None

    def plug(self) -> None:
        import os
        import tty

        self.master, self.slave = os.openpty()
        tty.setraw(self.master)
        tty.setraw(self.slave)  # no echo, so any byte on the master came from the driver
        os.set_blocking(self.master, False)
        tmp = self.link.with_suffix(".new")
        os.symlink(os.ttyname(self.slave), tmp)
        os.replace(tmp, self.link)
        self._task = asyncio.get_running_loop().create_task(self._talk())

    async def _talk(self) -> None:
        while True:
            self.write(self.line())
            await asyncio.sleep(self.period)

    def write(self, data: bytes) -> None:
        import os

        os.write(self.master, data)
        self.drain()

    def drain(self) -> None:
        import os

        try:
            while chunk := os.read(self.master, 4096):
                self.received += chunk
        except (BlockingIOError, OSError):
            pass

    async def unplug(self) -> None:
        import os

        if self._task is not None:
            self._task.cancel()
            self._task = None
        self.drain()
        os.close(self.master)
        os.close(self.slave)
        self.master = self.slave = -1

    async def close(self) -> None:
        if self.master >= 0:
            await self.unplug()


@pytest.fixture
async def pty_units(tmp_path: Path):
    made: list[PtyUnit] = []

    def make(line: Callable[[], bytes], name: str = "ttyTENS") -> PtyUnit:
        unit = PtyUnit(tmp_path / name, line)
        made.append(unit)
        return unit

    yield make
    for unit in made:
        await unit.close()


@pytest.fixture
def air():
    """The emulated BLE airspace (see drv_fake_ble.py), empty at the start of each test."""
    from drv_fake_ble import Air

    Air.reset()
    yield Air
    Air.reset()
