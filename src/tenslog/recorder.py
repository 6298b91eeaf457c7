"""The recorder: device events in, sessions persisted as they happen. It knows no transport
and no UI. A session row is written when stimulation starts; intensity changes are queued and
committed with a heartbeat on every tick (<= 0.5 s), so a kill loses at most about a second."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator, Callable
from contextlib import aclosing
from enum import StrEnum
from typing import TYPE_CHECKING

from tenslog.clock import SteadyClock, system_clock
from tenslog.driver.events import (
    Connected,
    DeviceEvent,
    IntensityChanged,
    LinkLost,
    LinkRestored,
    StimulationStarted,
    StimulationStopped,
    UnitInfo,
    UnitNote,
)
from tenslog.store import Store, StoreError
from tenslog.text import reported_name, reported_text
from tenslog.vocabulary import MANUAL_SOURCE, SessionKind, SessionState

if TYPE_CHECKING:
    from tenslog.model import Capabilities, Unit

TICK_SECONDS = 0.5


class LinkState(StrEnum):
    WAITING = "waiting"  # no word from the unit yet
    CONNECTED = "connected"
    RECONNECTING = "reconnecting"  # lost, within the grace period: the session goes on
    LOST = "lost"  # lost for longer than the grace period: the session was ended


def unit_from_info(info: UnitInfo) -> Unit:
    """The unit as stored. What a unit (or a device advertising a matching name) reports is not
    refused for odd characters, or it could not record: they are replaced (tenslog.text)."""
    from tenslog.model import Unit  # validates what the unit reported; loaded on first connect

    return Unit(
        driver=info.driver,
        identity=reported_text(info.identity),
        name=reported_name(info.name, info.driver),
        scale=info.scale,
    )


class Recorder:
    """Feed it events with ``handle`` and call ``tick`` about twice a second."""

    def __init__(
        self,
        store: Store,
        *,
        unit: Unit | None = None,
        kind: SessionKind = SessionKind.TENS,
        grace_seconds: float = 120.0,
        clock: Callable[[], float] = system_clock.now,
        steady: SteadyClock = system_clock,
    ) -> None:
        self.store = store
        self.unit = unit
        self.capabilities: Capabilities | None = None  # what the connected unit said it reports
        self.kind = kind
        self.grace_seconds = grace_seconds
        self.clock = clock
        self.steady = steady  # pinned while a session is open: wall-clock steps stay out of it
        self.link = LinkState.CONNECTED if unit is not None and unit.driver == MANUAL_SOURCE else LinkState.WAITING
        self.session_id: int | None = None
        self.started_at: float | None = None
        self.intensity: float | None = None
        self.lost_since: float | None = None
        self.problem: str | None = None  # the last write failure, for the UI to show
        self.notes: dict[str, str] = {}  # the unit's live notes by topic (UnitNote), not stored
        self.on_started: list[Callable[[int], None]] = []
        self.on_ended: list[Callable[[int, SessionState], None]] = []
        self._pending: list[tuple[int, float, float]] = []
        self._last_change_at = 0.0  # a session never ends before its last recorded change
        self._after_restore_lost_at: float | None = None
        self._jumps_at_start = 0  # system clock steps noticed before the open session began

    # -- events --------------------------------------------------------------------------
    def handle(self, event: DeviceEvent) -> None:
        match event:
            case IntensityChanged(at=at, intensity=level):  # first: most of a stream
                self._after_restore_lost_at = None
                if self.session_id is not None:
                    self._set_intensity(at, level)
                else:
                    self.intensity = level
            case Connected(at=at, unit=info):
                self.unit = unit_from_info(info)
                self.capabilities = info.capabilities  # per unit: a profile driver serves many
                if self.link in (LinkState.RECONNECTING, LinkState.LOST):
                    self._restored(at)
                else:
                    self.link = LinkState.CONNECTED
            case LinkRestored(at=at):
                self._restored(at)
            case LinkLost(at=at):
                self._lost(at)
            case UnitNote(topic=topic, text=text):
                if text:
                    self.notes[topic] = reported_text(text)  # from a driver: shown, so made inert
                else:
                    self.notes.pop(topic, None)
            case StimulationStarted(at=at, intensity=level):
                self._after_restore_lost_at = None
                if self.session_id is None:
                    self._begin(at, level)
                elif level is not None:
                    self._set_intensity(at, level)
            case StimulationStopped(at=at):
                if self.session_id is not None:
                    lost_at = self._after_restore_lost_at
                    if lost_at is not None:
                        # Off on reconnect: it stopped somewhere in the gap; claim no more
                        # than the last moment we knew it was on.
                        self.store.drop_last_gap(self.session_id)
                        at = lost_at
                    self._end(at, SessionState.COMPLETE)
                self._after_restore_lost_at = None
                self.intensity = None

    def _begin(self, at: float, level: float | None) -> None:
        source = self.unit.driver if self.unit is not None else MANUAL_SOURCE
        self.session_id = self.store.begin_session(self.unit, at, self.kind, source)
        self.steady.pin()
        self._jumps_at_start = self.steady.jumps
        self.started_at = at
        self.intensity = None
        if level is not None:
            self._set_intensity(at, level)
            self._flush(at)
        for listener in self.on_started:
            listener(self.session_id)

    def _set_intensity(self, at: float, level: float) -> None:
        if level == self.intensity or self.session_id is None:
            return
        self.intensity = level
        self._last_change_at = max(self._last_change_at, at)
        self._pending.append((self.session_id, at, level))

    def _lost(self, at: float) -> None:
        if self.link in (LinkState.RECONNECTING, LinkState.LOST):
            return
        self.link = LinkState.RECONNECTING
        self.lost_since = at
        if self.session_id is not None:
            self._flush(at)
            self.store.open_gap(self.session_id, at)

    def _restored(self, at: float) -> None:
        was = self.link
        self.link = LinkState.CONNECTED
        if was is LinkState.RECONNECTING and self.session_id is not None:
            self.store.close_gap(self.session_id, at)
            self._after_restore_lost_at = self.lost_since
        self.lost_since = None

    def _end(self, at: float, state: SessionState) -> None:
        assert self.session_id is not None
        sid = self.session_id
        self._flush(None)
        # The unit's clock and ours may disagree by a little; never cut off a recorded change.
        self.store.end_session(sid, max(at, self._last_change_at), state)
        self.session_id = None
        self.started_at = None
        self.steady.unpin()
        for listener in self.on_ended:
            listener(sid, state)

    # -- time ----------------------------------------------------------------------------
    def tick(self, now: float | None = None) -> None:
        """Heartbeat and commit queued changes; end a session whose link stayed lost too long."""
        now = self.clock() if now is None else now
        if (
            self.link is LinkState.RECONNECTING
            and self.lost_since is not None
            and now - self.lost_since > self.grace_seconds
        ):
            self.link = LinkState.LOST
            if self.session_id is not None:
                self._end(self.lost_since, SessionState.INTERRUPTED)
            return
        # While the link is down the heartbeat stays at the last moment the unit was heard.
        self._flush(now if self.link is LinkState.CONNECTED else None)

    def _flush(self, heartbeat: float | None) -> None:
        if not self._pending and (heartbeat is None or self.session_id is None):
            return
        try:
            with self.store.transaction():
                if self._pending:
                    self.store.add_intensities(self._pending)
                if heartbeat is not None and self.session_id is not None:
                    self.store.heartbeat(self.session_id, heartbeat)
        except StoreError as exc:
            self.problem = str(exc)  # keep the queue; the next tick tries again
            return
        self._pending.clear()
        self.problem = None

    def stop(self, state: SessionState = SessionState.INTERRUPTED) -> int | None:
        """End recording now (e.g. the app is closing); the session is kept, never dropped."""
        sid = self.session_id
        if sid is not None:
            end = self.clock() if self.link is LinkState.CONNECTED else (self.lost_since or self.clock())
            self._end(end, state)
        else:
            self._flush(None)
        return sid

    @property
    def unit_notes(self) -> str:
        """The unit's current notes in one line ("" when it has none)."""
        return " · ".join(self.notes.values())

    @property
    def clock_note(self) -> str | None:
        """Says so if the system clock was stepped during the open session (its times ignore it)."""
        jump = self.steady.last_jump
        if self.session_id is None or jump is None or self.steady.jumps <= self._jumps_at_start:
            return None
        return jump.describe()

    @property
    def elapsed(self) -> float | None:
        return None if self.started_at is None else max(0.0, self.clock() - self.started_at)


async def run_recorder(
    events: AsyncGenerator[DeviceEvent, None], recorder: Recorder, *, tick_seconds: float = TICK_SECONDS
) -> None:
    """Drive ``recorder`` from an event stream until it ends; ticks run alongside. The stream is
    closed here however this ends, so the driver lets go of its port or link at once."""

    async def ticker() -> None:
        while True:
            await asyncio.sleep(tick_seconds)
            recorder.tick()

    ticks = asyncio.create_task(ticker())
    try:
        async with aclosing(events):
            async for event in events:
                recorder.handle(event)
    finally:
        ticks.cancel()
        recorder.tick()
