"""Fault drills on the links: the serial cable is pulled and plugged back in, and the BLE link
drops, at seeded-random moments (during stimulation, while idle, twice in a row, right after a
start, while the unit is switched on or off out of sight), over several stimulation periods in
one run, through the real drivers, the real Recorder and the real Store.

What a user would notice is asserted: exactly one session per stimulation period (none lost,
none duplicated), every pull during a session kept as a gap, every intensity the unit reported
while connected kept in order, nothing written to the unit (serial: not one byte; BLE: only the
CCCD write of start_notify), the recorder never crashed, and the sessions read back the same
from a fresh connection to the database file.

Also: a link lost for longer than grace_seconds ends the session as interrupted; and a serial
recording stops when asked even while the unit talks (a cancel-vs-line race this drill found).

The fake serial unit and BLE peripherals come from the driver-test kit (tenslog.testing), the
Recording harness from tests/drivers (imported, not copied). Seeds are fixed, so every run plays the same drill; no timing is
asserted (waits poll the recorder, each bounded by WAIT_SECONDS only to fail rather than hang).
"""

from __future__ import annotations

import asyncio
import importlib.util
import random
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import pytest

_DRIVER_TESTS = Path(__file__).resolve().parents[1] / "drivers"
if str(_DRIVER_TESTS) not in sys.path:
    sys.path.insert(0, str(_DRIVER_TESTS))  # test_drv_serial, test_drv_ble


def _driver_test_fixtures():
    """tests/drivers/conftest.py under a name of its own ("conftest" is pytest's to juggle)."""
    name = "tenslog_driver_test_fixtures"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, _DRIVER_TESTS / "conftest.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


_fixtures = _driver_test_fixtures()
recording = _fixtures.recording  # the real Recorder + Store over a driver's event stream
pty_units = _fixtures.pty_units  # a fake serial unit behind a pty and a re-pointable symlink
air = _fixtures.air  # the fake BLE airspace, new for each test

from support.ble_units import (  # noqa: E402
    MEAS,
    TIMER,
    ZC_CONTROL,
    ZC_DIAL1,
    ZC_STREAM,
    TdcsUnit,
    emulated,
)
from support.serial_dial import Dial  # noqa: E402
from tenslog.driver.events import LinkLost, LinkRestored  # noqa: E402
from tenslog.model import Session, SessionState  # noqa: E402
from tenslog.recorder import LinkState  # noqa: E402
from tenslog.store import Store  # noqa: E402
from tenslog.testing import Airspace, FakePeripheral  # noqa: E402
from tenslog_ble.opentdcs import OpenTdcsBleDriver  # noqa: E402
from tenslog_ble.profile_driver import ProfileBleDriver  # noqa: E402
from tenslog_serial.line import LineSerialDriver  # noqa: E402

WAIT_SECONDS = 15.0  # a generous bound for one step; never reached when things work


# -- the drill plan -------------------------------------------------------------------------
@dataclass
class Change:
    pull: bool = False  # pull the link around this intensity change
    while_pulled: bool = False  # the knob is turned while the link is down
    twice: bool = False  # then pull again, twice in a row, the 2nd right after the link is back


@dataclass
class Period:
    idle_pull: bool = False  # pulled while the unit is off, before this period
    on_while_pulled: bool = False  # ...and switched on while the link is down
    pull_after_start: bool = False  # pulled right after the start was recorded
    changes: list[Change] = field(default_factory=list)
    off_while_pulled: bool = False  # switched off while the link is down


KINDS = (
    "idle", "on_while_pulled", "after_start", "during", "while_pulled", "twice", "off_while_pulled"
)  # fmt: skip


def _kinds(plan: list[Period]) -> set[str]:
    found = set()
    for p in plan:
        found |= {"idle"} if p.idle_pull else set()
        found |= {"on_while_pulled"} if p.on_while_pulled else set()
        found |= {"after_start"} if p.pull_after_start else set()
        found |= {"off_while_pulled"} if p.off_while_pulled else set()
        for c in p.changes:
            found |= {"during"} if c.pull else set()
            found |= {"while_pulled"} if c.while_pulled else set()
            found |= {"twice"} if c.twice else set()
    return found


def make_plan(rng: random.Random) -> list[Period]:
    """Three or four stimulation periods with pulls at random moments; drawn again (from the
    same seeded generator) until every kind of pull appears at least once."""
    while True:
        plan = []
        for _ in range(rng.randint(3, 4)):
            idle = rng.random() < 0.5
            changes = []
            for _ in range(rng.randint(1, 3)):
                pull = rng.random() < 0.45
                changes.append(
                    Change(pull, pull and rng.random() < 0.5, pull and rng.random() < 0.35)
                )
            plan.append(
                Period(
                    idle_pull=idle,
                    on_while_pulled=idle and rng.random() < 0.5,
                    pull_after_start=rng.random() < 0.4,
                    changes=changes,
                    off_while_pulled=rng.random() < 0.3,
                )
            )
        if _kinds(plan) == set(KINDS):
            return plan


