"""Asks one pain rating: a single key press, 0-9, or t for 10. Escape skips."""

from __future__ import annotations

from datetime import datetime

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from tenslog.text import shown
from tenslog.ui.key_guard import SETTLE_SECONDS, key_guard

QUESTIONS = {
    "before": "How strong is your pain right now, before the session?",
    "after": "How strong is your pain now, after the session?",
    "follow_up": "Time to rate again: how strong is your pain now?",
}
# For a session rated later, from the log: the question names it, and never says "now".
PAST_QUESTIONS = {
    "before": "How strong was your pain before the session of {when}?",
    "after": "How strong was your pain after the session of {when}?",
    "follow_up": "How strong was your pain later, after the session of {when}?",
}


def question(moment: str, session_start: datetime | None = None, scale: str = "") -> str:
    if scale:  # an extra rating the person defined (e.g. "stiffness/spasm"), asked like pain
        when = f"the session of {session_start.day} {session_start:%b %H:%M}" if session_start else "the session"
        return f"Your {shown(scale)}, 0-10, {'before' if moment == 'before' else 'after'} {when}?"
    if session_start is None:
        return QUESTIONS.get(moment, QUESTIONS["before"])
    template = PAST_QUESTIONS.get(moment, PAST_QUESTIONS["after"])
    return template.format(when=f"{session_start.day} {session_start:%b %H:%M}")


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

    def __init__(
        self, moment: str, subject: str = "", *, session_start: datetime | None = None, scale: str = ""
    ) -> None:
        """``session_start``: the session is an earlier one (from the log), named in the question.
        ``scale``: an extra rating the person defined, asked instead of pain."""
        super().__init__()
        self.moment = moment
        self.subject = subject
        self.session_start = session_start
        self.scale = scale

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            # A scale's name is the person's own text: never markup.
            yield Static(question(self.moment, self.session_start, self.scale), classes="question",
                         id="question", markup=False)
            if self.subject:
                yield Static(self.subject)
            yield Static(
                " 0   1   2   3   4   5   6   7   8   9   t=10 ", classes="keys", id="keys"
            )
            low = "none" if self.scale else "no pain"
            yield Static(f"0 = {low}          10 = worst imaginable (press t)")
            yield Static(
                "Press one key. Esc skips: you can add it later in the log.", classes="hint"
            )

    def action_rate(self, value: int) -> None:
        # The screen keys 1-3 are ratings too: hold them a moment, at once (not by a message,
        # which would come after a second key already queued).
        key_guard(self.app).fired(settle=SETTLE_SECONDS)
        self.dismiss(value)

    def action_skip(self) -> None:
        self.dismiss(None)
