"""The tenslog dashboard: four modes (live session, log, review, personal trial), switched
with 1/2/3/4."""

from __future__ import annotations

import asyncio
import gc
import os
import signal
import threading
import time
from collections.abc import Iterable
from contextlib import suppress
from datetime import datetime, timedelta

from rich.text import Text
from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.notifications import Notify, SeverityLevel
from textual.screen import Screen
from textual.timer import Timer

from tenslog.live.controller import LiveController
from tenslog.live.ratings import save_rating
from tenslog.settings import Settings
from tenslog.store import Store, StoreError
from tenslog.ui.commands import TenslogCommands
from tenslog.ui.key_guard import KeyGuard
from tenslog.ui.messages import FollowUpRequested
from tenslog.ui.reminders import DashboardReminders, RateRequest
from tenslog.ui.screens.confirm import ConfirmScreen
from tenslog.ui.screens.live import LiveScreen
from tenslog.ui.screens.rating import RatingScreen
from tenslog.vocabulary import RatingMoment, SessionKind

WARM_UP_AFTER = 0.5  # seconds after mount
SIGNAL_EXIT_GRACE = 5.0  # seconds a SIGTERM/SIGHUP leaves Textual to close the terminal
MAX_TOASTS = 2  # older toasts go: a pile of them covered the screen


def _end_after(seconds: float) -> None:
    time.sleep(seconds)
    os._exit(0)  # the session and the database were closed by _signalled


def _import_review() -> None:
    import tenslog.analysis.compare
    import tenslog.analysis.dose
    import tenslog.analysis.summary  # numpy, scipy (the package itself loads lazily)
    import tenslog.ui.screens.log
    import tenslog.ui.screens.review  # noqa: F401  (plotext)

    # Everything loaded so far lives as long as the app: leave it out of garbage collection.
    # Otherwise reading ten years of history (~11k small objects) sets off full collections
    # that walk every module object of textual, scipy and pydantic (~70 ms per review).
    gc.freeze()


