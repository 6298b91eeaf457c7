"""The report from the store, where the CLI and the dashboard put it by default, and writing
it. One place, so ``tenslog export --format report`` and the dashboard's report key select the
same sessions, add the same personal trial and write to the same folder."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from platformdirs import user_documents_path

from tenslog.exports.files import write_private
from tenslog.exports.report_parts import Patient
from tenslog.settings import Settings
from tenslog.store import Store
from tenslog.store.selection import with_rest_by_date


def default_report_path(today: date) -> Path:
    """``tenslog-report-YYYY-MM-DD.html`` in the user's Documents folder (XDG_DOCUMENTS_DIR on
    Linux), or the home folder when there is none. A second report on the same day replaces
    the first: a doubled key press never leaves two files."""
    folder = user_documents_path()
    if not folder.is_dir():
        folder = Path.home()
    return folder / f"tenslog-report-{today.isoformat()}.html"


@dataclass(frozen=True, slots=True)
class Written:
    path: Path
    sessions: int


def report_page(
    store: Store,
    settings: Settings,
    *,
    today: date,
    since: datetime | None = None,
    until: datetime | None = None,
    unit: str | None = None,
    period: tuple[date, date] | None = None,
    patient: Patient | None = None,
) -> tuple[str, int]:
    """The page and how many sessions it covers: TENS sessions (of ``unit``, if given) and rest
    periods by date, and the running or latest personal trial."""
    from tenslog.exports.report import build_report
    from tenslog.exports.report_trial import trial_for_report

    read = lambda **kw: store.sessions(newest_first=False, **kw)  # noqa: E731
    sessions = with_rest_by_date(read, since=since, until=until, unit_name=unit)
    trial = trial_for_report(store, settings, today)
    return build_report(sessions, settings, period=period, patient=patient, trial=trial), len(sessions)


def write_report(store: Store, settings: Settings, path: Path, **selection: object) -> Written:
    """Make the page and write it owner-only (never over the database)."""
    page, count = report_page(store, settings, **selection)  # type: ignore[arg-type]
    return Written(write_private(path, page, database=store.path), count)


__all__ = ["Patient", "Written", "default_report_path", "report_page", "write_report"]
