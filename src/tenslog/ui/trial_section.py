"""The review's "Personal trial" section: shown only when a trial exists; its verdict in the
analysis' own honest words and a pair-by-pair chart (tenslog.ui.trial_view)."""

from __future__ import annotations

from datetime import date

from textual.widgets import Static

from tenslog.localtime import local_time
from tenslog.settings import Settings
from tenslog.store import Store
from tenslog.ui.trial_view import TrialData, load, result_of, section_text


class TrialSection(Static):
    DEFAULT_CSS = """
    TrialSection { padding: 0 1; margin-top: 1; border-top: solid $primary; height: auto; }
    """

    def __init__(self) -> None:
        super().__init__("", id="trial-section", markup=False)
        self.display = False
        self.shown_for: tuple[TrialData, date] | None = None

    def reload(self, store: Store, settings: Settings) -> None:
        """The review reloads on every filter key; the trial's answer does not depend on the
        filters, and its exact test over up to 2**16 orders takes a while: only again when the
        trial, its entries or the day changed."""
        today = local_time().date()
        data = load(store, today)
        if (data, today) == self.shown_for:
            return
        result = result_of(data, settings, today)
        self.display = result is not None
        if result is not None:
            self.update(section_text(result))
        self.shown_for = (data, today)
