"""The live session's state as plain, frozen data: what a view reads, what a test asserts."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from tenslog.driver import Driver, FoundUnit
from tenslog.recorder import LinkState
from tenslog.vocabulary import SessionState

if TYPE_CHECKING:
    from tenslog.model import Capabilities, IntensityScale, Unit


class Phase(StrEnum):
    CHOOSING = "choosing"
    WAITING = "waiting"  # rated before; the unit is not on yet
    RUNNING = "running"
    ENDED = "ended"
    FAILED = "failed"  # the unit went away or the driver failed before a session


@dataclass(frozen=True, slots=True)
class UnitChoice:
    """One line of the unit chooser: a unit a driver found, or a unit without connection."""

    label: str
    detail: str
    found: FoundUnit | None = None
    manual: Unit | None = None  # both None: a new unit without connection
    driver: Driver | None = None  # the driver that found it
    # A serial port several drivers found: one line, and these (one per driver) to pick from.
    alternatives: tuple[UnitChoice, ...] = ()


@dataclass(frozen=True, slots=True)
class LiveState:
    """Everything there is to show about the session at one moment."""

    phase: Phase
    manual: bool = False  # a unit without connection: the person presses s
    unit_name: str = ""
    capabilities: Capabilities | None = None  # None until a unit is chosen
    link: LinkState | None = None
    lost_for: float = 0.0  # seconds the link has been down
    elapsed: float | None = None  # seconds since the session began (its length once ended)
    intensity: float | None = None
    scale: IntensityScale | None = None
    before: int | None = None
    history: tuple[float, ...] = ()  # one sample per second of unit time, oldest first
    problem: str | None = None
    # s pressed to end a session younger than the minimum: ignored, y ends it (a tremor's
    # second press must not end what the first one started).
    stop_asked: bool = False
    min_seconds: float = 0.0  # the shortest session that counts (a setting)
    last_level: float | None = None  # the level last used with this unit: + and - start there
    unit_notes: str = ""  # what the unit notes now (UnitNote: program, overload, low battery)

    @property
    def reports_on_off(self) -> bool:
        return self.capabilities is not None and self.capabilities.reports_on_off

    @property
    def reports_intensity(self) -> bool:
        return self.capabilities is not None and self.capabilities.reports_intensity

    @property
    def needs_switch_key(self) -> bool:
        """The s key is how the session starts and ends: the unit cannot say it."""
        return self.phase in (Phase.WAITING, Phase.RUNNING) and not self.reports_on_off

    @property
    def needs_level_keys(self) -> bool:
        """The unit cannot tell its intensity: the person notes what they set."""
        return self.phase is Phase.RUNNING and not self.reports_intensity


@dataclass(frozen=True, slots=True)
class AfterSummary:
    change: int | None
    average: float | None
    count: int


# What the controller reports to whoever runs it (the screen turns these into its messages).
@dataclass(frozen=True, slots=True)
class Started:
    session_id: int


@dataclass(frozen=True, slots=True)
class Ended:
    session_id: int
    state: SessionState


@dataclass(frozen=True, slots=True)
class Finished:
    """The device side is over: the session ended, the unit went away, or it failed."""

    problem: str | None


LiveEvent = Started | Ended | Finished
