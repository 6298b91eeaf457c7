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


DeviceEvent: TypeAlias = (
    Connected | StimulationStarted | IntensityChanged | StimulationStopped | LinkLost | LinkRestored
)
"""Times are POSIX seconds (UTC). Intensities are in the unit's own scale."""