# -- what the drill expects of each session ----------------------------------------------
@dataclass
class Expected:
    levels: list[float] = field(default_factory=list)
    gaps: int = 0
    ended_at_lost: int | None = None  # index of the LinkLost whose moment ends the session


class Rig(Protocol):
    """A unit and the way its link breaks. ``set(None)`` switches it off."""

    levels: list[float]

    def set(self, level: float | None) -> None: ...
    async def pull(self) -> None: ...
    async def replug(self) -> None: ...
    def quiet(self) -> None: ...


async def until(what: str, predicate: Callable[[], bool], rec) -> None:
    async def poll() -> None:
        while not predicate():
            await asyncio.sleep(0.01)

    try:
        async with asyncio.timeout(WAIT_SECONDS):
            await poll()
    except TimeoutError:
        tail = [type(e).__name__ for e in rec.events[-12:]]
        raise AssertionError(f"timed out waiting for {what}; last events: {tail}") from None


class Drill:
    """Plays a plan on a rig while the recorder records; tracks what must end up stored."""

    def __init__(self, rig: Rig, rec, rng: random.Random) -> None:
        self.rig, self.rec, self.rng = rig, rec, rng
        self.level: float | None = None  # the dial as the user left it
        self.linked = True
        self.expected: list[Expected] = []
        self.pulls = 0

    @property
    def recorder(self):
        return self.rec.recorder

    async def recorded(self) -> None:
        """Wait until the recorder shows the dial as it is now."""
        level = self.level
        if level is None:
            await until("the session to end", lambda: self.recorder.session_id is None, self.rec)
        else:
            await until(
                f"intensity {level} in a session",
                lambda: self.recorder.session_id is not None and self.recorder.intensity == level,
                self.rec,
            )

    def turn(self, level: float | None) -> None:
        if level is not None and self.level is None:
            self.expected.append(Expected())
        if level is not None:
            self.expected[-1].levels.append(level)
        self.level = level
        self.rig.set(level)

    async def set(self, level: float | None) -> None:
        self.turn(level)
        if self.linked:
            await self.recorded()

    def new_level(self) -> float:
        return self.rng.choice([v for v in self.rig.levels if v != self.level])

    async def pull(self) -> None:
        lost = len(self.rec.of(LinkLost))
        in_session = self.recorder.session_id is not None
        await self.rig.pull()
        self.linked = False
        self.pulls += 1
        await until("LinkLost", lambda: len(self.rec.of(LinkLost)) > lost, self.rec)
        assert self.recorder.link is LinkState.RECONNECTING
        if in_session:
            self.expected[-1].gaps += 1

    async def replug(self, *, settle: bool = True) -> None:
        restored = len(self.rec.of(LinkRestored))
        await self.rig.replug()
        self.linked = True
        await until("LinkRestored", lambda: len(self.rec.of(LinkRestored)) > restored, self.rec)
        if settle:
            await self.recorded()

    async def play(self, plan: list[Period]) -> None:
        for period in plan:
            if period.idle_pull:
                await self.pull()
                if period.on_while_pulled:
                    self.turn(self.new_level())
                await self.replug()
            if self.level is None:
                await self.set(self.new_level())
            if period.pull_after_start:
                await self.pull()
                await self.replug()
            for change in period.changes:
                if change.while_pulled:
                    await self.pull()
                    self.turn(self.new_level())
                    await self.replug()
                else:
                    await self.set(self.new_level())
                    if change.pull:
                        await self.pull()
                        await self.replug()
                if change.twice:
                    await self.pull()
                    await self.replug(settle=False)  # pulled again the moment it is back
                    await self.pull()
                    await self.replug()
            if period.off_while_pulled:
                await self.pull()
                self.expected[-1].gaps -= 1  # the unit stopped within it: it ends the session
                self.expected[-1].ended_at_lost = len(self.rec.of(LinkLost)) - 1
                self.turn(None)
                await self.replug()
            else:
                await self.set(None)


async def run_drill(rig: Rig, rec, driver_events, seed: int) -> Drill:
    drill = Drill(rig, rec, random.Random(seed))
    plan = make_plan(drill.rng)
    task = asyncio.create_task(rec.run(driver_events))
    try:
        await until("the unit to connect", lambda: rec.recorder.link is LinkState.CONNECTED, rec)
        await drill.play(plan)
        await asyncio.sleep(0.1)  # a few more ticks and lines after the last stop
        assert not task.done(), "the recording stopped: the driver or the recorder crashed"
        rig.quiet()  # see test_stopping_a_serial_recording_while_a_line_arrives_ends_it
        await asyncio.sleep(0.1)
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
    assert rec.recorder.problem is None
    return drill


