"""Finding units (tenslog.driver.discovery), shared by `tenslog scan` and the dashboard: every
driver is asked at once, one that fails or hangs is named by its place, never by its words."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator

from tenslog.driver import DeviceEvent, Driver, FoundUnit
from tenslog.driver.discovery import Stage, discover_installed, discover_with
from tenslog.model import Capabilities, IntensityScale


class TestDriver(Driver):
    __test__ = False
    title = "Test unit"
    transport = "other"
    capabilities = Capabilities()
    scale = IntensityScale()

    def __init__(self, name: str) -> None:
        super().__init__()
        self.name = name

    async def discover(self, timeout: float = 5.0) -> list[FoundUnit]:
        return [FoundUnit(self.name, f"{self.name}-1", f"Unit of {self.name}")]

    async def events(self, identity: str | None = None) -> AsyncGenerator[DeviceEvent, None]:
        return
        yield  # pragma: no cover


class Broken(TestDriver):
    async def discover(self, timeout: float = 5.0) -> list[FoundUnit]:
        raise OSError("no adapter; finder also broke")  # names another driver in its words


class Hanging(TestDriver):
    async def discover(self, timeout: float = 5.0) -> list[FoundUnit]:
        await asyncio.Event().wait()  # a scanner that never returns
        return []


class Waiting(TestDriver):
    """Finds its unit only once the other driver has started looking: done one after the
    other, this would never finish."""

    def __init__(self, name: str, mine: asyncio.Event, other: asyncio.Event) -> None:
        super().__init__(name)
        self.mine, self.other = mine, other

    async def discover(self, timeout: float = 5.0) -> list[FoundUnit]:
        self.mine.set()
        await self.other.wait()
        return await super().discover(timeout)


async def test_every_driver_is_asked_at_the_same_time() -> None:
    a, b = asyncio.Event(), asyncio.Event()
    found = await discover_with([Waiting("one", a, b), Waiting("two", b, a)], timeout=5)
    assert [(d.name, u.identity) for d, u in found.found] == [("one", "one-1"), ("two", "two-1")]
    assert found.failures == []


async def test_a_failing_or_hanging_driver_is_named_by_its_place_and_the_others_still_find() -> None:
    finder, broken, hanging = TestDriver("finder"), Broken("broken"), Hanging("hanging")
    found = await discover_with([finder, broken, hanging], timeout=0.05, grace=0.05)
    assert [(d, u.name) for d, u in found.found] == [(finder, "Unit of finder")]
    assert [(s.name, s.driver, s.failed, s.problem) for s in found.failures] == [
        ("broken", broken, Stage.SEARCH, "OSError: no adapter; finder also broke"),
        ("hanging", hanging, Stage.SEARCH, "no answer within 0.1 s"),
    ]
    assert [s.name for s in found.searches] == ["finder", "broken", "hanging"]  # the order given


async def test_the_installed_simulator_is_found_with_only() -> None:
    found = await discover_installed(1.0, only="simulator")
    (search,) = found.searches
    assert (search.name, search.failed) == ("simulator", None)
    assert [u.name for u in search.units] == ["Simulated TENS unit"]
