"""Finds drivers through the ``tenslog.drivers`` entry-point group, built-ins included.
Names are listed without importing; a driver that fails to import is reported, never fatal."""

from __future__ import annotations

from dataclasses import dataclass
from importlib.metadata import EntryPoint, entry_points

from tenslog.driver.contract import Driver

GROUP = "tenslog.drivers"


class DriverLoadError(Exception):
    def __init__(self, name: str, reason: str) -> None:
        super().__init__(f"driver {name!r} could not be loaded: {reason}")
        self.name = name
        self.reason = reason


@dataclass(frozen=True, slots=True)
class DriverEntry:
    name: str
    target: str
    distribution: str


def _entry_points() -> dict[str, EntryPoint]:
    return {ep.name: ep for ep in entry_points(group=GROUP)}


def driver_entries() -> list[DriverEntry]:
    """Installed drivers, by name, without importing any of them."""
    found = []
    for ep in _entry_points().values():
        dist = ep.dist.name if ep.dist is not None else "?"
        found.append(DriverEntry(ep.name, ep.value, dist))
    return sorted(found, key=lambda e: e.name)


def load_driver(name: str) -> type[Driver]:
    eps = _entry_points()
    if name not in eps:
        known = ", ".join(sorted(eps)) or "none"
        raise DriverLoadError(name, f"no such driver (installed: {known})")
    try:
        cls = eps[name].load()
    except Exception as exc:  # a broken plugin must not take the app down
        raise DriverLoadError(name, f"{type(exc).__name__}: {exc}") from exc
    if not (isinstance(cls, type) and issubclass(cls, Driver)):
        raise DriverLoadError(name, f"{eps[name].value} is not a tenslog Driver subclass")
    return cls


def inspect_drivers() -> list[tuple[DriverEntry, type[Driver] | None, str | None]]:
    """Every installed driver with its class, or the reason it could not be loaded."""
    result: list[tuple[DriverEntry, type[Driver] | None, str | None]] = []
    for entry in driver_entries():
        try:
            result.append((entry, load_driver(entry.name), None))
        except DriverLoadError as exc:
            result.append((entry, None, exc.reason))
    return result
