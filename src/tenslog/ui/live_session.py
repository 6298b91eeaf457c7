"""The live session's glue between a driver, the recorder and the store. No widgets here:
the screen calls these methods on key presses, runs ``run()`` in a worker, and reads
``view()`` on its redraw timer."""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import AsyncGenerator, Callable
from contextlib import aclosing, suppress
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from textual.message import Message

from tenslog.driver import Driver, FoundUnit
from tenslog.driver.events import (
    DeviceEvent,
    IntensityChanged,
    StimulationStarted,
    StimulationStopped,
    reports_nothing,
)
from tenslog.localtime import local_time
from tenslog.recorder import LinkState, Recorder, run_recorder
from tenslog.settings import Settings
from tenslog.store import Store, StoreError
from tenslog.ui.format import clock_text
from tenslog.ui.messages import DeviceFinished, SessionEnded, SessionStarted
from tenslog.ui.summary import mean_change
from tenslog.vocabulary import MANUAL_SOURCE, RatingMoment, SessionKind, SessionState

if TYPE_CHECKING:  # the pydantic models load when first needed, after the first frame
    from tenslog.model import Capabilities, Unit

HISTORY = 120  # sparkline samples kept: two minutes at one per second of unit time


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


@dataclass(frozen=True, slots=True)
class LiveView:
    """Everything the live screen shows, read in one go."""

    phase: Phase
    unit_name: str
    elapsed: str
    intensity: str
    intensity_label: str
    link: str
    reporting: str
    status: str
    before: int | None
    history: list[float] = field(default_factory=list)
    problem: str | None = None


@dataclass(frozen=True, slots=True)
class AfterSummary:
    change: int | None
    average: float | None
    count: int


def _found(driver: Driver, unit: FoundUnit) -> UnitChoice:
    """Its name, and underneath the kind of unit (if the name does not say it) and where it is."""
    kind = driver.title if driver.title != unit.name else ""
    detail = " · ".join(x for x in (kind, unit.detail or unit.identity) if x)
    return UnitChoice(unit.name, detail, found=unit, driver=driver)


def describe_capabilities(caps: Capabilities, manual: bool) -> str:
    if manual:
        return (
            "No connection: press s when you switch the unit on, and again when you switch it off."
        )
    if not caps.reports_on_off:
        return "The unit does not report on/off: press s when you switch it on, and again when off."
    if caps.reports_intensity:
        return "The unit reports on/off and intensity by itself."
    return "The unit reports on/off by itself (not its intensity)."


