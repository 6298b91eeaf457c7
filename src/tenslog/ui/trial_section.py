"""The review's "Personal trial" section: shown only when a trial exists; its verdict in the
analysis' own honest words and a pair-by-pair chart (tenslog.ui.trial_view)."""

from __future__ import annotations

from textual.widgets import Static

from tenslog.localtime import local_time
from tenslog.settings import Settings
from tenslog.store import Store
from tenslog.ui.trial_view import load, result_of, section_text


class TrialSection(Static):
    DEFAULT_CSS = """
    TrialSection { padding: 0 1; margin-top: 1; border-top: solid $primary; height: auto; }
    """

    def __init__(self) -> None:
        super().__init__("", id="trial-section", markup=False)
        self.display = False

    def reload(self, store: Store, settings: Settings) -> None:
        today = local_time().date()
        result = result_of(load(store, today), settings, today)
        self.display = result is not None
        if result is not None:
            self.update(section_text(result))
