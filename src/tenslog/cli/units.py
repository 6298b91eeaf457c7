"""``tenslog units``: the units tenslog knows, and deleting one with all its sessions (privacy:
a unit whose sessions are gone still carries its name and, for Bluetooth, its address)."""

from __future__ import annotations

import click

from tenslog.cli.context import open_store
from tenslog.display import format_when
from tenslog.store import StoredUnit, StoreError


def _plural(count: int) -> str:
    return f"{count} session{'' if count == 1 else 's'}"


@click.group("units", invoke_without_command=True)
@click.pass_context
def units_command(ctx: click.Context) -> None:
    """List your units (with their numbers), or delete one: tenslog units delete NAME."""
    if ctx.invoked_subcommand is not None:
        return
    units = open_store(ctx).stored_units()
    if not units:
        click.echo("No units yet.")
        return
    from rich import box
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    table = Table(title="Units", title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False)
    for column, justify in (("#", "right"), ("name", "left"), ("kind", "left"),
                            ("sessions", "right"), ("last used", "left")):
        table.add_column(column, justify=justify, overflow="fold")  # type: ignore[arg-type]
    for u in units:
        # Text(), not a str: a stored name is data and is never read as markup.
        table.add_row(str(u.id), Text(u.unit.name), Text(u.unit.driver), str(u.sessions),
                      "—" if u.last_used is None else format_when(u.last_used))
    Console().print(table)


def _chosen(units: list[StoredUnit], given: str) -> StoredUnit:
    by_number = [u for u in units if given.isdigit() and u.id == int(given)]
    by_name = [u for u in units if u.unit.name == given]
    found = by_number or by_name
    if not found:
        raise click.BadParameter(f"there is no unit {given!r}; see: tenslog units", param_hint="UNIT")
    if len(found) > 1:
        numbers = ", ".join(str(u.id) for u in found)
        raise click.BadParameter(f"{len(found)} units are named {given!r} (numbers {numbers}); "
                                 "give the number from: tenslog units", param_hint="UNIT")
    return found[0]


@units_command.command("delete")
@click.argument("unit")
@click.option("--yes", is_flag=True, help="Do not ask first (for scripts).")
@click.pass_context
def delete_command(ctx: click.Context, unit: str, yes: bool) -> None:
    """Delete UNIT (its name or number) with all its sessions and their ratings. This cannot
    be undone; you are asked first, with the number of sessions that will go."""
    store = open_store(ctx)
    chosen = _chosen(store.stored_units(), unit)
    what = f"unit {chosen.unit.name!r} (number {chosen.id}) and its {_plural(chosen.sessions)}"
    if not yes:
        # No answer (no terminal, end of input) is a no: click aborts and nothing is deleted.
        click.confirm(f"Delete {what}, with their ratings? This cannot be undone.", abort=True)
    try:
        gone = store.delete_unit(chosen.id)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Deleted unit {chosen.unit.name!r} and {_plural(gone)}.")
