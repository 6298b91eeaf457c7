"""What the unit chooser offers: units without connection used before, and what the drivers
find now (through tenslog.driver.discovery, as `tenslog scan` does)."""

from __future__ import annotations

import asyncio
import importlib
import sys
from typing import TYPE_CHECKING

from tenslog.driver import Driver, FoundUnit
from tenslog.live.state import UnitChoice
from tenslog.store import Store
from tenslog.vocabulary import MANUAL_SOURCE, SessionKind

if TYPE_CHECKING:
    from tenslog.driver.discovery import Discovery
    from tenslog.model import Unit

NO_CONNECTION = UnitChoice("No connection — I'll press a key", "for units that cannot connect")


def found_choice(driver: Driver, unit: FoundUnit) -> UnitChoice:
    """Its name, and underneath the kind of unit (if the name does not say it) and where it is."""
    kind = driver.title if driver.title != unit.name else ""
    detail = " · ".join(x for x in (kind, unit.detail or unit.identity) if x)
    return UnitChoice(unit.name, detail, found=unit, driver=driver)


def manual_choices(store: Store) -> list[UnitChoice]:
    """Units without connection used before, then a new one."""
    used = [
        UnitChoice(unit.name, f"no connection · {unit.scale.label()}", manual=unit)
        for unit in store.units(driver=MANUAL_SOURCE)
    ]
    return [*used, NO_CONNECTION]


async def manual_choices_soon(store: Store) -> list[UnitChoice]:
    """manual_choices, for the chooser's first look: building the stored units needs the
    models' library (pydantic, ~0.15 s to import), which loads in a thread first, so the
    screen keeps painting meanwhile. A new diary, with no such unit, does not wait for it."""
    if "tenslog.model" not in sys.modules and store.has_units(MANUAL_SOURCE):
        await asyncio.to_thread(importlib.import_module, "tenslog.model")
    return manual_choices(store)


async def found_by(driver: Driver, timeout: float) -> tuple[list[UnitChoice], str | None]:
    """What this driver finds now, and why it could not look if it failed."""
    await _load_discovery()
    from tenslog.driver.discovery import discover_with

    (search,) = (await discover_with([driver], timeout)).searches
    problem = f"could not look for units: {search.problem}" if search.failed else None
    return [found_choice(driver, unit) for unit in search.units], problem


async def found_everywhere(timeout: float) -> tuple[list[UnitChoice], str | None]:
    """What every installed driver finds now. Drivers that cannot load (a missing library)
    are left out quietly: most people have one kind of unit. Those that failed to search are
    named; Bluetooth that is not there is said once, plainly."""
    await _load_discovery()
    from tenslog.driver.discovery import discover_installed

    return offered(await discover_installed(timeout))


async def _load_discovery() -> None:
    """Import the drivers' registry (importlib.metadata, ~0.1 s) in a thread: the chooser's
    "No connection" is painted meanwhile rather than after it."""
    def load() -> None:
        import tenslog.driver.discovery  # noqa: F401

    await asyncio.to_thread(load)


def offered(found: Discovery) -> tuple[list[UnitChoice], str | None]:
    """The chooser's lines from what the drivers found, as `tenslog scan` lists them: a serial
    port once (every serial driver lists every port), with what each driver would make of it;
    /dev/ttyS0 and the like (on nearly every PC, carrying no unit) not offered."""
    from tenslog.driver.discovery import NO_BLUETOOTH, Stage, bluetooth_missing, by_port

    serial = [(d, u) for d, u in found.found if d.transport == "serial"]
    choices = [found_choice(d, u) for d, u in found.found if d.transport != "serial"]
    ports, _built_in = by_port(serial)
    choices += [port_choice(port, [found_choice(d, u) for d, u in seen]) for port, seen in ports.items()]
    failed = [s for s in found.failures if s.failed is Stage.SEARCH]
    no_bluetooth = [s for s in failed
                    if s.driver is not None and bluetooth_missing(s.driver.transport, s.problem)]
    problems = ["Not searched: " + "; ".join(s.name for s in failed if s not in no_bluetooth)
                ] if len(failed) > len(no_bluetooth) else []
    if no_bluetooth:
        problems.append(NO_BLUETOOTH)
    return choices, "\n".join(problems) or None


def port_choice(port: str, readings: list[UnitChoice]) -> UnitChoice:
    """One line for a serial port; found by several drivers, it names what each would make of
    it and holds them to pick from."""
    if len(readings) == 1:
        return readings[0]
    where = next((c.found.detail for c in readings if c.found is not None and c.found.detail), "")
    kinds = " · ".join(f"{c.label} ({c.driver.name})" for c in readings if c.driver is not None)
    detail = f"{where} — could be: {kinds}" if where else f"could be: {kinds}"
    return UnitChoice(f"Serial port {port}", detail, alternatives=tuple(readings))


def remembered_manual(store: Store) -> Unit | None:
    """The last unit without connection used, to fill in the new-unit form."""
    sessions = store.sessions(kind=SessionKind.TENS, limit=20)
    return next((s.unit for s in sessions if s.unit and s.unit.driver == MANUAL_SOURCE), None)


def last_level(store: Store, unit: Unit) -> float | None:
    """The level last noted or reported with this unit: where + and - start next time."""
    for session in store.sessions(kind=SessionKind.TENS, unit_name=unit.name, limit=20):
        same = session.unit is not None and (session.unit.driver, session.unit.identity) == (
            unit.driver, unit.identity)
        if same and session.intensity:
            return max(session.intensity, key=lambda p: p.at).value
    return None
