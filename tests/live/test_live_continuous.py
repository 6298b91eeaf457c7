"""The live screen records every session of the chosen unit: switched on again, the unit starts
the next session without a key, and each session gets its own ratings."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import OptionList

from live.helpers import asking, text, wait_for
from tenslog.live.state import Phase
from tenslog.model import SessionState
from tenslog.settings import Settings
from tenslog.store import Store
from tenslog.ui.app import TenslogApp

# Two sessions of 30 simulated seconds (half a second each at 60x), a pause between them.
TWICE = {"seed": "5", "speed": "60", "sessions": "2", "session_minutes": "0.5",
         "idle_seconds": "1", "rate": "1"}


async def test_the_unit_switched_on_again_starts_the_next_session_without_a_key(db_path: Path) -> None:
    store = Store.open(db_path)
    app = TenslogApp(store=store, settings=Settings(db=db_path), driver="simulator",
                     driver_options=TWICE)
    try:
        async with app.run_test(size=(100, 30)) as pilot:
            units = app.screen.query_one("#units", OptionList)
            await wait_for(pilot, lambda: units.option_count > 1)
            await pilot.press("enter")
            await pilot.press("6")  # before the first session
            await wait_for(pilot, lambda: asking(app, "after"))
            first = app.live.session_id
            await pilot.press("3")
            assert "Pain after: 3" in text(app, "#result")
            assert app.live.phase is Phase.ENDED

            # No key: the unit came on again, and the rating before is asked for this session.
            await wait_for(pilot, lambda: asking(app, "before"))
            assert app.live.session_id not in (None, first)
            assert app.screen.subject == (
                "The unit was switched on again: a new session is being recorded.")
            await pilot.press("5")
            await wait_for(pilot, lambda: asking(app, "after"))
            await pilot.press("2")
            assert "Pain after: 2" in text(app, "#result")
    finally:
        store.close()

    with Store.open(db_path) as check:
        sessions = check.sessions(newest_first=False)
    assert [(s.before, s.after, s.state) for s in sessions] == [
        (6, 3, SessionState.COMPLETE), (5, 2, SessionState.COMPLETE)]
