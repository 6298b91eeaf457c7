"""Shared by the live-screen tests here: the real app on a real database file, and the service's
runner in this process with the simulator (its recording claim names this process)."""

from __future__ import annotations

import asyncio
import io
import sqlite3
from collections.abc import Callable
from contextlib import suppress
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Static

from tenslog.service.journal import Journal
from tenslog.service.runner import Watch, run_service
from tenslog.store import Store
from tenslog.ui.app import TenslogApp
from tenslog.ui.screens.rating import RatingScreen
from tenslog_simulator.driver import SimulatorDriver


async def wait_for(pilot: Pilot, condition: Callable[[], bool], limit: float = 10.0) -> None:
    """Let the app run until ``condition`` holds; the limit only stops a hung test."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + limit
    while not condition():
        assert loop.time() < deadline, "the app never reached the expected state"
        await pilot.pause(0.02)


def asking(app: TenslogApp, moment: str) -> bool:
    return isinstance(app.screen, RatingScreen) and app.screen.moment == moment


def text(app: TenslogApp, selector: str) -> str:
    return str(app.screen_stack[0].query_one(selector, Static).render())


def latest_level(db: Path, session_id: int) -> float | None:
    """The last intensity the writer committed for the session, read as another process would."""
    conn = sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True)
    try:
        row = conn.execute("SELECT value FROM intensity WHERE session_id = ? ORDER BY at DESC, "
                           "rowid DESC LIMIT 1", (session_id,)).fetchone()
    finally:
        conn.close()
    return None if row is None else float(row[0])


def service_task(store: Store, **options: str) -> asyncio.Task[None]:
    """`tenslog service --driver simulator` in this process, on a store that holds the claim."""
    watch = Watch("simulator", None, dict(options))
    journal = Journal(io.StringIO(), io.StringIO())
    # The driver built directly: the entry-point lookup is the service's start-up, not under test.
    return asyncio.create_task(run_service(store, [watch], journal, grace_seconds=60.0,
                                           make_driver=lambda w: SimulatorDriver(**w.options)))


async def stopped(task: asyncio.Task[None]) -> None:
    task.cancel()
    with suppress(asyncio.CancelledError):
        await task
