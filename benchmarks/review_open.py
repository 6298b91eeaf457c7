"""Open the review screen on a database and time it (run by bench_history):
    python -m benchmarks.review_open DB
Prints JSON: ms to show the review (default range) and ms to switch it to all time."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path


def main() -> None:
    from tenslog.settings import Settings
    from tenslog.store import Store
    from tenslog.ui.app import TenslogApp

    db = Path(sys.argv[1])
    app = TenslogApp(store=Store.open(db), settings=Settings(db=db))
    timings: dict[str, float] = {}

    async def review(pilot) -> None:  # type: ignore[no-untyped-def]
        await pilot.pause(3.0)  # a person takes longer than this to reach for "3"
        started = time.perf_counter()
        await pilot.press("3")
        await pilot.pause()
        timings["open_ms"] = (time.perf_counter() - started) * 1000
        while app.screen.filter.next_range().days is not None:  # up to the step before "all time"
            await pilot.press("d")
        await pilot.pause()
        started = time.perf_counter()
        await pilot.press("d")
        await pilot.pause()
        assert app.screen.filter.days is None
        timings["all_time_ms"] = (time.perf_counter() - started) * 1000
        app.exit()

    app.run(headless=True, size=(80, 24), auto_pilot=review)
    print(json.dumps(timings))


if __name__ == "__main__":
    main()
