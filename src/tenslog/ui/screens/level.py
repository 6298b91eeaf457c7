"""Notes the level set on a unit that cannot say it: type the number, then Enter."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static


class LevelScreen(ModalScreen[float | None]):
    """Dismisses with the level typed, or None (Esc). Only digits and one decimal mark can be
    typed, so a stray letter key changes nothing."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", tooltip="leave the level as it is")]

    def __init__(self, top: float | None, start: float | None) -> None:
        super().__init__()
        self.top = top
        self.start = start

    def compose(self) -> ComposeResult:
        span = f" (0-{self.top:g})" if self.top else ""
        with Vertical(classes="dialog"):
            yield Label(f"The level you set{span}:", classes="question")
            yield Input(
                "" if self.start is None else f"{self.start:g}",
                restrict=r"[0-9]*[.,]?[0-9]*",
                max_length=6,
                id="level",
            )
            yield Static("", classes="error", id="level-error", markup=False)
            yield Static("Type the number, then Enter · Esc leaves it as it was", classes="hint")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        text = event.value.strip().replace(",", ".")
        try:
            level = float(text)
        except ValueError:
            self.query_one("#level-error", Static).update("Type a number, e.g. 12.")
            return
        if self.top is not None and level > self.top:
            self.query_one("#level-error", Static).update(
                f"{text} is above your unit's highest level, {self.top:g}."
            )
            return
        self.dismiss(level)

    def action_cancel(self) -> None:
        self.dismiss(None)
