"""Starts the Textual dashboard; imported only when it is wanted (textual is slow to import)."""

from __future__ import annotations

import sys

import click

from tenslog.cli.context import AppContext
from tenslog.store import Store, StoreError
from tenslog.vocabulary import RatingMoment


def open_dashboard(app: AppContext, rate: tuple[int, RatingMoment | None] | None = None) -> None:
    """``rate``: open on that session's rating (tenslog --rate)."""
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        # Without a terminal the dashboard would wait for keys that never come and write
        # escape codes into a file.
        raise click.ClickException(
            "the dashboard needs a terminal, and this input or output is not one. "
            "In scripts use a command such as: tenslog list, tenslog add, tenslog record "
            "(see tenslog --help)."
        )
    try:
        store = Store.open(app.settings.db)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from None
    from tenslog.ui.app import TenslogApp

    try:
        TenslogApp(store=store, settings=app.settings, driver=app.driver, driver_options=app.driver_options,
                   rate=rate).run()
    finally:
        store.close()
