"""Still pictures of every screen at 80x24 and 160x48, in dark and light, with time frozen
and fixed data. Update after a deliberate change: pytest tests/ui --snapshot-update."""

from __future__ import annotations

import pytest
from textual.pilot import Pilot
from textual.widgets import Input
from ui_helpers import SteadyDriver, wait_for

from tenslog.live.state import Phase

# Dark at both sizes, light at the small one (layout does not depend on the theme).
LOOKS = [
    pytest.param("textual-dark", (80, 24), id="dark-80x24"),
    pytest.param("textual-dark", (160, 48), id="dark-160x48"),
    pytest.param("textual-light", (80, 24), id="light-80x24"),
]


def steady_app(make_app, theme: str):  # type: ignore[no-untyped-def]
    app = make_app("steady")
    app.live.driver = SteadyDriver()  # a test unit instead of an installed driver
    app.theme = theme
    return app


async def start_steady_session(pilot: Pilot) -> None:
    app = pilot.app
    await wait_for(pilot, lambda: len(app.screen.choices) > 0)
    await pilot.press("enter", "6")
    await wait_for(pilot, lambda: app.live.phase is Phase.RUNNING and len(app.live.history) > 0)
    # Time is frozen, so no further sample comes: put a fixed recent history in its place.
    app.live.history.clear()
    app.live.history.extend([6, 6, 7, 7, 8, 8, 8, 8, 9, 9, 8, 8] * 3)
    await pilot.pause(0.2)


@pytest.mark.parametrize(("theme", "size"), LOOKS)
def test_live_running(snap_compare, make_app, seeded, frozen, size, theme) -> None:
    assert snap_compare(
        steady_app(make_app, theme), terminal_size=size, run_before=start_steady_session
    )


def test_live_chooser(snap_compare, make_app, seeded, frozen) -> None:
    async def discovered(pilot: Pilot) -> None:
        await wait_for(pilot, lambda: len(pilot.app.screen.choices) > 0)

    assert snap_compare(steady_app(make_app, "textual-dark"), run_before=discovered)


def test_live_rating_before(snap_compare, make_app, seeded, frozen) -> None:
    async def choose(pilot: Pilot) -> None:
        await wait_for(pilot, lambda: len(pilot.app.screen.choices) > 0)
        await pilot.press("enter")

    assert snap_compare(steady_app(make_app, "textual-dark"), run_before=choose)


@pytest.mark.parametrize(("theme", "size"), LOOKS)
def test_log(snap_compare, make_app, seeded, frozen, size, theme) -> None:
    app = make_app()
    app.theme = theme
    assert snap_compare(app, press=["2", "down"], terminal_size=size)


def test_entry_form_with_errors(snap_compare, make_app, seeded, frozen) -> None:
    async def invalid(pilot: Pilot) -> None:
        await pilot.press("2", "n")
        for name, value in {
            "start": "2026-11-20 14:00",
            "duration": "13:30",
            "intensity": "25",
            "before": "6",
            "after": "11",
        }.items():
            pilot.app.screen.query_one(f"#{name}", Input).value = value
        await pilot.click("#save")

    assert snap_compare(make_app(), run_before=invalid)


@pytest.mark.parametrize(("theme", "size"), LOOKS)
def test_review(snap_compare, make_app, seeded, frozen, size, theme) -> None:
    app = make_app()
    app.theme = theme
    assert snap_compare(app, press=["3"], terminal_size=size)


def test_help(snap_compare, make_app, seeded, frozen) -> None:
    assert snap_compare(make_app(), press=["question_mark"])
