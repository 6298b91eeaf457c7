"""The unit list is usable before the drivers have finished looking (Bluetooth discovery takes
seconds): "No connection" can be taken at once, and what the drivers find joins the list
later without moving the choice under the person's finger."""

from __future__ import annotations

import asyncio

import pytest
from textual.widgets import OptionList
from ui_helpers import wait_for

from tenslog.live import controller
from tenslog.store import Store
from tenslog.ui.screens.unit_form import UnitForm


async def test_no_connection_can_be_taken_while_the_drivers_still_look(
    make_app, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    still_looking = asyncio.Event()

    async def slow_discovery(timeout: float):  # drivers that have not answered yet
        await still_looking.wait()
        return [], None

    monkeypatch.setattr(controller, "found_everywhere", slow_discovery)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        units = app.screen.query_one("#units", OptionList)
        await wait_for(pilot, lambda: units.option_count == 2)
        prompts = [str(units.get_option_at_index(i).prompt) for i in range(units.option_count)]
        assert prompts[0].startswith("No connection") and prompts[1] == "Looking for units…"
        assert units.highlighted == 0 and units.has_focus
        still_looking.set()  # the drivers answer: nothing found; the list keeps the choice
        await wait_for(pilot, lambda: units.option_count == 1)
        assert units.highlighted == 0
        await pilot.press("enter")  # "No connection — I'll press a key": it asks for the unit
        await wait_for(pilot, lambda: isinstance(app.screen, UnitForm))
