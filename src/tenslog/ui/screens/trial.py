"""The personal trial: today's period and what to do, the ratings still missing, the plan pair by
pair; p plans a trial, x stops the running one early (with a reason, after y/n)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from tenslog.localtime import local_time
from tenslog.settings import Settings
from tenslog.store import Store
from tenslog.trial.plan import StoredTrial
from tenslog.ui.key_guard import key_guard
from tenslog.ui.screens.trial_forms import TrialPlanForm, TrialStopForm
from tenslog.ui.trial_view import load, plan_text, status_text


class TrialScreen(Screen[None]):
    DEFAULT_CSS = """
    TrialScreen #trial-box { height: 1fr; }
    TrialScreen #trial-status { padding: 0 1; margin-bottom: 1; }
    TrialScreen #trial-plan { padding: 0 1; }
    TrialScreen #trial-note { padding: 0 1; height: auto; color: $text-muted; }
    """
    BINDINGS = [
        Binding("p", "plan", "Plan", tooltip="plan a trial (a form, then y/n)"),
        Binding("x", "stop", "Stop early", tooltip="stop the trial early (reason, then y/n)"),
    ]

    def __init__(self, store: Store, settings: Settings) -> None:
        super().__init__()
        self.store = store
        self.settings = settings
        self.trial: StoredTrial | None = None
        self.sub_title = "Personal trial"

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="trial-box"):
            yield Static("", id="trial-status", markup=False)
            yield Static("", id="trial-plan", markup=False)
        yield Static("", id="trial-note", markup=False)
        yield Footer(compact=True, show_command_palette=False)

    def on_screen_resume(self) -> None:
        self.reload()
        self.query_one("#trial-box").focus()

    def reload(self) -> None:
        today = local_time().date()
        data = load(self.store, today)
        self.trial = data.trial
        self.query_one("#trial-status", Static).update(status_text(data, today))
        plan = self.query_one("#trial-plan", Static)
        plan.display = data.trial is not None
        if data.trial is not None:
            plan.update(plan_text(data.trial, today))

    def say(self, words: str) -> None:
        self.query_one("#trial-note", Static).update(words)

    def action_plan(self) -> None:
        key_guard(self.app).fired()  # a doubled p must not type p into the new form
        def planned(trial: StoredTrial | None) -> None:
            self.reload()
            if trial is not None:
                self.say(f"Planned trial {trial.id}. Rate your pain before and after each day.")

        self.app.push_screen(TrialPlanForm(self.store), planned)

    def action_stop(self) -> None:
        today = local_time().date()
        trial = self.store.active_trial(today)
        if trial is None:
            self.say("No trial is planned or running: nothing to stop.")
            return
        key_guard(self.app).fired()  # a doubled x must not type x as the reason

        def stopped(result: StoredTrial | None) -> None:
            self.reload()
            if result is not None:
                self.say(f"Stopped trial {result.id}; recorded as a deviation with your reason.")

        self.app.push_screen(TrialStopForm(self.store, trial), stopped)
