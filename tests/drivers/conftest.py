"""Shared fixtures for driver tests: a real Recorder + Store consuming a driver's events, and
the fake units of tenslog.testing."""

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
from tenslog.testing import Airspace, FakeSerialUnit


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

        async with asyncio.timeout(timeout):
            await until()

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


@pytest.fixture
async def pty_units(tmp_path: Path):
    """Fake serial units (tenslog.testing) behind a /dev/serial/by-id-like symlink in
    tmp_path, talking ``line()`` once plugged; all closed at the end of the test."""
    made: list[FakeSerialUnit] = []

    def make(line: Callable[[], bytes], name: str = "ttyTENS") -> FakeSerialUnit:
        unit = FakeSerialUnit(tmp_path / name)
        unit.talk(line)
        made.append(unit)
        return unit

    yield make
    for unit in made:
        unit.close()


@pytest.fixture
def air() -> Airspace:
    """An empty airspace for fake BLE peripherals (tenslog.testing.ble), one per test."""
    return Airspace()
