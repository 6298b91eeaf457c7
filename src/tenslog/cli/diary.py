"""A session's context from the command line: the options `add` shares with `context` (--note,
--with, --where, --side-effect, extra ratings), and the commands that change an existing
session: ``tenslog note`` and ``tenslog context``."""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import datetime
from typing import Any

import click
from pydantic import ValidationError

from tenslog.cli.context import open_store
from tenslog.localtime import local_time
from tenslog.manual import extra_rating_value, treatment_data
from tenslog.model import RatingMoment, Session, SessionContext, field_errors
from tenslog.store import Store, StoreError
from tenslog.text import shown
from tenslog.vocabulary import BodyRegion, SideEffect

# The option each part of the context is typed under, for error messages.
OPTION = {"note": "--note", "for_doctor": "--for-doctor", "treatments": "--with", "treatment": "--with",
          "regions": "--where", "where": "--where", "side_effects": "--side-effect",
          "side effect": "--side-effect", "extra_ratings": "--extra-before/--extra-after",
          "extra rating": "--extra-before/--extra-after"}  # fmt: skip


def context_options(f: Callable[..., Any]) -> Callable[..., Any]:
    """The context options, shared by `add` and `context` (which adds to what is there)."""
    for option in reversed([
        click.option("--note", metavar="TEXT", help='A note (several lines allowed); "-" reads it from standard input.'),
        click.option("--for-doctor/--not-for-doctor", default=None, help="Mark the note for the doctor (the report lists it)."),
        click.option("--with", "with_", multiple=True, metavar="TREATMENT",
                     help='Another treatment at the same time, from your list (tenslog treatments), or a medicine with its dose: "tizanidine 2 mg". Repeatable.'),
        click.option("--where", multiple=True, type=click.Choice([r.value for r in BodyRegion], case_sensitive=False),
                     help="Where it hurts. Repeatable."),
        click.option("--side-effect", "side_effects", multiple=True,
                     type=click.Choice([e.value for e in SideEffect], case_sensitive=False), help="A side effect. Repeatable."),
        click.option("--extra-before", multiple=True, metavar="NAME=0-10", help="An extra rating you defined (tenslog ratings), before. Repeatable."),
        click.option("--extra-after", multiple=True, metavar="NAME=0-10", help="The same, after. Repeatable."),
    ]):
        f = option(f)
    return f


def note_text(value: str | None) -> str | None:
    """The note as given; "-" reads it from standard input (a long note, several lines)."""
    if value != "-":
        return value
    text = sys.stdin.read()
    return text.removesuffix("\n")  # the newline that ends the input is not the note's


def context_data(
    store: Store, base: SessionContext, rated_at: dict[RatingMoment, datetime], *,
    note: str | None, for_doctor: bool | None, with_: tuple[str, ...], where: tuple[str, ...],
    side_effects: tuple[str, ...], extra_before: tuple[str, ...], extra_after: tuple[str, ...],
) -> dict[str, Any]:  # fmt: skip
    """``base`` with what the options add, as model input (validated when the session is
    built). A treatment or extra rating that cannot be read is a BadParameter naming its option."""
    data = {k: list(v) if isinstance(v, tuple) else v for k, v in base.model_dump().items()}
    if note is not None:
        data["note"] = note_text(note)
    if for_doctor is not None:
        data["for_doctor"] = for_doctor
    choices = store.treatment_choices()
    for text in with_:
        try:
            treatment = treatment_data(text, choices)
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="--with") from None
        key = f"{treatment['name']} {treatment['dose']}".strip().casefold()
        if all(f"{t['name']} {t['dose']}".strip().casefold() != key for t in data["treatments"]):
            data["treatments"].append(treatment)
    data["regions"] = [*data["regions"], *(w.lower() for w in where)]
    data["side_effects"] = [*data["side_effects"], *(e.lower() for e in side_effects)]
    defined = [s.name for s in store.rating_scales()]
    for moment, given, hint in ((RatingMoment.BEFORE, extra_before, "--extra-before"),
                                (RatingMoment.AFTER, extra_after, "--extra-after")):
        for text in given:
            try:
                name, value = extra_rating_value(text, defined)
            except ValueError as exc:
                raise click.BadParameter(str(exc), param_hint=hint) from None
            data["extra_ratings"] = [r for r in data["extra_ratings"]
                                     if not (r["name"].casefold() == name.casefold() and r["moment"] is moment)]
            data["extra_ratings"].append({"name": name, "moment": moment, "value": value, "at": rated_at[moment]})
    return data


