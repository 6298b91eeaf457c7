"""The lists a person edits: ``tenslog treatments`` (what `--with` and the forms offer) and
``tenslog ratings`` (extra 0-10 ratings, asked before and after like pain when switched on)."""

from __future__ import annotations

import click
from pydantic import ValidationError

from tenslog.cli.context import open_store
from tenslog.cli.diary import refused
from tenslog.model import Treatment
from tenslog.store import StoreError
from tenslog.text import check_label, shown


def _store_error(exc: StoreError) -> click.ClickException:
    return click.ClickException(str(exc))


@click.group("treatments", invoke_without_command=True)
@click.pass_context
def treatments_command(ctx: click.Context) -> None:
    """Your list of other treatments (heat pad, stretching, a medicine): what `tenslog add
    --with` and the dashboard's forms offer. Without a subcommand, show it."""
    if ctx.invoked_subcommand is None:
        for t in open_store(ctx).treatment_choices():
            kind = " (medication)" if t.medication else ""
            click.echo(f"  {shown(t.label)}{kind}")


@treatments_command.command("add")
@click.argument("name")
@click.option("--medication", is_flag=True, help="It is a medicine (it may have a dose).")
@click.option("--dose", default="", metavar="DOSE", help='Its usual dose, e.g. "2 mg" (a medication only).')
@click.pass_context
def treatments_add(ctx: click.Context, name: str, medication: bool, dose: str) -> None:
    """Add NAME to the end of the list."""
    try:
        treatment = Treatment(name=name, dose=dose, medication=medication or bool(dose.strip()))
    except ValidationError as exc:
        raise refused(exc, "nothing was added") from None
    try:
        added = open_store(ctx).add_treatment_choice(treatment)
    except StoreError as exc:
        raise _store_error(exc) from None
    if not added:
        raise click.ClickException(f"{shown(treatment.name)!r} is on the list already; nothing was changed")
    click.echo(f"Added {shown(treatment.label)!r} to your treatments.")


@treatments_command.command("remove")
@click.argument("name")
@click.pass_context
def treatments_remove(ctx: click.Context, name: str) -> None:
    """Take NAME off the list (sessions that had it keep it)."""
    try:
        gone = open_store(ctx).remove_treatment_choice(name)
    except StoreError as exc:
        raise _store_error(exc) from None
    click.echo(f"Removed {shown(gone)!r} from your treatments; sessions that had it keep it.")


@click.group("ratings", invoke_without_command=True)
@click.pass_context
def ratings_command(ctx: click.Context) -> None:
    """Extra 0-10 ratings you define (e.g. "stiffness/spasm"), asked before and after like pain
    while switched on. None by default. Without a subcommand, show them."""
    if ctx.invoked_subcommand is None:
        scales = open_store(ctx).rating_scales()
        if not scales:
            click.echo('No extra ratings yet. Define one with: tenslog ratings add "stiffness/spasm"')
        for scale in scales:
            click.echo(f"  {shown(scale.name)}: {'on (asked)' if scale.asked else 'off'}")


def _switch(ctx: click.Context, name: str, *, asked: bool, new: bool) -> None:
    try:
        label = check_label(name)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="NAME") from None
    store = open_store(ctx)
    known = {s.name.casefold() for s in store.rating_scales()}
    if not new and label.casefold() not in known:
        raise click.ClickException(f"no extra rating is called {label!r}; define it with: tenslog ratings add NAME")
    try:
        scale = store.set_rating_scale(label, asked=asked)
    except StoreError as exc:
        raise _store_error(exc) from None
    state = "on: asked before and after, like pain" if scale.asked else "off: not asked"
    click.echo(f"Extra rating {shown(scale.name)!r} is {state}.")


@ratings_command.command("add")
@click.argument("name")
@click.pass_context
def ratings_add(ctx: click.Context, name: str) -> None:
    """Define the extra rating NAME (0-10) and switch it on."""
    _switch(ctx, name, asked=True, new=True)


@ratings_command.command("on")
@click.argument("name")
@click.pass_context
def ratings_on(ctx: click.Context, name: str) -> None:
    """Ask NAME before and after each session again."""
    _switch(ctx, name, asked=True, new=False)


@ratings_command.command("off")
@click.argument("name")
@click.pass_context
def ratings_off(ctx: click.Context, name: str) -> None:
    """Stop asking NAME (ratings already given stay)."""
    _switch(ctx, name, asked=False, new=False)


@ratings_command.command("remove")
@click.argument("name")
@click.pass_context
def ratings_remove(ctx: click.Context, name: str) -> None:
    """Forget NAME's definition; ratings already given stay with their sessions."""
    try:
        gone = open_store(ctx).remove_rating_scale(name)
    except StoreError as exc:
        raise _store_error(exc) from None
    click.echo(f"Removed the extra rating {shown(gone)!r}; ratings already given stay with their sessions.")
