"""Names a unit that cannot connect, and its intensity scale, once; remembered after."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from tenslog.model import Unit, manual_unit
from tenslog.parsing import parse_scale
from tenslog.text import name_problem, shown
from tenslog.ui.entry import DEFAULT_UNIT_NAME, scale_text


class UnitForm(ModalScreen[Unit | None]):
    BINDINGS = [Binding("escape", "cancel", "Cancel"), Binding("ctrl+s", "save", "Save")]

    def __init__(self, remembered: Unit | None) -> None:
        super().__init__()
        self.remembered = remembered

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static("[b]Your unit (no connection)[/b]")
            yield Label("Name, as you know it:")
            yield Input(shown(self.remembered.name) if self.remembered else DEFAULT_UNIT_NAME, id="name")
            yield Static("", classes="error", id="name-error", markup=False)
            yield Label("Intensity scale: level:N (levels 1-N, as on its display) or mA")
            yield Input(scale_text(self.remembered), id="scale")
            yield Static("", classes="error", id="scale-error", markup=False)  # echoes the input
            yield Static("Enter to go on · Tab to the scale · Esc to cancel", classes="hint")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        # Enter in either field goes on: the scale is filled in already, and a second,
        # shaky Enter must not land in the wrong place.
        self.action_save()

    def action_save(self) -> None:
        name = self.query_one("#name", Input).value.strip()
        problem = name_problem(name)
        name_error = "" if problem is None else f"the name {problem}"
        scale_error = ""
        try:
            scale = parse_scale(self.query_one("#scale", Input).value)
        except ValueError as exc:
            scale_error = str(exc)
        self.query_one("#name-error", Static).update(name_error)
        self.query_one("#scale-error", Static).update(scale_error)
        if not (name_error or scale_error):
            self.dismiss(manual_unit(name, scale))

    def action_cancel(self) -> None:
        self.dismiss(None)
