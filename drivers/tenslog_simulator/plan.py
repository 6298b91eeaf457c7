"""The simulator's script: a deterministic timeline drawn from a seed. All times are seconds
from the start of the run, so two runs with the same options produce the same events."""

from __future__ import annotations

import bisect
import random
from dataclasses import dataclass, field

LEVEL_MAX = 20


@dataclass(frozen=True, slots=True)
class PlannedSession:
    start: float
    end: float
    changes: tuple[tuple[float, int], ...]  # (time, level) from start on, level 1..LEVEL_MAX
    link_losses: tuple[tuple[float, float], ...] = ()  # (lost, restored)

    def level_at(self, t: float) -> int:
        times = [c[0] for c in self.changes]
        return self.changes[max(0, bisect.bisect_right(times, t) - 1)][1]


@dataclass(frozen=True, slots=True)
class Plan:
    sessions: tuple[PlannedSession, ...]
    duration: float  # the run ends here
    vanish_at: float | None = None
    link_losses: tuple[tuple[float, float], ...] = field(default=())

    def state_at(self, t: float) -> tuple[bool, int]:
        """(on, level) at time t; level 0 while off."""
        for session in self.sessions:
            if session.start <= t < session.end:
                return True, session.level_at(t)
        return False, 0

    def link_loss_at(self, t: float) -> tuple[float, float] | None:
        for window in self.link_losses:
            if window[0] <= t < window[1]:
                return window
        return None


def make_plan(
    seed: int,
    *,
    sessions: int,
    session_minutes: float,
    idle_seconds: float,
    link_losses: int,
    vanish: float | None,
) -> Plan:
    rng = random.Random(seed)
    t = idle_seconds
    planned: list[PlannedSession] = []
    for _ in range(sessions):
        length = session_minutes * 60.0
        planned.append(_session(rng, t, length, link_losses))
        t += length + rng.uniform(30.0, 90.0)  # a pause before the next session
    duration = (planned[-1].end if planned else idle_seconds) + 5.0  # a short tail while off
    losses = tuple(w for s in planned for w in s.link_losses)
    return Plan(tuple(planned), duration, vanish, losses)


def _session(rng: random.Random, start: float, length: float, link_losses: int) -> PlannedSession:
    # Ramp: people turn the dial up a step at a time until it feels strong but comfortable.
    target = rng.randint(6, 14)
    changes: list[tuple[float, int]] = [(start, 1)]
    t, level = start, 1
    ramp_end = start + length * 0.3
    while level < target:
        t += rng.uniform(1.5, 4.0)
        if t >= ramp_end:
            break
        level += 1
        changes.append((t, level))
    # A few adjustments later on (habituation: the sensation fades, so people turn it up).
    later = sorted(
        rng.uniform(max(t, start), start + length * 0.9) for _ in range(rng.randint(2, 5))
    )
    for when in later:
        level = min(LEVEL_MAX, max(1, level + rng.choice((-2, -1, 1, 1, 2))))
        if when > changes[-1][0] and level != changes[-1][1]:
            changes.append((when, level))
    return PlannedSession(
        start, start + length, tuple(changes), _losses(rng, start, length, link_losses)
    )


def _losses(
    rng: random.Random, start: float, length: float, count: int
) -> tuple[tuple[float, float], ...]:
    """``count`` non-overlapping link losses inside the session, each well under the
    recorder's grace period."""
    if count <= 0:
        return ()
    lo, hi = start + length * 0.1, start + length * 0.9
    slot = (hi - lo) / count
    windows = []
    for i in range(count):
        gap = min(rng.uniform(4.0, 20.0), slot * 0.5)
        begin = lo + i * slot + rng.uniform(0, slot - gap)
        windows.append((begin, begin + gap))
    return tuple(windows)
