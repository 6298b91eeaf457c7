"""The live session's controller: a driver, the recorder and the store behind the keys of the
live screen. It holds every state change; ``state()`` is a snapshot for a view to draw.

Driven by calls: ``discover``, ``choose`` (or ``attach``, to follow the tenslog service's
recording instead of opening the unit), ``rate_before``, ``run`` (the device worker's body;
it reports ``Started``/``Ended``/``Finished`` to the callback it is given, for every session
until the unit goes away or ``reset``), ``press_switch``
and ``confirm_stop`` (s, and y for an early switch-off), ``press_level`` and ``set_level``,
``tick`` (the redraw timer), ``rate_after``, ``reset``, ``close``."""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import AsyncGenerator, Callable
from contextlib import suppress
from datetime import datetime
from typing import TYPE_CHECKING

from tenslog.clock import system_clock
from tenslog.driver import Driver
from tenslog.driver.events import (
    DeviceEvent,
    reports_nothing,
)
from tenslog.live.attached import ServiceFeed, follow, service_holder
from tenslog.live.chooser import found_by, found_everywhere, last_level, manual_choices
from tenslog.live.keys import ManualKeys
from tenslog.live.ratings import after_summary, save_rating
from tenslog.live.state import (
    AfterSummary,
    Ended,
    Finished,
    LiveEvent,
    LiveState,
    Phase,
    Started,
    UnitChoice,
)
from tenslog.localtime import local_time
from tenslog.recorder import Recorder, run_recorder
from tenslog.settings import Settings
from tenslog.store import Store, StoreError
from tenslog.vocabulary import RatingMoment, SessionState

if TYPE_CHECKING:  # the pydantic models load when first needed, after the first frame
    from tenslog.model import Capabilities, Unit
    from tenslog.store.holder import Holder

HISTORY = 120  # sparkline samples kept: two minutes at one per second of unit time


def _nobody(event: LiveEvent) -> None:
    """Where events go while no device worker runs."""


