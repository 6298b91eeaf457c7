"""Following the tenslog service's recording from the database: when a service holds the
recording claim, the dashboard does not open the unit (the service has it); it reads what the
service writes.

How it learns of a change: SQLite's ``PRAGMA data_version`` on a read-only connection of its
own changes whenever another connection commits. Asking is a few microseconds and touches no
page, so it is polled (``POLL_SECONDS``); only a change costs the three small reads below. The
service commits every intensity change with its next heartbeat (at most half a second later),
so the screen shows a change within a second of the unit's.

Link state is not stored as such; it is read from what is: an open link gap (``link_gaps``
without ``restored_at``) is a link being re-established; heartbeats that stopped coming (the
service writes one every half second while the unit is heard) mean nobody is writing."""

from __future__ import annotations

import asyncio
import os
import sqlite3
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from tenslog.clock import steady_seconds
from tenslog.live.state import Ended, LiveState, Phase, Started
from tenslog.recorder import LinkState
from tenslog.store import Store
from tenslog.store.diagnosis import from_sqlite_error
from tenslog.store.files import connect_read_only
from tenslog.store.holder import Holder, read_holder, recording_claimed
from tenslog.vocabulary import SessionState

if TYPE_CHECKING:
    from tenslog.model import Capabilities, IntensityScale

POLL_SECONDS = 0.25
STALE_SECONDS = 3.0  # no heartbeat for this long while no gap is open: nobody is writing
# An open session's time runs on between heartbeats, but never more than this past the last
# one: a service that stopped writing does not get a session that seems to go on.
RUN_ON_SECONDS = 1.0


def service_holder(store: Store) -> Holder | None:
    """The tenslog service recording into this store's file, if one is (and this store is not
    the holder itself)."""
    if store.is_recording_holder:
        return None
    holder = read_holder(store.path)
    if holder is None or holder.role != "service" or not holder_alive(store.path, holder):
        return None
    return holder


def holder_alive(database: Path, holder: Holder) -> bool:
    """The named holder still runs and still holds the claim (its pid alone may have been
    given to another process since it was killed)."""
    return process_alive(holder.pid) and recording_claimed(database)


def process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)  # signal 0: only asks whether the process exists
    except PermissionError:
        return True  # it exists, owned by someone else
    except OSError:
        return False
    return True


@dataclass(frozen=True, slots=True)
class Seen:
    """What the database says now about the service's latest session (all None: none yet)."""

    session_id: int | None = None
    state: SessionState | None = None
    unit_name: str = ""
    scale: IntensityScale | None = None
    start: float | None = None
    heartbeat: float | None = None  # the writer's clock: the latest moment it heard the unit
    end: float | None = None
    intensity: float | None = None
    lost_at: float | None = None  # the open link gap's start, if one is open

    @property
    def open(self) -> bool:
        return self.state is SessionState.RECORDING


_LATEST = """SELECT s.id, s.state, s.start, s.heartbeat, s."end", u.name, u.scale_kind, u.scale_max
              FROM sessions s LEFT JOIN units u ON u.id = s.unit_id
              WHERE s.id > ? AND s.source != 'manual'  -- typed in meanwhile: not the service's
              ORDER BY s.state = 'recording' DESC, s.id DESC LIMIT 1"""
_LEVEL = "SELECT value FROM intensity WHERE session_id = ? ORDER BY at DESC, rowid DESC LIMIT 1"
_GAP = "SELECT max(lost_at) FROM link_gaps WHERE session_id = ? AND restored_at IS NULL"


