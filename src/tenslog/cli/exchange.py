"""CLI commands for exports, import and the summary: ``tenslog export``, ``tenslog import``,
``tenslog summary``."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date, datetime, time, timedelta
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

import click

from tenslog.cli.context import app_context, open_store
from tenslog.vocabulary import SessionKind  # not tenslog.model: exports stream without pydantic

if TYPE_CHECKING:
    from tenslog.store import Store


class DayOrTime(click.ParamType):
    """YYYY-MM-DD (a whole day, local time) or an ISO 8601 date and time."""

    name = "DATE"

    def convert(self, value, param, ctx):
        if isinstance(value, datetime):
            return value
        text = str(value).strip()
        try:
            return date.fromisoformat(text)
        except ValueError:
            pass
        try:
            parsed = datetime.fromisoformat(text)
        except ValueError:
            self.fail(f"{text!r} is not a date: use YYYY-MM-DD, e.g. 2025-03-01", param, ctx)
        return parsed if parsed.tzinfo else parsed.astimezone()


def _bound(value: date | datetime | None, *, end: bool) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return value
    day = value + timedelta(days=1) if end else value  # --until 2025-03-31 includes the 31st
    return datetime.combine(day, time()).astimezone()


def _select(
    ctx: click.Context, since, until, kind: str | None, unit: str | None, *,
    rest_by_date: bool = False, stream: bool = False, columns: bool = False,
) -> list:  # fmt: skip
    """Sessions (or, for analysis only, columns of their figures: tenslog.analysis.columns),
    oldest first.
    rest_by_date: a unit filter keeps rest periods (they have no unit) by date, for the views
    that compare TENS with rest (the summary and the report)."""
    from functools import partial

    from tenslog.store.selection import with_rest_by_date

    store, lo, hi = _checked(ctx, since, until, unit)
    chosen = SessionKind(kind) if kind else None
    if columns:
        from tenslog.analysis.reading import read_columns

        return read_columns(store, since=lo, until=hi, kind=chosen, unit_name=unit,  # type: ignore[return-value]
                            rest_by_date=rest_by_date)
    if stream:
        return store.iter_sessions(since=lo, until=hi, kind=chosen, unit_name=unit)  # type: ignore[return-value]
    read = partial(store.sessions, newest_first=False)
    if rest_by_date:
        return with_rest_by_date(read, since=lo, until=hi, kind=chosen, unit_name=unit)
    return read(since=lo, until=hi, kind=chosen, unit_name=unit)


def _exported(ctx: click.Context, since, until, kind: str | None, unit: str | None) -> Iterator:
    """The selection as ``_select(stream=True)`` checks and reads it, as the store's lean rows
    (ExportedSession, no pydantic) for the CSV and FHIR exports."""
    store, lo, hi = _checked(ctx, since, until, unit)
    return store.exported(since=lo, until=hi, kind=SessionKind(kind) if kind else None, unit_name=unit)


def _checked(ctx: click.Context, since, until, unit: str | None) -> tuple[Store, datetime | None, datetime | None]:
    """The store and the selection's bounds, once the options are known to make sense."""
    lo, hi = _bound(since, end=False), _bound(until, end=True)
    if lo and hi and hi <= lo:
        raise click.BadParameter("--until is before --since", param_hint="--until")
    store = open_store(ctx)
    if unit is not None:
        _known_unit(unit, sorted({u.name for u in store.units()}))
    return store, lo, hi


def _known_unit(name: str, names: list[str]) -> None:
    """An unknown --unit is a mistake to name, not an empty selection ("0 sessions").
    Names are shown with repr() so stored text stays inert on the terminal."""
    if name in names:
        return
    known = f"the units are {', '.join(repr(n) for n in names)}" if names else "there are no units yet"
    raise click.ClickException(f"no unit named {name!r}; {known}")  # one line, exit 1


def _span(since, until) -> tuple[date, date] | None:
    """The days asked for, so adherence counts unused days at either end too."""
    if since is None or until is None:
        return None
    day = lambda v: v.date() if isinstance(v, datetime) else v  # noqa: E731
    return day(since), day(until)


def _selection_options(f):
    f = click.option("--unit", metavar="NAME", help="only sessions with this unit")(f)
    f = click.option("--kind", type=click.Choice(["tens", "rest"]), help="only TENS sessions or only rest periods")(f)
    f = click.option("--until", type=DayOrTime(), help="last day to include (YYYY-MM-DD)")(f)
    f = click.option("--since", type=DayOrTime(), help="first day to include (YYYY-MM-DD)")(f)
    return f


class Counted:
    """Sessions passed through, counted on the way (a streamed export says how many it wrote)."""

    def __init__(self, sessions: Iterable) -> None:
        self._sessions = sessions
        self.n = 0

    def __iter__(self) -> Iterator:
        for s in self._sessions:
            self.n += 1
            yield s

    def __len__(self) -> int:
        return self.n


def _today() -> date:
    from tenslog.localtime import local_time

    return local_time().date()


def _patient(fmt: str, name: str | None, born: str | None):  # -> Patient | None
    """The report's patient, checked; either option with another format is a mistake."""
    if fmt != "report":
        if name is not None or born is not None:
            given = "--patient-name" if name is not None else "--date-of-birth"
            raise click.UsageError(f"{given} is for --format report only")
        return None
    from tenslog.exports.report_parts import Patient, PatientError

    if name is None:
        if born is not None:
            raise click.UsageError("--date-of-birth needs --patient-name")
        return None
    try:
        return Patient.parse(name, born, _today())
    except PatientError as exc:
        param = "--date-of-birth" if "date of birth" in str(exc) else "--patient-name"
        raise click.BadParameter(str(exc), param_hint=param) from None


