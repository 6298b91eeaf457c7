"""The live session's controller without a screen: each key and each report from the recorder
moves it from one state to the next, and the store holds what a person would expect."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator
from pathlib import Path

import pytest

from tenslog.driver import DeviceEvent, Driver, FoundUnit
from tenslog.live.controller import LiveController
from tenslog.live.state import AfterSummary, Ended, Finished, LiveEvent, Phase, Started, UnitChoice
from tenslog.model import Capabilities, IntensityScale, SessionState, Unit
from tenslog.settings import Settings
from tenslog.store import Store

BEURER = Unit(driver="manual", identity="beurer-em49", name="Beurer EM49",
              scale=IntensityScale(kind="level", maximum=20))


class Clock:
    """The unit's time, moved by the test."""

    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


class OnOffDriver(Driver):
    """A unit that reports on/off itself: the s key is not for it."""

    name = "onoff"
    title = "On/off unit"
    transport = "other"
    capabilities = Capabilities(reports_on_off=True)
    scale = IntensityScale()

    async def discover(self, timeout: float = 5.0) -> list[FoundUnit]:
        return [FoundUnit(self.name, "onoff-1", "On/off unit")]

    async def events(self, identity: str | None = None) -> AsyncGenerator[DeviceEvent, None]:
        await asyncio.Event().wait()
        yield  # pragma: no cover


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def live(store: Store, db_path: Path, clock: Clock) -> LiveController:
    return LiveController(store, Settings(db=db_path), None, {}, clock=clock)


async def started(live: LiveController, events: list[LiveEvent]) -> asyncio.Task[None]:
    task = asyncio.create_task(live.run(events.append))
    await asyncio.sleep(0)  # the device worker is running
    return task


async def test_a_session_without_connection_moves_through_its_phases(
    live: LiveController, clock: Clock, store: Store
) -> None:
    assert live.state().phase is Phase.CHOOSING
    live.choose(UnitChoice("Beurer EM49", "", manual=BEURER))
    assert (live.state().phase, live.state().needs_switch_key, live.state().needs_level_keys) == (
        Phase.WAITING, True, False)
    live.rate_before(6)
    events: list[LiveEvent] = []
    worker = await started(live, events)

    live.press_switch()  # switched on
    sid = live.session_id
    assert sid is not None and events == [Started(sid)]
    assert (live.state().phase, live.state().needs_level_keys) == (Phase.RUNNING, True)
    for step in (1, 1, 1, -1):
        live.press_level(step)
    assert live.state().intensity == 2

    clock.now += 600
    live.press_switch()  # switched off ten minutes later
    await worker
    assert events == [Started(sid), Ended(sid, SessionState.COMPLETE), Finished(None)]
    assert (live.state().phase, live.state().elapsed, live.state().needs_switch_key) == (
        Phase.ENDED, 600.0, False)
    assert live.rate_after(3) == AfterSummary(change=-3, average=-3.0, count=1)

    saved = store.get(sid)
    assert (saved.unit_name, saved.before, saved.after, saved.state) == ("Beurer EM49", 6, 3, SessionState.COMPLETE)
    assert saved.duration is not None and saved.duration.total_seconds() == 600
    assert saved.peak_intensity == 3  # the highest level noted, not the last
    assert not store.is_recording_holder

    live.reset()
    assert (live.state().phase, live.recorder) == (Phase.CHOOSING, None)


async def test_the_level_stays_within_the_units_scale(live: LiveController) -> None:
    live.choose(UnitChoice("Beurer EM49", "", manual=BEURER))
    worker = await started(live, [])
    live.press_switch()
    live.press_level(-1)
    assert live.state().intensity == 0
    for _ in range(25):
        live.press_level(1)
    assert live.state().intensity == 20
    live.close()
    await worker


async def test_keys_that_do_not_apply_change_nothing(live: LiveController, store: Store) -> None:
    live.press_switch()  # still choosing
    live.press_level(1)
    assert live.state().phase is Phase.CHOOSING
    driver = OnOffDriver()
    (found,) = await driver.discover()
    live.choose(UnitChoice(found.name, "", found=found, driver=driver))
    worker = await started(live, [])
    live.press_switch()  # the unit says when it is on: s does not start a session
    live.press_level(1)
    assert (live.state().phase, live.state().needs_switch_key, live.recording) == (Phase.WAITING, False, False)
    live.close()
    await worker
    assert store.sessions() == []


