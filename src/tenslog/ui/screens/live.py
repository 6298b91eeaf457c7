"""The live session: choose a unit, rate before, watch it record, rate after; the next
session of the same unit is followed without a key. When the tenslog service is recording,
no unit is chosen: the screen follows the service's sessions (tenslog.live.attached)."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from contextlib import suppress
from datetime import datetime, timedelta
from functools import partial
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import ContentSwitcher, Digits, Footer, Header, OptionList, Sparkline, Static
from textual.widgets.option_list import Option

from tenslog.display import literal
from tenslog.live.chooser import manual_choices_soon, remembered_manual
from tenslog.live.controller import LiveController
from tenslog.live.state import Ended, LiveEvent, Phase, Started, UnitChoice
from tenslog.localtime import local_time
from tenslog.store import StoreError
from tenslog.text import shown
from tenslog.ui.live_view import after_text, render
from tenslog.ui.messages import DeviceFinished, FollowUpRequested, SessionEnded, SessionStarted
from tenslog.ui.screens.rating import RatingScreen
from tenslog.vocabulary import RatingMoment, SessionState

if TYPE_CHECKING:
    from tenslog.model import SessionContext, Unit
    from tenslog.store.holder import Holder

REDRAW_HZ = 15
CHOOSE = "Which unit are you using today?"
QUIET_LINE = "Intensity and settings follow your unit's instructions and your doctor."


class LiveScreen(Screen[None]):
    LEVEL = "note the level you set"  # the same words for + and -: help shows them on one line
    BINDINGS = [
        Binding("s", "switch", "Unit on/off", tooltip="you switched it on / off"),
        Binding("plus,equals_sign", "level(1)", "Level +", key_display="+", tooltip=LEVEL),
        Binding("minus", "level(-1)", "Level -", key_display="-", tooltip=LEVEL),
        Binding("l", "type_level", "Type level", tooltip="type the level, then Enter"),
        Binding("y", "confirm_stop", "End it", tooltip="end it, though under a minute"),
        Binding("f", "follow_up", "Remind me later", tooltip="remind me to rate again later"),
        Binding("n", "new_session", "New session", tooltip="start a new session"),
    ]

    def __init__(self, live: LiveController) -> None:
        super().__init__()
        self.live = live
        self.choices: list[UnitChoice] = []
        self._shown: dict[str, str] = {}  # what the redraw last put on screen, by selector
        self._digits_len: dict[str, int] = {}  # longest text each Digits has shown
        self._shown_history: tuple[float, ...] | None = None
        self._result = ""  # the words after a session, without the key hints
        self._stop_asked = False  # an early s waits for y: the footer shows y
        self._before_asked = False  # the rating before was asked for the coming session
        self._asking = False  # a queued question is on screen
        # Questions waiting their turn: how to build each one's screen, and what its answer does.
        self._questions: deque[tuple[Callable[[], Screen[int | None]], Callable[[int | None], None]]] = deque()
        self._started_id: int | None = None  # the session the extra ratings before belong to
        self._extras_before: dict[str, int] = {}
        self.sub_title = "Live session"

    def compose(self) -> ComposeResult:
        yield Header()
        with ContentSwitcher(initial="chooser"):
            with Vertical(id="chooser"):
                yield Static(CHOOSE, classes="title", id="chooser-title")
                yield OptionList(id="units")
                yield Static("", id="chooser-problem", classes="problem", markup=False)
                yield Static("↑ ↓ choose · Enter use it", classes="hint")
            with Vertical(id="live"):
                # Names and problems come from outside (the store, a unit, a driver's error):
                # these lines are plain text, never markup, and the redraw makes them inert.
                yield Static("", id="unit-line", classes="title", markup=False)
                yield Static("", id="reporting", classes="hint", markup=False)
                with Horizontal(id="big"):
                    with Vertical(classes="panel"):
                        yield Static("Time", classes="panel-title")
                        yield Digits("00:00", id="elapsed")
                    with Vertical(classes="panel"):
                        yield Static("Intensity", classes="panel-title")
                        yield Digits("—", id="intensity")
                        yield Static("", id="intensity-label", classes="hint", markup=False)
                yield Sparkline([], id="spark")
                yield Static("", id="status", classes="status", markup=False)
                yield Static("", id="result")
                yield Static("", id="live-problem", classes="problem", markup=False)
        yield Static(QUIET_LINE, classes="quiet")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self._text_widgets: dict[str, Static | Digits] = {
            f"#{w.id}": w
            for w in self.query("#live *").results()
            if isinstance(w, (Static, Digits)) and w.id
        }
        self.set_interval(1 / REDRAW_HZ, self.redraw)
        self.call_after_refresh(self.discover)  # the first frame does not wait for driver imports

    # -- choosing ----------------------------------------------------------------------------
    @work(group="discover", exclusive=True, exit_on_error=False)
    async def discover(self) -> None:
        holder = self.live.service()
        if holder is not None and self.follow(holder):
            return  # the service has the unit: show what it records
        self.query_one("#chooser-title", Static).update(CHOOSE)
        # Units without connection ("No connection") can be taken at once, while the drivers
        # still look (seconds): with no driver named they head the final list too.
        self.choices = [] if self.live.driver_name else await manual_choices_soon(self.live.store)
        self.list_choices(looking=True)
        self.choices = await self.live.discover()
        self.list_choices(looking=False)
        self.query_one("#chooser-problem", Static).update(shown(self.live.driver_problem or ""))

    def _offer(self, choices: list[UnitChoice]) -> None:
        self.choices = choices
        self.list_choices(looking=False, keep=False)  # a new question: from its first answer

    def list_choices(self, looking: bool, keep: bool = True) -> None:
        units = self.query_one("#units", OptionList)
        kept = units.highlighted if keep else None
        units.clear_options()
        for choice in self.choices:
            # A name a unit advertises, or one stored: literal text, never markup.
            prompt = Text.assemble(literal(choice.label), "\n  ", literal(choice.detail, "dim"))
            units.add_option(Option(prompt))
        if looking:
            units.add_option(Option(Text("Looking for units…", style="dim"), disabled=True))
        if self.choices:
            units.highlighted = kept if kept is not None and kept < len(self.choices) else 0
            units.focus()

    @on(OptionList.OptionSelected, "#units")
    def chosen(self, event: OptionList.OptionSelected) -> None:
        if event.option_index >= len(self.choices):
            return
        choice = self.choices[event.option_index]
        if choice.alternatives:  # a serial port several drivers found: which kind of unit?
            where = choice.label.removeprefix("Serial port ")
            self.query_one("#chooser-title", Static).update(
                Text(f"Which kind of unit is on {where}?"))  # a port's name: never markup
            self._offer(list(choice.alternatives))
            return
        if choice.found is None and choice.manual is None:
            from tenslog.ui.screens.unit_form import (
                UnitForm,  # the form's validation loads pydantic
            )

            self.app.push_screen(
                UnitForm(remembered_manual(self.live.store)), lambda unit: self.begin(choice, unit)
            )
        else:
            self.begin(choice)

    def begin(self, choice: UnitChoice, unit: Unit | None = None) -> None:
        if choice.found is None and choice.manual is None and unit is None:
            return  # the new-unit form was cancelled
        try:
            self.live.choose(choice, unit)
        except StoreError as exc:  # RecordingLocked: another tenslog records into this file
            self.query_one("#chooser-problem", Static).update(shown(str(exc)))
            self.notify(shown(str(exc)), severity="error", timeout=10, markup=False)
            holder = self.live.service()
            if holder is not None:  # the service started meanwhile: follow it instead
                self.follow(holder)
            return
        self._show_live()
        self._before_asked = True
        self._ask("before", "", self.rated_before)

    def follow(self, holder: Holder) -> bool:
        """The service records: read its sessions, ask the rating before as usual. False if
        its file cannot be read (said in a notice)."""
        try:
            self.live.attach(holder)
        except StoreError as exc:
            self.notify(shown(str(exc)), severity="error", timeout=10, markup=False)
            return False
        self._show_live()
        self.run_worker(self.live.run(self.reported), group="device", exit_on_error=False)
        self._before_asked = True
        subject = "The tenslog service is recording; your ratings go with its session."
        self._ask("before", subject, self.given_before)
        return True

    def _show_live(self) -> None:
        self.query_one(ContentSwitcher).current = "live"
        self.query_one("#result", Static).update("")
        self.refresh_bindings()

    def given_before(self, value: int | None, session_id: int | None = None) -> None:
        if value is not None:
            self.live.rate_before(value, session_id)
        self.redraw()
        if session_id is not None:
            self._ask_extras(session_id, RatingMoment.BEFORE)

    def _ask(self, moment: str, subject: str, answered: Callable[[int | None], None]) -> None:
        self._enqueue(lambda: RatingScreen(moment, subject), answered)

    def _enqueue(self, make: Callable[[], Screen[int | None]], answered: Callable[[int | None], None]) -> None:
        """One rating question at a time, in the order they arose: the unit may end a session
        and begin the next while a question is up; each answer goes to its own session."""
        self._questions.append((make, answered))
        if not self._asking:
            self._next_question()

    def _next_question(self) -> None:
        make, answered = self._questions[0]
        self._asking = True

        def done(value: int | None) -> None:
            self._questions.popleft()
            self._asking = False
            answered(value)  # may queue more questions (and so show the next one itself)
            if self._questions and not self._asking:
                self._next_question()

        self.app.push_screen(make(), done)

    def _ask_extras_queued(self, moment: RatingMoment, done: Callable[[dict[str, int]], None]) -> None:
        """The extra ratings switched on, one queued question each, so they never end up under
        or over another question; ``done`` gets the answers once the last is answered."""
        from tenslog.ui.extra_ratings import asked_scales

        names = asked_scales(self.live.store)
        answers: dict[str, int] = {}
        for index, name in enumerate(names):
            def given(value: int | None, name: str = name, last: bool = index == len(names) - 1) -> None:
                if value is not None:
                    answers[name] = value
                if last:
                    done(answers)

            self._enqueue(partial(RatingScreen, moment.value, scale=name), given)

    def rated_before(self, value: int | None) -> None:
        if value is not None:
            self.live.rate_before(value)
        self.run_worker(self.live.run(self.reported), group="device", exit_on_error=False)
        self._started_id = None
        self._extras_before = {}
        self._ask_extras_queued(RatingMoment.BEFORE, self.extras_before)  # those switched on

    def extras_before(self, answers: dict[str, int]) -> None:
        self._extras_before = answers
        self._save_extras_before()

    def _save_extras_before(self) -> None:
        """Kept until the session exists (the unit may not be on yet), then saved with it."""
        sid = self._started_id
        if sid is None or not self._extras_before:
            return
        from tenslog.ui.extra_ratings import with_extras

        answers, self._extras_before = self._extras_before, {}
        with suppress(StoreError):  # the session was deleted meanwhile: nothing to add to
            context = self.live.store.get(sid).context
            self.live.store.set_context(sid, with_extras(context, RatingMoment.BEFORE, answers, local_time()))

    def reported(self, event: LiveEvent) -> None:
        """The controller's news, as this screen's messages (handled in order, after the key
        or device event that caused them)."""
        match event:
            case Started(session_id=sid):
                self.post_message(SessionStarted(sid))
            case Ended(session_id=sid, state=state):
                self.post_message(SessionEnded(sid, state))
            case _:
                self.post_message(DeviceFinished(event.problem))

    # -- recording ---------------------------------------------------------------------------
    def redraw(self) -> None:
        """Show the controller's state, once per frame, in one batch. Only what changed is
        touched: an unchanged Static still costs a repaint."""
        if self.live.phase is Phase.CHOOSING or self not in self.app.screen_stack:
            return
        self.live.tick()
        state = self.live.state()
        if state.stop_asked != self._stop_asked:  # y is offered only while it applies
            self._stop_asked = state.stop_asked
            self.refresh_bindings()
        view = render(state)
        texts = {
            "#unit-line": view.unit_line,
            "#reporting": view.reporting,
            "#elapsed": view.elapsed,
            "#intensity": view.intensity,
            "#intensity-label": view.intensity_label,
            "#status": view.status,
            "#live-problem": view.problem,
        }
        for selector in ("#elapsed", "#intensity"):
            # A Digits whose text changes width re-lays out the whole screen; padding to the
            # longest text shown so far keeps it steady (a space is a full-width digit).
            longest = max(self._digits_len.get(selector, 0), len(texts[selector]))
            self._digits_len[selector] = longest
            texts[selector] = texts[selector].rjust(longest)
        with self.app.batch_update():
            for selector, text in texts.items():
                if self._shown.get(selector) != text:
                    self._shown[selector] = text
                    self._text_widgets[selector].update(text)
            if view.history != self._shown_history:
                self._shown_history = view.history
                spark = self.query_one("#spark", Sparkline)
                spark.data = view.history
                spark.display = bool(view.history)

    def on_session_started(self, message: SessionStarted) -> None:
        self.refresh_bindings()
        self.query_one("#result", Static).update("")
        if not self._before_asked:  # the unit came on again: this session's rating before
            subject = "The unit was switched on again: a new session is being recorded."
            sid = message.session_id
            self._ask("before", subject, lambda value: self.given_before(value, sid))
        self._before_asked = False  # the next session asks its own
        self._started_id = message.session_id
        self._save_extras_before()

    def on_session_ended(self, message: SessionEnded) -> None:
        self.refresh_bindings()
        note = (
            ""
            if message.state is SessionState.COMPLETE
            else "The session was interrupted; it is kept."
        )
        self.ask_after(message.session_id, note)

    def ask_after(self, session_id: int, note: str) -> None:
        """Pain after, with the ticks for what else was going on on the same dialog; then the
        extra ratings switched on. The ticks are saved only when the step is confirmed. Queued
        like every question: the answer goes to this session even if the next one has begun."""
        from tenslog.ui.screens.after_rating import AfterRatingScreen

        store = self.live.store
        steps: list[tuple[AfterRatingScreen, SessionContext]] = []

        def make() -> Screen[int | None]:
            try:
                context = store.get(session_id).context
            except StoreError:
                return RatingScreen("after", note)
            step = AfterRatingScreen(note, store.treatment_choices(), context)
            steps.append((step, context))
            return step

        def answered(value: int | None) -> None:
            self.rated_after(value, session_id)
            confirmed = steps[0][0].confirmed if steps else None
            if confirmed is None:  # Esc: nothing of this step is kept
                return
            try:
                if confirmed != steps[0][1]:
                    store.set_context(session_id, confirmed)
            except StoreError as exc:
                self.notify(shown(str(exc)), severity="error", markup=False)
                return
            self._ask_extras(session_id, RatingMoment.AFTER)

        self._enqueue(make, answered)

    def _ask_extras(self, session_id: int, moment: RatingMoment) -> None:
        """The extra ratings the person switched on, asked like pain and saved with the session."""
        self._ask_extras_queued(moment, lambda answers: self._save_extras(session_id, moment, answers))

    def _save_extras(self, session_id: int, moment: RatingMoment, answers: dict[str, int]) -> None:
        from tenslog.ui.extra_ratings import with_extras

        if not answers:
            return
        store = self.live.store
        with suppress(StoreError):  # the session was deleted meanwhile: nothing to add to
            context = store.get(session_id).context
            store.set_context(session_id, with_extras(context, moment, answers, local_time()))

    def on_device_finished(self, message: DeviceFinished) -> None:
        self.refresh_bindings()
        if message.problem:
            self.notify(shown(message.problem), severity="warning", timeout=10, markup=False)

    def rated_after(self, value: int | None, session_id: int | None = None) -> None:
        summary = (self.live.after_summary(session_id) if value is None
                   else self.live.rate_after(value, session_id))
        minutes = self.live.settings.follow_up_minutes
        self._result = after_text(value, summary)
        keys = "" if self.live.phase is Phase.RUNNING else (  # the next session runs already
            f"\nf  remind me to rate again in {minutes} minutes      n  new session")
        self.query_one("#result", Static).update(self._result + keys)
        self.redraw()

    # -- keys --------------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "switch":
            return self.live.state().needs_switch_key
        if action in ("level", "type_level"):
            return self.live.state().needs_level_keys
        if action == "confirm_stop":
            return self.live.state().stop_asked
        if action == "follow_up":
            return self.live.phase is Phase.ENDED and self.live.session_id is not None
        if action == "new_session":
            return self.live.phase in (Phase.ENDED, Phase.FAILED)
        return True

    def action_switch(self) -> None:
        self.live.press_switch()
        self.refresh_bindings()  # y is offered only while an early s waits for it
        self.redraw()

    def action_level(self, step: int) -> None:
        self.live.press_level(step)
        self.redraw()

    def action_confirm_stop(self) -> None:
        self.live.confirm_stop()
        self.refresh_bindings()
        self.redraw()

    def action_type_level(self) -> None:
        from tenslog.ui.screens.level import LevelScreen

        state = self.live.state()
        top = state.scale.maximum if state.scale is not None else None
        start = state.intensity if state.intensity is not None else state.last_level
        self.app.push_screen(LevelScreen(top, start), self.typed_level)

    def typed_level(self, level: float | None) -> None:
        if level is not None:
            self.live.set_level(level)
        self.redraw()

    def action_follow_up(self) -> None:
        if self.live.session_id is not None:
            self.post_message(FollowUpRequested(self.live.session_id))
            at = datetime.now().astimezone() + timedelta(
                minutes=self.live.settings.follow_up_minutes
            )
            self.query_one("#result", Static).update(
                f"{self._result}\nI'll ask you to rate again at {at:%H:%M}.      n  new session"
            )

    def action_new_session(self) -> None:
        self.live.reset()
        self.query_one(ContentSwitcher).current = "chooser"
        self.refresh_bindings()
        self.discover()
