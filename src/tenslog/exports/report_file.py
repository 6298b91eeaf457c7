"""The report from the store, and where the CLI and the dashboard put it by default. One place,
so ``tenslog export --format report`` and the dashboard's report key select the same sessions,
add the same personal trial and write to the same folder."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from platformdirs import user_documents_path

from tenslog.exports.files import write_private
from tenslog.exports.report_parts import Patient
from tenslog.model import Session
from tenslog.settings import Settings
from tenslog.store import Store
from tenslog.store.selection import with_rest_by_date
from tenslog.trial.analysis import TrialResult


def default_report_path(today: date) -> Path:
    """``tenslog-report-YYYY-MM-DD.html`` in the user's Documents folder (XDG_DOCUMENTS_DIR on
    Linux), or the home folder when there is none. A second report on the same day replaces
    the first: a doubled key press never leaves two files."""
    folder = user_documents_path()
    if not folder.is_dir():
        folder = Path.home()
    return folder / f"tenslog-report-{today.isoformat()}.html"


@dataclass(frozen=True)
class ReportInputs:
    """What the report is made of, read from the store (on the thread that owns it); making
    the page from it (matplotlib, ~1 s) may then run on another thread."""

    sessions: list[Session]
    trial: TrialResult | None
    period: tuple[date, date] | None = None
    patient: Patient | None = None

    def page(self, settings: Settings) -> str:
        from tenslog.exports.report import build_report

        return build_report(self.sessions, settings, period=self.period, patient=self.patient, trial=self.trial)


def report_inputs(
    store: Store,
    settings: Settings,
    *,
    today: date,
    since: datetime | None = None,
    until: datetime | None = None,
    unit: str | None = None,
    period: tuple[date, date] | None = None,
    patient: Patient | None = None,
) -> ReportInputs:
    """TENS sessions (of ``unit``, if given) and rest periods by date, as the CLI selects
    them, and the running or latest personal trial."""
    from tenslog.exports.report_trial import trial_for_report

    read = lambda **kw: store.sessions(newest_first=False, **kw)  # noqa: E731
    sessions = with_rest_by_date(read, since=since, until=until, unit_name=unit)
    return ReportInputs(sessions, trial_for_report(store, settings, today), period, patient)


def write_page(page: str, path: Path, database: Path | str | None) -> Path:
    """Owner-only, whole or not at all, never over the database (exports.files)."""
    return write_private(path, page, database=database)


__all__ = ["Patient", "ReportInputs", "default_report_path", "report_inputs", "write_page"]
