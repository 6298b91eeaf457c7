"""Device commands: list drivers, scan for units, record headless."""

from __future__ import annotations

import asyncio
import inspect
import shutil
import signal
import textwrap
from contextlib import suppress
from datetime import datetime

import click

from tenslog.cli.context import app_context, open_store
from tenslog.clock import ClockJump, system_clock
from tenslog.driver import Driver, DriverOptionError
from tenslog.driver.registry import DriverLoadError, inspect_drivers, load_driver
from tenslog.model import SessionState
from tenslog.recorder import Recorder, run_recorder
from tenslog.store import StoreError
from tenslog.text import shown


def make_driver(name: str, options: dict[str, str]) -> Driver:
    from tenslog.driver.options import read_options

    try:
        cls = load_driver(name)
        # Checked against the declaration first: an option named like a parameter of a
        # third-party __init__ ("self") is an unknown option, not a TypeError.
        read_options(name, cls.Options, options)
        return cls(**options)
    except (DriverLoadError, DriverOptionError) as exc:
        raise click.ClickException(shown(str(exc))) from None


def _reports(cls: type[Driver]) -> str:
    caps = cls.capabilities
    said = [w for w, ok in (("on/off", caps.reports_on_off), ("intensity", caps.reports_intensity),
                            ("elapsed time", caps.reports_elapsed)) if ok]
    return ", ".join(said) or "nothing"


@click.command("drivers")
@click.argument("name", required=False)
def drivers_command(name: str | None) -> None:
    """List installed drivers (a driver that fails to load is shown with the reason).

    With NAME: that driver's description, what it reports and the options it takes."""
    if name is not None:
        _describe_driver(name)
        return
    for entry, cls, error in inspect_drivers():
        if cls is None:
            click.echo(shown(f"{entry.name:18} BROKEN: {error}  [{entry.distribution}]"))
            continue
        click.echo(shown(f"{entry.name:18} {cls.title} ({cls.transport}; reports {_reports(cls)};"
                         f" scale {cls.scale.label()})  [{entry.distribution}]"))


def _describe_driver(name: str) -> None:
    from tenslog.driver.options import option_specs
    from tenslog.driver.registry import driver_entries

    entries = {entry.name: entry for entry in driver_entries()}
    if name not in entries:
        known = ", ".join(sorted(entries)) or "none"
        raise click.ClickException(shown(f"no driver named {name!r} (installed: {known})"))
    try:
        cls = load_driver(name)
    except DriverLoadError as exc:
        raise click.ClickException(shown(str(exc))) from None
    about = inspect.getdoc(cls) if "__doc__" in cls.__dict__ else None
    lines = [f"{name}: {cls.title}  [{entries[name].distribution}]"]
    if about:
        lines.append("  " + " ".join(about.split("\n\n")[0].split()))
    lines += [
        f"  transport: {cls.transport}",
        f"  reports:   {_reports(cls)}",
        f"  scale:     {cls.scale.label()}",
        "",
    ]
    specs = option_specs(cls.Options)
    if not specs:
        lines.append("Options: none.")
    else:
        lines.append("Options (give each as --option NAME=VALUE):")
        rows = [("NAME", "TYPE", "DEFAULT", "HELP")]
        rows += [(s.name, s.kind, s.default or "-", s.help) for s in specs]
        widths = [max(len(row[i]) for row in rows) for i in range(3)]
        indent = 2 + sum(widths) + 3 * 2
        room = max(30, shutil.get_terminal_size().columns - indent - 1)
        for row in rows:
            cells = "  ".join(cell.ljust(width) for cell, width in zip(row[:3], widths, strict=True))
            wrapped = textwrap.wrap(row[3], room) or [""]
            lines.append(f"  {cells}  {wrapped[0]}".rstrip())
            lines += [" " * indent + more for more in wrapped[1:]]
    for line in lines:
        click.echo(shown(line))


