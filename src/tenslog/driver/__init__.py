"""The driver kit: everything a driver author imports, from one place.

- ``contract``: the ``Driver`` base class, ``FoundUnit``, ``DriverOptionError``.
- ``events``: what a driver yields (``Connected``, ``StimulationStarted``, ..., ``UnitNote``;
  ``UnitInfo``).
- ``tracking``: ``ReadingTracker`` turns periodic status readings into change events.
- ``options``: ``DriverOptions``, the base of a driver's ``Options`` model (each option's type,
  default and help), read from ``--option key=value`` strings by the ``Driver`` base class.
- ``backoff``: ``Backoff``, the capped reconnect back-off every built-in driver uses.
- ``registry``: finds installed drivers through the ``tenslog.drivers`` entry-point group.
- ``discovery``: asks every driver (or some) for units at once, with a time limit; what
  `tenslog scan` and the dashboard's unit chooser list.

The contract and the events load at once (both are light); the rest loads on first use, so the
dashboard's first frame pays for none of it."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from tenslog.driver.contract import Driver, DriverOptionError, FoundUnit
from tenslog.driver.events import (
    Connected,
    DeviceEvent,
    IntensityChanged,
    LinkLost,
    LinkRestored,
    StimulationStarted,
    StimulationStopped,
    UnitInfo,
    UnitNote,
)

if TYPE_CHECKING:
    from tenslog.driver.backoff import Backoff, cap_within_grace
    from tenslog.driver.options import DriverOptions, OptionSpec, option_specs
    from tenslog.driver.registry import DriverLoadError, inspect_drivers, load_driver
    from tenslog.driver.tracking import Reading, ReadingTracker

_LAZY = {
    "Backoff": "backoff",
    "cap_within_grace": "backoff",
    "DriverOptions": "options",
    "OptionSpec": "options",
    "option_specs": "options",
    "DriverLoadError": "registry",
    "inspect_drivers": "registry",
    "load_driver": "registry",
    "Reading": "tracking",
    "ReadingTracker": "tracking",
}

__all__ = [
    "Backoff",
    "Connected",
    "DeviceEvent",
    "Driver",
    "DriverLoadError",
    "DriverOptionError",
    "DriverOptions",
    "FoundUnit",
    "IntensityChanged",
    "LinkLost",
    "LinkRestored",
    "OptionSpec",
    "Reading",
    "ReadingTracker",
    "StimulationStarted",
    "StimulationStopped",
    "UnitInfo",
    "UnitNote",
    "cap_within_grace",
    "inspect_drivers",
    "load_driver",
    "option_specs",
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value
