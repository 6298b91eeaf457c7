"""Starts the Textual dashboard; imported only when it is wanted (textual is slow to import)."""

from __future__ import annotations

import click

from tenslog.cli.context import AppContext
from tenslog.store import Store, StoreError


def open_dashboard(app: AppContext) -> None:
    try:
        store = Store.open(app.settings.db)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from None
    from tenslog.ui.app import TenslogApp

    try:
        TenslogApp(store=store, settings=app.settings, driver=app.driver, driver_options=app.driver_options).run()
    finally:
        store.close()
