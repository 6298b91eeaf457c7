"""Conditions on a list of device events, for tests that wait until a driver has said enough."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from tenslog.driver.events import DeviceEvent, IntensityChanged, StimulationStarted

Condition = Callable[[Sequence[DeviceEvent]], bool]


def at_level(level: float) -> Condition:
    """The unit has reported (started at, or changed to) this level."""
    return lambda events: any(
        isinstance(e, (StimulationStarted, IntensityChanged)) and e.intensity == level for e in events
    )


def has(kind: type, count: int = 1) -> Condition:
    """At least ``count`` events of this kind have arrived."""
    return lambda events: sum(isinstance(e, kind) for e in events) >= count