def refused(exc: ValidationError, what: str = "the session was not saved") -> click.ClickException:
    """A model's refusal as a usage error: one line per problem, named by the option typed."""
    found = field_errors(exc)
    lines = [f"{OPTION.get(e.field.removeprefix('context.'), e.field)}: {e.message}" for e in found]
    return click.UsageError(f"{what}:\n  " + "\n  ".join(lines))


def describe_context(context: SessionContext) -> list[str]:
    """The context in plain lines, stored text made inert (tenslog.text.shown)."""
    lines = []
    if context.treatments:
        lines.append("with: " + ", ".join(shown(t.label) for t in context.treatments))
    if context.regions:
        lines.append("where: " + ", ".join(r.value for r in context.regions))
    if context.side_effects:
        lines.append("side effects: " + ", ".join(e.value for e in context.side_effects))
    for r in context.extra_ratings:
        lines.append(f"{shown(r.name)} {r.moment.value}: {r.value}")
    if context.note:
        mark = " (for the doctor)" if context.for_doctor else ""
        lines.append(f"note{mark}:")
        lines += ["  " + shown(line, multiline=True) for line in context.note.split("\n")]
    return lines


def session_number(store: Store, text: str) -> int:
    """SESSION as typed: its number, or "last" (the session entered or recorded last)."""
    if text.strip().lower() == "last":
        found = store.last_entered()
        if found is None:
            raise click.BadParameter("there are no sessions yet", param_hint="SESSION")
        return found
    if text.strip().isdigit():
        return int(text)
    raise click.BadParameter(f"{text!r} is not a session number or 'last'", param_hint="SESSION")


def named(session: Session) -> str:
    """How a session is named in a reply: "session 7 (tens, Tue 01 Dec 14:00)"."""
    return f"session {session.id} ({session.kind.value}, {session.start.astimezone():%a %d %b %H:%M})"


def _stored(store: Store, session_id: int) -> Session:
    try:
        return store.get(session_id)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from None


@click.command("note")
@click.argument("session")
@click.argument("text")
@click.option("--for-doctor/--not-for-doctor", default=None, help="Mark the note for the doctor (the report lists it).")
@click.pass_context
def note_command(ctx: click.Context, session: str, text: str, for_doctor: bool | None) -> None:
    """Write the note of SESSION (its number, or "last"): TEXT replaces the note ("" removes
    it; "-" reads it from standard input, several lines allowed)."""
    store = open_store(ctx)
    stored = _stored(store, session_number(store, session))
    assert stored.id is not None
    try:
        context = stored.context.with_note(note_text(text) or "", for_doctor=for_doctor)
        saved = store.set_context(stored.id, context)
    except ValidationError as exc:
        raise refused(exc, "the note was not saved") from None
    except StoreError as exc:
        raise click.ClickException(str(exc)) from None
    note = saved.context.note
    if not note:
        click.echo(f"Removed the note of {named(saved)}.")
        return
    lines = note.count("\n") + 1
    mark = ", for the doctor" if saved.context.for_doctor else ""
    click.echo(f"Saved the note of {named(saved)} ({lines} line{'s' if lines != 1 else ''}{mark}).")


@click.command("context")
@click.argument("session", default="last")
@context_options
@click.option("--clear", is_flag=True, help="First remove the treatments, regions, side effects and extra ratings.")
@click.pass_context
def context_command(ctx: click.Context, session: str, clear: bool, **given: Any) -> None:
    """Show or add to the context of SESSION (its number, or "last"): other treatments, where
    it hurts, side effects, extra ratings, the note. Without options it only shows it."""
    store = open_store(ctx)
    stored = _stored(store, session_number(store, session))
    assert stored.id is not None
    changes = clear or any(v not in (None, ()) for v in given.values())
    if changes:
        base = stored.context
        if clear:
            base = base.model_copy(update={"treatments": (), "regions": (), "side_effects": (), "extra_ratings": ()})
        now = local_time()
        rated_at = {RatingMoment.BEFORE: min(stored.start, now), RatingMoment.AFTER: min(stored.end or now, now)}
        data = context_data(store, base, rated_at, **given)
        try:
            stored = store.set_context(stored.id, SessionContext.model_validate(data))
        except ValidationError as exc:
            raise refused(exc, "nothing was changed") from None
        except StoreError as exc:
            raise click.ClickException(str(exc)) from None
    lines = describe_context(stored.context)
    head = f"{'Saved' if changes else 'Context of'} {named(stored)}"
    click.echo(head + (":" if lines else ": nothing noted yet."))
    for line in lines:
        click.echo("  " + line)
