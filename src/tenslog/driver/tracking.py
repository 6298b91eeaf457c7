"""Turns a unit's periodic status readings into change events. Shared by drivers whose units
report their whole state every few hundred milliseconds rather than only its changes."""

from __future__ import annotations

from dataclasses import dataclass

from tenslog.driver.events import (
    DeviceEvent,
    IntensityChanged,
    StimulationStarted,
    StimulationStopped,
)


@dataclass(frozen=True, slots=True)
class Reading:
    """One decoded status report. ``on=None`` means "on if the intensity is above zero"."""

    at: float
    on: bool | None = None
    intensity: float | None = None


class ReadingTracker:
    """Emits an event only when something changed, so equal samples are never stored."""

    def __init__(self) -> None:
        self.on: bool | None = None  # None: unknown, e.g. right after a reconnect
        self.intensity: float | None = None

    def reset(self) -> None:
        """Forget the state; call on reconnect so the next reading re-announces it."""
        self.on = None
        self.intensity = None

    def feed(self, reading: Reading) -> list[DeviceEvent]:
        on = reading.on
        if on is None:
            on = reading.intensity is not None and reading.intensity > 0
        events: list[DeviceEvent] = []
        if on and self.on is not True:
            events.append(StimulationStarted(reading.at, reading.intensity))
            self.intensity = reading.intensity
        elif on and reading.intensity is not None and reading.intensity != self.intensity:
            events.append(IntensityChanged(reading.at, reading.intensity))
            self.intensity = reading.intensity
        elif not on and self.on is not False:
            events.append(StimulationStopped(reading.at))
            self.intensity = None
        self.on = on
        return events