class ServiceFeed:
    """The service's sessions as the database shows them, read on a connection of its own.
    Sessions started before ``after_id`` are not its business (they were there before)."""

    def __init__(self, store: Store, holder: Holder,
                 steady: Callable[[], float] = steady_seconds) -> None:
        self.path = store.path
        self.holder = holder
        self.steady = steady
        self.conn: sqlite3.Connection | None = connect_read_only(store.path)
        self._version: int | None = None
        try:
            self.conn.execute("PRAGMA query_only = ON")
            self.after_id = self._newest_id()
        except sqlite3.Error as exc:
            self.close()
            raise from_sqlite_error(store.path, exc) from None
        self.seen = Seen()
        self._heartbeat_seen_at = steady()  # steady time when the heartbeat last moved
        self.following: int | None = None  # the open session announced (Started, no Ended yet)

    def poll_open(self) -> int | None:
        """Read now; the session open now (if one is) counts as announced."""
        try:
            self.changed()
            seen = self.read()
        except sqlite3.Error as exc:
            self.close()
            raise from_sqlite_error(self.path, exc) from None
        self.following = seen.session_id if seen.open else None
        return self.following

    def news(self) -> list[Started | Ended]:
        """What happened since the last call: the followed session ended, a session began
        (both, in that order, if the unit went off and on again between two looks)."""
        if not self.changed():
            return []
        seen = self.read()
        events: list[Started | Ended] = []
        if self.following is not None and not (seen.open and seen.session_id == self.following):
            events.append(Ended(self.following, self._state_of(self.following)))
            self.following = None
        if seen.open and seen.session_id is not None and seen.session_id != self.following:
            self.following = seen.session_id
            events.append(Started(seen.session_id))
        return events

    def _state_of(self, session_id: int) -> SessionState:
        assert self.conn is not None
        row = self.conn.execute("SELECT state FROM sessions WHERE id = ?", (session_id,)).fetchone()
        return SessionState(row[0]) if row is not None else SessionState.INTERRUPTED  # deleted

    def _newest_id(self) -> int:
        assert self.conn is not None
        (newest,) = self.conn.execute(
            "SELECT coalesce(max(id), 0) FROM sessions WHERE state != 'recording'").fetchone()
        return int(newest)

    def changed(self) -> bool:
        """True if anyone committed to the file since the last call (the first call: True)."""
        if self.conn is None:
            return False
        (version,) = self.conn.execute("PRAGMA data_version").fetchone()
        if version == self._version:
            return False
        self._version = version
        return True

    def read(self) -> Seen:
        """Read the latest session again (call after ``changed``)."""
        assert self.conn is not None
        self.conn.execute("BEGIN")  # one read transaction: the rows agree with each other
        try:
            row = self.conn.execute(_LATEST, (self.after_id,)).fetchone()
            if row is None:
                seen = Seen()
            else:
                sid, state, start, heartbeat, end, name, kind, top = row
                (level,) = self.conn.execute(_LEVEL, (sid,)).fetchone() or (None,)
                (lost_at,) = self.conn.execute(_GAP, (sid,)).fetchone()
                seen = Seen(sid, SessionState(state), name or "", _scale(kind, top), start,
                            heartbeat, end, level, lost_at)
        finally:
            self.conn.execute("COMMIT")
        if seen.heartbeat != self.seen.heartbeat:
            self._heartbeat_seen_at = self.steady()
        self.seen = seen
        return seen

    @property
    def service_alive(self) -> bool:
        held = read_holder(self.path)
        return held == self.holder and holder_alive(self.path, self.holder)

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    # -- what there is to show ---------------------------------------------------------------
    def quiet_for(self) -> float:
        """Seconds since the heartbeat last moved."""
        return max(0.0, self.steady() - self._heartbeat_seen_at)

    def unit_time(self) -> float | None:
        """The writer's clock now, as far as can be told: its last heartbeat and the time since
        (a little, at most: see RUN_ON_SECONDS). The writer's clock, not ours: a simulator's
        may run fast, and a unit's may be off."""
        seen = self.seen
        if seen.heartbeat is None:
            return None
        run_on = self.quiet_for() if seen.lost_at is not None else min(self.quiet_for(), RUN_ON_SECONDS)
        return seen.heartbeat + run_on

    def link(self) -> tuple[LinkState, float]:
        """The link as the service last wrote it, and for how long it has been down."""
        seen = self.seen
        if not seen.open:
            return LinkState.WAITING, 0.0
        now = self.unit_time()
        if seen.lost_at is not None and now is not None:
            return LinkState.RECONNECTING, max(0.0, now - seen.lost_at)
        if self.quiet_for() > STALE_SECONDS:
            return LinkState.RECONNECTING, self.quiet_for()
        return LinkState.CONNECTED, 0.0

    def state(self, phase: Phase, capabilities: Capabilities, before: int | None,
              history: tuple[float, ...], problem: str | None) -> LiveState:
        """The live screen's state for ``phase``, with what the controller adds (the rating
        before, the chart's samples, a problem of its own)."""
        seen = self.seen
        link, lost_for = self.link()
        now = self.unit_time()
        if seen.start is None:
            elapsed = None
        elif seen.open:
            elapsed = None if now is None else max(0.0, now - seen.start)
        else:
            elapsed = None if seen.end is None else max(0.0, seen.end - seen.start)
        who = f"the tenslog service (pid {self.holder.pid})"
        name = f"{seen.unit_name}, recorded by {who}" if seen.unit_name else f"recorded by {who}"
        quiet = link is LinkState.RECONNECTING and seen.lost_at is None
        if problem is None and quiet:
            problem = f"No word from {who} for {round(self.quiet_for())} s."
        return LiveState(
            phase=phase,
            unit_name=name,
            capabilities=capabilities,
            link=link,
            lost_for=lost_for,
            elapsed=elapsed,
            intensity=seen.intensity if seen.open else None,
            scale=seen.scale,
            before=before,
            history=history,
            problem=problem,
        )


async def follow(feed: ServiceFeed, done: asyncio.Event,
                 tell: Callable[[Started | Ended, float | None], None]) -> str | None:
    """Poll ``feed`` until ``done`` is set or the service stops (then: what to say about it);
    each session that begins or ends goes to ``tell`` with the session's start."""
    while not done.is_set():
        if not feed.service_alive:
            return "The tenslog service stopped; choose your unit to record here (n)."
        try:
            news = feed.news()
        except sqlite3.Error as exc:  # the file went away or broke under us: say so, stop
            return f"Cannot read the service's sessions from {feed.path}: {exc}"
        for event in news:
            tell(event, feed.seen.start)
        with suppress(TimeoutError):
            async with asyncio.timeout(POLL_SECONDS):  # not wait_for: on 3.11 it can swallow a cancel
                await done.wait()
    return None


def _scale(kind: str | None, top: float | None) -> IntensityScale | None:
    if kind is None:
        return None
    from tenslog.model import IntensityScale

    return IntensityScale.model_validate({"kind": kind, "maximum": top})
