"""The live screen's keys for a unit that cannot report on its own: s (switched on or off), y
(yes, off, though the session is short) and the level the person set (+, -, or typed)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from tenslog.driver.events import IntensityChanged, StimulationStarted, StimulationStopped
from tenslog.recorder import Recorder
from tenslog.settings import Settings

if TYPE_CHECKING:
    from tenslog.live.state import LiveState


class ManualKeys:
    """Mixed into LiveController, which provides these."""

    recorder: Recorder | None
    settings: Settings
    _stop_asked: bool
    _last_level: float | None
    state: Callable[[], LiveState]

    def press_switch(self) -> None:
        """The s key: the person switched the unit on or off. Off within the minimum length
        of a session is not taken: it waits for ``confirm_stop`` (another key)."""
        rec = self.recorder
        if rec is None or not self.state().needs_switch_key:
            return
        if rec.session_id is None:
            self._stop_asked = False
            rec.handle(StimulationStarted(rec.clock()))
        elif self._too_soon():
            self._stop_asked = True
        else:
            rec.handle(StimulationStopped(rec.clock()))

    def confirm_stop(self) -> None:
        """The other key: yes, the unit is off, however short the session was."""
        rec = self.recorder
        if rec is not None and self.state().stop_asked:
            self._stop_asked = False
            rec.handle(StimulationStopped(rec.clock()))

    def _too_soon(self) -> bool:
        elapsed = self.recorder.elapsed if self.recorder is not None else None
        return elapsed is not None and elapsed < self.settings.min_session_seconds

    def press_level(self, step: float) -> None:
        """+ and -: the level the person set on a unit that cannot say it. The first press
        of a session notes the level last used with this unit, if there is one."""
        rec = self.recorder
        if rec is None or not self.state().needs_level_keys or rec.unit is None:
            return
        if rec.intensity is None and self._last_level is not None:
            self.set_level(self._last_level)
        else:
            self.set_level((rec.intensity or 0.0) + step)

    def set_level(self, level: float) -> None:
        """A level typed or stepped to, kept within the unit's scale."""
        rec = self.recorder
        if rec is None or not self.state().needs_level_keys or rec.unit is None:
            return
        top = rec.unit.scale.maximum
        level = max(0.0, level if top is None else min(level, top))
        rec.handle(IntensityChanged(rec.clock(), level))