class TenslogApp(App[None]):
    CSS_PATH = "tenslog.tcss"
    TITLE = "tenslog"
    COMMANDS = App.COMMANDS | {TenslogCommands}
    # Start straight in the live mode: no default screen to build and then switch away from
    # (the switch re-parsed every stylesheet twice, ~25 ms of the first frame).
    DEFAULT_MODE = "live"
    NOTIFICATION_TIMEOUT = 4  # seconds (Textual's default: 5)
    BINDINGS = [
        Binding("1", "go('live')", "Live", tooltip="live session"),
        Binding("2", "go('log')", "Log", tooltip="log"),
        Binding("3", "go('review')", "Review", tooltip="review"),
        # Not in the footer (full at 80 columns): in help, the palette and the README.
        Binding("4", "go('trial')", "Trial", tooltip="personal trial", show=False),
        Binding("question_mark", "help", "Help", key_display="?", tooltip="this help"),
        Binding("f1", "help", "Help", show=False),
        Binding("q", "quit", "Quit", tooltip="quit (a live session is kept)"),
        Binding("ctrl+q", "quit", "Quit", show=False, priority=True),
    ]

    def __init__(
        self,
        *,
        store: Store,
        settings: Settings,
        driver: str | None = None,
        driver_options: dict[str, str] | None = None,
        rate: RateRequest | None = None,
    ) -> None:
        """``rate``: open on this session's rating (a clicked notification: tenslog --rate)."""
        super().__init__()
        self.store = store
        self.settings = settings
        self.live = LiveController(store, settings, driver, dict(driver_options or {}))
        self.follow_ups: dict[int, Timer] = {}
        self.key_guard = KeyGuard()  # shaky double presses: see tenslog.ui.key_guard
        self.reminders = DashboardReminders(rate)  # marks the dashboard open; see ui/reminders
        self.add_mode("live", lambda: LiveScreen(self.live))
        self.add_mode("log", self._log_screen)
        self.add_mode("review", self._review_screen)
        self.add_mode("trial", self._trial_screen)

    # Screens other than the live one are imported on first use: start-up stays quick.
    def _log_screen(self) -> Screen[None]:
        from tenslog.ui.screens.log import LogScreen

        return LogScreen(self.store, self.settings)

    def _review_screen(self) -> Screen[None]:
        from tenslog.ui.screens.review import ReviewScreen  # plotext loads on first visit

        return ReviewScreen(self.store, self.settings)

    def _trial_screen(self) -> Screen[None]:
        from tenslog.ui.screens.trial import TrialScreen

        return TrialScreen(self.store, self.settings)

    def on_mount(self) -> None:
        self.store.try_recover()
        self.reminders.mount(self)
        # Closing the terminal (SIGHUP) or SIGTERM: end the session where the unit was last
        # heard and free the database before going, as quitting does.
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGTERM, signal.SIGHUP):
            with suppress(ValueError, RuntimeError, NotImplementedError):  # not the main thread
                loop.add_signal_handler(signum, self._signalled)
        # Start-up stays light; the review's heavy imports load once the first frame is up,
        # so the first visit to the review does not wait for them.
        self.set_timer(WARM_UP_AFTER, lambda: self.run_worker(
            _import_review, thread=True, group="warm-up", exit_on_error=False))

    async def on_event(self, event: events.Event) -> None:
        # Every key passes the double-press guard before any binding sees it: on arrival (a
        # priority binding) and again when it bubbles back to the app, where the screens'
        # bindings run. A repeat queued before the first press was handled is caught there.
        if isinstance(event, events.Key) and not self.key_guard.allows(event.key, event.time):
            event.prevent_default()
            event.stop()
            return
        await super().on_event(event)

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        # Quit is one of our own commands (with its key and what it keeps): list it once.
        return (c for c in super().get_system_commands(screen) if c.title != "Quit")

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """A screen with a news line of its own (the log) shows news there, never as a toast
        over its rows; elsewhere at most MAX_TOASTS toasts, the newest."""
        say = getattr(self.screen, "say", None)
        if callable(say):
            text = Text.from_markup(message).plain if markup else message
            say(("✕ " if severity == "error" else "") + text)
            return
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=markup)

    def _on_notify(self, event: Notify) -> None:
        for old in list(self._notifications)[: max(0, len(self._notifications) - MAX_TOASTS + 1)]:
            self._unnotify(old, refresh=False)
        super()._on_notify(event)

    # -- actions -------------------------------------------------------------------------
    def action_export_report(self) -> None:
        """The command palette's report: all time (the review's key writes what it shows)."""
        from tenslog.ui.report_export import start_report

        start_report(self, self.store, self.settings)

    async def action_go(self, mode: str) -> None:
        """The mode keys, unless a rating key was pressed a moment ago (a double press)."""
        if self.key_guard.settling() or mode == self.current_mode:
            return
        self.key_guard.fired()
        await self.switch_mode(mode)

    def action_help(self) -> None:
        from tenslog.ui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_new_entry(self, kind: str) -> None:
        from tenslog.ui.screens.entry_form import EntryForm

        def saved(session: object) -> None:
            from tenslog.ui.screens.log import LogScreen

            if session is None:
                return
            if isinstance(self.screen, LogScreen):
                self.screen.say("Saved.")  # the log's own line: no toast over its rows
            else:
                self.notify("Saved.", timeout=3)

        self.push_screen(EntryForm(self.store, SessionKind(kind)), saved)

    async def action_quit(self) -> None:
        if not self.live.recording:
            self.exit()
            return

        def answered(quit_now: bool | None) -> None:
            if quit_now:
                self.live.close()
                self.exit()

        self.push_screen(
            ConfirmScreen(
                "A session is being recorded. Quit now?",
                "The session is kept either way: it is saved as ended now (interrupted at quit).",
                yes="quit",
                no="keep recording",
            ),
            answered,
        )

    def _signalled(self) -> None:
        self.live.close()  # first: the terminal may be gone, and exiting may fail to draw
        self.reminders.unmount()  # the service reminds again at once
        # With the terminal gone (tmux killed, a window closed), Textual's shutdown can wait
        # forever on its output thread, and the process would linger holding the database.
        # Everything that matters is saved above; a process still here after the grace ends.
        threading.Thread(target=_end_after, args=(SIGNAL_EXIT_GRACE,), daemon=True,
                         name="tenslog-exit-grace").start()
        self.exit()

    def on_unmount(self) -> None:
        # Whatever way the app ends, the session is closed and the database freed.
        self.live.close()
        self.reminders.unmount()

    # -- follow-up rating ------------------------------------------------------------------
    def on_follow_up_requested(self, message: FollowUpRequested) -> None:
        self.schedule_follow_up(message.session_id)

    def schedule_follow_up(self, session_id: int, minutes: float | None = None) -> None:
        minutes = self.settings.follow_up_minutes if minutes is None else minutes
        if session_id in self.follow_ups:
            self.follow_ups.pop(session_id).stop()
        self.follow_ups[session_id] = self.set_timer(
            minutes * 60, lambda: self.ask_follow_up(session_id)
        )
        at = datetime.now().astimezone() + timedelta(minutes=minutes)
        self.notify(
            f"I'll ask you to rate again at {at:%H:%M}, if tenslog is still open.", timeout=8
        )

    def ask_follow_up(self, session_id: int) -> None:
        self.follow_ups.pop(session_id, None)

        def rated(value: int | None) -> None:
            if value is None:
                return
            try:
                save_rating(self.store, session_id, RatingMoment.FOLLOW_UP, value)
            except StoreError as exc:
                self.notify(str(exc), severity="error", markup=False)
                return
            self.notify("Saved the later rating.")

        self.bell()
        self.push_screen(RatingScreen("follow_up"), rated)
