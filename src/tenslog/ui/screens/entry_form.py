"""The manual-entry form (modal): add a session or rest period, or edit one. Each problem
is shown next to its field, and nothing is saved until every field is valid."""

from __future__ import annotations

from datetime import datetime

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Checkbox, Input, Label, Select, Static, TextArea

from tenslog.manual import store_lookup
from tenslog.model import RatingMoment, Session, SessionContext, SessionKind, Unit
from tenslog.store import Store, StoreError
from tenslog.text import shown
from tenslog.ui.context_toggles import ContextToggles, GuardedCheckbox
from tenslog.ui.entry import (
    FIELDS,
    auto_start,
    build_context,
    build_session,
    extra_field,
    form_values,
    scale_text,
)
from tenslog.ui.extra_ratings import asked_scales
from tenslog.ui.key_guard import key_guard
from tenslog.ui.screens.confirm import ConfirmScreen
from tenslog.ui.screens.form import FieldsForm

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
    "duration": "minutes (30), 1h30, 40s, or end 15:10",
    "intensity": "highest, as on its display (TENS)",
    "scale": "level:N (levels 1-N) or mA",
    "unit": "your unit's name (TENS)",
    "before": "0-10, 0 = no pain",
    "after": "0-10",
    "follow_up": "0-10, optional",
}
MEDICINE_HINT = "taken with it: name and dose, e.g. tizanidine 2 mg"


