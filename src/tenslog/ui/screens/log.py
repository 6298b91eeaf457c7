"""The log: every session, newest first; add, edit, delete (with undo) and rate later."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from tenslog.display import format_change, literal, too_short
from tenslog.live.ratings import save_rating
from tenslog.model import (
    MANUAL_SOURCE,
    RatingMoment,
    Session,
    SessionContext,
    SessionKind,
    SessionState,
)
from tenslog.settings import Settings
from tenslog.store import Store, StoreError
from tenslog.text import shown
from tenslog.ui.format import duration_text, kind_text, rating_text, state_text
from tenslog.ui.key_guard import key_guard
from tenslog.ui.screens.after_rating import AfterRatingScreen
from tenslog.ui.screens.confirm import ConfirmScreen
from tenslog.ui.screens.entry_form import EntryForm
from tenslog.ui.screens.rating import RatingScreen

LOG_ROWS = 250  # about three months at three sessions a day
ARRIVALS_EVERY = 2.0  # seconds: how often an open log looks for a session recorded meanwhile

COLUMNS = (
    ("", 2),
    ("When", 12),
    ("Unit", 12),
    ("Kind", 4),
    ("Time", 6),
    ("Level", 5),
    ("Before", 6),
    ("After", 5),
    ("Change", 6),
)


def row_cells(s: Session, min_seconds: float = 0.0) -> list[Text | str]:
    marker = {SessionState.INTERRUPTED: "!", SessionState.RECORDING: "●"}.get(s.state, "")
    if not marker and too_short(s.duration, min_seconds):
        marker = "~"  # counts in no analysis
    style = "bold reverse" if s.state is SessionState.INTERRUPTED else ""
    marker = (marker or " ") + context_mark(s.context)
    shown_name = shown(s.unit_name)
    name = "—" if s.unit is None else shown_name if len(shown_name) <= 12 else shown_name[:11] + "…"
    return [
        Text(marker, style=style),
        f"{s.start:%d %b %H:%M}",
        literal(name),  # stored text: never markup
        kind_text(s),
        duration_text(s.duration),
        s.describe_intensity(),
        Text(rating_text(s.before), justify="right"),
        Text(rating_text(s.after), justify="right"),
        Text(format_change(s.change), justify="right"),
    ]


def context_mark(context: SessionContext) -> str:
    """One character in the log's first column: ✎ a note, + other treatments or where it hurt."""
    if context.note.strip():
        return "✎"
    return "+" if context.treatments or context.regions or context.side_effects else ""


def context_line(context: SessionContext, width: int = 76) -> str:
    """What else was going on, on one line: the note's first line last (inert, cut to fit)."""
    parts = []
    if context.treatments:
        parts.append("with " + ", ".join(shown(t.label) for t in context.treatments))
    if context.regions:
        parts.append("where: " + ", ".join(r.value for r in context.regions))
    if context.side_effects:
        parts.append("side effects: " + ", ".join(e.value for e in context.side_effects))
    parts += [f"{shown(r.name)} {r.moment.value} {r.value}" for r in context.extra_ratings]
    if context.note.strip():
        first = next(line for line in context.note.split("\n") if line.strip())
        mark = "for the doctor " if context.for_doctor else ""
        parts.append(f"✎ {mark}{shown(first.strip())}")
    line = " · ".join(parts)
    return line if len(line) <= width else line[: width - 1] + "…"


def detail_text(s: Session, min_seconds: float = 0.0) -> str:
    """The chosen session in one or two lines of words, including what is missing. Plain text
    with the name made inert: the detail line shows it with markup off."""
    parts = [f"{s.start:%a %d %b %Y %H:%M}", shown(s.unit_name), duration_text(s.duration),
             state_text(s, min_seconds)]
    text = " · ".join(parts)
    missing = [m for m in (RatingMoment.BEFORE, RatingMoment.AFTER) if s.rating(m) is None]
    if s.state is SessionState.INTERRUPTED:
        text += "\n! Interrupted: it ended at the last moment the unit was heard."
    if RatingMoment.AFTER in missing:
        text += "  Press a to add the rating after."
    elif s.rating(RatingMoment.FOLLOW_UP) is None:
        text += "\nPain later: —   (press a to add a follow-up rating)"
    else:
        text += f"\nPain later: {s.rating(RatingMoment.FOLLOW_UP)}"
    if not s.context.empty:
        text += "\n" + context_line(s.context)
    return text


