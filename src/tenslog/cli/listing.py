"""``tenslog list``: the newest sessions as a table. Its own module, apart from `add` and
`rate`, so that listing loads neither pydantic nor the session models: it reads lean rows
(store.queries.ListedSession) and prints them."""

from __future__ import annotations

import os
import sys

import click

from tenslog.cli.context import app_context, open_store
from tenslog.vocabulary import SessionKind


@click.command("list")
@click.option("--limit", type=click.IntRange(1, None), default=20, show_default=True)
@click.option("--kind", type=click.Choice(["tens", "rest"]))
@click.pass_context
def list_command(ctx: click.Context, limit: int, kind: str | None) -> None:
    """Show recent sessions, newest first."""
    store = open_store(ctx)
    sessions = store.listed(limit=limit, kind=SessionKind(kind) if kind else None)
    if not sessions:
        click.echo(f"No sessions yet in {store.path}. Add one with: tenslog add --duration 30 --before 6 --after 4")
        return
    min_seconds = app_context(ctx).settings.min_session_seconds
    # A session under the minimum is marked: it counts in no analysis (delete it if unwanted).
    # Written as rich would print the table, without importing rich's console: that import
    # and rich's layout were about half of the listing's time (see cli/table_text.py).
    from tenslog.cli.table_text import table_text

    text = table_text(sessions, min_seconds)
    if text is None:  # a terminal table_text leaves to rich (not UTF-8, FORCE_COLOR, ...)
        from rich.console import Console

        from tenslog.cli.table import sessions_table

        # Nothing in the table is markup or emoji codes (stored text is a Text already).
        console = Console(markup=False, emoji=False)
        console.print(sessions_table(sessions, min_seconds, console.width))
        return
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:  # `tenslog list | head`: as rich's Console.print does, quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        raise SystemExit(1) from None