class LiveController(ManualKeys):
    def __init__(
        self,
        store: Store,
        settings: Settings,
        driver_name: str | None,
        driver_options: dict[str, str],
        clock: Callable[[], float] = system_clock.now,
    ) -> None:
        self.store = store
        self.clock = clock  # for units without connection; a driver brings its own
        self.settings = settings
        self.driver_name = driver_name
        self.driver_options = driver_options
        self.driver: Driver | None = None
        self.driver_problem: str | None = None
        self.phase = Phase.CHOOSING
        self.recorder: Recorder | None = None
        self.choice: UnitChoice | None = None
        self.before: int | None = None
        self._before_at: datetime | None = None
        self.session_id: int | None = None  # the current or last session
        self.problem: str | None = None
        self.history: deque[float] = deque(maxlen=HISTORY)
        self._last_sample: float | None = None
        self._final_elapsed: float | None = None
        self._stop_asked = False
        self._last_level: float | None = None
        self._report: Callable[[LiveEvent], None] = _nobody
        self._done = asyncio.Event()
        self._closing = False
        self.feed: ServiceFeed | None = None  # following the service, not recording (attach)

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
        manual = manual_choices(self.store)
        if not self.driver_name:
            found, problem = await found_everywhere(timeout)
            self.driver_problem = problem
            return manual + found
        # Importing a driver (bleak, dbus) takes ~0.1 s: done in a thread, the screen stays live.
        driver = await asyncio.to_thread(self.load_driver)
        if driver is None:
            return manual
        found, self.driver_problem = await found_by(driver, timeout)
        return found + manual

    def choose(self, choice: UnitChoice, manual: Unit | None = None) -> None:
        """Claim the database for recording (raises RecordingLocked) and set up the recorder."""
        self.store.acquire_recording()
        unit = manual or choice.manual
        self.choice = choice
        grace = self.settings.grace_seconds
        if unit is not None:
            self.recorder = Recorder(self.store, unit=unit, grace_seconds=grace, clock=self.clock)
        else:
            if choice.driver is not None:
                self.driver = choice.driver
            driver = self.load_driver()
            assert driver is not None
            driver.grace_seconds = grace  # retries fit inside it
            self.recorder = Recorder(self.store, grace_seconds=grace, clock=driver.clock)
        self.recorder.on_started.append(self._started)
        self.recorder.on_ended.append(self._ended)
        self._forget_session()
        self._stop_asked = False
        self._last_level = None if unit is None else last_level(self.store, unit)
        self.phase = Phase.WAITING

    def _forget_session(self) -> None:
        """What the last unit or service said; a new choice starts from nothing."""
        self.before = None
        self.session_id = None
        self.problem = None
        self.history.clear()
        self._last_sample = None
        self._final_elapsed = None
        self._done = asyncio.Event()

    def service(self) -> Holder | None:
        """The tenslog service recording into this file now, if one is: then the dashboard
        follows it (``attach``) rather than opening a unit the service holds."""
        return service_holder(self.store)

    def attach(self, holder: Holder) -> None:
        """Follow the service's sessions from the database; ``run`` then reads, never records."""
        self.close_feed()
        feed = ServiceFeed(self.store, holder)  # StoreError if its file cannot be read
        self.choice = None
        self.recorder = None
        self._forget_session()
        # A session already running is shown as running; its "before" is stored when given.
        self.session_id = feed.poll_open()
        self.feed = feed
        self.phase = Phase.WAITING if self.session_id is None else Phase.RUNNING

    def close_feed(self) -> None:
        if self.feed is not None:
            self.feed.close()
            self.feed = None

    @property
    def is_manual(self) -> bool:
        return self.choice is not None and self.choice.found is None

    @property
    def capabilities(self) -> Capabilities:
        if self.feed is not None:
            # The service records units that report on/off (it has no s key): no key here.
            from tenslog.model import Capabilities

            return Capabilities(reports_on_off=True, reports_intensity=True)
        if self.is_manual or self.driver is None:
            return reports_nothing()
        if self.recorder is not None and self.recorder.capabilities is not None:
            return self.recorder.capabilities  # what this unit said (per unit, not per driver)
        return self.driver.capabilities  # declared, until the unit connects

    @property
    def recording(self) -> bool:
        return self.recorder is not None and self.recorder.session_id is not None

    # -- the session -------------------------------------------------------------------------
    def rate_before(self, value: int, session_id: int | None = None) -> None:
        """The rating before; stored with the session when it starts, or at once (with its own
        time) for a session already begun (``session_id``, or the one running)."""
        self.before = value
        self._before_at = local_time()
        if session_id is None and self.phase is Phase.RUNNING:
            session_id = self.session_id
        if session_id is not None:
            self._save_rating(session_id, RatingMoment.BEFORE, value, self._before_at)

    async def run(self, report: Callable[[LiveEvent], None] = _nobody) -> None:
        """The device worker's body: events into the recorder until the session ends. What
        happens on the way (started, ended, finished) goes to ``report``."""
        if self.feed is not None:
            await self._follow(self.feed, report)
            return
        recorder = self.recorder
        assert recorder is not None
        self._report = report
        done = self._done  # replaced when another unit is chosen: then this worker is not its
        problem = None
        try:
            runner = asyncio.ensure_future(run_recorder(self._events(), recorder))
            stopper = asyncio.ensure_future(done.wait())
            try:
                await asyncio.wait({runner, stopper}, return_when=asyncio.FIRST_COMPLETED)
            finally:
                for task in (runner, stopper):
                    task.cancel()
                with suppress(asyncio.CancelledError):
                    await runner
            if self.phase is Phase.WAITING:
                problem = "The unit stopped sending before a session began."
            elif recorder.session_id is not None:  # gone for good mid-session: no tick will end it
                problem = "The unit stopped sending; the session is kept, marked interrupted."
        except Exception as exc:  # noqa: BLE001 - the driver failed: say so on screen, keep the app
            problem = f"The unit's driver stopped: {exc}"
        finally:
            if recorder.session_id is not None:
                recorder.stop(SessionState.INTERRUPTED)
            if self._done is done:
                self.store.release_recording()
        if self._done is not done:
            return  # reset (n) or another unit: the screen has moved on
        if problem and self.phase is not Phase.ENDED:
            self.phase = Phase.FAILED
        self.problem = problem
        self._report = _nobody
        report(Finished(problem))

    def _events(self) -> AsyncGenerator[DeviceEvent, None]:
        if self.is_manual:
            return self._idle()
        assert self.driver is not None and self.choice is not None and self.choice.found is not None
        return self.driver.events(self.choice.found.identity)  # run_recorder closes it

    async def _idle(self) -> AsyncGenerator[DeviceEvent, None]:
        # Units without connection send nothing; the s key feeds the recorder directly.
        await self._done.wait()
        return
        yield  # pragma: no cover - makes this an async generator

    def tick(self) -> None:
        """Once per redraw: a chart sample per second of the unit's time while it runs."""
        if self.recorder is None and self.feed is None:
            return
        now = self.recorder.clock() if self.recorder is not None else self.feed.steady()  # type: ignore[union-attr]
        if self._last_sample is None or now - self._last_sample >= 1.0:
            if self.phase is Phase.RUNNING:
                self.history.append(self.state().intensity or 0.0)
            self._last_sample = now

    def _started(self, session_id: int) -> None:
        rec = self.recorder
        self._begun(session_id, rec.started_at if rec is not None else None)

    def _begun(self, session_id: int, start: float | None) -> None:
        if self.phase is Phase.ENDED:  # the next session of the same unit: a rating of its own
            self.before = None
            self.history.clear()
        self.session_id = session_id
        self.phase = Phase.RUNNING
        self._last_sample = None  # the chart starts with the session
        if self.before is not None and start is not None:
            # A rating before belongs before the start, whatever the unit's clock says.
            at = min(self._before_at or local_time(start), local_time(start))
            self._save_rating(session_id, RatingMoment.BEFORE, self.before, at)
        self._report(Started(session_id))

    def _ended(self, session_id: int, state: SessionState) -> None:
        self.session_id = session_id
        with suppress(StoreError):  # the recorder has let go of its start time by now
            duration = self.store.get(session_id).duration
            self._final_elapsed = None if duration is None else duration.total_seconds()
        self.phase = Phase.ENDED
        if self.is_manual:  # nothing will switch it on again but the s key of a new session
            self._done.set()
        if not self._closing:
            self._report(Ended(session_id, state))

    def rate_after(self, value: int, session_id: int | None = None) -> AfterSummary:
        """The rating after ``session_id`` (default: the last session; the unit may have
        begun the next one while the question was up)."""
        session_id = self.session_id if session_id is None else session_id
        assert session_id is not None
        self._save_rating(session_id, RatingMoment.AFTER, value)
        return self.after_summary(session_id)

    def after_summary(self, session_id: int | None = None) -> AfterSummary:
        return after_summary(self.store, self.settings,
                             self.session_id if session_id is None else session_id)

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
        self.close_feed()
        self.store.release_recording()
        return sid

    def reset(self) -> None:
        """Back to choosing a unit, for the next session."""
        if self.recording:
            return
        self._done.set()  # a worker still listening for the unit's next session stops
        self._done = asyncio.Event()
        self.store.release_recording()
        self.close_feed()
        self.phase = Phase.CHOOSING
        self.recorder = None
        self.choice = None

    # -- what there is to show ---------------------------------------------------------------
    def state(self) -> LiveState:
        """A snapshot; reading it changes nothing."""
        if self.feed is not None:
            return self.feed.state(self.phase, self.capabilities, self.before,
                                   tuple(self.history), self.problem)
        rec = self.recorder
        if rec is None:
            return LiveState(self.phase, before=self.before, problem=self.problem)
        unit = rec.unit
        return LiveState(
            phase=self.phase,
            manual=self.is_manual,
            unit_name=unit.name if unit is not None else (self.choice.label if self.choice else ""),
            capabilities=self.capabilities,
            link=rec.link,
            lost_for=0.0 if rec.lost_since is None else rec.clock() - rec.lost_since,
            elapsed=rec.elapsed if self.phase is not Phase.ENDED else self._final_elapsed,
            intensity=rec.intensity,
            scale=unit.scale if unit is not None else None,
            before=self.before,
            history=tuple(self.history),
            problem=self.problem or rec.problem or rec.clock_note,
            stop_asked=self._stop_asked and self.recording and self._too_soon(),
            min_seconds=self.settings.min_session_seconds,
            last_level=self._last_level,
            unit_notes=rec.unit_notes,
        )


    # -- following the service -----------------------------------------------------------------
    async def _follow(self, feed: ServiceFeed, report: Callable[[LiveEvent], None]) -> None:
        """Read the service's sessions as it writes them, until the service stops or ``reset``;
        the same news as when recording here (Started, Ended, Finished)."""
        done = self._done
        self._report = report
        problem = await follow(feed, done, self._news)
        if done is not self._done:
            return
        if problem is not None:
            self.phase = Phase.FAILED
            self.problem = problem
        self._report = _nobody
        report(Finished(problem))

    def _news(self, event: Started | Ended, start: float | None) -> None:
        if isinstance(event, Started):
            self._begun(event.session_id, start)
        else:
            self._final_elapsed = None  # the feed knows the length
            self.phase = Phase.ENDED
            self._report(event)
