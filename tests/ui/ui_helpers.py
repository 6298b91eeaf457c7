"""Shared data and helpers of the dashboard tests (fixtures are in conftest.py)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta

from textual.pilot import Pilot

from support.sessions import rated_session
from tenslog.driver import Driver, FoundUnit
from tenslog.driver.events import (
    Connected,
    DeviceEvent,
    IntensityChanged,
    StimulationStarted,
    UnitInfo,
)
from tenslog.model import (
    Capabilities,
    IntensityScale,
    Session,
    SessionKind,
    SessionState,
    Unit,
)

# Snapshot and data tests run at this moment (time frozen, tick=False).
NOW = datetime(2026, 11, 20, 18, 0, tzinfo=UTC)
BEURER = Unit(
    driver="manual",
    identity="beurer-em49",
    name="Beurer EM49",
    scale=IntensityScale(kind="level", maximum=20),
)
# Accelerated simulator: one short session, quickly, the same every run.
SIM_OPTIONS = {"seed": "3", "speed": "30", "session_minutes": "1", "idle_seconds": "1", "rate": "4"}


def session(
    days_ago: float,
    before: int | None,
    after: int | None,
    *,
    kind: SessionKind = SessionKind.TENS,
    minutes: int = 30,
    level: float | None = 8,
    state: SessionState = SessionState.COMPLETE,
    unit: Unit | None = BEURER,
) -> Session:
    start = NOW - timedelta(days=days_ago)
    return rated_session(start, minutes, before, after, kind=kind, level=level, unit=unit, state=state)


def fixed_sessions() -> list[Session]:
    """Nine sessions over 12 days: TENS and rest, one interrupted without its rating after."""
    return [
        session(12, 7, 4, level=10),
        session(10, 6, 6, level=9),
        session(9.8, 6, 5, kind=SessionKind.REST, minutes=40),
        session(8, 8, 5, level=12, minutes=45),
        session(5, 5, 3, level=11),
        session(3.9, 5, 5, kind=SessionKind.REST),
        session(3, 7, 3, level=12, minutes=60),
        session(1, 6, None, level=13, minutes=18, state=SessionState.INTERRUPTED),
        session(0.2, 6, 4, level=12),
    ]


async def wait_for(pilot: Pilot, condition: Callable[[], bool], limit: float = 10.0) -> None:
    """Let the app run until ``condition`` holds; the limit only stops a hung test."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + limit
    while not condition():
        if loop.time() > deadline:
            raise AssertionError("the app never reached the expected state")
        await pilot.pause(0.02)


class SteadyDriver(Driver):
    """A unit that connected 12 min 34 s ago at level 8 and keeps going: for still pictures."""

    name = "steady"
    title = "Test unit"
    transport = "other"
    capabilities = Capabilities(reports_on_off=True, reports_intensity=True)
    scale = IntensityScale(kind="level", maximum=20)

    async def discover(self, timeout: float = 5.0) -> list[FoundUnit]:
        return [FoundUnit(self.name, "steady-1", "Test unit", "always on")]

    async def events(self, identity: str | None = None) -> AsyncIterator[DeviceEvent]:
        start = time.time() - 754
        info = UnitInfo(self.name, "steady-1", "Test unit", self.scale, self.capabilities)
        yield Connected(start, info)
        yield StimulationStarted(start, 6)
        yield IntensityChanged(start + 60, 8)
        await asyncio.Event().wait()  # never ends by itself

    def clock(self) -> float:
        return time.time()  # the frozen wall clock of still pictures, not the steady clock
