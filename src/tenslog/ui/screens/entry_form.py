"""The manual-entry form (modal): add a session or rest period, or edit one. Each problem
is shown next to its field, and nothing is saved until every field is valid."""

from __future__ import annotations

from datetime import datetime, timedelta

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Select, Static

from tenslog.manual import store_lookup
from tenslog.model import Session, SessionKind, Unit
from tenslog.store import Store, StoreError
from tenslog.text import shown
from tenslog.ui.entry import FIELDS, build_session, form_values, scale_text

LABELS = {
    "start": "Started",
    "duration": "Duration",
    "intensity": "Intensity",
    "scale": "Scale",
    "unit": "Unit",
    "before": "Pain before",
    "after": "Pain after",
    "follow_up": "Pain later",
}
HINTS = {
    "start": "14:30, or 2026-11-20 14:30",
    "duration": "minutes (30), 1h30, or end time 15:10",
    "intensity": "highest, as on its display (TENS)",
    "scale": "level:N (levels 1-N) or mA",
    "unit": "your unit's name (TENS)",
    "before": "0-10, 0 = no pain",
    "after": "0-10",
    "follow_up": "0-10, optional",
}


class EntryForm(ModalScreen[Session | None]):
    BINDINGS = [
        Binding("ctrl+s", "save", "Save"),
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(
        self,
        store: Store,
        kind: SessionKind = SessionKind.TENS,
        original: Session | None = None,
        unit: Unit | None = None,
    ) -> None:
        super().__init__()
        self.store = store
        self.kind = original.kind if original else kind
        self.original = original
        if original is not None:
            self.values = form_values(original)
        else:
            now = datetime.now().astimezone()
            self.values = {
                "start": f"{now - timedelta(minutes=30):%Y-%m-%d %H:%M}",
                "duration": "30",
                "scale": scale_text(unit),
                "unit": shown(unit.name) if unit and kind is SessionKind.TENS else "",
            }

    def _title(self) -> str:
        if self.original is not None:
            return f"Edit session {self.original.id}"
        return (
            "New session by hand"
            if self.kind is SessionKind.TENS
            else "New rest period (without the unit)"
        )

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(f"[b]{self._title()}[/b]", id="form-title")
            with Grid():
                yield Label("Kind")
                yield Select(
                    [("TENS session", SessionKind.TENS), ("Rest period", SessionKind.REST)],
                    value=self.kind,
                    allow_blank=False,
                    compact=True,
                    id="kind",
                )
                yield Static("rest: rated the same way, no unit", classes="hint")
                # The notes echo what was typed (e.g. "(got '[/b]')"): plain text, never markup.
                for name in FIELDS:
                    yield Label(LABELS[name])
                    yield Input(self.values.get(name, ""), id=name, compact=True)
                    yield Static(HINTS[name], id=f"{name}-note", classes="hint", markup=False)
            yield Static("", id="form-problem", markup=False)
            yield Static("Ctrl+S save · Tab / Enter next field · Esc cancel", classes="hint")

    def on_mount(self) -> None:
        self.query_one("#start", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == FIELDS[-1]:
            self.action_save()
        else:
            self.focus_next()

    def on_select_changed(self, event: Select.Changed) -> None:
        self.kind = SessionKind(str(event.value))

    def field_values(self) -> dict[str, str]:
        return {name: self.query_one(f"#{name}", Input).value for name in FIELDS}

    def action_save(self) -> None:
        result = build_session(self.field_values(), self.kind, original=self.original,
                              lookup=store_lookup(self.store))
        for name in FIELDS:
            note = self.query_one(f"#{name}-note", Static)
            error = result.errors.get(name)
            note.update(f"✕ {error}" if error else HINTS[name])
            note.set_class(bool(error), "error")
            note.set_class(not error, "hint")
        if result.session is None:
            first = next(name for name in FIELDS if name in result.errors)
            self.query_one(f"#{first}", Input).focus()
            self.query_one("#form-problem", Static).update("Not saved yet: see ✕ above.")
            return
        try:
            if self.original is not None:
                saved = self.store.replace_session(result.session)
            else:
                saved = self.store.add_session(result.session)
        except StoreError as exc:
            self.query_one("#form-problem", Static).update(f"Not saved: {exc}")
            return
        self.dismiss(saved)

    def action_cancel(self) -> None:
        self.dismiss(None)
