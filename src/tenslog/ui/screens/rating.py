"""Asks one pain rating: a single key press, 0-9, or t for 10. Escape skips."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from tenslog.ui.messages import RatingGiven

QUESTIONS = {
    "before": "How strong is your pain right now, before the session?",
    "after": "How strong is your pain now, after the session?",
    "follow_up": "Time to rate again: how strong is your pain now?",
}


class RatingScreen(ModalScreen[int | None]):
    """Dismisses with the rating (0-10), or None when skipped."""

    BINDINGS = [
        *[
            Binding(str(n), f"rate({n})", str(n), show=False, tooltip="your pain")
            for n in range(10)
        ],
        Binding("t", "rate(10)", "10", show=True, key_display="t", tooltip="10"),
        Binding("asterisk", "rate(10)", "10", show=False),
        Binding("escape", "skip", "Skip", show=True, tooltip="skip; add it later in the log"),
    ]

    def __init__(self, moment: str, subject: str = "") -> None:
        super().__init__()
        self.moment = moment
        self.subject = subject

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(QUESTIONS.get(self.moment, QUESTIONS["before"]), classes="question")
            if self.subject:
                yield Static(self.subject)
            yield Static(
                " 0   1   2   3   4   5   6   7   8   9   t=10 ", classes="keys", id="keys"
            )
            yield Static("0 = no pain          10 = worst imaginable (press t)")
            yield Static(
                "Press one key. Esc skips: you can add it later in the log.", classes="hint"
            )

    def action_rate(self, value: int) -> None:
        self.app.post_message(RatingGiven())
        self.dismiss(value)

    def action_skip(self) -> None:
        self.dismiss(None)
