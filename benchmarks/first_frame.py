"""Start an app in a fresh process, wait for its first frame, exit. Run by bench_startup:
    python -m benchmarks.first_frame bare|dashboard DB [driver] [seconds]
With seconds > 0 the app keeps running that long first (for CPU and memory during a session).

The first frame is the moment Textual hands the first full screen to its driver (App._display;
headless, nothing is written). With BENCH_SPAWNED_AT set to the parent's time.monotonic() just
before it started this process (CLOCK_MONOTONIC is system-wide), the child prints
``first_frame_ms=<ms since spawn>``: what a person waits for, without the exit that follows."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

SPAWNED_AT = os.environ.get("BENCH_SPAWNED_AT")


def bare_app():  # type: ignore[no-untyped-def]
    from textual.app import App, ComposeResult
    from textual.widgets import Footer, Header, Static

    class Bare(App[None]):
        def compose(self) -> ComposeResult:
            yield Header()
            yield Static("hello")
            yield Footer()

    return Bare()


def dashboard(db: str, driver: str | None):  # type: ignore[no-untyped-def]
    # As `tenslog` builds it (cli.main + cli.dashboard), minus click.
    from tenslog.settings import load_settings
    from tenslog.store import Store
    from tenslog.ui.app import TenslogApp

    options = {"rate": "50", "idle_seconds": "0", "session_minutes": "60"} if driver == "simulator" else {}
    settings = load_settings(db=Path(db))
    return TenslogApp(store=Store.open(settings.db), settings=settings, driver=driver, driver_options=options)


def watch_frames(app, on_frame: Callable[[], None]) -> None:  # type: ignore[no-untyped-def]
    """Call ``on_frame`` whenever Textual hands the driver a screen update (a frame)."""
    display = app._display

    def noted(screen, renderable) -> None:  # type: ignore[no-untyped-def]
        if renderable is not None:
            on_frame()
        display(screen, renderable)

    app._display = noted


def note_first_frame(app) -> None:  # type: ignore[no-untyped-def]
    printed = []

    def first() -> None:
        if not printed and SPAWNED_AT is not None:
            printed.append(True)
            print(f"first_frame_ms={(time.monotonic() - float(SPAWNED_AT)) * 1000:.3f}", flush=True)

    watch_frames(app, first)


def main() -> None:
    which, db = sys.argv[1], sys.argv[2]
    driver = sys.argv[3] if len(sys.argv) > 3 and sys.argv[3] != "-" else None
    seconds = float(sys.argv[4]) if len(sys.argv) > 4 else 0.0
    app = bare_app() if which == "bare" else dashboard(db, driver)
    note_first_frame(app)

    async def first_frame_then_exit(pilot) -> None:  # type: ignore[no-untyped-def]
        await pilot.pause()
        if seconds:
            await pilot.pause(seconds)
        pilot.app.exit()

    app.run(headless=True, size=(80, 24), auto_pilot=first_frame_then_exit)


if __name__ == "__main__":
    main()
