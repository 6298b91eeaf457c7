"""Headless session commands: add one by hand, rate (`list` is in cli/listing.py, without
pydantic). `add` remembers the unit (the last one typed in, with its scale) and refuses a
session that is already stored."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import click
from pydantic import ValidationError

from tenslog.cli.context import open_store
from tenslog.cli.diary import (
    context_data,
    context_options,
    describe_context,
    named,
    refused,
    session_number,
)
from tenslog.localtime import follow_zone, local_time
from tenslog.manual import DEFAULT_UNIT_NAME, parse_number, store_lookup, unit_data
from tenslog.model import (
    MANUAL_SOURCE,
    PainRating,
    RatingMoment,
    Session,
    SessionContext,
    SessionKind,
    field_errors,
)
from tenslog.parsing import parse_duration, parse_scale, parse_time
from tenslog.store import Store, StoreError
from tenslog.text import shown


def _parsed(value: str | None, parser, hint: str):
    if value is None:
        return None
    try:
        return parser(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint=hint) from None


RATING = click.IntRange(0, 10)


def _decoded(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """Text typed in the terminal's encoding. Bytes it could not decode (Latin-1 typed under
    LC_ALL=C, say) arrive as lone surrogates, which no file or export can hold: refuse them."""
    if value is not None:
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise click.BadParameter("it is not valid text in this terminal's encoding; use a UTF-8 "
                                     "locale (e.g. LANG=C.UTF-8) and type it again") from None
    return value


@click.command("add")
@click.option("--kind", type=click.Choice(["tens", "rest"]), default="tens", show_default=True,
              help="tens: with the unit; rest: a rest period rated the same way, without it.")
@click.option("--start", metavar="TIME", help='When it began: "2026-11-20 14:30", or "14:30" for today. Default: duration ago.')
@click.option("--duration", metavar="MINUTES", required=True, help="How long: minutes (30) or 1h30.")
@click.option("--intensity", "intensity_text", metavar="NUMBER", help="Intensity in the unit's own scale (as on its display).")
@click.option("--scale", metavar="SCALE", help="level:20, level 1-20, mA or mA:80. Default: the unit's stored scale, else level.")
@click.option("--unit", "unit_name", metavar="NAME", callback=_decoded,
              help='Your unit\'s name, e.g. "Beurer EM49". Default: the unit you typed in last (with its scale).')
@click.option("--before", type=RATING, help="Pain before, 0-10.")
@click.option("--after", type=RATING, help="Pain after, 0-10.")
@click.option("--follow-up", type=RATING, help="Pain at a later follow-up, 0-10.")
@context_options
@click.pass_context
def add_command(
    ctx: click.Context,
    kind: str,
    start: str | None,
    duration: str,
    intensity_text: str | None,
    scale: str | None,
    unit_name: str | None,
    before: int | None,
    after: int | None,
    follow_up: int | None,
    **context: Any,
) -> None:
    """Record a session (or rest period) by hand, for units that cannot connect. The unit and
    its scale are remembered: leave out --unit and --scale to use the last one again."""
    length: timedelta = _parsed(duration, parse_duration, "--duration")
    began: datetime = _parsed(start, parse_time, "--start") or local_time(local_time().timestamp() - length.total_seconds())
    unit_scale = _parsed(scale, parse_scale, "--scale")
    intensity: float | None = _parsed(intensity_text, parse_number, "--intensity")
    session_kind = SessionKind(kind)
    if session_kind is SessionKind.REST and (intensity is not None or unit_name):
        raise click.BadParameter("a rest period is without the unit: leave out --intensity and --unit",
                                 param_hint="--kind")
    store = open_store(ctx)
    unit = None
    if session_kind is SessionKind.TENS:
        remembered = store.last_manual_unit()  # the unit typed in last, with its scale
        if unit_name or intensity is not None or remembered is not None or unit_scale is not None:
            name = unit_name or (remembered.name if remembered else DEFAULT_UNIT_NAME)
            unit = unit_data(name, unit_scale, store_lookup(store))
    end = follow_zone(began, began + length)  # its own offset, if a clock change lies between
    rated_at = {RatingMoment.BEFORE: began, RatingMoment.AFTER: end, RatingMoment.FOLLOW_UP: end}
    when = {m: follow_zone(began, min(at, local_time())) for m, at in rated_at.items()}
    extra = context_data(store, SessionContext(), when, **context)
    values = {RatingMoment.BEFORE: before, RatingMoment.AFTER: after, RatingMoment.FOLLOW_UP: follow_up}
    try:
        # Plain dicts (model input), so an error is reported under the session's field name.
        session = Session.model_validate({
            "kind": session_kind,
            "source": MANUAL_SOURCE,
            "unit": unit,
            "start": began,
            "end": end,
            "intensity": () if intensity is None else ({"at": began, "value": intensity},),
            "ratings": tuple({"moment": m, "value": v, "at": when[m]} for m, v in values.items() if v is not None),
            "context": extra,
        })
    except ValidationError as exc:
        found = field_errors(exc)
        if all(e.field.startswith("unit.") for e in found):  # a name of control characters, too long
            raise click.BadParameter("; ".join(e.message for e in found), param_hint="--unit") from None
        raise refused(exc) from None
    _refuse_duplicate(store, session)
    try:
        saved = store.add_session(session)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from None
    with_unit = "" if saved.unit is None else f", {shown(saved.unit.name)!r} ({saved.unit.scale.label()})"
    click.echo(f"Saved session {saved.id}: {saved.kind.value}, {saved.start.astimezone():%a %d %b %H:%M}, "
               f"{int(length.total_seconds() // 60)} min{with_unit}.")
    for line in describe_context(saved.context):
        click.echo("  " + line)


def _refuse_duplicate(store: Store, session: Session) -> None:
    """The same session twice (same start, kind and unit) is refused, as `tenslog import` does."""
    from tenslog.imports.common import session_key

    key = session_key(session)
    nearby = store.sessions(since=session.start, until=session.start + timedelta(seconds=1))
    same = next((s for s in nearby if session_key(s) == key), None)
    if same is not None:
        raise click.ClickException(f"already in the database as session {same.id} (same start, kind and unit); "
                                   "nothing was saved")


@click.command("rate")
@click.argument("session", default="last")
@click.option("--before", type=RATING)
@click.option("--after", type=RATING)
@click.option("--follow-up", type=RATING)
@click.pass_context
def rate_command(ctx: click.Context, session: str, before: int | None, after: int | None, follow_up: int | None) -> None:
    """Add or change a pain rating (0-10) of SESSION: its number, or "last", the session
    entered or recorded last (whatever its start time). Says what an overwrite changed."""
    store = open_store(ctx)
    given = {RatingMoment.BEFORE: before, RatingMoment.AFTER: after, RatingMoment.FOLLOW_UP: follow_up}
    if all(v is None for v in given.values()):
        raise click.UsageError("give at least one of --before, --after, --follow-up")
    session_id = session_number(store, session)
    now = local_time()
    try:
        with store.transaction():
            old = store.get(session_id)
            for moment, value in given.items():
                if value is not None:
                    store.set_rating(session_id, PainRating(moment=moment, value=value, at=now))
    except StoreError as exc:
        raise click.ClickException(str(exc)) from None
    changes = []
    for moment, value in given.items():
        if value is not None:
            was = old.rating(moment)
            changes.append(f"{moment.value}: {value}" if was is None else f"{moment.value}: {was} -> {value}")
    click.echo(f"Rated {named(old)}: {', '.join(changes)}.")
    _say_if_late(ctx, store.get(session_id), before is not None, after is not None)


def _say_if_late(ctx: click.Context, session: Session, before: bool, after: bool) -> None:
    """A rating given now but too late to count in the summary: kept, and the user is told."""
    from tenslog.cli.context import app_context
    from tenslog.lateness import late_after, late_before
    from tenslog.model import SessionFigures

    settings = app_context(ctx).settings
    figures = SessionFigures.of(session)
    if before and late_before(figures, settings):
        click.echo(f"The before rating is kept, but the summary leaves it out: it was given more than "
                   f"{settings.before_rating_minutes} min after the session began.")
    if after and late_after(figures, settings):
        click.echo(f"The after rating is kept, but the summary leaves it out: it was given more than "
                   f"{settings.after_rating_minutes} min from the session's end.")
