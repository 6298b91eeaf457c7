"""Capped exponential back-off with jitter, shared by every driver that reconnects.
It grows on each failed attempt and resets only after a connection held for a while, so a
unit that connects and drops at once cannot make us hammer the adapter (BlueZ crashed so)."""

from __future__ import annotations

import random


class Backoff:
    def __init__(
        self,
        first: float = 0.5,
        cap: float = 30.0,
        factor: float = 2.0,
        jitter: float = 0.1,
        rng: random.Random | None = None,
    ) -> None:
        if first <= 0 or cap < first or factor < 1:
            raise ValueError("back-off needs 0 < first <= cap and factor >= 1")
        self.first = first
        self.cap = cap
        self.factor = factor
        self.jitter = jitter
        self.attempts = 0
        self._rng = rng or random.Random()

    def next_delay(self) -> float:
        """The wait before the next attempt; each call counts one failed attempt."""
        base = min(self.cap, self.first * self.factor ** min(self.attempts, 64))
        self.attempts += 1
        return min(self.cap, base * (1 + self._rng.uniform(0, self.jitter)))

    def succeeded(self) -> None:
        """Call once a connection has proved itself (delivered data), not merely opened."""
        self.attempts = 0


TRIES_IN_GRACE = 8  # reconnect attempts that fit in the recorder's grace period, at the least
SHORTEST_CAP = 0.05  # seconds; the cap never reaches zero (a zero back-off hammered BlueZ)


def cap_within_grace(cap: float, grace_seconds: float) -> float:
    """The back-off cap for a driver whose recorder keeps a session open ``grace_seconds``
    across a lost link: a unit plugged back well inside the grace period must be found again
    inside it too, so the spacing of attempts stays a fraction of the grace."""
    return max(SHORTEST_CAP, min(cap, grace_seconds / TRIES_IN_GRACE))
