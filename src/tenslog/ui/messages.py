"""Typed messages from the live-session controller to the screen that shows it."""

from __future__ import annotations

from textual.message import Message

from tenslog.vocabulary import SessionState


class SessionStarted(Message):
    """The unit (or the s key) started stimulation; the session row exists."""

    def __init__(self, session_id: int) -> None:
        super().__init__()
        self.session_id = session_id


class SessionEnded(Message):
    """The session is closed in the database; time to ask the rating after."""

    def __init__(self, session_id: int, state: SessionState) -> None:
        super().__init__()
        self.session_id = session_id
        self.state = state


class DeviceFinished(Message):
    """The device worker is over: the session ended, the unit went away, or it failed."""

    def __init__(self, problem: str | None) -> None:
        super().__init__()
        self.problem = problem


class FollowUpRequested(Message):
    """The person asked to be reminded to rate this session again later (the app keeps the timer)."""

    def __init__(self, session_id: int) -> None:
        super().__init__()
        self.session_id = session_id


class RatingGiven(Message):
    """A rating key was pressed. A shaky second press of the same key must not switch the
    screen (1, 2 and 3 are also the mode keys), so the app holds those keys briefly."""
