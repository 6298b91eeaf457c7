"""``tenslog service``: record from every known unit in the background until stopped, and
``install`` / ``uninstall`` its systemd user unit."""

from __future__ import annotations

import asyncio
import signal
from collections.abc import Callable
from contextlib import suppress
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from tenslog.cli.context import app_context, open_store
from tenslog.service.runner import Watch
from tenslog.store import Store, StoreError
from tenslog.text import shown
from tenslog.vocabulary import MANUAL_SOURCE

if TYPE_CHECKING:
    from tenslog.service.journal import Journal
    from tenslog.service.notify_sessions import ServiceReminders
    from tenslog.settings import Settings

_watch_options = [
    click.option("--driver", "name", metavar="NAME", help="Also watch a unit of this driver (see: tenslog drivers)."),
    click.option("--unit", "identity", metavar="ID", help="Which unit of --driver (from tenslog scan); default the first found."),
    click.option("--option", "options", multiple=True, metavar="KEY=VALUE", help="A --driver option; repeatable."),
]


F = TypeVar("F", bound=Callable[..., Any])


def watch_options(command: F) -> F:
    """The same --driver/--unit/--option for running the service and for installing it."""
    for option in reversed(_watch_options):
        command = option(command)
    return command


def chosen_watch(ctx: click.Context, name: str | None, identity: str | None,
                 options: tuple[str, ...]) -> Watch | None:
    from tenslog.parsing import parse_options

    app = app_context(ctx)
    name = name or app.driver
    if name is None:
        if identity is not None or options:
            raise click.UsageError("--unit and --option need --driver (see: tenslog drivers)")
        return None
    try:
        given = {**app.driver_options, **parse_options(options)}
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--option") from None
    return Watch(name, identity, given)


def simulated(driver: str) -> bool:
    """A simulator is watched only when asked for: a demo tried once must not fill the
    history with made-up sessions for as long as the service runs."""
    from tenslog.driver.registry import DriverLoadError, load_driver

    try:
        return load_driver(driver).transport == "simulated"
    except DriverLoadError:
        return False  # watched, so that the service's log says what is wrong with it


def watches(store: Store, chosen: Watch | None) -> list[Watch]:
    """Every real unit connected before (manual ones cannot be), and the chosen one. The chosen
    one stands in for a known unit it would reach: the same unit, or any of its driver when no
    unit is named (it connects to the first it finds), so no unit is opened twice."""
    known = [Watch(u.unit.driver, u.unit.identity) for u in store.stored_units()
             if u.unit.driver != MANUAL_SOURCE and not simulated(u.unit.driver)]
    if chosen is None:
        return known
    others = [w for w in known if w.driver != chosen.driver
              or (chosen.identity is not None and w.identity != chosen.identity)]
    return [*others, chosen]


def service_reminders(store: Store, journal: Journal, settings: Settings) -> ServiceReminders:
    from tenslog.service.notify import Notifier, terminal_from
    from tenslog.service.notify_sessions import ServiceReminders

    notifier = Notifier(journal, store.path, terminal_from(settings.terminal_command))
    return ServiceReminders(store, notifier, follow_up_seconds=settings.follow_up_minutes * 60,
                            min_session_seconds=settings.min_session_seconds,
                            trial_time=settings.trial_reminder_at)


@click.group("service", invoke_without_command=True)
@watch_options
@click.pass_context
def service_command(ctx: click.Context, name: str | None, identity: str | None, options: tuple[str, ...]) -> None:
    """Record every session of every unit you have connected before, in the background, until
    stopped (SIGTERM, Ctrl+C). Install it to start at login: tenslog service install."""
    if ctx.invoked_subcommand is not None:
        return
    from tenslog.service.journal import Journal
    from tenslog.service.runner import run_service

    app = app_context(ctx)
    chosen = chosen_watch(ctx, name, identity, options)
    if chosen is not None:
        from tenslog.driver import DriverOptionError
        from tenslog.driver.registry import DriverLoadError
        from tenslog.service.runner import load_watch

        try:  # a driver or option given wrong will not mend itself: say so now, not in a loop
            load_watch(chosen)
        except (DriverLoadError, DriverOptionError) as exc:
            raise click.UsageError(shown(str(exc))) from None
    store = open_store(ctx)
    watched = watches(store, chosen)
    if not watched:
        raise click.UsageError("no unit to watch yet: connect one once with "
                               "`tenslog record --driver NAME` (see: tenslog scan), or give --driver "
                               "(a simulator is watched only when given so)")
    try:
        store.acquire_recording(role="service")
    except StoreError as exc:
        raise click.ClickException(str(exc)) from None
    journal = Journal()
    grace = app.settings.grace_seconds
    reminders = service_reminders(store, journal, app.settings)

    async def go() -> None:
        task = asyncio.current_task()
        assert task is not None
        loop = asyncio.get_running_loop()
        for name in ("SIGTERM", "SIGHUP", "SIGINT"):
            signum = getattr(signal, name, None)  # Windows has no SIGHUP, nor these handlers:
            with suppress(NotImplementedError, RuntimeError):  # Ctrl+C still stops it there
                if signum is not None:
                    loop.add_signal_handler(signum, task.cancel)
        names = ", ".join(w.label for w in watched)
        journal.info(f"recording into {store.path} from: {names}")
        await run_service(store, watched, journal, grace, reminders=reminders)

    try:
        asyncio.run(go())
    except (KeyboardInterrupt, asyncio.CancelledError):
        pass
    finally:
        store.release_recording()
        journal.info("stopped")


@service_command.command("install")
@watch_options
@click.option("--print", "only_print", is_flag=True, help="Show the unit file; write nothing.")
@click.pass_context
def install_command(ctx: click.Context, name: str | None, identity: str | None, options: tuple[str, ...],
                    only_print: bool) -> None:
    """Write a systemd user unit that runs `tenslog service` at login, and show the command
    that enables it."""
    from tenslog.service import systemd

    chosen = chosen_watch(ctx, name, identity, options)
    arguments = ["--db", str(Path(app_context(ctx).settings.db).absolute()), "service"]
    if chosen is not None:
        arguments += ["--driver", chosen.driver]
        arguments += ["--unit", chosen.identity] if chosen.identity is not None else []
        for key, value in chosen.options.items():
            arguments += ["--option", f"{key}={value}"]
    unit = systemd.UnitFile(arguments)
    try:
        if only_print:
            click.echo(unit.text(), nl=False)
            return
        path, replaced = systemd.install(unit)
    except systemd.UnitFileError as exc:
        raise click.ClickException(shown(str(exc))) from None
    if replaced:
        click.echo(shown(f"Replaced {path}. To use it now: {systemd.RELOAD} && "
                         f"systemctl --user restart {systemd.UNIT_NAME}"))
    else:
        click.echo(shown(f"Wrote {path}. To start it now and at every login: {systemd.ENABLE}"))


@service_command.command("uninstall")
def uninstall_command() -> None:
    """Remove the systemd user unit (disable it first: the message says how)."""
    from tenslog.service import systemd

    try:
        removed = systemd.uninstall()
    except systemd.UnitFileError as exc:
        raise click.ClickException(shown(str(exc))) from None
    if removed is None:
        click.echo(shown(f"Nothing to remove: {systemd.unit_path()} is not there."))
    else:
        click.echo(shown(f"Removed {removed}. Then: {systemd.RELOAD}"))