def check_sessions(drill: Drill, rec) -> list[Session]:
    """One session per stimulation period with every change and gap; nothing lost on disk."""
    sessions = rec.sessions()
    assert len(sessions) == len(drill.expected), "one session per stimulation period, no more"
    lost = rec.of(LinkLost)
    for session, expected in zip(sessions, drill.expected, strict=True):
        Session.model_validate(session.model_dump())
        assert session.state is SessionState.COMPLETE
        assert [p.value for p in session.intensity] == expected.levels
        assert len(session.gaps) == expected.gaps
        assert session.end is not None
        for gap in session.gaps:
            assert gap.restored_at is not None, "every replug closes its gap"
            assert session.start <= gap.lost_at <= gap.restored_at <= session.end
        if expected.ended_at_lost is not None:
            # Switched off out of sight: the session ends when the unit was last known on.
            assert abs(session.end.timestamp() - lost[expected.ended_at_lost].at) < 1e-3
    starts = [s.start for s in sessions]
    assert starts == sorted(starts) and len(set(starts)) == len(starts)
    with Store.open(rec.store.path) as fresh:  # what survives on disk, read anew
        assert fresh.sessions(newest_first=False) == sessions
    return sessions


# -- serial: the cable is pulled -----------------------------------------------------------
class SerialRig:
    """A TLP unit (levels 1-20) on a pty; pulling closes the pty, replugging puts a new one
    behind the same /dev/serial/by-id-like symlink."""

    levels = [float(v) for v in range(1, 21)]

    def __init__(self, unit, dial: Dial) -> None:
        self.unit, self.dial = unit, dial

    def set(self, level: float | None) -> None:
        self.dial.on, self.dial.level = level is not None, int(level or 0)

    async def pull(self) -> None:
        self.unit.unplug()

    async def replug(self) -> None:
        self.unit.plug()

    def quiet(self) -> None:
        self.unit.hush()


@pytest.mark.parametrize("seed", [6, 2026])
async def test_serial_cable_pulled_at_random_moments_loses_no_session(
    recording, pty_units, seed: int
) -> None:
    dial = Dial()
    unit = pty_units(dial.line)
    unit.plug()
    driver = LineSerialDriver(reconnect_cap="0.2")
    rec = recording(driver.clock)
    drill = await run_drill(SerialRig(unit, dial), rec, driver.events(unit.port), seed)
    unit.read()

    check_sessions(drill, rec)
    assert drill.pulls >= 7
    assert driver.stats.reconnects == drill.pulls
    assert unit.received == b"", "read-only: not one byte may reach the unit"


# -- BLE: the link drops -------------------------------------------------------------------
class TdcsRig:
    """The Open-tDCS-Stack over BLE, notifying Measurement and Timer every 20 ms; set current
    in mA, on while seconds remain. The link drops as the unit goes out of range."""

    levels = [0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 4.0]

    def __init__(self, unit: TdcsUnit) -> None:
        self.unit = unit
        self.p = unit.p

    def set(self, level: float | None) -> None:
        if level is None:
            self.unit.set_ua, self.unit.remaining = 50, 0  # idle: the 50 uA test current
        else:
            self.unit.set_ua, self.unit.remaining = round(level * 1000), 600

    async def pull(self) -> None:
        self.p.leave()

    async def replug(self) -> None:
        self.p.come_back()

    def quiet(self) -> None:
        """The BLE driver awaits its queue without wait_for: cancelling is safe at any time."""


class DialRig:
    """A ZC95 box: its channel-1 dial notifies only when turned, and is read once per
    connection, so a change made while out of range is seen on reconnect."""

    levels = [float(v) for v in (1, 50, 120, 250, 400, 640, 999, 1000)]

    def __init__(self, p: FakePeripheral) -> None:
        self.p = p

    def set(self, level: float | None) -> None:
        self.p.notify(ZC_DIAL1, int(level or 0).to_bytes(2, "little"))

    async def pull(self) -> None:
        self.p.leave()

    async def replug(self) -> None:
        self.p.come_back()

    def quiet(self) -> None:
        """It only notifies when turned."""


def _fast(driver, air: Airspace):
    emulated(driver, air)
    driver.scan_seconds = 0.1
    return driver


