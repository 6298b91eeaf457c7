"""``tenslog demo``: the dashboard with the simulated unit playing one whole session in about a
minute, recorded into a demo database of its own, never the person's diary."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import click
from platformdirs import user_data_path

from tenslog.cli.context import AppContext, app_context

# One session of 72 s in real time (just over the minimum that counts), after 3 s switched off.
DEMO_OPTIONS = {"session_minutes": "1.2", "idle_seconds": "3", "speed": "1", "seed": "7"}


def demo_db() -> Path:
    """The demo's own database: a folder named demo in tenslog's data folder."""
    return user_data_path("tenslog", appauthor=False) / "demo" / "tenslog-demo.db"


def demo_context(diary: AppContext) -> AppContext:
    """What the demo runs with: the simulator, one short session, the demo database."""
    db = demo_db()
    if db.resolve() == diary.settings.db.resolve():
        raise click.UsageError(f"your diary is {db}, the demo's own file: move it or use --db")
    return AppContext(settings=replace(diary.settings, db=db), driver="simulator",
                      driver_options=dict(DEMO_OPTIONS))


@click.command("demo")
@click.pass_context
def demo_command(ctx: click.Context) -> None:
    """Try the dashboard: a simulated unit plays one session of about a minute, rated before
    and after, into a demo database (your diary is never touched). Press q to stop (during the
    session, y confirms); Ctrl+Q always quits."""
    demo = demo_context(app_context(ctx))
    from tenslog.cli.dashboard import open_dashboard

    open_dashboard(demo)
    click.echo(f"The demo's sessions are in {demo.settings.db} (not your diary); delete it when done.")
