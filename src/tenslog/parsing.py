"""Parsers for what people type on the command line: times, durations, scales, options.
Each raises ValueError with a message that says what was expected."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from tenslog.manual import parse_scale  # one scale syntax everywhere (tenslog.manual)

__all__ = ["parse_duration", "parse_options", "parse_scale", "parse_time"]

_DURATION = re.compile(r"^\s*(?:(\d+(?:\.\d+)?)\s*h)?\s*(?:(\d+(?:\.\d+)?)\s*m?)?\s*$", re.IGNORECASE)


def parse_duration(text: str) -> timedelta:
    """Minutes ("45"), or hours and minutes ("1h30", "1h 30m", "90m")."""
    match = _DURATION.match(text)
    if not text.strip() or match is None or not any(match.groups()):
        raise ValueError(f"{text!r} is not a duration; use minutes like 45, or 1h30")
    hours = float(match.group(1) or 0)
    minutes = float(match.group(2) or 0)
    total = timedelta(hours=hours, minutes=minutes)
    if total <= timedelta(0):
        raise ValueError("must be longer than zero")
    if total > timedelta(hours=24):
        raise ValueError("must be at most 24 hours")
    return total


def parse_time(text: str, *, now: datetime | None = None) -> datetime:
    """ISO 8601 ("2026-11-20 14:30", with or without an offset) or "HH:MM" for today.
    A time without an offset is local time."""
    now = (now or datetime.now()).astimezone()
    text = text.strip()
    if re.fullmatch(r"\d{1,2}:\d{2}", text):
        hour, minute = map(int, text.split(":"))
        try:
            # Today's wall time in the local zone, with the offset in force at that time.
            return now.replace(hour=hour, minute=minute, second=0, microsecond=0, tzinfo=None).astimezone()
        except ValueError:
            raise ValueError(f"{text!r} is not a time of day") from None
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{text!r} is not a date and time; use e.g. 2026-11-20 14:30") from None
    return value.astimezone() if value.tzinfo is None else value


def parse_options(pairs: tuple[str, ...]) -> dict[str, str]:
    """Driver options given as key=value."""
    options: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise ValueError(f"{pair!r} is not key=value")
        options[key.strip()] = value.strip()
    return options
