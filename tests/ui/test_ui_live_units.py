"""The live session shows what the connected unit says it reports, not what its driver's class
declares: one driver (a BLE profile driver, say) serves units that report different things."""

from __future__ import annotations

import time
from collections.abc import AsyncGenerator
from pathlib import Path

from tenslog.driver import Connected, DeviceEvent, Driver, FoundUnit, StimulationStarted, UnitInfo
from tenslog.live.controller import LiveController
from tenslog.live.state import UnitChoice
from tenslog.model import Capabilities, IntensityScale
from tenslog.settings import load_settings
from tenslog.store import Store

ALL = Capabilities(reports_on_off=True, reports_intensity=True)


class ManyUnitsDriver(Driver):
    name = "many"
    title = "Many units"
    transport = "other"
    capabilities = Capabilities()  # the class promises nothing; this unit reports everything
    scale = IntensityScale(kind="level")

    async def discover(self, timeout: float = 5.0) -> list[FoundUnit]:
        return [FoundUnit(self.name, "u-2", "Unit two")]

    async def events(self, identity: str | None = None) -> AsyncGenerator[DeviceEvent, None]:
        now = time.time()
        yield Connected(now, UnitInfo(self.name, "u-2", "Unit two", IntensityScale(kind="mA", maximum=80), ALL))
        yield StimulationStarted(now, 12.5)


async def test_the_live_session_reads_capabilities_from_the_unit_not_the_class(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    with Store.open(db) as store:
        live = LiveController(store, load_settings(db=db), None, {})
        driver = ManyUnitsDriver()
        (found,) = await driver.discover()
        live.choose(UnitChoice(found.name, "", found=found, driver=driver))
        assert live.capabilities == Capabilities()  # until the unit speaks: what the class says
        await live.run()  # the stream ends: the session is kept, interrupted
        assert live.capabilities == ALL
        assert live.recorder is not None and live.recorder.unit is not None
        assert live.recorder.unit.scale == IntensityScale(kind="mA", maximum=80)
