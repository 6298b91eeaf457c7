"""What both importers share: building a Session from validated parts, and duplicate keys."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime

from pydantic import ValidationError

from tenslog.imports.errors import Problem
from tenslog.model import Session, field_errors

DuplicateKey = tuple[float, str, str | None]  # start instant, kind, unit name


def session_key(s: Session) -> DuplicateKey:
    return (round(s.start.timestamp(), 3), s.kind.value, None if s.unit is None else s.unit.name)


def validate_session(
    data: dict, line: int | None, columns: Mapping[str, str] | None = None
) -> tuple[Session | None, list[Problem]]:
    """Session.model_validate with each problem turned into 'line N, field F: reason'; F is
    the model's field, or the file's own column where ``columns`` maps it."""
    try:
        return Session.model_validate(data), []
    except ValidationError as exc:
        names = columns or {}
        problems = [Problem(line, names.get(e.field, e.field), e.message) for e in field_errors(exc, line)]
        # A start in the future (or before 1970) makes the end and rating times so too: say it once.
        start = [p.reason for p in problems if p.field == names.get("start", "start")]
        problems = [p for p in problems if p.field == names.get("start", "start")
                    or not any(p.reason == r or ("future" in r and "future" in p.reason) for r in start)]
        return None, problems


def not_future(at: datetime) -> datetime:
    """Rating times derived from the end may run past now for a session just finished."""
    now = datetime.now(UTC)
    return at if at <= now else now.astimezone(at.tzinfo or UTC)


def local(value: datetime) -> datetime:
    """A time without an offset is this computer's local time (a typed-up paper diary)."""
    return value if value.tzinfo is not None else value.astimezone()

