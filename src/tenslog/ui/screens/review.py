"""Review: pain before and after each session over time, and the "does it help?" summary.
Imported on first visit only: plotext (and scipy, via analysis) load here, not at start."""

from __future__ import annotations

import sqlite3
from dataclasses import replace

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Static
from textual.worker import get_current_worker
from textual_plotext import PlotextPlot

from tenslog.display import literal
from tenslog.settings import Settings
from tenslog.store import Store
from tenslog.ui.review_chart import Chart, chart_of, draw_chart
from tenslog.ui.review_filter import ReviewFilter
from tenslog.ui.review_reader import ReviewReader
from tenslog.ui.summary import ReviewWords, review_words
from tenslog.ui.trial_section import TrialSection


class ReviewScreen(Screen[None]):
    BINDINGS = [
        Binding("d", "range", "Dates", tooltip="date range (7 / 30 / 90 days / all)"),
        Binding("a", "all_time", "All time", tooltip="all time at once"),
        Binding("k", "kind", "Kind", tooltip="kind"),
        Binding("e", "export_report", "Report", tooltip="write the report for your doctor (what is shown)"),
        Binding("u", "unit", "Unit", tooltip="unit"),
    ]

    def __init__(self, store: Store, settings: Settings) -> None:
        super().__init__()
        self.store = store
        self.settings = settings
        self.filter = ReviewFilter()
        self.reader = ReviewReader(store.path)
        self.sub_title = "Review"

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="filters")
        # The answer first (visible at 80x24 without scrolling), then the chart, then the
        # figures behind it. Plain words holding unit names: never markup.
        with VerticalScroll(id="summary-box"):
            yield Static("", id="answer", markup=False)
            yield Static("", id="hidden-range", markup=False)
            yield PlotextPlot(id="chart")
            yield Static("", id="summary", markup=False)
            yield TrialSection()
        yield Footer(compact=True, show_command_palette=False)

    def on_screen_resume(self) -> None:
        self.reload()
        self.query_one("#summary-box").focus()  # so the arrow keys scroll the words

    def reload(self) -> None:
        """Show the filter at once (the key echoes); read and summarise in a thread: all time
        at fifty years takes a moment the dashboard must not freeze for."""
        days, kind, unit = self.filter.describe()
        self.query_one("#filters", Static).update(Text.assemble(
            ("d", "bold"), f" Dates: {days}   ", ("k", "bold"), f" Kind: {kind}   ",
            ("u", "bold"), " Unit: ", literal(unit),  # a stored name: literal, never markup
        ))
        self._summarise(self.filter)

    @work(thread=True, exclusive=True, group="review")
    def _summarise(self, chosen: ReviewFilter) -> None:
        worker = get_current_worker()
        with self.reader.reading() as reader:  # a later key's worker waits here for this one
            if reader is None or worker.is_cancelled:  # a later key came meanwhile (or the screen went)
                return
            chart, words = self.summary(reader, chosen)
            note = "" if words.compared else self.hidden_rest(reader, chosen, words.rest_rated)
            if worker.is_cancelled:
                return
        self.app.call_from_thread(self._show, chosen, chart, words, note)

    @work(thread=True, exclusive=True, group="review-ahead")
    def _work_out_ahead(self, chosen: ReviewFilter) -> None:
        """All time is one key away and at fifty years takes longer to work out than a key may
        take to answer: worked out once the range chosen is painted, while the person reads it,
        and kept. A later key interrupts it (see tenslog.ui.review_reader); nothing half done
        is kept."""
        try:
            with self.reader.reading() as store, self.reader.warming():
                if store is not None and chosen == self.filter:  # else a later key has come
                    self.summary(store, replace(chosen, days=None))
        except sqlite3.OperationalError as exc:
            if str(exc) != "interrupted":  # interrupts only ever reach this worker
                raise

    def summary(self, store: Store, chosen: ReviewFilter) -> tuple[Chart, ReviewWords]:
        """The chart and the words for the sessions chosen. All time is kept until the data
        changes (see tenslog.ui.review_reader): it does not depend on the clock, and at fifty
        years takes longer to read and work out than a key may take to answer."""
        def work() -> tuple[Chart, ReviewWords]:
            sessions = chosen.columns(store)
            return chart_of(sessions), review_words(sessions, self.settings, chosen.kind)

        return work() if chosen.days is not None else self.reader.remembered(chosen, work)

    def _show(self, chosen: ReviewFilter, chart: Chart, words: ReviewWords, note: str) -> None:
        if chosen != self.filter:  # a later key's summary is on its way
            return
        draw_chart(self.query_one(PlotextPlot), chart)
        self.query_one("#answer", Static).update(words.answer)
        self.query_one("#summary", Static).update(words.details)
        hidden = self.query_one("#hidden-range", Static)
        hidden.update(note)
        hidden.display = bool(note)
        self.query_one(TrialSection).reload(self.store, self.settings)
        if chosen.days is not None:
            self.call_after_refresh(self._work_out_ahead, chosen)

    def hidden_rest(self, store: Store, chosen: ReviewFilter, rest_rated: int | None) -> str:
        """When the date range leaves out rest periods that all time would bring in, say so:
        the comparison the person is looking for may be one key away."""
        if rest_rated is None or chosen.days is None:
            return ""
        _, everything = self.summary(store, replace(chosen, days=None))
        if (everything.rest_rated or 0) <= rest_rated:
            return ""
        return f"Rest periods exist before these {chosen.days} days: press a for all time."

    def on_unmount(self) -> None:
        self.reader.close()

    def action_range(self) -> None:
        self.filter = self.filter.next_range()
        self.reload()

    def action_all_time(self) -> None:
        self.filter = replace(self.filter, days=None)
        self.reload()

    def action_kind(self) -> None:
        self.filter = self.filter.next_kind()
        self.reload()

    def action_export_report(self) -> None:
        from tenslog.ui.report_export import start_report

        start_report(self.app, self.store, self.settings, self.filter)

    def action_unit(self) -> None:
        names = sorted({u.name for u in self.store.units()})
        self.filter = self.filter.next_unit(names)
        self.reload()
