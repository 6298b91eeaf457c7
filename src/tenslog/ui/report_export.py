"""The dashboard's report: the review's key (what the review shows) and the command palette
(all time). The same page and the same default file as ``tenslog export --format report``
(exports.report_file): the store is read here, on the app's thread, and the page is made and
written in a worker thread (matplotlib takes about a second), then a notification names the
file. A second press while one is being written replaces it, and the day's file is replaced,
never doubled."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from textual.app import App

from tenslog.exports.files import OutputIsDatabase
from tenslog.exports.report_file import ReportInputs, default_report_path, report_inputs, write_page
from tenslog.localtime import local_time
from tenslog.settings import Settings
from tenslog.store import Store
from tenslog.ui.review_filter import ReviewFilter


def start_report(app: App[Any], store: Store, settings: Settings, shown: ReviewFilter | None = None) -> None:
    """Write the report of the sessions ``shown`` in the review (None: all time) in the
    background; the notification names the file, or says what went wrong."""
    today = local_time().date()
    since = None
    if shown is not None and shown.days is not None:
        since = datetime.now(UTC) - timedelta(days=shown.days)
    inputs = report_inputs(
        store, settings, today=today, since=since, unit=None if shown is None else shown.unit,
        period=None if since is None else (since.astimezone().date(), today),
    )
    path, database = default_report_path(today), store.path
    app.notify("Writing the report for your doctor…", timeout=3)
    app.run_worker(lambda: _write(app, inputs, settings, path, database), thread=True,
                   group="report", exclusive=True, exit_on_error=False)


def _write(app: App[Any], inputs: ReportInputs, settings: Settings, path: Path, database: Path) -> None:
    try:
        written = write_page(inputs.page(settings), path, database)
    except (OSError, OutputIsDatabase) as exc:
        why = getattr(exc, "strerror", None) or str(exc)
        app.call_from_thread(app.notify, f"Could not write the report to {path}: {why}. Nothing was written.",
                             severity="error", timeout=10, markup=False)
        return
    count = len(inputs.sessions)
    app.call_from_thread(
        app.notify,
        f"Report written to {written} ({count} session{'s' if count != 1 else ''}, readable by you only; "
        "open it in a browser and print it on one A4 page).",
        timeout=10, markup=False,
    )
