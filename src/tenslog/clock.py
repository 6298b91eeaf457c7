"""The time base of recordings: wall-clock time that advances with the monotonic clock.

The wall clock can be stepped (set by hand, NTP after a long offline spell, a resume from
suspend). A session's times are taken from the monotonic clock, anchored to the wall clock, so
a step never shortens a session, stretches it into hours of therapy, or puts a point before its
start. While a session is open the recorder pins the clock: a step is noted (logged, counted,
told to listeners) but not followed. With no session open the clock follows the wall clock, so
the next session starts at true wall time."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

JUMP_SECONDS = 1.0  # a disagreement beyond this between wall and steady time is a step
# Linux's boot-time clock is monotonic and, unlike CLOCK_MONOTONIC, keeps counting while the
# machine sleeps, so a suspend during a session is not mistaken for a step of the wall clock.
_STEADY_ID = getattr(time, "CLOCK_BOOTTIME", None)


def steady_seconds() -> float:
    if _STEADY_ID is not None:
        return time.clock_gettime(_STEADY_ID)
    return time.monotonic()

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class ClockJump:
    """The wall clock moved by ``step`` seconds (positive: forward) against the steady clock."""

    step: float
    at: float  # steady (anchored) time when it was noticed
    followed: bool  # False: a session was open, so its times ignore the step

    def describe(self) -> str:
        minutes = round(abs(self.step) / 60)
        size = f"{minutes // 60} h {minutes % 60:02d} min" if minutes else f"{abs(self.step):.0f} s"
        way = "forward" if self.step > 0 else "back"
        then = "" if self.followed else "; the session's times follow the steady clock, not the jump"
        return f"the system clock was set {way} by {size}{then}"


class SteadyClock:
    """``now()`` is wall time at the anchor plus monotonic time since; see the module's doc."""

    def __init__(
        self,
        wall: Callable[[], float] | None = None,
        steady: Callable[[], float] | None = None,
        threshold: float = JUMP_SECONDS,
    ) -> None:
        # Looked up at each call (not bound here), so the system clock can be replaced in tests.
        self._wall = wall or (lambda: time.time())  # noqa: PLW0108
        self._steady = steady or steady_seconds
        self.threshold = threshold
        self.jumps = 0  # steps noticed so far
        self.last_jump: ClockJump | None = None
        self.listeners: list[Callable[[ClockJump], None]] = []
        self._pins = 0
        self._wall0 = self._wall()
        self._steady0 = self._steady()
        self._noted = 0.0  # the step already reported while pinned

    @property
    def pinned(self) -> bool:
        return self._pins > 0

    def pin(self) -> None:
        """A session opened: follow only the steady clock until ``unpin``."""
        self._pins += 1

    def unpin(self) -> None:
        self._pins = max(0, self._pins - 1)

    def now(self) -> float:
        steady, wall = self._steady(), self._wall()
        anchored = self._wall0 + (steady - self._steady0)
        step = wall - anchored
        if self._pins:
            if abs(step - self._noted) > self.threshold:
                moved, self._noted = step - self._noted, step
                self._note(ClockJump(moved, anchored, followed=False))
            return anchored
        if abs(step - self._noted) > self.threshold:
            self._note(ClockJump(step - self._noted, anchored, followed=True))
        # No session open: follow the wall clock, re-anchored at this reading.
        self._wall0, self._steady0, self._noted = wall, steady, 0.0
        return wall

    def _note(self, jump: ClockJump) -> None:
        self.jumps += 1
        self.last_jump = jump
        log.info("%s", jump.describe())
        for listener in list(self.listeners):
            listener(jump)


system_clock = SteadyClock()
"""The one clock drivers stamp events with and the recorder reads, shared in a process."""
