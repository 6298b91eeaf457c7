"""Finding units: every driver asked at once, each within a time limit. One home for what
`tenslog scan` lists and what the dashboard's unit chooser offers.

Which driver failed is known from its place in the results, never read back from a message."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import TypeVar

from tenslog.driver.contract import Driver, FoundUnit
from tenslog.driver.ports import is_built_in_port
from tenslog.driver.registry import inspect_drivers

T = TypeVar("T")
NO_BLUETOOTH = "Bluetooth is not available (no adapter, switched off, or no permission)"

# A driver gets this much longer than the scan time it was given before it counts as failed:
# a scanner that never returns must not hold up the others.
GRACE_SECONDS = 2.0


class Stage(StrEnum):
    LOAD = "load"  # the driver could not be imported or built
    SEARCH = "search"  # its discover() raised or did not answer in time


@dataclass(frozen=True, slots=True)
class Search:
    """What one driver found, or why it could not look."""

    name: str
    driver: Driver | None
    units: tuple[FoundUnit, ...] = ()
    failed: Stage | None = None
    problem: str = ""  # the reason, when failed


@dataclass(frozen=True, slots=True)
class Discovery:
    """One search per driver, in the order the drivers were given."""

    searches: tuple[Search, ...]

    @property
    def found(self) -> list[tuple[Driver, FoundUnit]]:
        return [(s.driver, u) for s in self.searches if s.driver is not None for u in s.units]

    @property
    def failures(self) -> list[Search]:
        return [s for s in self.searches if s.failed is not None]


async def _search(driver: Driver, timeout: float, limit: float) -> tuple[FoundUnit, ...]:
    async with asyncio.timeout(limit):
        return tuple(await driver.discover(timeout))


def _reason(exc: BaseException, limit: float) -> str:
    if isinstance(exc, TimeoutError):
        return f"no answer within {limit:g} s"
    return f"{type(exc).__name__}: {exc}"


async def discover_with(
    drivers: Sequence[Driver], timeout: float, grace: float = GRACE_SECONDS
) -> Discovery:
    """Ask these drivers at once, each for ``timeout`` seconds; one still busy ``grace`` seconds
    later, or one that raises, is a failed search, never fatal."""
    limit = timeout + grace
    asked = (_search(d, timeout, limit) for d in drivers)
    results = await asyncio.gather(*asked, return_exceptions=True)
    searches = []
    for driver, result in zip(drivers, results, strict=True):
        if isinstance(result, BaseException):
            if not isinstance(result, Exception):  # cancellation, KeyboardInterrupt: not ours
                raise result
            searches.append(
                Search(driver.name, driver, failed=Stage.SEARCH, problem=_reason(result, limit))
            )
        else:
            searches.append(Search(driver.name, driver, result))
    return Discovery(tuple(searches))


def installed_drivers(only: str | None = None) -> tuple[list[Driver], list[Search]]:
    """Every installed driver built with its defaults (or just ``only``), and those that could
    not be loaded or built. Imports drivers: call it in a thread from an event loop."""
    drivers: list[Driver] = []
    broken: list[Search] = []
    for entry, cls, error in inspect_drivers():
        if only and entry.name != only:
            continue
        if cls is None:
            broken.append(Search(entry.name, None, failed=Stage.LOAD, problem=error or "?"))
            continue
        try:
            drivers.append(cls())
        except Exception as exc:  # noqa: BLE001 - a plugin that cannot be built is reported
            broken.append(Search(entry.name, None, failed=Stage.LOAD, problem=_reason(exc, 0)))
    return drivers, broken


async def discover_installed(timeout: float, only: str | None = None) -> Discovery:
    """What every installed driver (or just ``only``) finds now; failures carry their driver."""
    drivers, broken = await asyncio.to_thread(installed_drivers, only)
    found = await discover_with(drivers, timeout)
    # Back in name order, as the drivers are listed everywhere else.
    return Discovery(tuple(sorted(found.searches + tuple(broken), key=lambda s: s.name)))


# -- what a listing makes of it (`tenslog scan`, the dashboard's unit chooser) ---------------------
def bluetooth_missing(transport: str, problem: str) -> bool:
    """A BLE driver that could not search for another reason than time: there is one adapter
    for all of them, so this is said once (NO_BLUETOOTH), plainly, not as each one's errno."""
    return transport == "ble" and not problem.startswith("no answer within")


def by_port(found: Iterable[tuple[T, FoundUnit]], *, all_ports: bool = False
            ) -> tuple[dict[str, list[tuple[T, FoundUnit]]], set[str]]:
    """Serial finds grouped by port (each serial driver lists every port: one line per port,
    with what each driver would make of it), and the built-in ports left out unless
    ``all_ports``. In the order found."""
    ports: dict[str, list[tuple[T, FoundUnit]]] = {}
    left_out: set[str] = set()
    for who, unit in found:
        if not all_ports and is_built_in_port(unit.identity):
            left_out.add(unit.identity)
        else:
            ports.setdefault(unit.identity, []).append((who, unit))
    return ports, left_out
