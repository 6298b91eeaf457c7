"""The dashboard while the tenslog service records: it does not open the unit, it shows the
service's session from the database and asks the ratings before and after as usual."""

from __future__ import annotations

import os
from pathlib import Path

from textual.widgets import Digits, OptionList

from live.helpers import asking, latest_level, service_task, stopped, text, wait_for
from tenslog.live.state import Phase
from tenslog.model import SessionState
from tenslog.settings import Settings
from tenslog.store import Store
from tenslog.ui.app import TenslogApp

# One session of 15 simulated seconds, a second and a half of real time, soon after the start.
QUICK = {"seed": "3", "speed": "10", "session_minutes": "0.25", "idle_seconds": "0.1", "rate": "2"}


async def test_the_dashboard_shows_the_service_session_and_asks_both_ratings(db_path: Path) -> None:
    service_store = Store.open(db_path)
    service_store.acquire_recording(role="service")
    store = Store.open(db_path)
    app = TenslogApp(store=store, settings=Settings(db=db_path))
    service = None
    try:
        async with app.run_test(size=(100, 30)) as pilot:
            await wait_for(pilot, lambda: asking(app, "before"))
            assert app.live.phase is Phase.WAITING
            assert text(app, "#unit-line") == (
                f"recorded by the tenslog service (pid {os.getpid()})  ·  waiting for the unit…")
            await pilot.press("6")

            service = service_task(service_store, **QUICK)
            await wait_for(pilot, lambda: app.live.phase is Phase.RUNNING)
            sid = app.live.session_id
            assert sid is not None
            shown = (f"Simulated TENS unit, recorded by the tenslog service (pid {os.getpid()})"
                     "  ·  ● connected")
            await wait_for(pilot, lambda: text(app, "#unit-line") == shown)
            digits = app.screen_stack[0].query_one("#intensity", Digits)
            # The big number is the level the service last wrote, whatever it is by now.
            await wait_for(pilot, lambda: digits.value.strip() == f"{latest_level(db_path, sid):g}")
            assert text(app, "#intensity-label") == "level, of 20"
            assert "Pain before: 6" in text(app, "#status")

            await wait_for(pilot, lambda: asking(app, "after"))  # the unit stopped by itself
            await stopped(service)  # before the simulator's next session: one at a time here
            await pilot.press("3")
            # The dashboard never opened the unit, nor claimed the file.
            assert app.live.recorder is None and app.live.driver is None
            assert not store.is_recording_holder

            service_store.release_recording()  # the service is gone: the screen says so
            gone = "The tenslog service stopped; choose your unit to record here (n)."
            await wait_for(pilot, lambda: text(app, "#live-problem") == gone)
            assert app.live.phase is Phase.FAILED
    finally:
        if service is not None:
            await stopped(service)
        service_store.close()
        store.close()

    with Store.open(db_path) as check:
        first = check.get(sid)
    assert (first.before, first.after, first.state) == (6, 3, SessionState.COMPLETE)
    assert first.source == "simulator"


async def test_choosing_a_unit_the_service_holds_names_its_pid_and_follows_it(db_path: Path) -> None:
    store = Store.open(db_path)
    app = TenslogApp(store=store, settings=Settings(db=db_path), driver="simulator",
                     driver_options=QUICK)
    service_store = Store.open(db_path)
    try:
        async with app.run_test(size=(100, 30)) as pilot:
            units = app.screen.query_one("#units", OptionList)
            await wait_for(pilot, lambda: units.option_count > 1)
            service_store.acquire_recording(role="service")  # started while the chooser was up
            await pilot.press("enter")
            assert text(app, "#chooser-problem") == (
                f"another tenslog is already recording into {db_path}: the tenslog service "
                f"(pid {os.getpid()}); stop it with `systemctl --user stop tenslog.service` (or "
                "Ctrl+C where it runs); its sessions are in the dashboard and in `tenslog list`.")
            # Instead of the unit, the screen follows the service and asks the rating before.
            assert asking(app, "before")
            assert app.live.feed is not None and app.live.recorder is None
            await pilot.press("escape")
            assert app.live.phase is Phase.WAITING
    finally:
        service_store.close()
        store.close()
    with Store.open(db_path) as check:
        assert check.sessions() == []
