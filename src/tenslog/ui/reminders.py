"""The dashboard's side of the reminders: it marks itself as open (so the service leaves the
asking to it), opens the rating a clicked notification asked for (``tenslog --rate``), and
shows a personal trial's reminder as a toast while it is open."""

from __future__ import annotations

from datetime import date
from functools import partial
from typing import TYPE_CHECKING

from tenslog.live.ratings import save_rating
from tenslog.localtime import local_time
from tenslog.presence import Presence, attach_dashboard
from tenslog.store import StoreError
from tenslog.vocabulary import RatingMoment

if TYPE_CHECKING:
    from tenslog.ui.app import TenslogApp

FIRST_LOOK_SECONDS = 0.5
TRIAL_LOOK_SECONDS = 60.0
MOMENT_NAMES = {RatingMoment.BEFORE: "before", RatingMoment.AFTER: "after",
                RatingMoment.FOLLOW_UP: "later"}

RateRequest = tuple[int, RatingMoment | None]  # a session, and which rating (None: the first missing)


class DashboardReminders:
    def __init__(self, rate: RateRequest | None = None) -> None:
        self.rate = rate
        self.presence: Presence | None = None
        self.trial_day: date | None = None  # the day the trial's toast was shown

    def mount(self, app: TenslogApp) -> None:
        self.presence = attach_dashboard(app.store.path)
        if self.rate is not None:
            ask_rating(app, *self.rate)
        # After the first frame, which loads no pydantic (the trial's plan needs it); that
        # import (~0.2 s) runs in a thread, so keys pressed meanwhile are not held up.
        app.set_timer(FIRST_LOOK_SECONDS, lambda: app.run_worker(
            partial(self._load_then_look, app), thread=True, group="trial-look", exit_on_error=False))
        app.set_interval(TRIAL_LOOK_SECONDS, lambda: self.look_at_trial(app))

    def unmount(self) -> None:
        if self.presence is not None:
            self.presence.close()

    def _load_then_look(self, app: TenslogApp) -> None:
        import tenslog.trial.reminder  # noqa: F401  (pydantic, off the UI thread)

        app.call_from_thread(self.look_at_trial, app)

    def look_at_trial(self, app: TenslogApp) -> None:
        """The trial's reminder, once a day, from the reminder time on (as the service does)."""
        from tenslog.trial.reminder import trial_reminder

        now = local_time()
        if self.trial_day == now.date() or now.time() < app.settings.trial_reminder_at:
            return
        try:
            text = trial_reminder(app.store, now.date())
        except StoreError:
            return
        if text is not None:
            app.notify(f"{text} Press 4 for the trial.", title="Personal trial", timeout=30, markup=False)
            self.trial_day = now.date()


def ask_rating(app: TenslogApp, session_id: int, moment: RatingMoment | None) -> None:
    """Ask one rating of one session, as a clicked notification wants; it saves only an answer,
    and never replaces a rating already given (that is the log's edit, with its undo)."""
    from tenslog.ui.screens.rating import RatingScreen

    try:
        session = app.store.get(session_id)
    except StoreError as exc:
        app.notify(f"Cannot ask for that rating: {exc}.", severity="error", markup=False)
        return
    missing = [m for m in MOMENT_NAMES if session.rating(m) is None]
    if moment is None and not missing:
        app.notify(f"Session {session_id} is rated already; change a rating in the log (2).", markup=False)
        return
    moment = moment or missing[0]
    if moment not in missing:
        app.notify(f"Session {session_id} has its {MOMENT_NAMES[moment]} rating already; "
                   "change it in the log (2).", markup=False)
        return

    def rated(value: int | None) -> None:
        if value is None:
            return
        try:
            save_rating(app.store, session_id, moment, value)
        except StoreError as exc:
            app.notify(str(exc), severity="error", markup=False)
            return
        app.notify(f"Saved the {MOMENT_NAMES[moment]} rating of session {session_id}.", markup=False)

    app.push_screen(RatingScreen(moment.value, session_start=session.start), rated)
