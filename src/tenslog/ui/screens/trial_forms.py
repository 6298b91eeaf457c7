"""The trial's two forms (modal): plan a trial, and stop it early with a reason. Each problem
is shown next to its field and nothing is stored; a valid form still asks y/n before anything
is written (a plan cannot be edited afterwards, a stop cannot be undone)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from tenslog.localtime import local_time
from tenslog.store import Store, StoreError
from tenslog.trial.plan import PlanError, StoredTrial, check_reason
from tenslog.ui.screens.confirm import ConfirmScreen
from tenslog.ui.screens.form import FieldsForm
from tenslog.ui.trial_form import FIELDS, build_plan, initial_values, plan_summary

LABELS = {"pairs": "Pairs", "period_days": "Period days", "washout_days": "Washout days",
          "start": "First day", "tens_means": "TENS period", "rest_means": "Rest period",
          "seed": "Seed", "change_reason": "Replaces because"}
HINTS = {"pairs": "3-16; 6 is usual", "period_days": "1-7 days each",
         "washout_days": "0-7 days between periods", "start": "YYYY-MM-DD",
         "tens_means": "what you will do", "rest_means": "what you will do",
         "seed": "optional: empty draws one", "change_reason": "only to replace a plan"}
CSS = """
TrialPlanForm, TrialStopForm { align: center middle; }
TrialPlanForm Grid {
    grid-size: 3; grid-columns: 16 1fr 28; grid-rows: auto; grid-gutter: 0 1; height: auto;
    margin: 1 0 0 0;
}
TrialPlanForm Input, TrialStopForm Input { background: $boost; }
TrialPlanForm .error, TrialStopForm .error { padding: 0 1; }
.trial-problem { color: $text-error; text-style: bold; height: auto; }
.trial-buttons { height: auto; margin-top: 1; }
.trial-buttons Button { margin-right: 2; min-width: 10; }
.trial-buttons .hint { width: 1fr; }
"""


def _set_note(note: Static, error: str | None, hint: str) -> None:
    note.update(f"✕ {error}" if error else hint)
    note.set_class(bool(error), "error")
    note.set_class(not error, "hint")


class TrialPlanForm(FieldsForm[StoredTrial | None]):
    LAST_FIELD = FIELDS[-1]  # Enter there saves
    DEFAULT_CSS = CSS
    AUTO_FOCUS = "#pairs"
    BINDINGS = [Binding("escape", "cancel", "Cancel"), Binding("ctrl+s", "save", "Save", show=False)]

    def __init__(self, store: Store) -> None:
        super().__init__()
        self.store = store
        self.done = False

    def compose(self) -> ComposeResult:
        values = initial_values(local_time().date())
        with Vertical(classes="dialog"):
            yield Static("[b]Plan a personal trial[/b]: TENS and rest in pairs, in random order")
            with Grid():
                for name in FIELDS:
                    yield Label(LABELS[name])
                    yield Input(values[name], id=name, compact=True)
                    # Notes echo what was typed: plain text, never markup.
                    yield Static(HINTS[name], id=f"{name}-note", classes="hint", markup=False)
            yield Static("", id="form-problem", classes="trial-problem", markup=False)
            with Horizontal(classes="trial-buttons"):
                yield Button("Plan", id="save", variant="primary", compact=True)
                yield Button("Cancel", id="cancel", compact=True)
                yield Static("Enter: next field · Esc cancel", classes="hint")

    def on_mount(self) -> None:
        # The app's stylesheet sizes every .dialog (and wins over DEFAULT_CSS): this one is wider.
        self.query_one(".dialog").styles.width = 80

    def action_save(self) -> None:
        if self.done:
            return
        values = {name: self.query_one(f"#{name}", Input).value for name in FIELDS}
        now = local_time()
        outcome = build_plan(values, now, self.store.active_trial(now.date()))
        for name in FIELDS:
            _set_note(self.query_one(f"#{name}-note", Static), outcome.errors.get(name), HINTS[name])
        problem = self.query_one("#form-problem", Static)
        if outcome.plan is None:
            problem.update(outcome.problem or "Not planned yet: see ✕ above. Nothing was changed.")
            first = next((name for name in FIELDS if name in outcome.errors), None)
            if first is not None:
                self.query_one(f"#{first}", Input).focus()
            return
        problem.update("")
        plan, reason = outcome.plan, outcome.change_reason

        def answered(yes: bool | None) -> None:
            if not yes or self.done:
                return
            try:
                trial = self.store.add_trial(plan, local_time().date(), reason)
            except StoreError as exc:
                problem.update(f"Not planned: {exc}")
                return
            self.done = True
            self.dismiss(trial)

        replacing = "It replaces the running trial (recorded with your reason). " if reason else ""
        self.app.push_screen(ConfirmScreen(
            "Start this trial?",
            f"{plan_summary(plan)} {replacing}The plan cannot be edited afterwards; stopping "
            "it early is recorded with your reason.",
            yes="plan it", no="not yet"), answered)

    def action_cancel(self) -> None:
        if not self.done:
            self.done = True
            self.dismiss(None)


class TrialStopForm(ModalScreen[StoredTrial | None]):
    """Stop the running trial early: the reason is asked, then y/n; both are recorded."""

    DEFAULT_CSS = CSS
    AUTO_FOCUS = "#reason"
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, store: Store, trial: StoredTrial) -> None:
        super().__init__()
        self.store = store
        self.trial = trial
        self.done = False

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Text(f"Stop trial {self.trial.id} early", style="bold"))
            yield Static("The plan stays as it was; the stop and your reason are recorded as a "
                         "deviation and shown with the result.", classes="hint")
            yield Label("Why?")
            yield Input("", id="reason", compact=True)
            yield Static("a few words, e.g. flare-up, new medicine", id="reason-note",
                         classes="hint", markup=False)
            yield Static("", id="form-problem", classes="trial-problem", markup=False)
            yield Static("Enter: continue (asks y/n) · Esc cancel", classes="hint")

    def on_input_submitted(self, _event: Input.Submitted) -> None:
        if self.done:
            return
        note = self.query_one("#reason-note", Static)
        try:
            reason = check_reason(self.query_one("#reason", Input).value, "reason")
        except PlanError as exc:
            _set_note(note, str(exc).partition(": ")[2], "")
            self.query_one("#form-problem", Static).update("Nothing was changed.")
            return
        _set_note(note, None, "")

        def answered(yes: bool | None) -> None:
            if not yes or self.done:
                return
            try:
                stopped = self.store.stop_trial(self.trial.id, local_time(), reason)
            except StoreError as exc:
                self.query_one("#form-problem", Static).update(f"Not stopped: {exc}")
                return
            self.done = True
            self.dismiss(stopped)

        self.app.push_screen(ConfirmScreen(
            f"Stop trial {self.trial.id} early?",
            "It cannot be restarted; its result will say it was stopped and give no verdict.",
            yes="stop it", no="keep it running"), answered)

    def action_cancel(self) -> None:
        if not self.done:
            self.done = True
            self.dismiss(None)
