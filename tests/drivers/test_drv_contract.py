"""The driver contract is kept by tenslog, not by each driver's author: a stream that never says
Connected still records with the driver's own source, unit and heartbeats, whatever the events
before; capabilities travel per unit; and the consumer always closes the driver's generator."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncGenerator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tenslog.driver import (
    Connected,
    DeviceEvent,
    Driver,
    FoundUnit,
    IntensityChanged,
    LinkLost,
    LinkRestored,
    StimulationStarted,
    StimulationStopped,
    UnitInfo,
)
from tenslog.model import Capabilities, IntensityScale
from tenslog.recorder import Recorder, run_recorder
from tenslog.store import Store, StoreError
from tenslog.testing import collect_events, has


class BareDriver(Driver):
    """A third-party driver as a newcomer writes it: it only says when the unit is on."""

    name = "bare"
    title = "Bare Pocket TENS"
    transport = "other"
    capabilities = Capabilities(reports_on_off=True)
    scale = IntensityScale(kind="level", maximum=12)

    def __init__(self) -> None:
        super().__init__()
        self.go_on = asyncio.Event()
        self.closed = False

    async def discover(self, timeout: float = 5.0) -> list[FoundUnit]:
        return [FoundUnit(self.name, "bare-1", self.title)]

    async def events(self, identity: str | None = None) -> AsyncGenerator[DeviceEvent, None]:
        try:
            yield StimulationStarted(time.time())
            await self.go_on.wait()
            yield StimulationStopped(time.time())
            await asyncio.Event().wait()  # the link stays until the consumer lets go
        finally:
            self.closed = True


async def test_a_driver_that_never_says_connected_records_with_its_source_unit_and_heartbeats(
    recording,
) -> None:
    driver = BareDriver()
    rec = recording(time.time)
    runner = asyncio.create_task(rec.run(driver.events("bare-1")))
    await rec.wait_for(has(StimulationStarted))

    async def heartbeat_after_start() -> None:
        while True:
            sid = rec.recorder.session_id
            if sid is not None:
                (session,) = rec.sessions()
                beat = rec.store.last_heartbeat(sid)
                if beat is not None and beat > session.start.timestamp():
                    return
            await asyncio.sleep(0.02)

    async with asyncio.timeout(10):  # before: no heartbeat, ever
        await heartbeat_after_start()
    driver.go_on.set()
    await rec.wait_for(has(StimulationStopped))
    runner.cancel()
    with pytest.raises(asyncio.CancelledError):
        await runner
    (session,) = rec.sessions()
    assert session.source == "bare" and session.state.value == "complete"
    assert session.unit is not None and session.unit.driver == "bare"
    assert session.unit.identity == "bare-1" and session.unit.name == "Bare Pocket TENS"
    assert session.unit.scale == IntensityScale(kind="level", maximum=12)
    assert rec.recorder.capabilities == Capabilities(reports_on_off=True)
    assert driver.closed


class ProfileLikeDriver(Driver):
    """One driver, many units: what each unit reports is said in its Connected, not the class."""

    name = "many"
    title = "Many units"
    transport = "other"
    capabilities = Capabilities()
    scale = IntensityScale(kind="level")

    async def discover(self, timeout: float = 5.0) -> list[FoundUnit]:
        return []

    async def events(self, identity: str | None = None) -> AsyncGenerator[DeviceEvent, None]:
        caps = Capabilities(reports_on_off=True, reports_intensity=True)
        unit = UnitInfo(self.name, "u-2", "Unit two", IntensityScale(kind="mA", maximum=80), caps)
        yield Connected(time.time(), unit)
        yield StimulationStarted(time.time(), 12.5)
        yield StimulationStopped(time.time())


async def test_scale_and_capabilities_come_from_the_unit_not_the_driver_class(recording) -> None:
    rec = recording(time.time)
    await rec.run(ProfileLikeDriver().events())
    (session,) = rec.sessions()
    assert session.unit is not None and session.unit.scale == IntensityScale(kind="mA", maximum=80)
    assert rec.recorder.capabilities == Capabilities(reports_on_off=True, reports_intensity=True)
    assert sum(isinstance(e, Connected) for e in rec.events) == 1  # none synthesised


class FailingRecorder(Recorder):
    def handle(self, event: DeviceEvent) -> None:
        raise StoreError("the disk went away")


async def test_the_recorder_closes_the_drivers_stream_when_it_stops_early(tmp_path) -> None:
    driver = BareDriver()
    with Store.open(tmp_path / "t.db") as store, pytest.raises(StoreError):
        await run_recorder(driver.events(), FailingRecorder(store))
    assert driver.closed  # at once, not whenever the generator is garbage-collected


class ListDriver(Driver):
    name = "listed"
    title = "Listed unit"
    transport = "other"
    capabilities = Capabilities(reports_intensity=True)
    scale = IntensityScale(kind="mA", maximum=50)

    def __init__(self, events: list[DeviceEvent]) -> None:
        super().__init__()
        self.listed = events

    async def discover(self, timeout: float = 5.0) -> list[FoundUnit]:
        return []

    async def events(self, identity: str | None = None) -> AsyncGenerator[DeviceEvent, None]:
        for event in self.listed:
            yield event


UNIT = UnitInfo("listed", "x", "Its own name", IntensityScale(kind="level", maximum=3))
times = st.floats(min_value=0, max_value=2e9, allow_nan=False)
levels = st.floats(min_value=0, max_value=50, allow_nan=False)
any_event = st.one_of(
    st.builds(Connected, times, st.just(UNIT)),
    st.builds(StimulationStarted, times, st.none() | levels),
    st.builds(IntensityChanged, times, levels),
    st.builds(StimulationStopped, times),
    st.builds(LinkLost, times),
    st.builds(LinkRestored, times),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(any_event, max_size=12), st.none() | st.just("unit-7"))
def test_every_stream_says_connected_before_it_reports_and_is_otherwise_unchanged(
    sent: list[DeviceEvent], identity: str | None
) -> None:
    driver = ListDriver(sent)
    got = asyncio.run(collect_events(driver.events(identity)))
    declared = driver.declared_unit(identity)
    synthesised = [i for i, e in enumerate(got) if isinstance(e, Connected) and e.unit == declared]
    assert [e for i, e in enumerate(got) if i not in synthesised] == sent
    first_report = next((i for i, e in enumerate(sent) if not isinstance(e, LinkLost)), None)
    if first_report is None or isinstance(sent[first_report], Connected):
        assert synthesised == []
    else:
        # One Connected, in the driver's own name, just before (and at the time of) its first report.
        assert synthesised == [first_report]
        assert got[first_report].at == sent[first_report].at
        assert declared == UnitInfo("listed", identity or "listed", "Listed unit",
                                    IntensityScale(kind="mA", maximum=50),
                                    Capabilities(reports_intensity=True))