async def test_ble_opentdcs_link_drops_at_random_moments_lose_no_session(recording, air) -> None:
    unit = TdcsUnit(air)
    driver = _fast(OpenTdcsBleDriver(reconnect_cap="0.1"), air)
    rec = recording(driver.clock)
    try:
        drill = await run_drill(TdcsRig(unit), rec, driver.events(), seed=31)
    finally:
        unit.task.cancel()
        await asyncio.gather(unit.task, return_exceptions=True)

    check_sessions(drill, rec)
    assert unit.p.connections == drill.pulls + 1
    assert unit.p.writes == [], "never a write; above all never to Timer (it starts stimulation)"
    assert sorted(unit.p.cccd_writes) == sorted([MEAS, TIMER] * unit.p.connections)


async def test_ble_dial_link_drops_at_random_moments_lose_no_session(recording, air) -> None:
    zc = air.add(
        FakePeripheral(
            "C0:FF:EE:00:00:95",
            "ZC95",
            [ZC_STREAM],
            {ZC_CONTROL: {ZC_DIAL1: ["read", "notify"], ZC_CONTROL[:-2] + "11": ["write"]}},
            values={ZC_DIAL1: (0).to_bytes(2, "little")},
        )
    )
    driver = _fast(ProfileBleDriver(profile="zc95", reconnect_cap="0.1"), air)
    rec = recording(driver.clock)
    drill = await run_drill(DialRig(zc), rec, driver.events(), seed=95)

    check_sessions(drill, rec)
    assert zc.connections == drill.pulls + 1
    assert zc.writes == [], "only start_notify's CCCD write may reach the unit"
    assert zc.cccd_writes == [ZC_DIAL1.lower()] * zc.connections


async def test_serial_cable_out_longer_than_the_grace_period_ends_the_session_interrupted(
    recording, pty_units
) -> None:
    """Beyond grace_seconds the session is closed as interrupted at the moment the link was
    lost (nothing after it is claimed); the unit, still on when plugged back, starts a new one."""
    dial = Dial(on=False, level=0)
    unit = pty_units(dial.line)
    unit.plug()
    driver = LineSerialDriver(reconnect_cap="0.2")
    rec = recording(driver.clock, grace_seconds=0.3)
    task = asyncio.create_task(rec.run(driver.events(unit.port)))
    try:
        recorder = rec.recorder
        await until("the unit to connect", lambda: recorder.link is LinkState.CONNECTED, rec)
        dial.on, dial.level = True, 6
        await until("level 6", lambda: recorder.intensity == 6, rec)
        unit.unplug()
        await until("the grace period to run out", lambda: recorder.link is LinkState.LOST, rec)
        unit.plug()
        two = lambda: len(rec.sessions()) == 2 and recorder.intensity == 6  # noqa: E731
        await until("a new session", two, rec)
        dial.on = False
        await until("the end", lambda: recorder.session_id is None, rec)
        assert not task.done()
        SerialRig(unit, dial).quiet()
        await asyncio.sleep(0.1)
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        unit.read()

    first, second = rec.sessions()
    [lost] = rec.of(LinkLost)
    assert first.state is SessionState.INTERRUPTED and first.end is not None
    assert abs(first.end.timestamp() - lost.at) < 1e-3
    assert [p.value for p in first.intensity] == [6]
    [gap] = first.gaps  # the loss that ended it: the link never came back within the session
    assert gap.lost_at == first.end and gap.restored_at is None
    assert second.state is SessionState.COMPLETE and [p.value for p in second.intensity] == [6]
    assert second.gaps == () and second.start > first.end
    assert unit.received == b""


async def test_stopping_a_serial_recording_while_a_line_arrives_ends_it(
    recording, pty_units
) -> None:
    """The user stops recording (the task is cancelled) just as the unit prints a line: the
    recording must end. Made deterministic: the line becomes readable and the cancel falls due
    while the loop is busy, so both are handled in the same loop iteration."""
    dial = Dial(on=True, level=3)
    unit = pty_units(dial.line)
    unit.plug()
    driver = LineSerialDriver(reconnect_cap="0.2")
    rec = recording(driver.clock)
    task = asyncio.create_task(rec.run(driver.events(unit.port)))
    try:
        await until("level 3", lambda: rec.recorder.intensity == 3, rec)
        unit.hush()  # the unit's own rhythm stops: the test decides when it talks
        await asyncio.sleep(0.2)  # the driver now waits for the next line
        asyncio.get_running_loop().call_later(0, task.cancel)  # the user presses stop...
        unit.write(dial.line())  # ...as the unit prints a line
        time.sleep(0.05)
        done, _ = await asyncio.wait({task}, timeout=2.0)
        stopped = task in done
    finally:
        task.cancel()  # a second cancel does get through
        await asyncio.gather(task, return_exceptions=True)
    assert stopped, "the recording went on after it was stopped"
