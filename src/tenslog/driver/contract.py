"""The contract between tenslog and a driver. A driver turns one kind of unit into a stream of
DeviceEvents; it owns its transport and reconnection, and never changes the unit's settings.

The contract is enforced here, not left to memory: every subclass's ``events`` is wrapped so that
the stream always begins with ``Connected`` (one built from the class's declaration if the driver
sends none before it reports anything) and closes the driver's own generator when it is closed."""

from __future__ import annotations

import functools
from abc import ABC, abstractmethod
from collections.abc import AsyncGenerator, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar, Literal

from tenslog.clock import system_clock
from tenslog.driver.events import Connected, DeviceEvent, LinkLost, UnitInfo, reports_nothing

if TYPE_CHECKING:
    from collections.abc import Sequence

    from tenslog.capture import Record
    from tenslog.driver.options import DriverOptions
    from tenslog.model import Capabilities, IntensityScale


@dataclass(frozen=True, slots=True)
class FoundUnit:
    """A unit a driver can connect to right now."""

    driver: str
    identity: str
    name: str
    detail: str = ""


class DriverOptionError(ValueError):
    """An option given to a driver is unknown or malformed. The message names it, says what
    was wrong and lists the valid options; ``option`` is the (first) option at fault."""

    def __init__(self, message: str, *, option: str | None = None) -> None:
        super().__init__(message)
        self.option = option


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
    # The options the driver takes, declared as a model (tenslog.driver.options.DriverOptions:
    # each field's type, default and one-line help). None: it takes none.
    Options: ClassVar[type[DriverOptions] | None] = None
    options: DriverOptions  # the parsed options, set by __init__

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        own = cls.__dict__.get("events")
        if own is not None and not getattr(own, "_keeps_contract", False):
            cls.events = _keeping_contract(own)  # type: ignore[method-assign,assignment]

    def __init__(self, /, **options: str) -> None:
        """Reads ``options`` (text, as typed after ``--option``) into ``self.options``; an
        unknown or malformed one raises DriverOptionError. A subclass that needs more set-up
        calls this first, then reads ``self.options``."""
        from tenslog.driver.options import read_options  # pydantic loads with the first driver

        self.options = read_options(self.name, self.Options, options)

    @abstractmethod
    async def discover(self, timeout: float = 5.0) -> list[FoundUnit]:
        """Units that can be connected now. Must not connect or write to anything."""

    @abstractmethod
    def events(self, identity: str | None = None) -> AsyncGenerator[DeviceEvent, None]:
        """Connect (reconnecting after drops) and yield events until cancelled or the unit is
        gone for good. ``identity`` comes from FoundUnit; None means the first unit found.
        Send ``Connected`` with the unit's own UnitInfo (scale and capabilities may differ per
        unit); a driver that does not gets one built by ``declared_unit``. Whoever consumes the
        stream closes it (``aclose``, e.g. ``contextlib.aclosing``)."""

    def replay(self, records: Sequence[Record]) -> list[DeviceEvent]:
        """What this driver's decoder makes of a capture (``tenslog replay``), offline, timed
        by the records. A driver that cannot decode captures keeps this default."""
        raise NotImplementedError(f"driver {self.name!r} cannot replay captures")

    def declared_unit(self, identity: str | None = None) -> UnitInfo:
        """The unit as the class declares it, for a driver that never says ``Connected``."""
        scale = getattr(self, "scale", None)
        if scale is None:
            from tenslog.model import IntensityScale  # pydantic loads with the first unit

            scale = IntensityScale()
        capabilities = getattr(self, "capabilities", None) or reports_nothing()
        title = getattr(self, "title", "") or self.name
        return UnitInfo(self.name, identity or self.name, title, scale, capabilities)

    def clock(self) -> float:
        """The time base of this driver's events: the wall clock advanced by the monotonic clock
        (tenslog.clock), so a step of the system clock never enters a session. The simulator
        may run faster than real time."""
        return system_clock.now()


EventsMethod = Callable[[Driver, "str | None"], AsyncGenerator[DeviceEvent, None]]


def _keeping_contract(events: EventsMethod) -> EventsMethod:
    """Wraps a driver's ``events``: its stream starts with Connected and closes with ours."""

    @functools.wraps(events)
    async def wrapped(self: Driver, identity: str | None = None) -> AsyncGenerator[DeviceEvent, None]:
        stream = events(self, identity)
        connected = False
        try:
            async for event in stream:
                if isinstance(event, Connected):
                    connected = True
                elif not connected and not isinstance(event, LinkLost):
                    # Reporting implies a link. Without Connected the recorder sent no
                    # heartbeats and stored the session with no unit and no source.
                    connected = True
                    yield Connected(event.at, self.declared_unit(identity))
                yield event
        finally:
            close = getattr(stream, "aclose", None)
            if close is not None:
                await close()  # the driver's own cleanup (port, BLE link) runs now, not at GC

    wrapped._keeps_contract = True  # type: ignore[attr-defined]
    return wrapped
