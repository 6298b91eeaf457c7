"""The background recorder: every watched unit gets one Recorder for as long as the service runs,
fed by its driver's event stream, which is opened again whenever it ends or fails.

One recorder per unit across reconnections is what keeps a session whole: a stream that ends
is a lost link to the recorder, so a unit back within the grace period continues its session,
and one away longer is ended at its last heartbeat, as under `tenslog record`."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from contextlib import aclosing
from dataclasses import dataclass, field

from tenslog.clock import system_clock
from tenslog.driver import Driver, DriverOptionError
from tenslog.driver.backoff import Backoff, cap_within_grace
from tenslog.driver.events import Connected, DeviceEvent, LinkLost, LinkRestored
from tenslog.driver.registry import DriverLoadError, load_driver
from tenslog.recorder import TICK_SECONDS, LinkState, Recorder
from tenslog.service.journal import Journal
from tenslog.service.notify_sessions import ServiceReminders
from tenslog.store import Store, StoreError
from tenslog.vocabulary import SessionState

RECONNECT_CAP = 30.0  # seconds between looks for a unit that is away, before the grace caps it
FIRST_LOOK = 1.0


@dataclass(frozen=True, slots=True)
class Watch:
    """A unit to watch: its driver, which unit (None: the first the driver finds), options."""

    driver: str
    identity: str | None = None
    options: dict[str, str] = field(default_factory=dict)

    @property
    def label(self) -> str:
        return f"{self.driver} {self.identity}" if self.identity else self.driver


def load_watch(watch: Watch) -> Driver:
    """A fresh driver for ``watch``; DriverLoadError or DriverOptionError if it cannot be."""
    return load_driver(watch.driver)(**watch.options)


class UnitWatcher:
    """Records one unit until cancelled; its ``recorder`` outlives each event stream."""

    def __init__(self, store: Store, watch: Watch, journal: Journal, grace_seconds: float,
                 make_driver: Callable[[Watch], Driver] = load_watch) -> None:
        self.watch = watch
        self.journal = journal
        self.grace_seconds = grace_seconds
        self.make_driver = make_driver
        self.driver: Driver | None = None
        self.recorder = Recorder(store, grace_seconds=grace_seconds, clock=self.clock)
        self.recorder.on_started.append(self._started)
        self.recorder.on_ended.append(self._ended)
        cap = cap_within_grace(RECONNECT_CAP, grace_seconds)
        self.backoff = Backoff(first=min(FIRST_LOOK, cap), cap=cap)
        self._last_problem: str | None = None

    def clock(self) -> float:
        # The current driver's time base (the simulator's may run fast); ours between streams.
        return self.driver.clock() if self.driver is not None else system_clock.now()

    @property
    def name(self) -> str:
        unit = self.recorder.unit
        return f"{unit.name} ({unit.driver})" if unit is not None else self.watch.label

    # -- log lines ----------------------------------------------------------------------------
    def _started(self, session_id: int) -> None:
        self.journal.notice(f"{self.name}: session {session_id} started")

    def _ended(self, session_id: int, state: SessionState) -> None:
        self.journal.notice(f"{self.name}: session {session_id} ended ({state.value})")

    def _problem(self, text: str) -> None:
        """An error is logged once until it changes or the unit is heard: a unit that stays
        away must not fill the journal with the same line every few seconds."""
        if text != self._last_problem:
            self.journal.error(f"{self.name}: {text}")
            self._last_problem = text

    def _note(self, event: DeviceEvent, was: LinkState) -> None:
        """The log line for an event the recorder has just handled (``was``: the link before)."""
        match event:
            case Connected() | LinkRestored():
                self._last_problem = None
                if was in (LinkState.RECONNECTING, LinkState.LOST):
                    self.journal.info(f"{self.name}: link restored")
                elif was is LinkState.WAITING:
                    self.journal.info(f"{self.name}: connected")
            case LinkLost(reason=reason) if was is LinkState.CONNECTED:
                self.journal.warning(f"{self.name}: link lost ({reason})")
            case _:
                pass

    def _handle(self, event: DeviceEvent) -> None:
        was = self.recorder.link
        self.recorder.handle(event)
        self._note(event, was)

    # -- running -----------------------------------------------------------------------------
    async def run(self) -> None:
        ticks = asyncio.create_task(self._ticker())
        try:
            while True:
                heard = await self._one_stream()
                if heard:
                    self.backoff.succeeded()
                await asyncio.sleep(self.backoff.next_delay())
        finally:
            ticks.cancel()

    async def _ticker(self) -> None:
        while True:
            await asyncio.sleep(TICK_SECONDS)
            self.recorder.tick()
            if self.recorder.problem is not None:
                self._problem(f"cannot write: {self.recorder.problem}")
            elif self._last_problem is not None and self._last_problem.startswith("cannot write"):
                self.journal.notice(f"{self.name}: writing again; nothing was lost")
                self._last_problem = None

    async def _one_stream(self) -> bool:
        """Open the unit's stream and record from it until it ends; True if it said anything
        beyond connecting (so the next look may come soon)."""
        try:
            self.driver = self.make_driver(self.watch)
        except (DriverLoadError, DriverOptionError) as exc:
            self._problem(str(exc))
            return False
        self.driver.grace_seconds = self.grace_seconds  # its own retries stay inside the grace
        heard = False
        try:
            async with aclosing(self.driver.events(self.watch.identity)) as events:
                async for event in events:
                    heard = heard or not isinstance(event, Connected)
                    self._handle(event)
        except (StoreError, OSError, RuntimeError, ValueError) as exc:
            self._problem(f"{type(exc).__name__}: {exc}" if not str(exc) else str(exc))
        except Exception as exc:  # noqa: BLE001 - a broken driver must not stop the other units
            self._problem(f"the driver failed ({type(exc).__name__}: {exc})")
        if self.recorder.link is LinkState.CONNECTED:
            # The stream ended or failed: to the recorder, the link is lost. A session stays
            # open for the grace period, and goes on if the next stream finds the unit in time.
            self._handle(LinkLost(self.clock(), "the driver stopped"))
        return heard

    def stop(self) -> None:
        """The service is stopping: the open session is kept, ended where the unit was last heard."""
        self.recorder.on_ended.remove(self._ended)  # one line for it, below, saying why
        stopped = self.recorder.stop(SessionState.INTERRUPTED)
        if stopped is not None:
            self.journal.notice(f"{self.name}: session {stopped} kept; it ended when the service stopped")


async def run_service(store: Store, watches: list[Watch], journal: Journal, grace_seconds: float,
                      make_driver: Callable[[Watch], Driver] = load_watch,
                      reminders: ServiceReminders | None = None) -> None:
    """Record from every watch until cancelled (SIGTERM); every open session is then kept.
    ``reminders``: desktop notifications of sessions (and a trial's ratings), if wanted."""
    watchers = [UnitWatcher(store, w, journal, grace_seconds, make_driver) for w in watches]
    if reminders is not None:
        for watcher in watchers:
            reminders.follow(watcher.recorder)
    try:
        await asyncio.gather(*(w.run() for w in watchers), *([reminders.run()] if reminders else []))
    finally:
        if reminders is not None:
            reminders.close()
        for watcher in watchers:
            watcher.stop()
