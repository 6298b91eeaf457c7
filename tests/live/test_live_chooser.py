"""The dashboard's unit chooser lists what `tenslog scan` lists: a serial port once, with what
each serial driver would make of it; no built-in UART; Bluetooth that is not there in one line."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from textual.widgets import OptionList

from live.helpers import asking, text, wait_for
from tenslog.driver import DeviceEvent, Driver, FoundUnit
from tenslog.driver import discovery as discovery_module
from tenslog.driver.discovery import NO_BLUETOOTH, Search
from tenslog.model import Capabilities, IntensityScale
from tenslog.settings import Settings
from tenslog.store import Store
from tenslog.ui.app import TenslogApp

USB = "FT232R USB UART, USB 0403:6001"


class SerialDriver(Driver):
    """Every serial driver lists every port: it cannot know what is on one without opening it."""

    transport = "serial"
    capabilities = Capabilities(reports_on_off=True, reports_intensity=True)
    scale = IntensityScale(kind="level", maximum=20)
    unit_name = ""

    async def discover(self, timeout: float = 5.0) -> list[FoundUnit]:
        return [FoundUnit(self.name, "/dev/ttyUSB7", self.unit_name, USB),
                FoundUnit(self.name, "/dev/ttyS0", self.unit_name, "")]

    async def events(self, identity: str | None = None) -> AsyncIterator[DeviceEvent]:
        await asyncio.Event().wait()  # nothing on the port in this test
        yield  # type: ignore[misc]


class LineBridge(SerialDriver):
    name, title, unit_name = "line-bridge", "Line-protocol bridge", "TENS bridge"


class EstimBox(SerialDriver):
    name, title, unit_name = "estim-box", "E-stim box", "ET-312B / MK-312BT"


class NoAdapter(SerialDriver):
    name, title, transport = "ble-unit", "A BLE unit", "ble"

    async def discover(self, timeout: float = 5.0) -> list[FoundUnit]:
        raise OSError(19, "No such device")  # what bleak says with no adapter, roughly


@pytest.fixture
def three_drivers(monkeypatch: pytest.MonkeyPatch) -> None:
    """These drivers stand for the installed ones (the chooser asks them all at once)."""

    def installed(only: str | None = None) -> tuple[list[Driver], list[Search]]:
        return [EstimBox(), LineBridge(), NoAdapter()], []

    monkeypatch.setattr(discovery_module, "installed_drivers", installed)


async def test_a_serial_port_is_offered_once_with_each_drivers_reading(
        db_path: Path, three_drivers: None) -> None:
    store = Store.open(db_path)
    app = TenslogApp(store=store, settings=Settings(db=db_path))
    try:
        async with app.run_test(size=(100, 30)) as pilot:
            units = app.screen.query_one("#units", OptionList)
            await wait_for(pilot, lambda: not units.get_option_at_index(0).disabled)
            prompts = [str(units.get_option_at_index(i).prompt) for i in range(units.option_count)]
            assert prompts == [
                "No connection — I'll press a key\n  for units that cannot connect",
                (f"Serial port /dev/ttyUSB7\n  {USB} — could be: ET-312B / MK-312BT (estim-box)"
                 " · TENS bridge (line-bridge)"),
            ]  # no /dev/ttyS0, and the port once
            assert text(app, "#chooser-problem") == NO_BLUETOOTH

            await pilot.press("down", "enter")
            assert text(app, "#chooser-title") == "Which kind of unit is on /dev/ttyUSB7?"
            prompts = [str(units.get_option_at_index(i).prompt) for i in range(units.option_count)]
            assert prompts == [
                f"ET-312B / MK-312BT\n  E-stim box · {USB}",
                f"TENS bridge\n  Line-protocol bridge · {USB}",
            ]
            await pilot.press("down", "enter")
            assert asking(app, "before")
            assert app.live.choice is not None and app.live.choice.driver is not None
            assert app.live.choice.driver.name == "line-bridge"
    finally:
        store.close()


async def test_the_chooser_offers_units_typed_in_before_and_not_those_that_connect(tmp_path: Path) -> None:
    """Units without connection used before are offered first; a unit a driver connects to is
    found by its driver, not listed as "no connection"."""
    from datetime import UTC, datetime, timedelta

    from tenslog.live.chooser import NO_CONNECTION, manual_choices_soon
    from tenslog.model import Session, Unit

    def session_with(unit: Unit) -> Session:
        start = datetime.now(UTC) - timedelta(days=1)
        return Session(unit=unit, start=start, end=start + timedelta(minutes=30))

    with Store.open(tmp_path / "t.db") as store:
        assert await manual_choices_soon(store) == [NO_CONNECTION]  # a new diary: only the way in
        assert not store.has_units("manual")
        store.add_session(session_with(Unit(driver="manual", identity="m-1", name="Beurer EM49",
                                            scale=IntensityScale(kind="level", maximum=20))))
        store.add_session(session_with(Unit(driver="line-serial", identity="/dev/ttyUSB0", name="Bridge",
                                            scale=IntensityScale(kind="mA", maximum=80))))
        assert store.has_units("manual") and store.has_units("line-serial")
        assert [u.name for u in store.units(driver="manual")] == ["Beurer EM49"]
        assert [u.name for u in store.units()] == ["Beurer EM49", "Bridge"]
        offered = await manual_choices_soon(store)
    assert [(c.label, c.detail) for c in offered] == [
        ("Beurer EM49", "no connection · level 1-20"), (NO_CONNECTION.label, NO_CONNECTION.detail)]