class EntryForm(FieldsForm[Session | None]):
    LAST_FIELD = FIELDS[-1]  # Enter there saves
    # Saving is Enter on the last field or the Save button. Ctrl+S is only an extra: many
    # terminals take it as XOFF and freeze the screen instead.
    AUTO_FOCUS = "#start"  # not the Kind list: typing goes straight into the first field
    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+s", "save", "Save", show=False),
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
        # A new entry's start is "now minus the duration" and follows the duration until the
        # person edits the start itself (then it is theirs).
        self.auto_start: str | None = None
        if original is not None:
            self.values = form_values(original)
        else:
            self.auto_start = auto_start("30", datetime.now().astimezone())
            self.values = {
                "start": self.auto_start or "",
                "duration": "30",
                "scale": scale_text(unit),
                "unit": shown(unit.name) if unit and kind is SessionKind.TENS else "",
            }
        self.done = False  # saved: the form is on its way out
        self.initial = (self.kind, {name: self.values.get(name, "") for name in FIELDS})
        # The context: the extra ratings switched on, and any the session already has.
        self.base = original.context if original else SessionContext()
        names = asked_scales(store)
        names += [r.name for r in self.base.extra_ratings if r.name not in names]
        self.extra_names = list(dict.fromkeys(names))
        self.choices = store.treatment_choices()
        self.initial_context: tuple[object, ...] | None = None

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
            with VerticalScroll(id="form-body"):
                yield from self.compose_fields()
            # Save stays in sight under the fields, however far they scroll.
            with Vertical(id="form-bar"):
                yield Static("", id="form-problem", markup=False)
                with Horizontal(id="form-buttons"):
                    yield Button("Save", id="save", variant="primary", compact=True)
                    yield Button("Cancel", id="cancel", compact=True)
                    yield Static("Enter: next field (the last saves) · Esc cancel", classes="hint")

    def compose_fields(self) -> ComposeResult:
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
        yield from self.compose_context()

    def compose_context(self) -> ComposeResult:
        with Grid():
            # Extra ratings: their names are the person's text, shown as plain text.
            for index, name in enumerate(self.extra_names):
                for moment in (RatingMoment.BEFORE, RatingMoment.AFTER):
                    field = extra_field(index, moment)
                    yield Label(f"Extra {moment.value}")
                    yield Input(self._extra_value(name, moment), id=field, compact=True)
                    yield Static(self._extra_hint(name), id=f"{field}-note", classes="hint context-note", markup=False)
            yield Label("Medicine")
            yield Input("", id="medicine", compact=True)
            yield Static(MEDICINE_HINT, id="medicine-note", classes="hint context-note", markup=False)
        yield Label("Note (several lines; Tab leaves it)")
        yield TextArea(self.base.note, id="note", soft_wrap=True, show_line_numbers=False)
        yield Static("", id="note-note", classes="error", markup=False)
        yield GuardedCheckbox("for the doctor (the report lists it)", self.base.for_doctor, id="for-doctor")
        yield Static("Tab to these ticks, then a letter ticks it; the same letter unticks it:", classes="hint")
        yield ContextToggles(self.choices, self.base, id="toggles")

    @staticmethod
    def _extra_hint(name: str) -> str:
        return f"{shown(name)}, 0-10, optional"

    def _reset_context_notes(self) -> None:
        self.query_one("#medicine-note", Static).update(MEDICINE_HINT)
        self.query_one("#note-note", Static).update("")
        for index, name in enumerate(self.extra_names):
            for moment in (RatingMoment.BEFORE, RatingMoment.AFTER):
                self.query_one(f"#{extra_field(index, moment)}-note", Static).update(self._extra_hint(name))
        for note in self.query(".context-note"):
            note.set_classes("hint context-note")
        self.query_one("#note-note").set_classes("error")

    def _extra_value(self, name: str, moment: RatingMoment) -> str:
        value = self.base.extra(name, moment)
        return "" if value is None else str(value)

    def on_mount(self) -> None:
        self.initial_context = self.context_state()

    def context_state(self) -> tuple[object, ...]:
        """Everything of the context as the form shows it: what "changed" compares."""
        return (
            self.query_one("#note", TextArea).text,
            self.query_one("#for-doctor", Checkbox).value,
            self.query_one("#medicine", Input).value,
            self.query_one(ContextToggles).context,
            self.extra_values(),
        )

    def extra_values(self) -> dict[str, dict[RatingMoment, str]]:
        return {
            name: {m: self.query_one(f"#{extra_field(i, m)}", Input).value
                   for m in (RatingMoment.BEFORE, RatingMoment.AFTER)}
            for i, name in enumerate(self.extra_names)
        }  # fmt: skip

    @on(Input.Changed, "#start")
    def start_edited(self, event: Input.Changed) -> None:
        # The field as it is now, not the event's value: a start the form itself set a
        # moment ago may still be on its way.
        if event.input.value != self.auto_start:
            self.auto_start = None  # the person set the start: it stays theirs

    @on(Input.Changed, "#duration")
    def follow_duration(self, event: Input.Changed) -> None:
        start = self.query_one("#start", Input)
        if self.auto_start is None or start.value != self.auto_start:
            return
        follows = auto_start(event.value, datetime.now().astimezone())
        if follows is not None:
            self.auto_start = start.value = follows

    def on_select_changed(self, event: Select.Changed) -> None:
        self.kind = SessionKind(str(event.value))

    def changed(self) -> bool:
        """Anything typed or chosen since the form opened (a start that followed the
        duration by itself is not a change of its own)."""
        kind, values = self.initial
        now = self.field_values()
        if self.auto_start is not None:
            now["start"] = values["start"]
        return self.kind != kind or now != values or self.context_state() != self.initial_context

    def field_values(self) -> dict[str, str]:
        return {name: self.query_one(f"#{name}", Input).value for name in FIELDS}

    def action_save(self) -> None:
        if self.done:  # a second Enter queued behind the one that saved
            return
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
        self._reset_context_notes()
        context, problems = build_context(
            self.base, self.query_one(ContextToggles).context,
            note=self.query_one("#note", TextArea).text,
            for_doctor=self.query_one("#for-doctor", Checkbox).value,
            medicine=self.query_one("#medicine", Input).value,
            extras=self.extra_values(), session=result.session, choices=self.choices,
        )  # fmt: skip
        if context is None:
            self.show_context_problems(problems)
            return
        session = result.session.model_copy(update={"context": context})
        try:
            if self.original is not None:
                saved = self.store.replace_session(session)
            else:
                saved = self.store.add_session(session)
        except StoreError as exc:
            self.query_one("#form-problem", Static).update(f"Not saved: {exc}")
            return
        key_guard(self.app).fired()  # a doubled Enter must not open the saved row again
        self.done = True
        self.dismiss(saved)

    def show_context_problems(self, problems: dict[str, str]) -> None:
        """Each problem beside its field (the note's under the note); the first gets focus."""
        for field, message in problems.items():
            self.query_one(f"#{field}-note", Static).update(f"✕ {message}")
            self.query_one(f"#{field}-note", Static).set_classes("error context-note")
        first = next(iter(problems))
        self.query_one("#note" if first == "note" else f"#{first}").focus()
        self.query_one("#form-problem", Static).update("Not saved yet: see ✕ above.")

    def action_cancel(self) -> None:
        """Esc: leave at once when nothing was changed; else ask first (y throws it away)."""
        if self.done:
            return
        if not self.changed():
            self.done = True
            self.dismiss(None)
            return

        def answered(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)

        self.app.push_screen(
            ConfirmScreen(
                "Throw away what you typed?",
                "Nothing of this form is saved yet.",
                yes="throw it away",
                no="keep editing",
            ),
            answered,
        )
