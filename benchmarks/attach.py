"""The dashboard attached to a recording service, in two processes (run by bench_attach):
    python -m benchmarks.attach writer DB SECONDS     a service-like writer (holds the claim)
    python -m benchmarks.attach dashboard DB SECONDS  the dashboard attached to it
The writer records one session through tenslog's Recorder as the service does: a heartbeat
every half second and an intensity change at random moments, each committed at once; it notes
the monotonic time (system-wide on Linux) just after each commit. The dashboard notes when its
feed read each new level; a bare reader in the same process polls ``PRAGMA data_version`` at
the same pace as the floor. Then, with the session over, the dashboard's CPU while attached
and idle, against a bare Textual app's in the same process."""

from __future__ import annotations

import asyncio
import json
import random
import sqlite3
import sys
import time
from pathlib import Path


def go_file(db: Path) -> Path:
    return Path(f"{db}.go")  # the dashboard is attached: the writer may begin


def done_file(db: Path) -> Path:
    return Path(f"{db}.done")  # the writer's session has ended


def run_writer(db: Path, seconds: float) -> None:
    from tenslog.clock import system_clock
    from tenslog.driver.events import (
        Connected,
        IntensityChanged,
        StimulationStarted,
        StimulationStopped,
        UnitInfo,
    )
    from tenslog.model import Capabilities, IntensityScale
    from tenslog.recorder import Recorder
    from tenslog.store import Store

    store = Store.open(db)
    store.acquire_recording(role="service")
    print("ready", flush=True)
    while not go_file(db).exists():
        time.sleep(0.01)
    clock = system_clock.now
    rec = Recorder(store, grace_seconds=120, clock=clock)
    scale = IntensityScale(kind="level", maximum=20)
    rec.handle(Connected(clock(), UnitInfo("bench", "bench-1", "Bench unit", scale,
                                           Capabilities(reports_on_off=True, reports_intensity=True))))
    rec.handle(StimulationStarted(clock(), 1.0))
    rng = random.Random(1)
    commits: list[tuple[float, float]] = []
    level, end = 1, time.monotonic() + seconds
    next_beat = time.monotonic() + 0.5
    while time.monotonic() < end:
        time.sleep(rng.uniform(0.05, 0.3))
        if time.monotonic() >= next_beat:  # the service's heartbeat: a commit the reader sees too
            rec.tick()
            next_beat += 0.5
        level = level % 20 + 1
        rec.handle(IntensityChanged(clock(), float(level)))
        rec.tick()  # commits the change (the service does so within half a second)
        commits.append((float(level), time.monotonic()))
    rec.handle(StimulationStopped(clock()))
    done_file(db).touch()
    sys.stdin.read()  # holds the claim (the service runs on) until told to go
    store.close()
    print(json.dumps(commits), flush=True)


async def _raw_reader(db: Path, noticed: list[tuple[float, float]], stop: asyncio.Event) -> None:
    """The floor: no app, the same polling, the same question."""
    from tenslog.live.attached import POLL_SECONDS

    conn = sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True)
    version = None
    while not stop.is_set():
        (now,) = conn.execute("PRAGMA data_version").fetchone()
        if now != version:
            version = now
            row = conn.execute("SELECT value FROM intensity ORDER BY at DESC, rowid DESC LIMIT 1").fetchone()
            if row is not None:
                noticed.append((float(row[0]), time.monotonic()))
        await asyncio.sleep(POLL_SECONDS)
    conn.close()


async def _cpu_over(pilot, seconds: float) -> float:  # type: ignore[no-untyped-def]
    cpu, wall = time.process_time(), time.perf_counter()
    await pilot.pause(seconds)
    return 100 * (time.process_time() - cpu) / (time.perf_counter() - wall)


async def run_dashboard(db: Path, seconds: float, smoke: bool) -> dict[str, object]:
    """``smoke``: only that every figure is produced (CI); the review's warm-up is not awaited."""
    from benchmarks.first_frame import bare_app
    from tenslog.settings import Settings
    from tenslog.store import Store
    from tenslog.ui import app as dashboard
    from tenslog.ui.app import TenslogApp

    if smoke:  # no review warm-up: its imports would outlast the smoke run's whole budget
        dashboard.WARM_UP_AFTER = 1e9
    bare = bare_app()
    async with bare.run_test(size=(80, 24)) as pilot:
        await pilot.pause(0 if smoke else 0.2)
        bare_cpu = await _cpu_over(pilot, seconds)

    app = TenslogApp(store=Store.open(db), settings=Settings(db=db))
    noticed: list[tuple[float, float]] = []
    raw: list[tuple[float, float]] = []
    async with app.run_test(size=(80, 24)) as pilot:
        while app.live.feed is None:
            await pilot.pause(0.02)
        feed = app.live.feed
        original = feed.read

        def read():  # type: ignore[no-untyped-def]
            seen = original()
            if seen.intensity is not None and (not noticed or noticed[-1][0] != seen.intensity):
                noticed.append((seen.intensity, time.monotonic()))
            return seen

        feed.read = read  # type: ignore[method-assign]
        stop = asyncio.Event()
        floor = asyncio.create_task(_raw_reader(db, raw, stop))
        go_file(db).touch()
        while not done_file(db).exists():
            await pilot.pause(0.05)
        await pilot.pause(0.3 if smoke else 1.0)  # the session's end is read; the screen settles
        stop.set()
        await floor
        # The dashboard imports the review's libraries in a thread after start-up, once: that is
        # start-up's cost (see bench_startup), not the cost of being attached.
        while not smoke and any(w.group == "warm-up" and not w.is_finished for w in app.workers):
            await pilot.pause(0.1)
        idle_cpu = await _cpu_over(pilot, seconds)
    return {"noticed": noticed, "raw": raw, "idle_cpu_percent": idle_cpu, "bare_cpu_percent": bare_cpu}


if __name__ == "__main__":
    which, db_arg, seconds_arg = sys.argv[1:4]
    if which == "writer":
        run_writer(Path(db_arg), float(seconds_arg))
    else:
        result = asyncio.run(run_dashboard(Path(db_arg), float(seconds_arg), "--smoke" in sys.argv))
        print(json.dumps(result))
