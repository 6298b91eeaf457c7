"""The effect of one session: change, percent change and whether it counts as a responder."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from tenslog.settings import Settings

if TYPE_CHECKING:  # the model only for its type: the streamed CSV export runs without pydantic
    from tenslog.model import Session

NO_PERCENT_FROM_ZERO = "no percent change: pain was 0 before, so there is nothing to fall from"


@dataclass(frozen=True, slots=True)
class SessionEffect:
    before: int | None
    after: int | None
    change: int | None  # after - before; negative = pain fell
    percent_change: float | None  # negative = pain fell; None when before is missing or 0
    percent_note: str | None  # why percent_change is missing, in words
    responder: bool | None  # None when the session is not rated before and after

    def plain_words(self) -> str:
        if self.change is None:
            return "not rated both before and after, so no change can be worked out"
        if self.change == 0:
            text = f"no change (pain {self.before} before and after)"
        else:
            verb = "fell" if self.change < 0 else "rose"
            text = f"pain {verb} by {abs(self.change)} (from {self.before} to {self.after}"
            if self.percent_change is not None:
                text += f", {abs(self.percent_change):.0f} %"
            text += ")"
        return text + ("; a responder session" if self.responder else "")


def percent_change(before: int | None, after: int | None) -> float | None:
    """(after - before) / before * 100, or None when it is undefined (before 0 or missing)."""
    if before is None or after is None or before == 0:
        return None
    return (after - before) * 100 / before  # multiply first: 3 * 100 / 10 is exactly 30.0


def is_responder(before: int | None, after: int | None, settings: Settings) -> bool | None:
    """A fall of >= responder_points, or >= responder_percent % (IMMPACT; Farrar 2001)."""
    if before is None or after is None:
        return None
    fall = before - after
    if fall >= settings.responder_points:
        return True
    # Compared in integers-times-100 so exactly 30 % counts as 30 %, not 29.999...
    return before > 0 and fall > 0 and fall * 100 >= settings.responder_percent * before


def effect(before: int | None, after: int | None, settings: Settings) -> SessionEffect:
    change = None if before is None or after is None else after - before
    note = None
    if change is not None and before == 0:
        note = NO_PERCENT_FROM_ZERO
    elif change is None:
        note = "not rated both before and after"
    return SessionEffect(
        before, after, change, percent_change(before, after), note, is_responder(before, after, settings)
    )


def session_effect(session: Session, settings: Settings | None = None) -> SessionEffect:
    return effect(session.before, session.after, settings or Settings())
