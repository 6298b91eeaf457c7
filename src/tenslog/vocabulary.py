"""The words the domain model is built from: kinds, states and limits, as plain enums and
constants. Kept free of pydantic so that what the dashboard needs for its first frame (the
store, the recorder, the live screen) loads without the validation library (~80 ms)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from enum import StrEnum

# A start a little ahead of the clock is tolerated: clocks of phones, units and PCs drift.
FUTURE_TOLERANCE = timedelta(minutes=5)
# Times before this are typing errors, and they would not survive the round trip through
# POSIX timestamps in the store; a session longer than a day is one too.
EARLIEST = datetime(1970, 1, 2, tzinfo=UTC)
LONGEST_SESSION = timedelta(hours=24)
PAIN_MIN, PAIN_MAX = 0, 10

MANUAL_SOURCE = "manual"


def describe_intensity(kind: str, maximum: float | None, value: float | None) -> str:
    """An intensity as the unit shows it: "7/20", "7" (a level without a known top) or "12 mA"."""
    if value is None:
        return "—"
    if kind == "level":
        top = f"/{maximum:g}" if maximum else ""
        return f"{value:g}{top}"
    return f"{value:g} mA"


class SessionKind(StrEnum):
    TENS = "tens"
    REST = "rest"  # rated before/after like a session, but without the unit: the comparison


class SessionState(StrEnum):
    RECORDING = "recording"
    COMPLETE = "complete"
    INTERRUPTED = "interrupted"  # closed by a crash or a long link loss: the end is a last-known time


class RatingMoment(StrEnum):
    BEFORE = "before"
    AFTER = "after"
    FOLLOW_UP = "follow_up"


class BodyRegion(StrEnum):
    """Where it hurts: a fixed list, so regions can be counted and coded (SNOMED CT in FHIR)."""

    NECK = "neck"
    UPPER_BACK = "upper back"
    LOWER_BACK = "lower back"
    SHOULDERS = "shoulders"
    ARMS = "arms"
    HIPS = "hips"
    LEGS = "legs"
    OTHER = "other"


class SideEffect(StrEnum):
    SKIN_IRRITATION = "skin irritation"
    DROWSINESS = "drowsiness"
    MORE_SPASM = "more spasm"
    OTHER = "other"


# The other treatments a new diary offers; the user edits the list (store: treatment_choices).
# The last is the generic medication: name the medicine with a dose, e.g. "tizanidine 2 mg".
DEFAULT_TREATMENTS: tuple[tuple[str, bool], ...] = (
    ("heat pad", False), ("pain-relief patch", False), ("stretching", False), ("rest", False),
    ("medication", True),
)  # fmt: skip

