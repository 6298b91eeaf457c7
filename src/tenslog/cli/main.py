"""``tenslog``: the dashboard when run bare, headless subcommands otherwise. Subcommands are
imported only when used, so ``tenslog --help`` starts fast."""

from __future__ import annotations

import importlib
import io
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from tenslog import __version__

if TYPE_CHECKING:
    from tenslog.vocabulary import RatingMoment

COMMANDS = {
    "add": ("tenslog.cli.sessions", "add_command", "Record a session (or rest period) by hand."),
    "list": ("tenslog.cli.listing", "list_command", "Show recent sessions as a table."),
    "rate": ("tenslog.cli.sessions", "rate_command", "Add or change a pain rating of a session."),
    "note": ("tenslog.cli.diary", "note_command", "Write the note of a session (for the doctor, too)."),
    "context": ("tenslog.cli.diary", "context_command", "Show or add other treatments, where it hurts, side effects."),
    "treatments": ("tenslog.cli.lists", "treatments_command", "Your list of other treatments (heat pad, a medicine)."),
    "ratings": ("tenslog.cli.lists", "ratings_command", "Extra 0-10 ratings you define (e.g. stiffness/spasm)."),
    "record": ("tenslog.cli.devices", "record_command", "Record sessions from a unit, without the dashboard."),
    "service": ("tenslog.cli.service", "service_command", "Record from your units in the background; install at login."),
    "drivers": ("tenslog.cli.devices", "drivers_command", "List installed drivers; with NAME, its options."),
    "scan": ("tenslog.cli.devices", "scan_command", "List units that can be connected now."),
    "capture": ("tenslog.cli.capture", "capture_command", "Record what an unknown unit sends (read-only) into a file."),
    "replay": ("tenslog.cli.replay", "replay_command", "Run a capture file through a profile or driver, offline."),
    "summary": ("tenslog.cli.exchange", "summary_command", "Does it help? The effectiveness summary."),
    "export": ("tenslog.cli.exchange", "export_command", "Export sessions (CSV, JSON, FHIR, report)."),
    "import": ("tenslog.cli.exchange", "import_command", "Import sessions from CSV or JSON."),
    "units": ("tenslog.cli.units", "units_command", "List your units; delete one with all its sessions."),
    "demo": ("tenslog.cli.demo", "demo_command", "Try the dashboard: a simulated one-minute session, in a demo database."),
    "trial": ("tenslog.cli.trial", "trial_command", "A personal trial of TENS against rest: plan, status, stop, result."),
}


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in COMMANDS:
            return None
        module, attr, _ = COMMANDS[name]
        return getattr(importlib.import_module(module), attr)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        # Help text from the table, so --help imports no command module.
        with formatter.section("Commands"):
            formatter.write_dl([(name, short) for name, (_, _, short) in COMMANDS.items()])


@click.group(cls=LazyGroup, invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
# --db is not checked here: the store names what is wrong with it, in one line.
@click.option("--db", type=click.Path(path_type=Path, readable=False), envvar="TENSLOG_DB",
              help="Database file (default: your data folder; or set TENSLOG_DB).")
@click.option("--driver", metavar="NAME", help="Driver for the live session, e.g. simulator (see: tenslog drivers).")
@click.option("--option", "options", multiple=True, metavar="KEY=VALUE", help="A driver option; repeatable (see: tenslog drivers NAME).")
@click.option("--rate", metavar="SESSION[:MOMENT]",
              help="Open the dashboard on a session's pain rating (before, after or follow_up; "
                   "default the first missing), as a clicked reminder does. Saves only your answer.")
@click.version_option(__version__, prog_name="tenslog")
@click.pass_context
def cli(ctx: click.Context, db: Path | None, driver: str | None, options: tuple[str, ...],
        rate: str | None) -> None:
    """tenslog: log TENS sessions, rate your pain before and after, and see whether it helps.

    Run without a command to open the dashboard. tenslog never changes your unit's settings:
    those follow the unit's instructions and your doctor."""
    # Imported here, not at the top: --help and --version never reach this, and stay fast.
    from tenslog.cli.context import AppContext, app_context, settings_or_exit

    settings = settings_or_exit(db=db)
    from tenslog.localtime import BadTimeZone, check_local_zone

    try:
        check_local_zone()
    except BadTimeZone as exc:
        raise click.ClickException(str(exc)) from None
    driver_options: dict[str, str] = {}
    if options:  # tenslog.parsing loads the session models (pydantic): `tenslog list` needs neither
        from tenslog.parsing import parse_options

        try:
            driver_options = parse_options(options)
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="--option") from None
    if rate is not None and ctx.invoked_subcommand is not None:
        raise click.UsageError("--rate opens the dashboard; give it without a command "
                               f"(to rate from the command line: tenslog rate {rate.split(':')[0]} --after N)")
    rating = None if rate is None else rate_request(rate)
    ctx.obj = AppContext(settings=settings, driver=driver, driver_options=driver_options)
    if ctx.invoked_subcommand is None:
        from tenslog.cli.dashboard import open_dashboard

        open_dashboard(app_context(ctx), rate=rating)


def rate_request(text: str) -> tuple[int, RatingMoment | None]:
    """--rate SESSION[:MOMENT] as a session number and a moment (None: the first missing)."""
    from tenslog.vocabulary import RatingMoment

    number, _, moment = text.strip().partition(":")
    if not (number.isascii() and number.isdigit()) or not 1 <= int(number) < 2**63:  # SQLite integers
        raise click.BadParameter(f"needs a session number such as 12 or 12:after (got {text!r}; "
                                 "see: tenslog list)", param_hint="--rate")
    if moment and moment not in {m.value for m in RatingMoment}:
        raise click.BadParameter(f"the part after ':' is one of before, after, follow_up (got {moment!r})",
                                 param_hint="--rate")
    return int(number), RatingMoment(moment) if moment else None


def _damage_met_on_read(exc: Exception) -> Exception:
    """Opening does not read every page (only after an unclean shutdown): damage deeper in the
    file shows when a read meets it, and is named like damage found on open."""
    import sqlite3

    from tenslog.cli.context import opened_db

    if isinstance(exc, sqlite3.DatabaseError) and opened_db is not None:
        from tenslog.store.diagnosis import from_sqlite_error

        return from_sqlite_error(opened_db, exc)
    return exc


def main() -> None:
    # A terminal whose encoding cannot show a character (Latin-1, ASCII) gets "?" for it,
    # not a UnicodeEncodeError half-way through a table.
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors="replace")
    try:
        cli(prog_name="tenslog")
    except Exception as exc:
        from tenslog.localtime import bad_zone_message, is_offset_refusal
        from tenslog.store.errors import StoreError  # here, not above: --help stays quick

        exc = _damage_met_on_read(exc)
        if isinstance(exc, StoreError):
            # Any command: the database's refusal is one line, never a traceback.
            click.echo(f"Error: {exc}", err=True)
        elif isinstance(exc, ValueError) and is_offset_refusal(exc):
            # A TZ whose odd offset hides from check_local_zone's probes still gets one line.
            click.echo(f"Error: {bad_zone_message()}", err=True)
        else:
            raise
        sys.exit(1)
