"""What a unit notes (UnitNote: its program, an overload, a low battery) is shown on the live
screen's link line, replaced per topic and cleared by an empty note; it is never stored."""

from __future__ import annotations

import time
from collections.abc import AsyncGenerator
from pathlib import Path

from tenslog.driver import (
    Connected,
    DeviceEvent,
    Driver,
    FoundUnit,
    StimulationStarted,
    UnitInfo,
    UnitNote,
)
from tenslog.live.controller import LiveController
from tenslog.live.state import UnitChoice
from tenslog.model import Capabilities, IntensityScale
from tenslog.settings import load_settings
from tenslog.store import Store
from tenslog.ui.live_view import render

ALL = Capabilities(reports_on_off=True, reports_intensity=True)


class NotingDriver(Driver):
    name = "noting"
    title = "A unit with notes"
    transport = "other"
    capabilities = ALL
    scale = IntensityScale(kind="level")

    async def discover(self, timeout: float = 5.0) -> list[FoundUnit]:
        return [FoundUnit(self.name, "n-1", "Noting unit")]

    async def events(self, identity: str | None = None) -> AsyncGenerator[DeviceEvent, None]:
        now = time.time()
        yield Connected(now, UnitInfo(self.name, "n-1", "Noting unit", self.scale, ALL))
        yield UnitNote(now, "program", "program 2")
        yield StimulationStarted(now, 3)
        yield UnitNote(now, "overload", "the unit reports an overload (check the electrodes)")
        yield UnitNote(now, "program", "program 9\x1b[31m")  # replaces program 2; made inert
        yield UnitNote(now, "battery", "the unit reports a low battery")
        yield UnitNote(now, "overload", "")  # cleared


async def test_unit_notes_show_on_the_link_line_and_are_not_stored(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    with Store.open(db) as store:
        live = LiveController(store, load_settings(db=db), None, {})
        driver = NotingDriver()
        (found,) = await driver.discover()
        live.choose(UnitChoice(found.name, "", found=found, driver=driver))
        await live.run()
        assert live.state().unit_notes == "program 9\ufffd[31m · the unit reports a low battery"
        assert render(live.state()).unit_line.endswith(" · program 9\ufffd[31m · the unit reports a low battery")
    stored = b"".join(path.read_bytes() for path in tmp_path.glob("t.db*"))  # the WAL too
    assert b"low battery" not in stored and b"program 9" not in stored
