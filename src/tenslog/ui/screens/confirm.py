"""A yes/no question answered with one key (y or n; Esc is no)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from tenslog.ui.key_guard import key_guard


class ConfirmScreen(ModalScreen[bool]):

    BINDINGS = [
        Binding("y", "answer(True)", "Yes"),
        Binding("n", "answer(False)", "No"),
        Binding("escape", "answer(False)", "No", show=False),
    ]

    def __init__(self, question: str | Text, detail: str = "", yes: str = "yes", no: str = "no") -> None:
        super().__init__()
        self.question = question
        self.detail = detail
        self.yes = yes
        self.no = no

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            # Questions may name a unit or a session: plain text, never markup.
            yield Static(self.question, classes="question", markup=False)
            if self.detail:
                yield Static(self.detail, markup=False)
            yield Static(f"y  {self.yes}      n  {self.no}", classes="keys")

    def action_answer(self, value: bool) -> None:
        if value:
            key_guard(self.app).fired()  # a doubled y must not answer the next question too
        self.dismiss(value)