class LiveSession:
    def __init__(
        self,
        store: Store,
        settings: Settings,
        driver_name: str | None,
        driver_options: dict[str, str],
        post: Callable[[Message], object] = lambda message: None,
    ) -> None:
        self.store = store
        self.settings = settings
        self.driver_name = driver_name
        self.driver_options = driver_options
        self.post = post
        self.driver: Driver | None = None
        self.driver_problem: str | None = None
        self.phase = Phase.CHOOSING
        self.recorder: Recorder | None = None
        self.choice: UnitChoice | None = None
        self.before: int | None = None
        self._before_at: datetime | None = None
        self.session_id: int | None = None  # the current or last session
        self.end_state: SessionState | None = None
        self.problem: str | None = None
        self.history: deque[float] = deque(maxlen=HISTORY)
        self._last_sample: float | None = None
        self._final_elapsed: float | None = None
        self._done = asyncio.Event()
        self._closing = False

    # -- choosing a unit -------------------------------------------------------------------
    def load_driver(self) -> Driver | None:
        if self.driver is None and self.driver_name and self.driver_problem is None:
            from tenslog.driver.registry import DriverLoadError, load_driver

            try:
                self.driver = load_driver(self.driver_name)(**self.driver_options)
            except (DriverLoadError, ValueError) as exc:
                self.driver_problem = str(exc)
        return self.driver

    async def discover(self, timeout: float = 3.0) -> list[UnitChoice]:
        """With a driver named: the units it finds now, then units without connection used
        before. With none: those first (most units cannot connect), then what every installed
        driver finds."""
        manual = [
            UnitChoice(unit.name, f"no connection · {unit.scale.label()}", manual=unit)
            for unit in self.store.units()
            if unit.driver == MANUAL_SOURCE
        ]
        manual.append(UnitChoice("No connection — I'll press a key", "for units that cannot connect"))
        if not self.driver_name:
            return manual + await self._discover_everywhere(timeout)
        # Importing a driver (bleak, dbus) takes ~0.1 s: done in a thread, the screen stays live.
        driver = await asyncio.to_thread(self.load_driver)
        if driver is None:
            return manual
        try:
            found = await driver.discover(timeout)
        except Exception as exc:  # noqa: BLE001 - a driver's failure is shown, never fatal
            self.driver_problem = f"could not look for units: {exc}"
            found = []
        return [_found(driver, unit) for unit in found] + manual

    async def _discover_everywhere(self, timeout: float) -> list[UnitChoice]:
        from tenslog.driver.ports import is_built_in_port
        from tenslog.driver.registry import inspect_drivers

        async def search(driver: Driver) -> list[UnitChoice]:
            async with asyncio.timeout(timeout + 2):
                found = await driver.discover(timeout)
            # /dev/ttyS0 is on nearly every PC and carries no unit: not offered (name it to use it).
            serial = driver.transport == "serial"
            return [_found(driver, unit) for unit in found if not (serial and is_built_in_port(unit.identity))]

        drivers = []
        for _, cls, _error in await asyncio.to_thread(inspect_drivers):  # failing imports are skipped
            if cls is not None:
                with suppress(Exception):
                    drivers.append(cls())
        results = await asyncio.gather(*(search(d) for d in drivers), return_exceptions=True)
        # Which driver failed is known from its place in the list, not read back from its message.
        problems = sorted({d.name for d, r in zip(drivers, results, strict=True) if isinstance(r, BaseException)})
        if problems:
            self.driver_problem = "Not searched: " + "; ".join(problems)
        return [choice for r in results if not isinstance(r, BaseException) for choice in r]

    def remembered_manual(self) -> Unit | None:
        """The last manual unit used, to fill in the new-unit form."""
        sessions = self.store.sessions(kind=SessionKind.TENS, limit=20)
        return next((s.unit for s in sessions if s.unit and s.unit.driver == MANUAL_SOURCE), None)

    def choose(self, choice: UnitChoice, manual: Unit | None = None) -> None:
        """Claim the database for recording (raises RecordingLocked) and set up the recorder."""
        self.store.acquire_recording()
        unit = manual or choice.manual
        self.choice = choice
        if unit is not None:
            self.recorder = Recorder(
                self.store, unit=unit, grace_seconds=self.settings.grace_seconds
            )
        else:
            if choice.driver is not None:
                self.driver = choice.driver
            driver = self.load_driver()
            assert driver is not None
            driver.grace_seconds = self.settings.grace_seconds  # retries fit inside it
            self.recorder = Recorder(
                self.store, grace_seconds=self.settings.grace_seconds, clock=driver.clock
            )
        self.recorder.on_started.append(self._started)
        self.recorder.on_ended.append(self._ended)
        self.before = None
        self.session_id = None
        self.end_state = None
        self.problem = None
        self.history.clear()
        self._last_sample = None
        self._final_elapsed = None
        self._done = asyncio.Event()
        self.phase = Phase.WAITING

    @property
    def is_manual(self) -> bool:
        return self.choice is not None and self.choice.found is None

    @property
    def capabilities(self) -> Capabilities:
        if self.is_manual or self.driver is None:
            return reports_nothing()
        if self.recorder is not None and self.recorder.capabilities is not None:
            return self.recorder.capabilities  # what this unit said (per unit, not per driver)
        return self.driver.capabilities  # declared, until the unit connects

    @property
    def needs_switch_key(self) -> bool:
        return self.phase in (Phase.WAITING, Phase.RUNNING) and not self.capabilities.reports_on_off

    @property
    def recording(self) -> bool:
        return self.recorder is not None and self.recorder.session_id is not None

    # -- the session -------------------------------------------------------------------------
    def rate_before(self, value: int) -> None:
        self.before = value
        self._before_at = local_time()

    async def run(self) -> None:
        """The device worker's body: events into the recorder until the session ends."""
        assert self.recorder is not None
        problem = None
        try:
            runner = asyncio.ensure_future(run_recorder(self._events(), self.recorder))
            stopper = asyncio.ensure_future(self._done.wait())
            try:
                await asyncio.wait({runner, stopper}, return_when=asyncio.FIRST_COMPLETED)
            finally:
                for task in (runner, stopper):
                    task.cancel()
                with suppress(asyncio.CancelledError):
                    await runner
            if self.phase is Phase.WAITING:
                problem = "The unit stopped sending before a session began."
            elif self.recording:  # gone for good mid-session: no more ticks will end it
                problem = "The unit stopped sending; the session is kept, marked interrupted."
        except Exception as exc:  # noqa: BLE001 - the driver failed: say so on screen, keep the app
            problem = f"The unit's driver stopped: {exc}"
        finally:
            if self.recording:
                self.recorder.stop(SessionState.INTERRUPTED)
            self.store.release_recording()
        if problem and self.phase is not Phase.ENDED:
            self.phase = Phase.FAILED
        self.problem = problem
        self.post(DeviceFinished(problem))

    def _events(self) -> AsyncGenerator[DeviceEvent, None]:
        if self.is_manual:
            return self._idle()
        assert self.driver is not None and self.choice is not None and self.choice.found is not None
        return self._device(self.driver, self.choice.found.identity)

    async def _idle(self) -> AsyncGenerator[DeviceEvent, None]:
        # Units without connection send nothing; the s key feeds the recorder directly.
        await self._done.wait()
        return
        yield  # pragma: no cover - makes this an async generator

    async def _device(self, driver: Driver, identity: str) -> AsyncGenerator[DeviceEvent, None]:
        async with aclosing(driver.events(identity)) as events:
            async for event in events:
                yield event

    def press_switch(self) -> None:
        """The s key: the person switched the unit on or off."""
        if self.recorder is None or not self.needs_switch_key:
            return
        now = self.recorder.clock()
        if self.recorder.session_id is None:
            self.recorder.handle(StimulationStarted(now))
        else:
            self.recorder.handle(StimulationStopped(now))

    @property
    def needs_level_keys(self) -> bool:
        """The unit cannot tell its intensity: + and - let the person note what they set."""
        return self.phase is Phase.RUNNING and not self.capabilities.reports_intensity

    def press_level(self, step: float) -> None:
        rec = self.recorder
        if rec is None or not self.needs_level_keys or rec.unit is None:
            return
        top = rec.unit.scale.maximum
        level = max(0.0, (rec.intensity or 0.0) + step)
        if top is not None:
            level = min(level, top)
        rec.handle(IntensityChanged(rec.clock(), level))

    def _started(self, session_id: int) -> None:
        self.session_id = session_id
        self.phase = Phase.RUNNING
        self._last_sample = None  # the chart starts with the session
        if (
            self.before is not None
            and self.recorder is not None
            and self.recorder.started_at is not None
        ):
            # A rating before belongs before the start, whatever the unit's clock says.
            start = local_time(self.recorder.started_at)
            at = min(self._before_at or start, start)
            self._save_rating(session_id, RatingMoment.BEFORE, self.before, at)
        self.post(SessionStarted(session_id))

    def _ended(self, session_id: int, state: SessionState) -> None:
        self.session_id = session_id
        with suppress(StoreError):  # the recorder has let go of its start time by now
            duration = self.store.get(session_id).duration
            self._final_elapsed = None if duration is None else duration.total_seconds()
        self.end_state = state
        self.phase = Phase.ENDED
        self._done.set()
        if not self._closing:
            self.post(SessionEnded(session_id, state))

    def rate_after(self, value: int) -> AfterSummary:
        assert self.session_id is not None
        self._save_rating(self.session_id, RatingMoment.AFTER, value)
        return self.after_summary()

    def after_summary(self) -> AfterSummary:
        change = None
        if self.session_id is not None:
            with suppress(StoreError):
                change = self.store.get(self.session_id).change
        average, count = mean_change(self.store.figures(kind=SessionKind.TENS))
        return AfterSummary(change, average, count)

    def _save_rating(
        self, session_id: int, moment: RatingMoment, value: int, at: datetime | None = None
    ) -> None:
        try:
            save_rating(self.store, session_id, moment, value, at)
        except StoreError as exc:
            self.problem = str(exc)

    def close(self) -> int | None:
        """The app is closing: keep the session (as interrupted) and free the database."""
        self._closing = True
        sid = None
        if self.recorder is not None and self.recording:
            sid = self.recorder.stop(SessionState.INTERRUPTED)
        self._done.set()
        self.store.release_recording()
        return sid

    def reset(self) -> None:
        """Back to choosing a unit, for the next session."""
        if self.recording:
            return
        self.phase = Phase.CHOOSING
        self.recorder = None
        self.choice = None

    # -- what the screen shows ---------------------------------------------------------------
    def view(self) -> LiveView:
        rec = self.recorder
        if rec is None:
            return LiveView(
                self.phase, "", "00:00", "-", "", "", "", "", self.before, problem=self.problem
            )
        now = rec.clock()
        unit = rec.unit
        self._sample(now, rec.intensity if self.phase is Phase.RUNNING else None)
        intensity, label = self._intensity_text(rec)
        name = unit.name if unit is not None else (self.choice.label if self.choice else "")
        return LiveView(
            phase=self.phase,
            unit_name=name,
            elapsed=clock_text(
                rec.elapsed if self.phase is not Phase.ENDED else self._final_elapsed
            ),
            intensity=intensity,
            intensity_label=label,
            link=self._link_text(rec, now),
            reporting=describe_capabilities(self.capabilities, self.is_manual),
            status=self._status_text(),
            before=self.before,
            history=self._history() if self.capabilities.reports_intensity else [],
            problem=self.problem or rec.problem or rec.clock_note,
        )

    def _intensity_text(self, rec: Recorder) -> tuple[str, str]:
        """The big number and the words under it."""
        if self.phase is not Phase.RUNNING:
            return "-", "off"
        if rec.intensity is None:
            if self.capabilities.reports_intensity:
                return "-", "waiting for the unit's level"
            return "?", "+ / - to note the level you set (optional)"
        label = "level"
        if rec.unit is not None and rec.unit.scale.kind == "mA":
            label = "mA"
        elif rec.unit is not None and rec.unit.scale.maximum:
            label = f"level, of {rec.unit.scale.maximum:g}"
        if self.needs_level_keys:
            label += "  (+ / - to change)"
        elif rec.link is not LinkState.CONNECTED:
            label = f"last known {label}"
        return f"{rec.intensity:g}", label

    def _history(self) -> list[float]:
        # Zeros before the session began: the chart fills from the right and starts at 0,
        # so a steady low level does not look like a full bar.
        return [0.0] * (HISTORY - len(self.history)) + list(self.history)

    def _sample(self, now: float, value: float | None) -> None:
        if self._last_sample is None or now - self._last_sample >= 1.0:
            if self.phase is Phase.RUNNING:
                self.history.append(value or 0.0)
            self._last_sample = now

    def _link_text(self, rec: Recorder, now: float) -> str:
        if self.is_manual:
            return "no connection (you press s)"
        lost = int(now - rec.lost_since) if rec.lost_since is not None else 0
        text = {
            LinkState.WAITING: "waiting for the unit…",
            LinkState.CONNECTED: "● connected",
            LinkState.RECONNECTING: f"◌ reconnecting — lost for {lost} s",
            LinkState.LOST: f"✕ lost for {lost} s — the session was ended",
        }[rec.link]
        return f"{text} · {rec.unit_notes}" if rec.unit_notes else text  # UnitNote, e.g. low battery

    def _status_text(self) -> str:
        if self.phase is Phase.WAITING:
            if self.needs_switch_key:
                return "Press s when you switch the unit on."
            return "Waiting for the unit to start. Switch it on as usual."
        if self.phase is Phase.RUNNING:
            if self.needs_switch_key:
                return "Recording, saved as it goes. Press s when you switch the unit off."
            return "Recording, saved as it goes. It stops when the unit stops."
        if self.phase is Phase.ENDED:
            return "Session ended and saved."
        return ""


def save_rating(
    store: Store, session_id: int, moment: RatingMoment, value: int, at: datetime | None = None
) -> None:
    """Store one pain rating given now (or at ``at``)."""
    from tenslog.model import PainRating

    rating = PainRating(moment=moment, value=value, at=at or local_time())
    store.set_rating(session_id, rating)
