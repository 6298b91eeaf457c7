"""What both importers share: building a Session from validated parts, and duplicate keys."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from pydantic import ValidationError

from tenslog.imports.errors import Problem
from tenslog.model import Session, explain

DuplicateKey = tuple[float, str, str | None]  # start instant, kind, unit name


def session_key(s: Session) -> DuplicateKey:
    return (round(s.start.timestamp(), 3), s.kind.value, None if s.unit is None else s.unit.name)


def validate_session(data: dict, line: int | None) -> tuple[Session | None, list[Problem]]:
    """Session.model_validate with each problem turned into 'line N, field F: reason'."""
    try:
        return Session.model_validate(data), []
    except ValidationError as exc:
        problems = []
        for text in explain(exc):
            field, _, reason = text.partition(": ")
            problems.append(Problem(line, field or "session", reason or text))
        # A start in the future makes every rating time future too: say it once.
        if any(p.field == "start" and "future" in p.reason for p in problems):
            problems = [p for p in problems if p.field == "start" or "future" not in p.reason]
        return None, problems


def not_future(at: datetime) -> datetime:
    """Rating times derived from the end may run past now for a session just finished."""
    now = datetime.now(timezone.utc)
    return at if at <= now else now.astimezone(at.tzinfo or timezone.utc)


def local(value: datetime) -> datetime:
    """A time without an offset is this computer's local time (a typed-up paper diary)."""
    return value if value.tzinfo is not None else value.astimezone()


ONE_MINUTE = timedelta(minutes=1)
