"""A small kit for testing a driver (built-in or third-party) against fake units, with the
driver's real transport code: tenslog's own driver tests use it, and so can yours.

- ``serial_port``: ``fake_serial_port()`` / ``FakeSerialUnit``, a unit behind a real pty that
  pyserial opens like any port; pull and replug the cable, see every byte the driver sent.
- ``ble``: ``Airspace`` and ``FakePeripheral``, fake units behind bleak's own ``BleakScanner``
  and ``BleakClient`` (their ``backend=`` hook); writes off the allow-list are refused.
- ``events``: ``collect_events`` / ``watch_events`` run a driver's ``events()`` with a bound and
  always close it; ``assert_events`` compares what it said with what was expected (kinds and
  fields, times only if asked) and shows a diff; ``has`` and ``at_level`` are conditions.

Only tests import this package (tenslog itself never does, see pyproject.toml), and it imports
no test framework. Each part loads on first use, so the serial kit does not load bleak."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tenslog.testing.ble import Airspace, FakePeripheral, WriteRefused
    from tenslog.testing.events import (
        Condition,
        Watched,
        assert_events,
        at_level,
        collect_events,
        has,
        like,
        render_events,
        watch_events,
    )
    from tenslog.testing.serial_port import FakeSerialUnit, fake_serial_port

_LAZY = {
    "Airspace": "ble",
    "FakePeripheral": "ble",
    "WriteRefused": "ble",
    "Condition": "events",
    "Watched": "events",
    "assert_events": "events",
    "at_level": "events",
    "collect_events": "events",
    "has": "events",
    "like": "events",
    "render_events": "events",
    "watch_events": "events",
    "FakeSerialUnit": "serial_port",
    "fake_serial_port": "serial_port",
}

__all__ = [
    "Airspace",
    "Condition",
    "FakePeripheral",
    "FakeSerialUnit",
    "Watched",
    "WriteRefused",
    "assert_events",
    "at_level",
    "collect_events",
    "fake_serial_port",
    "has",
    "like",
    "render_events",
    "watch_events",
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value
