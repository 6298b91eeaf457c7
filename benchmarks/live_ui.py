"""The dashboard during a session, measured from inside its own process (run by bench_live_ui):
    python -m benchmarks.live_ui dashboard|bare SECONDS
The simulator sends 50 notifications a second and, the worst case, every one changes the
intensity. For each notification we note when it was emitted and when the screen had been
refreshed after the next redraw that read it; CPU is this process's time over the window."""

from __future__ import annotations

import bisect
import json
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

RATE = 50.0


class ChangingEveryFrame:
    """A simulator plan in which the level changes with every frame (duck-typed Plan)."""

    def __init__(self, seconds: float) -> None:
        self.duration = seconds + 5
        self.vanish_at = None
        self.sessions = (None,)
        self.link_losses = ()

    def state_at(self, t: float) -> tuple[bool, int]:
        return (True, 1 + round(t * RATE) % 20) if t >= 0.2 else (False, 0)

    def link_loss_at(self, t: float) -> None:
        return None


async def cpu_percent_over(pilot, seconds: float) -> float:  # type: ignore[no-untyped-def]
    """This process's CPU time while the app runs on for ``seconds``, as % of one core."""
    cpu, wall = time.process_time(), time.perf_counter()
    await pilot.pause(seconds)
    return 100 * (time.process_time() - cpu) / (time.perf_counter() - wall)


def run_dashboard(seconds: float) -> dict[str, float]:
    from tenslog.driver.events import IntensityChanged
    from tenslog.settings import Settings
    from tenslog.store import Store
    from tenslog.ui.app import TenslogApp
    from tenslog.ui.screens.live import LiveScreen
    from tenslog_simulator.driver import SimulatorDriver

    emitted: list[float] = []
    redraws: list[float] = []
    shown: dict[int, float] = {}

    original_init = SimulatorDriver.__init__
    original_events = SimulatorDriver.events
    original_redraw = LiveScreen.redraw

    def init(self, **options: str) -> None:  # type: ignore[no-untyped-def]
        original_init(self, **options)
        self.plan = ChangingEveryFrame(seconds)

    async def events(self, identity=None):  # type: ignore[no-untyped-def]
        async for event in original_events(self, identity):
            if isinstance(event, IntensityChanged):
                emitted.append(time.perf_counter())
            yield event

    def redraw(self) -> None:  # type: ignore[no-untyped-def]
        original_redraw(self)
        index = len(redraws)
        redraws.append(time.perf_counter())
        self.call_after_refresh(lambda: shown.setdefault(index, time.perf_counter()))

    SimulatorDriver.__init__ = init  # type: ignore[method-assign]
    SimulatorDriver.events = events  # type: ignore[method-assign]
    LiveScreen.redraw = redraw  # type: ignore[method-assign]

    db = Path(tempfile.mkdtemp()) / "live.db"
    options = {"rate": str(RATE), "idle_seconds": "0"}
    app = TenslogApp(store=Store.open(db), settings=Settings(db=db), driver="simulator", driver_options=options)
    window: dict[str, float] = {}

    async def until(pilot, condition, what: str) -> None:  # type: ignore[no-untyped-def]
        """Wait for what the screen or the driver shows, not for a fixed time (10 s at most)."""
        for _ in range(200):
            if condition():
                return
            await pilot.pause(0.05)
        raise SystemExit(f"gave up waiting: {what}")

    async def session(pilot) -> None:  # type: ignore[no-untyped-def]
        await until(pilot, lambda: getattr(app.screen, "choices", None), "discovery lists the simulated unit")
        await pilot.pause(0.1)  # the list takes the focus
        await pilot.press("enter")  # choose it
        await until(pilot, lambda: type(app.screen).__name__ == "RatingScreen", "the pain-before question")
        await pilot.press("5")  # pain before: the session starts
        await until(pilot, lambda: emitted, "the unit streams")
        count = len(redraws)
        await until(pilot, lambda: len(redraws) > count + 5, "the session screen redraws")
        window["cpu_percent"] = await cpu_percent_over(pilot, seconds)
        app.exit()

    app.run(headless=True, size=(80, 24), auto_pilot=session)
    delays = []
    for at in emitted:
        j = bisect.bisect_left(redraws, at)
        if j < len(redraws) and j in shown:
            delays.append((shown[j] - at) * 1000)
    delays.sort()
    if len(delays) < min(RATE * seconds / 2, 10):
        raise SystemExit(f"only {len(delays)} notifications reached the screen: is the session running?")
    return {
        "cpu_percent": window["cpu_percent"],
        "p50_ms": statistics.median(delays),
        "p99_ms": delays[int(len(delays) * 0.99) - 1],
        "samples": float(len(delays)),
        "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def run_bare(seconds: float) -> dict[str, float]:
    """The baseline: a Textual app repainting a widget at the same rate (50 a second)."""
    from textual.app import App, ComposeResult
    from textual.widgets import Static

    class Repainting(App[None]):
        def compose(self) -> ComposeResult:
            yield Static("level 0", id="level")

        def on_mount(self) -> None:
            self.ticks = 0
            self.set_interval(1 / RATE, self.tick)

        def tick(self) -> None:
            self.ticks += 1
            self.query_one("#level", Static).update(f"level {1 + self.ticks % 20}")

    app = Repainting()
    window: dict[str, float] = {}

    async def repaint(pilot) -> None:  # type: ignore[no-untyped-def]
        await pilot.pause(min(1.0, seconds))
        window["cpu_percent"] = await cpu_percent_over(pilot, seconds)
        app.exit()

    app.run(headless=True, size=(80, 24), auto_pilot=repaint)
    return {"cpu_percent": window["cpu_percent"],
            "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


if __name__ == "__main__":
    which, seconds = sys.argv[1], float(sys.argv[2])
    print(json.dumps(run_dashboard(seconds) if which == "dashboard" else run_bare(seconds)))
