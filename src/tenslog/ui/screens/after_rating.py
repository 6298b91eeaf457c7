"""The step after a session: pain after (one key, as always) and, on the same dialog, one key
each for what else was going on (heat pad, where it hurts, side effects). The rating key, or
Enter without a rating, confirms the ticks; Esc leaves everything as it was."""

from __future__ import annotations

from datetime import datetime

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.events import Key
from textual.widgets import Static

from tenslog.model import SessionContext, Treatment
from tenslog.ui.context_toggles import ContextToggles
from tenslog.ui.screens.rating import RatingScreen, question


class AfterRatingScreen(RatingScreen):
    """Dismisses with the rating (or None); ``confirmed`` is then the context to save, or None
    when the person left with Esc (the ticks are thrown away)."""

    BINDINGS = [
        *RatingScreen.BINDINGS,
        Binding("enter", "keep", "Save ticks only", tooltip="save the ticks without a rating"),
    ]

    def __init__(
        self, subject: str, choices: list[Treatment], context: SessionContext,
        *, session_start: datetime | None = None,
    ) -> None:  # fmt: skip
        super().__init__("after", subject, session_start=session_start)
        self.choices = choices
        self.context = context
        self.confirmed: SessionContext | None = None

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(question(self.moment, self.session_start), classes="question", id="question")
            if self.subject:
                yield Static(self.subject, markup=False)
            yield Static(" 0   1   2   3   4   5   6   7   8   9   t=10 ", classes="keys", id="keys")
            yield Static("0 = no pain          10 = worst imaginable (press t)")
            yield Static("Anything else? A letter ticks it, the same letter again unticks it:", classes="hint")
            ticks = ContextToggles(self.choices, self.context, id="toggles")
            ticks.can_focus = False  # the dialog's keys reach it through on_key: digits stay ratings
            yield ticks
            yield Static(
                "A rating key saves the ticks too · Enter: ticks only · Esc: nothing",
                classes="hint",
            )

    def ticks(self) -> ContextToggles | None:
        """The ticks, once composed (a key can arrive the moment the dialog is pushed)."""
        found = self.query(ContextToggles)
        return found.first() if found else None

    def on_key(self, event: Key) -> None:
        # The dialog has no field: its letter keys are the ticks.
        ticks = self.ticks()
        if ticks is not None and ticks.press(event):
            event.stop()
            event.prevent_default()

    def _chosen(self) -> SessionContext:
        ticks = self.ticks()
        return self.context if ticks is None else ticks.context

    def action_rate(self, value: int) -> None:
        self.confirmed = self._chosen()
        super().action_rate(value)

    def action_keep(self) -> None:
        self.confirmed = self._chosen()
        self.dismiss(None)
