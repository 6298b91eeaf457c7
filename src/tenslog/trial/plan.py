"""A personal (N-of-1) trial: TENS against rest in pairs of periods, the order inside each pair
decided at random from a recorded seed (AHRQ, "Design and Implementation of N-of-1 Trials",
2014, ch. 4). The plan, its seed and its schedule are stored; a change is a recorded deviation.

Periods are whole local days. Pair p (0-based), period i (0 or 1) starts on
``start + (2p + i) * (period_days + washout_days)``; a washout follows every period but the last.
"""

from __future__ import annotations

import random
import secrets
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum

from tenslog.text import check_plain

MIN_PAIRS, MAX_PAIRS, DEFAULT_PAIRS = 3, 16, 6  # 16: the exact test enumerates 2**16 orders
MIN_PERIOD_DAYS, MAX_PERIOD_DAYS = 1, 7
MAX_WASHOUT_DAYS = 7
MEANS_MAX = 200
SEED_BITS = 63  # fits SQLite's signed 64-bit INTEGER
DEFAULT_TENS_MEANS = "use the unit when pain rises, rate pain before and after"
DEFAULT_REST_MEANS = "rest the same way without the unit, rate pain before and after"


class Arm(StrEnum):
    TENS = "tens"
    REST = "rest"

    @property
    def label(self) -> str:
        return "TENS period" if self is Arm.TENS else "rest period"


class PlanError(ValueError):
    """A plan that cannot be made; the message names the option at fault."""


def new_seed() -> int:
    """A seed from the operating system's randomness; it is recorded with the plan."""
    return secrets.randbits(SEED_BITS)


def schedule_from_seed(seed: int, pairs: int) -> tuple[tuple[Arm, Arm], ...]:
    """The order inside each pair. NEVER CHANGE THIS ALGORITHM: a stored plan is re-derived
    from its seed to check it, and old plans would change. It uses only random.Random(seed)
    .random(), the one sequence Python guarantees to stay the same across versions
    (tests/trial/test_trial_plan.py pins it on fixed seeds)."""
    rng = random.Random(seed)
    return tuple((Arm.TENS, Arm.REST) if rng.random() < 0.5 else (Arm.REST, Arm.TENS)
                 for _ in range(pairs))


def _whole(name: str, value: object, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise PlanError(f"{name}: needs a whole number (got {value!r})")
    if not low <= value <= high:
        raise PlanError(f"{name}: needs to be from {low} to {high} (got {value})")
    return value


def _means(name: str, text: str) -> str:
    try:
        check_plain(text)
    except ValueError as exc:
        raise PlanError(f"{name}: {exc}") from None
    cleaned = text.strip()
    if not cleaned:
        raise PlanError(f"{name}: is empty; say in a few words what you will do")
    if len(cleaned) > MEANS_MAX:
        raise PlanError(f"{name}: is {len(cleaned)} characters long; at most {MEANS_MAX}")
    return cleaned


@dataclass(frozen=True, slots=True)
class Period:
    pair: int  # 1-based
    arm: Arm
    first_day: date
    last_day: date

    def days(self) -> int:
        return (self.last_day - self.first_day).days + 1

    def holds(self, day: date) -> bool:
        return self.first_day <= day <= self.last_day


@dataclass(frozen=True, slots=True)
class TrialPlan:
    """Build with ``TrialPlan.make``; ``order`` is derived from ``seed`` there."""

    start: date
    created: datetime
    seed: int
    order: tuple[tuple[Arm, Arm], ...]
    period_days: int = 1
    washout_days: int = 0
    tens_means: str = DEFAULT_TENS_MEANS
    rest_means: str = DEFAULT_REST_MEANS

    @classmethod
    def make(cls, *, start: date, created: datetime, pairs: int = DEFAULT_PAIRS,
             period_days: int = 1, washout_days: int = 0, tens_means: str = DEFAULT_TENS_MEANS,
             rest_means: str = DEFAULT_REST_MEANS, seed: int | None = None) -> TrialPlan:
        """Raises PlanError naming the option (--pairs, --period-days, ...) at fault."""
        _whole("--pairs", pairs, MIN_PAIRS, MAX_PAIRS)
        _whole("--period-days", period_days, MIN_PERIOD_DAYS, MAX_PERIOD_DAYS)
        _whole("--washout-days", washout_days, 0, MAX_WASHOUT_DAYS)
        if seed is None:
            seed = new_seed()
        _whole("--seed", seed, 0, 2**SEED_BITS - 1)
        return cls(start=start, created=created, seed=seed, order=schedule_from_seed(seed, pairs),
                   period_days=period_days, washout_days=washout_days,
                   tens_means=_means("--tens-means", tens_means),
                   rest_means=_means("--rest-means", rest_means))

    @property
    def pairs(self) -> int:
        return len(self.order)

    def periods(self) -> list[Period]:
        step = self.period_days + self.washout_days
        out = []
        for p, arms in enumerate(self.order):
            for i, arm in enumerate(arms):
                first = self.start + timedelta(days=(2 * p + i) * step)
                out.append(Period(p + 1, arm, first, first + timedelta(days=self.period_days - 1)))
        return out

    @property
    def last_day(self) -> date:
        return self.periods()[-1].last_day

    def means(self, arm: Arm) -> str:
        return self.tens_means if arm is Arm.TENS else self.rest_means

    def matches_seed(self) -> bool:
        """True if the stored order is the one the seed gives (nothing edited it)."""
        return self.order == schedule_from_seed(self.seed, self.pairs)


@dataclass(frozen=True, slots=True)
class Deviation:
    """A recorded change to the plan: stopping early (the only kind the CLI makes yet)."""

    at: datetime
    kind: str  # "stopped" | "changed"
    reason: str


def check_reason(text: str, option: str = "--reason") -> str:
    """A deviation's reason: plain text, 1-200 characters."""
    return _means(option, text)


@dataclass(frozen=True, slots=True)
class StoredTrial:
    id: int
    plan: TrialPlan
    stopped: datetime | None = None
    deviations: tuple[Deviation, ...] = field(default_factory=tuple)

    def finished_by(self, today: date) -> bool:
        return today > self.plan.last_day

    def active_on(self, today: date) -> bool:
        return self.stopped is None and not self.finished_by(today)
