"""The dashboard shows stored and reported text literally and inert: the unit chooser, the live
screen, the log, the review and the forms. Names used to be read as markup (a name with
"[/bold]" crashed every start) and control characters went to the terminal raw."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from textual.geometry import Region
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import DataTable, Input, OptionList, Static

from tenslog.driver import Driver, FoundUnit
from tenslog.driver.events import Connected, DeviceEvent, StimulationStarted, UnitInfo
from tenslog.live.state import Phase
from tenslog.model import Capabilities, IntensityScale
from tenslog.settings import Settings
from tenslog.store import Store
from tenslog.text import shown
from tenslog.ui.app import TenslogApp
from tenslog.ui.screens.entry_form import EntryForm
from tenslog.ui.screens.rating import RatingScreen
from tenslog.ui.screens.unit_form import UnitForm

from .text_data import HOSTILE_NAMES, MARKUP_NAMES, inert, store_names


def rendered(widget: Widget) -> str:
    """The text the widget paints, line by line, as it reaches the terminal."""
    lines = widget.render_lines(Region(0, 0, widget.size.width, widget.size.height))
    return "\n".join(strip.text for strip in lines)


async def wait_for(pilot: Pilot, condition: Callable[[], bool], limit: float = 10.0) -> None:
    deadline = time.monotonic() + limit
    while not condition():
        assert time.monotonic() < deadline, "the app never reached the expected state"
        await pilot.pause(0.02)


def app_for(db: Path, driver: str | None = None) -> TenslogApp:
    return TenslogApp(store=Store.open(db), settings=Settings(db=db), driver=driver)


def choices(app: TenslogApp) -> list[str]:
    units = app.screen_stack[0].query_one("#units", OptionList)
    return [units.get_option_at_index(i).prompt.plain for i in range(units.option_count)]  # type: ignore[union-attr]


async def check_chooser_and_log(db: Path, names: list[str]) -> None:
    app = app_for(db)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: len(app.screen.choices) > 0)
        listed = choices(app)
        for name in names:  # each unit without connection is offered under its name, as shown
            assert any(line.split("\n")[0] == shown(name) for line in listed)
        assert inert(rendered(app.screen.query_one("#units", OptionList)))

        await pilot.press("2")
        await wait_for(pilot, lambda: app.screen.query(DataTable) and app.screen.query_one(DataTable).row_count)
        table = app.screen.query_one(DataTable)
        newest_first = list(reversed(names))
        for row, name in enumerate(newest_first):
            cell = table.get_row_at(row)[2].plain
            visible = shown(name)
            assert cell == (visible if len(visible) <= 12 else visible[:11] + "…")
        assert inert(rendered(table))
        detail = app.screen.query_one("#detail", Static)
        assert shown(newest_first[0]) in str(detail.render())
        assert inert(rendered(detail))


async def test_markup_names_do_not_crash_the_start_and_show_literally(db_path: Path) -> None:
    store_names(db_path, MARKUP_NAMES)
    await check_chooser_and_log(db_path, MARKUP_NAMES)


async def test_control_and_direction_characters_are_written_out_everywhere(db_path: Path) -> None:
    store_names(db_path, HOSTILE_NAMES)
    await check_chooser_and_log(db_path, HOSTILE_NAMES)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(names=st.lists(st.text(min_size=1), min_size=1, max_size=6, unique_by=str.strip))
def test_any_stored_name_shows_inert_and_literally_in_chooser_and_log(tmp_path_factory, names) -> None:  # type: ignore[no-untyped-def]
    """The whole class, for whatever an older database holds (several names per start)."""
    db = tmp_path_factory.mktemp("db") / "tenslog.db"
    store_names(db, names)
    asyncio.run(check_chooser_and_log(db, names))


async def test_review_filter_and_summary_show_markup_names_literally(db_path: Path) -> None:
    names = ["TENS x[/bold]", "[b]Mum's[/b] unit"]
    # 10 rated sessions in the review's default range: enough for the words and the tables
    store_names(db_path, names * 5, start=datetime.now(UTC) - timedelta(days=2))
    app = app_for(db_path)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("3")
        await wait_for(pilot, lambda: bool(app.screen.query("#filters")) and "Dates" in str(
            app.screen.query_one("#filters", Static).render()))
        await app.workers.wait_for_complete()  # the review works its summary out in a thread
        await pilot.pause()
        summary = str(app.screen.query_one("#summary", Static).render())
        for name in names:  # in the relief tables by intensity, one per unit
            assert f"By intensity: {name} (level 1-20)" in summary
        for expected in names[0], names[1]:  # u steps through the units in name order
            await pilot.press("u")
            filters = app.screen.query_one("#filters", Static)
            await wait_for(pilot, lambda expected=expected, filters=filters: f"Unit: {expected}" in str(filters.render()))
            assert inert(rendered(filters))


async def test_live_screen_shows_the_chosen_name_literally(db_path: Path) -> None:
    store_names(db_path, ["TENS x[/bold]\x1b[2J"])
    app = app_for(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: len(app.screen.choices) > 0)
        await pilot.press("enter")  # the unit without connection used before
        assert isinstance(app.screen, RatingScreen)
        await pilot.press("6")
        line = app.screen_stack[0].query_one("#unit-line", Static)
        await wait_for(pilot, lambda: "TENS" in str(line.render()))
        assert str(line.render()).startswith("TENS x[/bold]\\x1b[2J  ·  ")
        assert inert(rendered(line))


# -- a device whose advertised name matches a profile ---------------------------------------------
ADVERTISED = "EM49 [/dim]\x1b]0;pwned\x07\u202e"


class AdvertisingDriver(Driver):
    """Discovers a device advertising a hostile name, and reports that name when connected."""

    name = "advertising"
    title = "Test BLE"
    transport = "ble"
    capabilities = Capabilities(reports_on_off=True, reports_intensity=True)
    scale = IntensityScale(kind="level", maximum=20)

    async def discover(self, timeout: float = 5.0) -> list[FoundUnit]:
        return [FoundUnit(self.name, "em49@AA:BB", ADVERTISED, f"{ADVERTISED} AA:BB, RSSI -60")]

    async def events(self, identity: str | None = None) -> AsyncIterator[DeviceEvent]:
        now = time.time()
        yield Connected(now, UnitInfo(self.name, "em49@AA:BB", ADVERTISED, self.scale, self.capabilities))
        yield StimulationStarted(now, 5)
        await asyncio.Event().wait()


async def test_an_advertised_hostile_name_is_listed_inert_and_the_unit_still_records(db_path: Path) -> None:
    app = app_for(db_path, "advertising")
    app.live.driver = AdvertisingDriver()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: len(app.screen.choices) > 0)
        first = choices(app)[0]
        assert first == f"{shown(ADVERTISED)}\n  Test BLE · {shown(ADVERTISED)} AA:BB, RSSI -60"
        assert inert(rendered(app.screen.query_one("#units", OptionList)))
        await pilot.press("enter", "6")
        await wait_for(pilot, lambda: app.live.phase is Phase.RUNNING)
        line = app.screen_stack[0].query_one("#unit-line", Static)
        await wait_for(pilot, lambda: "EM49" in str(line.render()))
        assert str(line.render()).startswith("EM49 [/dim]\ufffd]0;pwned\ufffd\ufffd  ·  ")
        session_id = app.live.session_id
    with Store.open(db_path) as store:
        saved = store.get(session_id)
    assert saved.unit is not None and saved.unit.name == "EM49 [/dim]\ufffd]0;pwned\ufffd\ufffd"


# -- forms ---------------------------------------------------------------------------------------
async def test_the_unit_form_refuses_a_direction_override_and_says_why(db_path: Path) -> None:
    app = app_for(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: len(app.screen.choices) > 0)
        await pilot.press("enter")  # "No connection — I'll press a key": asks for the unit
        assert isinstance(app.screen, UnitForm)
        app.screen.query_one("#name", Input).value = "fake\u202eexe.[/b]"
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, UnitForm)  # not accepted
        error = str(app.screen.query_one("#name-error", Static).render())
        assert error.startswith("the name contains a text-direction control character (U+202E)")
        app.screen.query_one("#name", Input).value = "   "
        await pilot.press("ctrl+s")
        assert str(app.screen.query_one("#name-error", Static).render()).startswith("the name is empty")


async def test_editing_a_session_with_an_old_hostile_name_shows_it_inert_and_keeps_the_unit(db_path: Path) -> None:
    store_names(db_path, ["old\x1b[31mname"])
    app = app_for(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2")
        await wait_for(pilot, lambda: app.screen.query(DataTable) and app.screen.query_one(DataTable).row_count)
        await pilot.press("e")
        assert isinstance(app.screen, EntryForm)
        assert app.screen.query_one("#unit", Input).value == "old\\x1b[31mname"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: not isinstance(app.screen, EntryForm))
    with Store.open(db_path) as store:
        [session] = store.sessions()
        assert session.unit is not None and session.unit.identity == "unit-0"  # the same unit
