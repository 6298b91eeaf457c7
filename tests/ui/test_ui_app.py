"""The app as a whole: modes by one key, help, the command palette, filters, lazy start."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC

from textual.widgets import Static
from ui_helpers import wait_for

from tenslog.store import Store
from tenslog.ui.screens.entry_form import EntryForm
from tenslog.ui.screens.help import HelpScreen
from tenslog.ui.screens.log import LogScreen
from tenslog.ui.screens.review import ReviewScreen


async def test_one_key_per_mode_and_help(make_app, seeded: Store, frozen) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2")
        assert isinstance(app.screen, LogScreen)
        await pilot.press("3")
        assert isinstance(app.screen, ReviewScreen)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape", "1")
        assert app.current_mode == "live"


async def test_command_palette_lists_and_runs_the_actions(make_app, seeded: Store, frozen) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+p", *"rest period")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, EntryForm))
        assert "rest period" in str(app.screen.query_one("#form-title", Static).render())


async def test_review_filters_cycle_and_summary_speaks_plainly(
    make_app, seeded: Store, frozen
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("3")

        def filters() -> str:
            return str(app.screen.query_one("#filters", Static).render())

        async def summary() -> str:  # the answer first, then the figures behind it
            await app.workers.wait_for_complete()  # the review works it out in a thread
            await pilot.pause()
            return "\n".join(
                str(app.screen.query_one(f"#{name}", Static).render()) for name in ("answer", "summary")
            )

        assert "last 30 days" in filters()
        assert "Over 6 rated TENS sessions" in await summary()
        await pilot.press("d")
        assert "last 90 days" in filters()
        await pilot.press("d", "d")
        assert "last 7 days" in filters()
        assert "Not enough" in await summary()  # 3 rated TENS sessions in the last week
        await pilot.press("k")
        assert "TENS only" in filters()
        await pilot.press("u")
        assert "Beurer EM49" in filters()


def test_start_does_not_import_plotting_or_statistics() -> None:
    code = (
        "import sys, tenslog.ui.app\n"
        "heavy = [m for m in ('textual_plotext', 'plotext', 'scipy', 'numpy', 'tenslog.analysis') if m in sys.modules]\n"
        "print(heavy)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


async def test_years_of_history_chart_middle_values_not_thousands_of_dots(make_app, store: Store) -> None:
    """Two years of sessions: the review draws two lines of weekly middle values, named."""
    from datetime import datetime, timedelta

    from tenslog.model import Session

    first = datetime.now(UTC).replace(microsecond=0) - timedelta(days=730)
    store.add_sessions(
        Session(start=first + timedelta(days=d), end=first + timedelta(days=d, minutes=30),
                ratings=[{"moment": "before", "value": 6, "at": first + timedelta(days=d)},
                         {"moment": "after", "value": 3, "at": first + timedelta(days=d, minutes=30)}])
        for d in range(0, 730, 1)
    )
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("3")
        while app.screen.filter.days is not None:
            await pilot.press("d")
        await app.workers.wait_for_complete()  # the review works its summary out in a thread
        await pilot.pause()
        screen = app.export_screenshot().replace("&#160;", " ")
        assert "middle value per" in screen and "before" in screen and "after" in screen
