"""What every form with fields, Save and Cancel shares: Enter moves to the next field and
saves from the last one (never from an earlier one: a shaky Enter must not save half a
form), and the buttons do what the keys do."""

from __future__ import annotations

from typing import ClassVar, TypeVar

from textual import on
from textual.screen import ModalScreen
from textual.widgets import Button, Input

ResultType = TypeVar("ResultType")


class FieldsForm(ModalScreen[ResultType]):
    LAST_FIELD: ClassVar[str]  # the id of the field whose Enter saves

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == self.LAST_FIELD:
            self.action_save()
        else:
            self.focus_next()

    @on(Button.Pressed, "#save")
    def save_pressed(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#cancel")
    def cancel_pressed(self) -> None:
        self.action_cancel()

    def action_save(self) -> None:
        raise NotImplementedError

    def action_cancel(self) -> None:
        raise NotImplementedError
