"""User settings, from the environment (TENSLOG_*) with defaults that suit most people.

A plain dataclass checked by hand, not a pydantic model: six numbers with bounds do not need
a validation library, and loading one (~80 ms) was a quarter of the dashboard's start-up."""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, field, fields
from datetime import time
from pathlib import Path
from typing import Any

ENV_PREFIX = "TENSLOG_"


def default_db_path() -> Path:
    from platformdirs import user_data_path  # here: not needed (~10 ms) when --db is given

    return user_data_path("tenslog", appauthor=False) / "tenslog.db"


class SettingsError(ValueError):
    """A setting that cannot be used: ``field`` names it (as the user gave it), ``reason``
    says why; the message is "field: reason"."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


@dataclass(frozen=True, slots=True)
class _Bounds:
    low: float
    high: float = math.inf
    low_included: bool = True


@dataclass(frozen=True)
class Settings:
    db: Path = field(default_factory=default_db_path)
    # A link loss shorter than this continues the session.
    grace_seconds: float = field(default=120.0, metadata={"bounds": _Bounds(0)})
    # Responder thresholds (IMMPACT; Farrar 2001): a fall of >= 2 points or >= 30 %.
    responder_points: int = field(default=2, metadata={"bounds": _Bounds(1, 10)})
    responder_percent: float = field(default=30.0, metadata={"bounds": _Bounds(0, 100, low_included=False)})
    # Below this many rated sessions, no summary numbers.
    min_rated_sessions: int = field(default=6, metadata={"bounds": _Bounds(2)})
    follow_up_minutes: int = field(default=30, metadata={"bounds": _Bounds(1)})
    # A session shorter than this is a stray key or a blip, not therapy: ending one this soon
    # with the s key asks for a second, different key, and none counts in any analysis.
    min_session_seconds: float = field(default=60.0, metadata={"bounds": _Bounds(0)})
    # A rating given late (a reminder seen hours later) says little about that moment: analysis
    # counts a "before" given up to this long after the start, an "after" this close to the end.
    before_rating_minutes: int = field(default=10, metadata={"bounds": _Bounds(0)})
    after_rating_minutes: int = field(default=30, metadata={"bounds": _Bounds(1)})
    # The service's reminders: a personal trial's missing ratings from this local time on, and
    # the terminal a clicked notification opens the dashboard in ("gnome-terminal --"; empty:
    # xdg-terminal-exec or x-terminal-emulator -e, whichever is there).
    trial_reminder_time: str = "19:00"
    terminal_command: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "db", _path(self.db))
        for f in fields(self):
            if "bounds" in f.metadata:
                number = int if f.type in (int, "int") else float
                value = _number(f.name, getattr(self, f.name), number, f.metadata["bounds"])
                object.__setattr__(self, f.name, value)
        object.__setattr__(self, "trial_reminder_time", _clock_time(self.trial_reminder_time))
        if not isinstance(self.terminal_command, str):
            raise SettingsError("terminal_command", f"needs a command (got {self.terminal_command!r})")

    @property
    def trial_reminder_at(self) -> time:
        return time.fromisoformat(self.trial_reminder_time)


def _path(value: object) -> Path:
    if isinstance(value, (str, os.PathLike)) and str(value).strip():
        return Path(value).expanduser()
    raise SettingsError("db", f"needs a file path (got {value!r})")


def _clock_time(value: object) -> str:
    """"HH:MM" on a 24-hour clock, kept as text (the form it is given and shown in)."""
    text = value.strip() if isinstance(value, str) else ""
    try:
        if len(text) != 5 or text[2] != ":":
            raise ValueError
        return time.fromisoformat(text).strftime("%H:%M")
    except ValueError:
        raise SettingsError("trial_reminder_time", f"needs a time such as 19:00 (got {value!r})") from None


def _number(name: str, value: object, number: type[int | float], bounds: _Bounds) -> int | float:
    kind = "a whole number" if number is int else "a number"
    try:
        if isinstance(value, bool):
            raise ValueError  # noqa: TRY004 - a bool is refused like any other bad value, below
        given = value.strip() if isinstance(value, str) else value
        converted = number(given)  # type: ignore[arg-type,call-overload]  # anything else: TypeError, below
        if number is int and converted != float(given):  # type: ignore[arg-type]
            raise ValueError
    except (TypeError, ValueError):
        raise SettingsError(name, f"needs {kind} (got {value!r})") from None
    if not math.isfinite(converted):
        raise SettingsError(name, f"needs a finite number (got {value!r})")
    if converted > bounds.high or converted < bounds.low or (
        converted == bounds.low and not bounds.low_included
    ):
        low = f"{'at least' if bounds.low_included else 'above'} {bounds.low:g}"
        span = low if math.isinf(bounds.high) else f"{low} and at most {bounds.high:g}"
        raise SettingsError(name, f"needs to be {span} (got {value!r})")
    return converted


def environment() -> dict[str, str]:
    """TENSLOG_* variables by setting name (TENSLOG_GRACE_SECONDS -> grace_seconds)."""
    known = {f.name for f in fields(Settings)}
    found = {key[len(ENV_PREFIX):].lower(): value for key, value in os.environ.items()
             if key.upper().startswith(ENV_PREFIX)}
    return {name: value for name, value in found.items() if name in known}


def load_settings(**given: Any) -> Settings:
    """The given values, then TENSLOG_* variables, then defaults. A SettingsError names the
    variable (TENSLOG_GRACE_SECONDS) or the option (db) at fault."""
    values = {**environment(), **{k: v for k, v in given.items() if v is not None}}
    try:
        return Settings(**values)
    except SettingsError as exc:
        source = exc.field if exc.field in given else f"{ENV_PREFIX}{exc.field.upper()}"
        raise SettingsError(source, exc.reason) from None
