"""What a driver tells the recorder. Plain frozen dataclasses: they are created at
notification rate, already decoded, so they skip validation (the domain model validates)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypeAlias

if TYPE_CHECKING:
    from tenslog.model import Capabilities, IntensityScale


def reports_nothing() -> Capabilities:
    from tenslog.model import Capabilities  # pydantic loads with the first driver, not before

    return Capabilities()


@dataclass(frozen=True, slots=True)
class UnitInfo:
    """Identifies a unit well enough to reconnect to it, and says what it can report."""

    driver: str
    identity: str
    name: str
    scale: IntensityScale
    capabilities: Capabilities = field(default_factory=reports_nothing)


@dataclass(frozen=True, slots=True)
class Connected:
    at: float
    unit: UnitInfo


@dataclass(frozen=True, slots=True)
class StimulationStarted:
    at: float
    intensity: float | None = None


@dataclass(frozen=True, slots=True)
class IntensityChanged:
    at: float
    intensity: float


@dataclass(frozen=True, slots=True)
class StimulationStopped:
    at: float


@dataclass(frozen=True, slots=True)
class LinkLost:
    at: float
    reason: str = ""


@dataclass(frozen=True, slots=True)
class LinkRestored:
    at: float


@dataclass(frozen=True, slots=True)
class UnitNote:
    """Something the unit says that the person should see now, next to the link (overload, low
    battery, the program running). ``topic`` keeps notes apart: a new note replaces the one of
    its topic, an empty ``text`` clears it. Shown live, never stored (data minimisation)."""

    at: float
    topic: str
    text: str = ""


DeviceEvent: TypeAlias = (
    Connected
    | StimulationStarted
    | IntensityChanged
    | StimulationStopped
    | LinkLost
    | LinkRestored
    | UnitNote
)
"""Times are POSIX seconds (UTC). Intensities are in the unit's own scale."""
