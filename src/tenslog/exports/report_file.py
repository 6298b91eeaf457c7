"""The report from the store, and where the CLI and the dashboard put it by default. One place,
so ``tenslog export --format report`` and the dashboard's report key select the same sessions,
add the same personal trial and write to the same folder."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from platformdirs import user_documents_path

from tenslog.exports.files import write_private
from tenslog.exports.report_parts import Patient
from tenslog.model import Session, SessionKind
from tenslog.settings import Settings
from tenslog.store import Store
from tenslog.trial.analysis import TrialResult

if TYPE_CHECKING:
    from tenslog.analysis.columns import Columns


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

    sessions: Columns
    trial: TrialResult | None
    period: tuple[date, date] | None = None
    patient: Patient | None = None
    noted: list[Session] = field(default_factory=list)  # those with a note marked for the doctor

    def page(self, settings: Settings) -> str:
        from tenslog.exports.report import build_report

        return build_report(self.sessions, settings, noted=self.noted, period=self.period, patient=self.patient,
                            trial=self.trial)


def noted_sessions(store: Store, cols: Columns) -> list[Session]:
    """The selected sessions whose notes are marked for the doctor, whole: only these are read
    as Sessions (fifty years of history need not be)."""
    import numpy as np

    ids = store.noted_for_doctor()
    return store.sessions_by_id([int(i) for i in np.intersect1d(cols.id, ids)]) if ids else []


def report_inputs(
    store: Store,
    settings: Settings,
    *,
    today: date,
    since: datetime | None = None,
    until: datetime | None = None,
    unit: str | None = None,
    kind: SessionKind | None = None,
    period: tuple[date, date] | None = None,
    patient: Patient | None = None,
) -> ReportInputs:
    """TENS sessions (of ``unit``, if given) and rest periods by date, as the CLI selects
    them, and the running or latest personal trial."""
    from tenslog.analysis.reading import read_columns
    from tenslog.exports.report_trial import trial_for_report

    cols = read_columns(store, since=since, until=until, kind=kind, unit_name=unit, rest_by_date=True)
    return ReportInputs(cols, trial_for_report(store, settings, today), period, patient, noted_sessions(store, cols))


def write_page(page: str, path: Path, database: Path | str | None) -> Path:
    """Owner-only, whole or not at all, never over the database (exports.files)."""
    return write_private(path, page, database=database)


__all__ = ["Patient", "ReportInputs", "default_report_path", "report_inputs", "write_page"]
