"""A simulated TENS unit: plays a deterministic plan through the same line decoder a real
bridge uses, so garbage is skipped and counted exactly as it would be on a wire."""

from __future__ import annotations

import asyncio
import math
import random
import time
from collections.abc import AsyncGenerator
from dataclasses import dataclass
from typing import Annotated, Literal

from pydantic import Field, field_validator

from tenslog.driver import Driver, FoundUnit
from tenslog.driver.events import Connected, DeviceEvent, LinkLost, LinkRestored, UnitInfo
from tenslog.driver.options import DriverOptions
from tenslog.driver.tracking import Reading, ReadingTracker
from tenslog.model import Capabilities, IntensityScale
from tenslog_serial.lineproto import LineStatus, decode_line, encode_line
from tenslog_simulator.garbage import garbage_frame
from tenslog_simulator.plan import LEVEL_MAX, Plan, make_plan


@dataclass(slots=True)
class SimulatorStats:
    frames: int = 0  # valid frames decoded
    garbage: int = 0  # frames the decoder rejected


class SimulatorDriver(Driver):
    """A deterministic unit for demos and tests: the same seed plays the same sessions, as
    fast as you ask, with link losses and line noise if you want them."""

    name = "simulator"
    title = "Simulated TENS unit"
    transport = "simulated"
    capabilities = Capabilities(reports_on_off=True, reports_intensity=True)
    scale = IntensityScale(kind="level", maximum=LEVEL_MAX)

    class Options(DriverOptions):
        seed: int = Field(1, description="the same seed plays the same sessions")
        speed: Annotated[float, Field(ge=0.001)] | Literal["max"] = Field(
            1.0, description="time factor: 1 = real time, 60 = a minute per second, max = no waiting"
        )
        sessions: int = Field(1, ge=0, le=10_000, description="stimulation sessions to play")
        session_minutes: float = Field(
            20.0, ge=0.01, le=24 * 60, description="length of each session in minutes"
        )
        rate: float = Field(4.0, ge=0.1, le=1000, description="status frames per second")
        idle_seconds: float = Field(3.0, ge=0, description="seconds off before the first session")
        link_loss: int = Field(
            0, ge=0, le=100, description="link losses per session, each 4-20 s (within the grace)"
        )
        garbage: float = Field(
            0.0, ge=0, le=0.9, description="fraction of garbage frames (skipped and counted)"
        )
        vanish: float | None = Field(
            None, ge=0, description="seconds after which the unit is gone for good (default: never)"
        )

        @field_validator("speed", mode="before")
        @classmethod
        def _max_in_any_case(cls, value: object) -> object:
            # "inf" and any case of "max" have always meant "no waiting".
            if isinstance(value, str) and value.strip().lower() in ("max", "inf"):
                return "max"
            return value

    options: Options

    def __init__(self, /, **options: str) -> None:
        super().__init__(**options)
        o = self.options
        self.seed = o.seed
        self.speed = math.inf if o.speed == "max" else o.speed
        self.sessions = o.sessions
        self.session_minutes = o.session_minutes
        self.rate = o.rate
        self.idle_seconds = o.idle_seconds
        self.link_loss = o.link_loss
        self.garbage = o.garbage
        vanish = o.vanish
        self.plan: Plan = make_plan(
            self.seed,
            sessions=self.sessions,
            session_minutes=self.session_minutes,
            idle_seconds=self.idle_seconds,
            link_losses=self.link_loss,
            vanish=vanish,
        )
        self.stats = SimulatorStats()
        self.identity = f"sim-{self.seed}"
        self._epoch: float | None = None  # simulated POSIX time at the start of the run
        self._anchor = 0.0  # time.monotonic() at the start of the run
        self._cursor = 0.0  # plan time of the frame being played (for speed=max)

    # -- what tests and benchmarks may rely on ---------------------------------------------
    @property
    def expected_sessions(self) -> int:
        """Stimulation periods the run will contain (fewer if ``vanish`` cuts it short)."""
        cut = self.plan.vanish_at
        return sum(1 for s in self.plan.sessions if cut is None or s.start < cut)

    @property
    def expected_link_losses(self) -> int:
        cut = self.plan.vanish_at
        return sum(1 for w in self.plan.link_losses if cut is None or w[0] < cut)

    @property
    def duration(self) -> float:
        """Simulated seconds the run lasts."""
        return (
            self.plan.duration
            if self.plan.vanish_at is None
            else min(self.plan.duration, self.plan.vanish_at)
        )

    # -- Driver ---------------------------------------------------------------------------
    async def discover(self, timeout: float = 5.0) -> list[FoundUnit]:
        detail = f"seed {self.seed}, {self.sessions} session(s) of {self.session_minutes:g} min"
        return [FoundUnit(self.name, self.identity, "Simulated TENS unit", detail)]

    def clock(self) -> float:
        if self._epoch is None:
            return super().clock()
        if math.isinf(self.speed):
            return self._epoch + self._cursor
        return self._epoch + (time.monotonic() - self._anchor) * self.speed

    async def events(self, identity: str | None = None) -> AsyncGenerator[DeviceEvent, None]:
        # An accelerated run is laid out so that it ends when it really ends: its times never
        # lie in the future (the store rejects future starts), and at speed 1 they are live.
        real_length = 0.0 if math.isinf(self.speed) else self.duration / self.speed
        self._epoch = super().clock() - self.duration + real_length
        self._anchor, self._cursor = time.monotonic(), 0.0
        epoch = self._epoch
        noise = random.Random(self.seed ^ 0x5EED)
        tracker = ReadingTracker()
        unit = UnitInfo(
            self.name, self.identity, "Simulated TENS unit", self.scale, self.capabilities
        )
        yield Connected(epoch, unit)
        lost = False
        frames = int(self.plan.duration * self.rate)
        for i in range(frames + 1):
            t = i / self.rate
            await self._wait_until(t, i)
            if self.plan.vanish_at is not None and t >= self.plan.vanish_at:
                yield LinkLost(epoch + t, "unit vanished")
                return
            if self.plan.link_loss_at(t) is not None:
                if not lost:
                    lost = True
                    yield LinkLost(epoch + t, "simulated link loss")
                continue
            if lost:
                lost = False
                tracker.reset()  # so the first reading after the gap re-announces the state
                yield LinkRestored(epoch + t)
            on, level = self.plan.state_at(t)
            frame = encode_line(LineStatus(on, float(level), self.scale))
            while noise.random() < self.garbage:
                self._decode(garbage_frame(noise, frame))
            status = self._decode(frame)
            if status is not None:
                for event in tracker.feed(Reading(epoch + t, status.on, status.intensity)):
                    yield event

    def _decode(self, frame: bytes) -> LineStatus | None:
        status = decode_line(frame)
        if status is None:
            self.stats.garbage += 1
        else:
            self.stats.frames += 1
        return status

    async def _wait_until(self, t: float, index: int) -> None:
        self._cursor = t
        if math.isinf(self.speed):
            if index % 64 == 0:
                await asyncio.sleep(0)  # let the recorder and the UI breathe
            return
        delay = self._anchor + t / self.speed - time.monotonic()
        if delay > 0.001:
            await asyncio.sleep(delay)
        elif index % 64 == 0:
            await asyncio.sleep(0)
