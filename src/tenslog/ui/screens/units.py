"""The units tenslog knows, and deleting one with all its sessions after a question naming it
and how many sessions go. Reached from the log with m; a unit with no sessions left is listed
too, since its name (and a Bluetooth unit's address) would otherwise stay for ever."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from tenslog.store import Store, StoredUnit, StoreError
from tenslog.ui.screens.confirm import ConfirmScreen


def _sessions(count: int) -> str:
    return f"{count} session{'' if count == 1 else 's'}"


class UnitsScreen(ModalScreen[bool]):
    """Dismissed with True when a unit was deleted (the log then reloads)."""

    BINDINGS = [
        Binding("d", "delete", "Delete unit"),
        Binding("escape", "close", "Close"),
    ]

    def __init__(self, store: Store) -> None:
        super().__init__()
        self.store = store
        self.units: list[StoredUnit] = []
        self.deleted = False

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static("Your units", classes="question")
            yield OptionList(id="units")
            yield Static("d  delete the chosen unit and its sessions     Esc  close", classes="keys")

    def on_mount(self) -> None:
        self.reload()

    def reload(self) -> None:
        self.units = self.store.stored_units()
        options = self.query_one(OptionList)
        options.clear_options()
        # Text(), not a str: a stored name is data, never markup.
        options.add_options([
            Option(Text(f"{u.unit.name}  ·  {_sessions(u.sessions)}"), id=str(u.id)) for u in self.units
        ])
        if not self.units:
            options.add_option(Option("No units yet.", disabled=True))
        else:
            options.highlighted = 0
        options.focus()

    def chosen(self) -> StoredUnit | None:
        index = self.query_one(OptionList).highlighted
        return self.units[index] if index is not None and index < len(self.units) else None

    def on_option_list_option_selected(self) -> None:
        self.action_delete()

    def action_delete(self) -> None:
        unit = self.chosen()
        if unit is None:
            return

        def answered(yes: bool | None) -> None:
            if not yes:
                return
            try:
                gone = self.store.delete_unit(unit.id)
            except StoreError as exc:
                self.notify(str(exc), severity="error", markup=False)
                return
            self.deleted = True
            self.notify(f"Deleted the unit and {_sessions(gone)}.")
            self.reload()

        self.app.push_screen(
            ConfirmScreen(
                Text(f"Delete the unit “{unit.unit.name}” with its {_sessions(unit.sessions)}?"),
                "Their ratings go too, and the unit's name (and Bluetooth address). "
                "This cannot be undone.",
                yes="delete", no="keep",
            ),
            answered,
        )

    def action_close(self) -> None:
        self.dismiss(self.deleted)