@click.command("scan")
@click.option("--timeout", type=click.FloatRange(0.5, 60), default=5.0, show_default=True, help="Seconds to scan.")
@click.option("--driver", "only", metavar="NAME", help="Scan with this driver only.")
@click.option("--all-ports", is_flag=True, help="Also list built-in serial ports such as /dev/ttyS0.")
def scan_command(timeout: float, only: str | None, all_ports: bool) -> None:
    """List units that can be connected now (BLE and serial). Connects to nothing."""
    from tenslog.cli.scanning import Scanned, scan_lines
    from tenslog.driver.discovery import Stage, discover_installed

    results = []
    for search in asyncio.run(discover_installed(timeout, only)).searches:
        if search.failed is Stage.LOAD or search.driver is None:
            click.echo(shown(f"{search.name}: skipped ({search.problem})"))
            continue
        results.append(Scanned(search.name, search.driver.transport, search.units,
                               search.problem if search.failed else None))
    # What a device advertises is outside text: printed inert, never raw to the terminal.
    for line in scan_lines(results, all_ports=all_ports):
        click.echo(shown(line))


@click.command("record")
@click.option("--driver", "name", metavar="NAME", help="The driver (default: the one given before the command).")
@click.option("--unit", "identity", metavar="ID", help="Which unit (from tenslog scan); default the first found.")
@click.option("--option", "options", multiple=True, metavar="KEY=VALUE", help="A driver option; repeatable (see: tenslog drivers NAME).")
@click.pass_context
def record_command(ctx: click.Context, name: str | None, identity: str | None, options: tuple[str, ...]) -> None:
    """Record sessions from a unit until it goes away or you press Ctrl+C.

    Sessions start and stop when the unit reports it. Rate them afterwards with
    `tenslog rate last --before N --after N`, or in the dashboard."""
    from tenslog.parsing import parse_options

    app = app_context(ctx)
    name = name or app.driver
    if not name:
        raise click.UsageError("which driver? e.g. tenslog record --driver simulator (see: tenslog drivers)")
    try:
        driver_options = {**app.driver_options, **parse_options(options)}
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--option") from None
    driver = make_driver(name, driver_options)
    store = open_store(ctx)
    try:
        store.acquire_recording(role="record")
    except StoreError as exc:
        raise click.ClickException(str(exc)) from None
    driver.grace_seconds = app.settings.grace_seconds  # it retries often enough to be back in time
    recorder = Recorder(store, grace_seconds=app.settings.grace_seconds, clock=driver.clock)

    def said(text: str) -> None:
        with suppress(OSError):  # the terminal may be gone (SIGHUP): recording goes on
            click.echo(f"{datetime.now():%H:%M:%S} {text}")

    recorder.on_started.append(lambda sid: said(f"session {sid} started"))
    recorder.on_ended.append(lambda sid, state: said(f"session {sid} ended ({state.value})"))

    def jumped(jump: ClockJump) -> None:
        said(jump.describe())

    system_clock.listeners.append(jumped)

    async def go() -> None:
        task = asyncio.current_task()
        assert task is not None
        loop = asyncio.get_running_loop()
        # A closed terminal (SIGHUP) stops recording as SIGTERM and Ctrl+C do: the session
        # is ended where the unit was last heard, not left for crash recovery.
        for signum in (signal.SIGTERM, signal.SIGHUP):
            loop.add_signal_handler(signum, task.cancel)
        said(f"recording from {driver.title} into {store.path}; Ctrl+C to stop")
        await run_recorder(driver.events(identity), recorder)

    failure: str | None = None
    try:
        asyncio.run(go())
    except (KeyboardInterrupt, asyncio.CancelledError):
        pass
    except (StoreError, OSError, RuntimeError, ValueError) as exc:
        # No adapter, no permission, a port that vanished: say what, not a traceback.
        failure = shown(f"{driver.title}: {exc or type(exc).__name__}")
    finally:
        stopped = recorder.stop(SessionState.INTERRUPTED)
        if stopped is not None:
            said(f"session {stopped} kept; it ended when recording stopped")
        store.release_recording()
        system_clock.listeners.remove(jumped)
    if failure is not None:
        raise click.ClickException(failure)
