"""Open the review screen on a database and time it (run by bench_history):
    python -m benchmarks.review_open DB [--smoke] [--at-once | --cold]
Prints JSON: ms from the key "3" to the last frame of the review's first opening (default
range), and the median ms from "d" to the last frame showing all time (ROUNDS times: one
switch alone is at the mercy of a noisy machine; --smoke: once, after a short pause). All time
is worked out ahead once a shorter range is shown, and kept until the data changes: the first
of these switches is also given on its own (all_time_first_ms). --cold (on a copy of DB): the
review opened, then a change committed through another connection (as `tenslog` in another
terminal would), then "a": all time read and worked out while the person waits
(all_time_cold_ms).
The key "3" comes 3 s after the first frame (the review's libraries have loaded in the
background by then) or, with --at-once, right after it. The summary is worked out in a thread:
the settled screen is the last frame after the thread's result was shown. A frame is what Textual hands its driver
(headless: nothing is written), so this is what a person waits for."""

from __future__ import annotations

import asyncio
import json
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROUNDS = 5
SETTLE_SECONDS = 0.8  # the review has no timers: frames after a key come from that key


def main() -> None:
    from benchmarks.first_frame import watch_frames
    from tenslog.settings import Settings
    from tenslog.store import Store
    from tenslog.ui.app import TenslogApp
    from tenslog.ui.screens.review import ReviewScreen

    db = Path(sys.argv[1])
    smoke, at_once, cold = ("--smoke" in sys.argv[2:], "--at-once" in sys.argv[2:], "--cold" in sys.argv[2:])
    copy = tempfile.TemporaryDirectory() if cold else None
    if copy is not None:  # it writes: a copy (the cached histories are for readers only)
        db = Path(shutil.copy2(db, Path(copy.name) / db.name))
    rounds, before_key = (1, 0.3) if smoke else (ROUNDS, 3.0)
    before_key = 0.0 if at_once else before_key
    app = TenslogApp(store=Store.open(db), settings=Settings(db=db))
    timings: dict[str, float] = {}
    frames: list[float] = []  # when Textual handed a screen to its driver
    reloaded: list[float] = []  # when the review finished reading and summarising

    show = ReviewScreen._show

    def note_shown(self, chosen, *args) -> None:  # type: ignore[no-untyped-def]
        show(self, chosen, *args)
        if not cold or chosen.days is None:  # cold: the range "3" opens on is not waited for
            reloaded.append(time.perf_counter())

    watch_frames(app, lambda: frames.append(time.perf_counter()))
    ReviewScreen._show = note_shown  # type: ignore[method-assign]

    async def shown_after(pilot, key: str) -> float:  # type: ignore[no-untyped-def]
        """ms from the key to the last frame it caused: the screen as it settles. (Not
        pilot.pause(): that paints one more frame itself, at the end of an idle wait.)"""
        reloaded.clear()
        started = time.perf_counter()
        await pilot.press(key)
        await asyncio.sleep(SETTLE_SECONDS)
        for _ in range(600):  # a slow summary (fifty years, a loaded machine): wait for it
            if reloaded and any(t >= reloaded[-1] for t in frames):
                break
            await asyncio.sleep(0.1)
        assert reloaded, "the review did not reload"
        return (max(t for t in frames if t >= reloaded[-1]) - started) * 1000

    async def review(pilot) -> None:  # type: ignore[no-untyped-def]
        await pilot.pause(before_key)  # 3 s: the usual; 0: pressed at once
        if cold:
            await pilot.press("3")
            await asyncio.sleep(SETTLE_SECONDS)
            await app.workers.wait_for_complete()  # all time worked out ahead and kept
            with sqlite3.connect(db) as other:  # ... until this commit
                other.execute("UPDATE sessions SET note = 'benchmark' WHERE id = (SELECT min(id) FROM sessions)")
            other.close()
            timings["all_time_cold_ms"] = await shown_after(pilot, "a")
            app.exit()
            return
        timings["open_ms"] = await shown_after(pilot, "3")
        all_time = []
        for _ in range(rounds):  # the ranges cycle: around again to "all time", timed each time
            while app.screen.filter.next_range().days is not None:  # the step before "all time"
                await pilot.press("d")
            await pilot.pause()
            all_time.append(await shown_after(pilot, "d"))
            assert app.screen.filter.days is None
        timings["all_time_ms"] = statistics.median(all_time)
        timings["all_time_first_ms"] = all_time[0]
        app.exit()

    app.run(headless=True, size=(80, 24), auto_pilot=review)
    if copy is not None:
        app.store.close()
        copy.cleanup()
    print(json.dumps(timings))


if __name__ == "__main__":
    main()
