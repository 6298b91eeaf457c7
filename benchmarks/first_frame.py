"""Start an app in a fresh process, wait for its first frame, exit. Run by bench_startup:
    python -m benchmarks.first_frame bare|dashboard DB [driver] [seconds]
With seconds > 0 the app keeps running that long first (for CPU and memory during a session)."""

from __future__ import annotations

import sys
from pathlib import Path


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
    from tenslog.settings import Settings
    from tenslog.store import Store
    from tenslog.ui.app import TenslogApp

    options = {"rate": "50", "idle_seconds": "0", "session_minutes": "60"} if driver == "simulator" else {}
    return TenslogApp(store=Store.open(db), settings=Settings(db=Path(db)), driver=driver, driver_options=options)


def main() -> None:
    which, db = sys.argv[1], sys.argv[2]
    driver = sys.argv[3] if len(sys.argv) > 3 and sys.argv[3] != "-" else None
    seconds = float(sys.argv[4]) if len(sys.argv) > 4 else 0.0
    app = bare_app() if which == "bare" else dashboard(db, driver)

    async def first_frame_then_exit(pilot) -> None:  # type: ignore[no-untyped-def]
        await pilot.pause()
        if seconds:
            await pilot.pause(seconds)
        pilot.app.exit()

    app.run(headless=True, size=(80, 24), auto_pilot=first_frame_then_exit)


if __name__ == "__main__":
    main()
