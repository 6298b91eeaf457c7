"""What the service reminds of, and when: a session's start and end (when no dashboard is open
to ask), a follow-up rating later, and a personal trial's ratings once per period day.

Reminders go out one at a time through a queue, so they arrive in the order they were due
and a slow notification server never holds up recording (the recorder's callbacks only
queue)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import date, datetime, time
from pathlib import Path

from tenslog.localtime import local_time
from tenslog.presence import dashboard_attached
from tenslog.recorder import Recorder
from tenslog.service.notify import Notifier, Reminder
from tenslog.store import Store, StoreError
from tenslog.trial.reminder import trial_reminder
from tenslog.vocabulary import RatingMoment, SessionState

STARTED = ("TENS session started", "How strong is your pain right now? Click to rate it.")
ENDED = ("TENS session ended: how is your pain now?", "Click to rate it.")
FOLLOW_UP = ("Time to rate again: how is your pain now?", "Later rating for the TENS session of {when}. Click to rate it.")
TRIAL_TITLE = "Personal trial: today's ratings are missing"
TRIAL_LOOK_SECONDS = 60.0  # how often the trial's reminder time is looked at


class ServiceReminders:
    def __init__(self, store: Store, notifier: Notifier, *, follow_up_seconds: float,
                 min_session_seconds: float, trial_time: time,
                 attached: Callable[[Path], bool] = dashboard_attached,
                 now: Callable[[], datetime] = local_time) -> None:
        self.store = store
        self.notifier = notifier
        self.follow_up_seconds = follow_up_seconds
        self.min_session_seconds = min_session_seconds
        self.trial_time = trial_time
        self.attached = attached
        self.now = now
        self.queue: asyncio.Queue[Reminder] = asyncio.Queue()
        self._later: list[asyncio.TimerHandle] = []
        self._trial_day: date | None = None  # the day the trial's reminder went out
        self._closed = False

    def follow(self, recorder: Recorder) -> None:
        recorder.on_started.append(self._started)
        recorder.on_ended.append(self._ended)

    # -- sessions ------------------------------------------------------------------------------
    def _dashboard_open(self) -> bool:
        return self.attached(self.store.path)

    def _started(self, session_id: int) -> None:
        if not self._closed and not self._dashboard_open():
            self.queue.put_nowait(Reminder(*STARTED, session_id, RatingMoment.BEFORE.value))

    def _ended(self, session_id: int, state: SessionState) -> None:
        if self._closed or self._dashboard_open():
            return  # an open dashboard asks for the ratings itself (and offers its own reminder)
        try:
            session = self.store.get(session_id)
        except StoreError:
            return
        length = session.duration
        if length is not None and length.total_seconds() < self.min_session_seconds:
            return  # a stray switch or a blip counts nowhere: no nagging about it either
        if session.after is None:
            self.queue.put_nowait(Reminder(*ENDED, session_id, RatingMoment.AFTER.value))
        when = session.start.astimezone(self.now().tzinfo)
        title, body = FOLLOW_UP
        later = Reminder(title, body.format(when=f"{when:%H:%M}"), session_id, RatingMoment.FOLLOW_UP.value)
        loop = asyncio.get_running_loop()
        self._later.append(loop.call_later(self.follow_up_seconds, self._follow_up, later))

    def _follow_up(self, reminder: Reminder) -> None:
        assert reminder.session_id is not None
        try:
            rated = self.store.get(reminder.session_id).rating(RatingMoment.FOLLOW_UP) is not None
        except StoreError:
            return  # deleted in the meantime
        if not rated:
            self.queue.put_nowait(reminder)

    # -- the trial -----------------------------------------------------------------------------
    def look_at_trial(self) -> None:
        """Queue the trial's reminder if it is due today and has not gone out yet. Due: a period
        day whose ratings are missing, from the reminder time on, while no dashboard is open
        (an open one shows it; if it closes with the ratings still missing, this one goes)."""
        now = self.now()
        if self._trial_day == now.date() or now.time() < self.trial_time or self._dashboard_open():
            return
        try:
            text = trial_reminder(self.store, now.date())
        except StoreError:
            return
        if text is not None:
            self.queue.put_nowait(Reminder(TRIAL_TITLE, text))
            self._trial_day = now.date()

    async def _trial_loop(self) -> None:
        while True:
            self.look_at_trial()
            await asyncio.sleep(TRIAL_LOOK_SECONDS)

    # -- running -------------------------------------------------------------------------------
    async def run(self) -> None:
        """Say whether notifications can be shown, then show reminders as they come."""
        await self.notifier.start()
        trial = asyncio.create_task(self._trial_loop())
        try:
            while True:
                reminder = await self.queue.get()
                try:
                    await self.notifier.show(reminder)
                except Exception as exc:  # noqa: BLE001 - a reminder must never stop the recording
                    self.notifier.journal.error(f"a reminder failed ({type(exc).__name__}: {exc})")
        finally:
            trial.cancel()

    def close(self) -> None:
        """The service is stopping: sessions it keeps are not news, and nothing more is due."""
        self._closed = True
        for handle in self._later:
            handle.cancel()
