"""The contract between tenslog and a driver. A driver turns one kind of unit into a stream of
DeviceEvents; it owns its transport and reconnection, and never changes the unit's settings."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar, Literal

from tenslog.clock import system_clock
from tenslog.driver.events import DeviceEvent

if TYPE_CHECKING:
    from tenslog.model import Capabilities, IntensityScale


@dataclass(frozen=True, slots=True)
class FoundUnit:
    """A unit a driver can connect to right now."""

    driver: str
    identity: str
    name: str
    detail: str = ""


class DriverOptionError(ValueError):
    """An option given to a driver is unknown or malformed; the message names it."""


class Driver(ABC):
    """Subclass this and register it under the entry-point group ``tenslog.drivers``."""

    name: ClassVar[str]
    title: ClassVar[str]
    transport: ClassVar[Literal["ble", "serial", "simulated", "other"]]
    capabilities: ClassVar[Capabilities]
    scale: ClassVar[IntensityScale]
    # How long the recorder keeps a session open across a lost link (the grace_seconds
    # setting). Whoever pairs a driver with a recorder sets it, so that a reconnecting
    # driver tries often enough to be back inside it (see tenslog.driver.backoff.cap_within_grace).
    grace_seconds: float = 120.0

    def __init__(self, **options: str) -> None:
        if options:
            raise DriverOptionError(f"driver {self.name!r} takes no option {sorted(options)[0]!r}")

    @abstractmethod
    async def discover(self, timeout: float = 5.0) -> list[FoundUnit]:
        """Units that can be connected now. Must not connect or write to anything."""

    @abstractmethod
    def events(self, identity: str | None = None) -> AsyncIterator[DeviceEvent]:
        """Connect (reconnecting after drops) and yield events until cancelled or the unit is
        gone for good. ``identity`` comes from FoundUnit; None means the first unit found."""

    def clock(self) -> float:
        """The time base of this driver's events: the wall clock advanced by the monotonic clock
        (tenslog.clock), so a step of the system clock never enters a session. The simulator
        may run faster than real time."""
        return system_clock.now()
