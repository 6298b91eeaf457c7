"""A dashboard's live session attached to a real `tenslog service` process: it sees the
session the service records (from another process's commits), the unit's level, and the
service stopping."""

from __future__ import annotations

import asyncio
from pathlib import Path

from support.service_proc import QUICK_SIMULATOR, Lines, start, stop
from tenslog.live.controller import LiveController
from tenslog.live.state import Ended, Finished, LiveEvent, Started
from tenslog.model import SessionState
from tenslog.settings import Settings
from tenslog.store import Store


async def test_the_live_session_follows_a_service_process_session(db_path: Path) -> None:
    service = start(db_path, *QUICK_SIMULATOR)
    try:
        Lines(service.stdout).wait_for("recording into")
        with Store.open(db_path) as store:
            live = LiveController(store, Settings(db=db_path), None, {})
            holder = live.service()
            assert holder is not None and (holder.pid, holder.role) == (service.pid, "service")
            live.attach(holder)
            already = live.session_id  # the unit may have come on before we looked
            live.rate_before(7)
            news: list[LiveEvent] = []
            levels: set[float | None] = set()
            worker = asyncio.create_task(live.run(news.append))
            async with asyncio.timeout(30):
                while not any(isinstance(e, Ended) for e in news):
                    levels.add(live.state().intensity)
                    await asyncio.sleep(0.05)
            # Up to the end of that session (the service starts the simulator's next run soon).
            told = news[:next(i for i, e in enumerate(news) if isinstance(e, Ended)) + 1]
            if already is None:
                started = told.pop(0)
                assert isinstance(started, Started)
                already = started.session_id
            assert told == [Ended(already, SessionState.COMPLETE)]
            assert 1.0 in levels  # the simulator's level for seed 1, read from the service's writes
            live.rate_after(2, already)
            assert stop(service) == 0  # the service goes: the screen is told
            async with asyncio.timeout(10):
                await worker
            assert news[-1] == Finished("The tenslog service stopped; choose your unit to record here (n).")
            saved = store.get(already)
            assert (saved.before, saved.after, saved.source) == (7, 2, "simulator")
            assert not store.is_recording_holder  # it never claimed the file
    finally:
        if service.poll() is None:
            service.kill()
            service.wait()