@click.command("export")
@click.option("--format", "fmt", type=click.Choice(["csv", "json", "fhir", "report"]), default="csv", show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
              help="file to write (owner-only); default: print (the report: tenslog-report-DATE.html in your Documents folder)")
@click.option("--patient-name", metavar="NAME", help="report only: the name at the top of the page")
@click.option("--date-of-birth", metavar="YYYY-MM-DD", help="report only: printed beside the name")
@_selection_options
@click.pass_context
def export_command(ctx: click.Context, fmt: str, output: Path | None, patient_name: str | None,
                   date_of_birth: str | None, since, until, kind, unit) -> None:
    """Export sessions as CSV, JSON (exact, re-importable), FHIR R4B or a one-page HTML report."""
    from tenslog.exports import OutputIsDatabase, refuse_database, write_private

    patient = _patient(fmt, patient_name, date_of_birth)
    if fmt == "report" and output is None:
        from tenslog.exports.report_file import default_report_path

        output = default_report_path(_today())
    database = open_store(ctx).path
    if output is not None:
        try:  # before any work; write_private checks again just before it renames
            refuse_database(output, database)
        except OutputIsDatabase as exc:
            raise click.ClickException(str(exc)) from None
    trials = open_store(ctx).trials() if fmt in ("json", "fhir") else []
    text: str | Iterator[str]
    if fmt in ("csv", "json", "fhir"):  # streamed: a chunk of sessions at a time from the database to the file
        read = partial(_select, stream=True) if fmt == "json" else _exported
        sessions: list | Counted = Counted(read(ctx, since, until, kind, unit))
        if fmt == "csv":
            from tenslog.exports.csv_export import csv_chunks

            text = csv_chunks(sessions, app_context(ctx).settings)
        elif fmt == "json":
            from tenslog.exports.json_export import json_chunks

            text = json_chunks(sessions, trials)
        else:
            from tenslog.exports.fhir_export import fhir_chunks

            text = fhir_chunks(sessions, trials=trials)
    else:  # the report: columns, and whole sessions only for the notes marked for the doctor
        from tenslog.exports.report import build_report  # matplotlib only when needed
        from tenslog.exports.report_file import noted_sessions
        from tenslog.exports.report_trial import trial_for_report

        sessions = _select(ctx, since, until, kind, unit, columns=True, rest_by_date=True)
        settings = app_context(ctx).settings
        text = build_report(sessions, settings, noted=noted_sessions(open_store(ctx), sessions),  # type: ignore[arg-type]
                            period=_span(since, until), patient=patient,
                            trial=trial_for_report(open_store(ctx), settings, _today()))
    if output is None:
        for piece in [text] if isinstance(text, str) else text:
            click.echo(piece, nl=False)
        return
    try:
        write_private(output, text, database=database)
    except OutputIsDatabase as exc:
        raise click.ClickException(str(exc)) from None
    except OSError as exc:
        raise click.ClickException(f"could not write {output}: {exc.strerror or exc}; nothing was written") from None
    click.echo(f"Wrote {len(sessions)} session{'s' if len(sessions) != 1 else ''} to {output} (readable by you only).", err=True)


@click.command("import")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["csv", "json"]), help="csv (also tab separated) or json; default: from the file name")
@click.option("--skip-bad", is_flag=True, help="import the good rows and list the bad ones")
@click.option("--dry-run", is_flag=True, help="check the file and say what would be imported; write nothing")
@click.pass_context
def import_command(ctx: click.Context, path: Path, fmt: str | None, skip_bad: bool, dry_run: bool) -> None:
    """Import sessions from a CSV diary (comma, semicolon or tab separated: .csv, .tsv, .txt,
    UTF-8) or a tenslog JSON export. Nothing is imported unless the whole file is clean (or
    --skip-bad). At most 64 MB and 50,000 sessions per file."""
    from tenslog.imports import ImportFailed, import_file
    from tenslog.store.errors import StoreError

    store = open_store(ctx)
    try:
        result = import_file(store, path, fmt, app_context(ctx).settings, skip_bad=skip_bad, dry_run=dry_run)  # type: ignore[arg-type]
    except ImportFailed as exc:
        click.echo(f"Could not import {path}: {exc.describe()}", err=True)
        ctx.exit(1)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(result.plain_words())


@click.command("summary")
@_selection_options
@click.pass_context
def summary_command(ctx: click.Context, since, until, kind, unit) -> None:
    """Does the unit help? The summary in plain words, the key numbers, and TENS against rest."""
    from tenslog.analysis import compare_with_rest, dose_response, summarize

    settings = app_context(ctx).settings
    records = _select(ctx, since, until, None, unit, columns=True, rest_by_date=True)
    chosen = SessionKind(kind) if kind else SessionKind.TENS
    summary = summarize(records, settings, kind=chosen)
    click.echo(summary.plain_words())
    click.echo("")
    width = max(len(k) for k, _ in summary.key_numbers())
    for key, value in summary.key_numbers():
        click.echo(f"  {key:<{width}}  {value}")
    if chosen is SessionKind.TENS:
        click.echo("\nTENS compared with rest")
        click.echo(compare_with_rest(records, settings).plain_words())
        dose = dose_response(records, settings, span=_span(since, until))
        click.echo("\nUse")
        click.echo(dose.adherence.plain_words())
        click.echo(dose.trend.plain_words())
        click.echo("\nPain change by how the unit was used")
        click.echo(dose.tables())
        click.echo(dose.note)
