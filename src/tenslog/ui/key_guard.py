"""The double-press guard: a shaky second press of a key that just switched the screen or
changed data is ignored, however the two presses arrive.

Both presses often come in one terminal read (over SSH, or with auto-repeat): Textual then
queues the second key before the first one's action has run, so a guard that only looks at
the screen after the action is too late. The app therefore passes every key through
``KeyGuard.allows`` at the moment its bindings are checked, with the key's own arrival time
(Textual stamps each event with the monotonic clock). An action that must not happen twice
calls ``fired()``; the same key arriving before it ran or within ``REPEAT_WINDOW`` after is
then dropped, and a held key stays dropped while it keeps repeating.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from textual._time import get_time  # the clock of Textual's event times (monotonic)
from textual.app import App

REPEAT_WINDOW = 0.4  # seconds: a tremor's or auto-repeat's second press, not a deliberate one
SETTLE_SECONDS = 0.6  # after a rating key, the screen keys wait this long (1-3 are ratings too)


@dataclass
class KeyGuard:
    key: str = ""  # the key whose bindings are being checked, and when it arrived
    at: float = float("-inf")
    fired_key: str = ""  # the last key that switched the screen or changed data
    fired_at: float = float("-inf")
    settle_until: float = float("-inf")
    window: float = REPEAT_WINDOW

    def allows(self, key: str, at: float) -> bool:
        """False for a repeat to ignore; otherwise ``key`` becomes the key being handled."""
        if key == self.fired_key and at - self.fired_at < self.window:
            self.fired_at = max(self.fired_at, at)  # auto-repeat: ignored while the key is held
            return False
        self.key, self.at = key, at
        return True

    def fired(self, settle: float = 0.0) -> None:
        """The key being handled switched the screen or changed data: ignore its repeat.
        ``settle``: also hold the screen keys this long (after a rating key).

        Both count from now, when the action runs, not from the key's arrival: a key that
        arrived before it ran (in the same read, or while the app was busy) is a repeat."""
        now = get_time()
        self.fired_key, self.fired_at = self.key, now
        if settle:
            self.settle_until = now + settle

    def settling(self) -> bool:
        """True while the screen keys wait after a rating key."""
        return self.at < self.settle_until


def key_guard(app: App[Any]) -> KeyGuard:
    """The app's guard (every screen shares it); one is made for an app without it."""
    guard = getattr(app, "key_guard", None)
    if not isinstance(guard, KeyGuard):
        guard = KeyGuard()
        app.key_guard = guard  # type: ignore[attr-defined]
    return guard
