"""``tenslog list``: the newest sessions as a table. Its own module, apart from `add` and
`rate`, so that listing loads neither pydantic nor the session models: it reads lean rows
(store.queries.ListedSession) and prints them."""

from __future__ import annotations

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
    from rich.console import Console

    from tenslog.cli.table import sessions_table

    # A session under the minimum is marked: it counts in no analysis (delete it if unwanted).
    # Nothing in the table is markup or emoji codes (stored text is a Text already): parsing
    # every cell for them was a fifth of the listing's time.
    Console(markup=False, emoji=False).print(sessions_table(sessions, app_context(ctx).settings.min_session_seconds))