class LogScreen(Screen[None]):
    BINDINGS = [
        Binding("a", "rate", "Rate", tooltip="add a missing rating (after / follow-up)"),
        Binding("n", "new(False)", "New", tooltip="new session by hand"),
        Binding("r", "new(True)", "Rest", tooltip="new rest period (rated, no unit)"),
        Binding("e", "edit", "Edit", tooltip="edit (or Enter)"),
        Binding("d", "delete", "Delete", tooltip="delete (asks first: y)"),
        Binding("m", "units", "Units", tooltip="units: delete a unit with its sessions"),
        Binding("u", "undo", "Undo", show=False, tooltip="undo the delete"),
    ]

    def __init__(self, store: Store, settings: Settings | None = None) -> None:
        super().__init__()
        self.store = store
        self.min_seconds = settings.min_session_seconds if settings is not None else 0.0
        self.sessions: list[Session] = []
        self.deleted: list[Session] = []
        self.news = ""
        self.known: set[int] = set()  # ids shown at the last reload: what is new since
        self.sub_title = "Log"

    def compose(self) -> ComposeResult:
        yield Header()
        yield DataTable(cursor_type="row", zebra_stripes=True, id="log")
        # What just happened ("Deleted — press u to undo") has its own line under the table:
        # toasts piled up over the rows.
        yield Static("", id="status", markup=False)
        yield Static("", id="detail", markup=False)
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for label, width in COLUMNS:
            table.add_column(label, width=width, key=label or "mark")
        self.reload()
        self.set_interval(ARRIVALS_EVERY, self.look_for_arrivals)

    def look_for_arrivals(self) -> None:
        """A session recorded while the log is open (the live mode keeps recording) shows up,
        with the cursor on it."""
        if not self.is_current:
            return
        newest = self.store.sessions(limit=1)
        if newest and newest[0].id not in self.known:
            self.reload()

    def on_screen_resume(self) -> None:
        self.reload()

    def say(self, text: str) -> None:
        """One line of news under the table, in place of a toast over the rows."""
        self.news = text
        self.query_one("#status", Static).update(text)

    def reload(self, select: int | None = None) -> None:
        table = self.query_one(DataTable)
        current = self.selected()
        keep = select if select is not None else (current.id if current else None)
        # The newest sessions only: a table of years of history is slow and of no use to scroll.
        self.sessions = self.store.sessions(limit=LOG_ROWS)
        ids = {s.id for s in self.sessions if s.id is not None}
        arrived = [s.id for s in self.sessions if s.id is not None and s.id not in self.known]
        if select is None and self.known and arrived:
            keep = arrived[0]  # a session that arrived since (recorded, added): the cursor follows
        self.known = ids
        table.clear()
        for s in self.sessions:
            table.add_row(*row_cells(s, self.min_seconds), key=str(s.id))
        if not self.sessions:
            self.query_one("#detail", Static).update(
                "No sessions yet. Press n to add one by hand, r for a rest period, or 1 for a live session."
            )
            return
        if len(self.sessions) == LOG_ROWS and not self.news:
            self.say(f"Showing the newest {LOG_ROWS} sessions; 3 Review and export cover them all.")
        index = next((i for i, s in enumerate(self.sessions) if s.id == keep), 0)
        table.move_cursor(row=index)
        self.show_detail()

    def selected(self) -> Session | None:
        table = self.query_one(DataTable)
        if not self.sessions or table.cursor_row >= len(self.sessions):
            return None
        return self.sessions[table.cursor_row]

    @on(DataTable.RowHighlighted)
    def show_detail(self) -> None:
        s = self.selected()
        if s is not None:
            self.query_one("#detail", Static).update(detail_text(s, self.min_seconds))

    @on(DataTable.RowSelected)
    def edit_selected(self) -> None:
        self.action_edit()

    def action_new(self, rest: bool) -> None:
        key_guard(self.app).fired()  # a doubled n must not type n into the new form
        kind = SessionKind.REST if rest else SessionKind.TENS
        last = next(
            (s.unit for s in self.sessions if s.unit and s.unit.driver == MANUAL_SOURCE), None
        )
        self.app.push_screen(EntryForm(self.store, kind, unit=last), self.saved)

    def editable(self) -> Session | None:
        """The chosen session, unless it is being recorded right now (the recorder owns it)."""
        s = self.selected()
        if s is not None and s.state is SessionState.RECORDING:
            self.notify("This session is being recorded; change it once it has ended.")
            return None
        return s

    def action_edit(self) -> None:
        s = self.editable()
        if s is not None:
            key_guard(self.app).fired()
            self.app.push_screen(EntryForm(self.store, original=s), self.saved)

    def saved(self, session: Session | None) -> None:
        if session is not None:
            self.reload(select=session.id)
            self.say("Saved.")

    def action_rate(self) -> None:
        s = self.selected()
        if s is None or s.id is None:
            return
        key_guard(self.app).fired()  # a doubled a must not be taken as the rating
        moment = RatingMoment.AFTER if s.after is None else RatingMoment.FOLLOW_UP
        sid = s.id

        # The rating after comes with the ticks for what else was going on (saved with it).
        step = (
            AfterRatingScreen("", self.store.treatment_choices(), s.context, session_start=s.start)
            if moment is RatingMoment.AFTER
            else RatingScreen(moment.value, session_start=s.start)
        )

        def rated(value: int | None) -> None:
            confirmed = step.confirmed if isinstance(step, AfterRatingScreen) else None
            if value is None and confirmed is None:
                return
            try:
                if value is not None:
                    save_rating(self.store, sid, moment, value)
                if confirmed is not None and confirmed != s.context:
                    self.store.set_context(sid, confirmed)
            except StoreError as exc:
                self.notify(str(exc), severity="error", markup=False)
                return
            self.reload(select=sid)
            if value is None:
                self.say("Saved what else was going on.")
            else:
                self.say("Saved the rating after." if moment is RatingMoment.AFTER else "Saved the later rating.")

        # An earlier session: the question names it and asks how it was, never "right now".
        self.app.push_screen(step, rated)

    def action_delete(self) -> None:
        """Delete the chosen session after a one-key question (y); u undoes it."""
        s = self.editable()
        if s is None or s.id is None:
            return
        key_guard(self.app).fired()
        sid = s.id

        def answered(delete: bool | None) -> None:
            if delete:
                self.delete(sid)

        what = f"{s.start.day} {s.start:%b %H:%M}, {shown(s.unit_name)}, {duration_text(s.duration)}"
        self.app.push_screen(
            ConfirmScreen(f"Delete the session of {what}?", "u undoes it afterwards.",
                          yes="delete", no="keep it"),
            answered,
        )

    def delete(self, session_id: int) -> None:
        try:
            self.deleted.append(self.store.delete_session(session_id))
        except StoreError as exc:
            self.notify(str(exc), severity="error", markup=False)
            return
        self.reload()
        self.say("Deleted — press u to undo.")

    def action_undo(self) -> None:
        if not self.deleted:
            self.say("Nothing to undo.")
            return
        key_guard(self.app).fired()  # a doubled u must not restore two sessions
        session = self.deleted.pop()
        try:
            self.store.restore_session(session)
        except StoreError as exc:
            self.deleted.append(session)
            self.notify(str(exc), severity="error", markup=False)
            return
        self.reload(select=session.id)
        self.say("Restored.")

    def action_units(self) -> None:
        """The units, to delete one with all its sessions (a question comes first)."""
        from tenslog.ui.screens.units import UnitsScreen

        self.app.push_screen(UnitsScreen(self.store), lambda deleted: self.reload() if deleted else None)