async def test_closing_mid_session_keeps_it_interrupted_and_frees_the_database(
    live: LiveController, clock: Clock, store: Store
) -> None:
    live.choose(UnitChoice("Beurer EM49", "", manual=BEURER))
    live.rate_before(5)
    events: list[LiveEvent] = []
    worker = await started(live, events)
    live.press_switch()
    clock.now += 90
    sid = live.close()
    await worker
    assert sid is not None and events == [Started(sid), Finished(None)]  # no rating asked while closing
    saved = store.get(sid)
    assert (saved.state, saved.before) == (SessionState.INTERRUPTED, 5)
    assert not store.is_recording_holder


async def test_reading_the_state_changes_nothing_and_tick_samples_once_a_second(
    live: LiveController, clock: Clock
) -> None:
    live.choose(UnitChoice("Beurer EM49", "", manual=BEURER))
    worker = await started(live, [])
    live.press_switch()
    live.press_level(4)
    first = live.state()
    assert [live.state() for _ in range(3)] == [first] * 3 and first.history == ()
    live.tick()
    live.tick()  # the same second: no second sample
    clock.now += 1
    live.tick()
    assert live.state().history == (4.0, 4.0)
    live.close()
    await worker


async def test_a_named_driver_that_cannot_load_is_explained_and_manual_units_remain(
    store: Store, db_path: Path
) -> None:
    live = LiveController(store, Settings(db=db_path), "simulator", {"colour": "blue"})
    choices = await live.discover()
    assert [c.label for c in choices] == ["No connection — I'll press a key"]
    assert live.driver_problem is not None and "colour" in live.driver_problem


async def test_an_early_switch_off_waits_for_a_second_different_key(
    live: LiveController, clock: Clock, store: Store
) -> None:
    live.choose(UnitChoice("Beurer EM49", "", manual=BEURER))
    events: list[LiveEvent] = []
    worker = await started(live, events)
    live.confirm_stop()  # nothing to confirm yet: nothing happens
    live.press_switch()
    sid = live.session_id
    clock.now += 0.15
    live.press_switch()  # the tremor's second press
    assert (live.state().phase, live.state().stop_asked, live.recording) == (Phase.RUNNING, True, True)
    assert events == [Started(sid)]
    clock.now += 5
    live.confirm_stop()
    await worker
    assert live.state().phase is Phase.ENDED and events[1] == Ended(sid, SessionState.COMPLETE)
    saved = store.get(sid)
    assert saved.duration is not None and saved.duration.total_seconds() == 5.15


async def test_once_the_minimum_has_passed_the_note_goes_and_one_s_ends(
    live: LiveController, clock: Clock
) -> None:
    live.choose(UnitChoice("Beurer EM49", "", manual=BEURER))
    worker = await started(live, [])
    live.press_switch()
    clock.now += 10
    live.press_switch()
    assert live.state().stop_asked
    clock.now += 50  # a minute since it was switched on
    assert not live.state().stop_asked
    live.confirm_stop()  # y no longer applies
    assert live.state().phase is Phase.RUNNING
    live.press_switch()
    await worker
    assert live.state().phase is Phase.ENDED and live.state().elapsed == 60.0


async def test_the_first_level_key_starts_from_the_level_last_used_with_that_unit(
    live: LiveController, clock: Clock, store: Store
) -> None:
    live.choose(UnitChoice("Beurer EM49", "", manual=BEURER))
    assert live.state().last_level is None
    worker = await started(live, [])
    live.press_switch()
    live.set_level(14)
    clock.now += 1
    live.set_level(12)  # the last level noted, not the highest
    clock.now += 600
    live.press_switch()
    await worker

    live.reset()
    live.choose(UnitChoice("Beurer EM49", "", manual=BEURER))
    assert live.state().last_level == 12
    worker = await started(live, [])
    live.press_switch()
    live.press_level(1)
    assert live.state().intensity == 12  # the first press notes last time's level
    live.press_level(1)
    assert live.state().intensity == 13
    live.set_level(25)
    assert live.state().intensity == 20  # never above the unit's scale
    live.close()
    await worker
