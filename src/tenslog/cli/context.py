"""What every command shares: the settings, and the database it opens."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import click

from tenslog.settings import Settings, SettingsError, load_settings
from tenslog.store import Store, StoreError


@dataclass
class AppContext:
    settings: Settings
    driver: str | None = None
    driver_options: dict[str, str] = field(default_factory=dict)
    _store: Store | None = None


def settings_or_exit(**given: object) -> Settings:
    """The settings for a command; a value that cannot be used is a usage error naming it."""
    try:
        return load_settings(**given)
    except SettingsError as exc:
        raise click.UsageError(f"a setting cannot be used: {exc}") from None


def app_context(ctx: click.Context) -> AppContext:
    obj = ctx.find_object(AppContext)
    if obj is None:  # a command invoked on its own, e.g. from a test
        obj = AppContext(settings=settings_or_exit())
        ctx.obj = obj
    return obj


opened_db: Path | None = None  # for main(): damage met on a read names its file


def open_store(ctx: click.Context) -> Store:
    """The database named by --db, TENSLOG_DB or the default; errors become a clean exit."""
    app = app_context(ctx)
    if app._store is None:
        global opened_db
        opened_db = app.settings.db
        try:
            app._store = Store.open(app.settings.db)
        except StoreError as exc:
            raise click.ClickException(str(exc)) from None
        ctx.call_on_close(app._store.close)
        app._store.try_recover()
    return app._store


def db_path(ctx: click.Context) -> Path:
    return app_context(ctx).settings.db
