"""FHIR dateTime text, exactly as fhir.resources (pydantic) wrote it before the export was
streamed: ISO 8601 with microseconds only when there are any, "Z" for an offset of zero, and
the offset cut to hours and minutes (FHIR allows no seconds there)."""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from typing import Any


@lru_cache(maxsize=64)
def _offset(seconds: int) -> str:
    if seconds == 0:
        return "Z"
    hours, minutes = divmod(abs(seconds) // 60, 60)
    return f"{'-' if seconds < 0 else '+'}{hours:02d}:{minutes:02d}"


def fhir_time(at: datetime) -> str:
    delta = at.utcoffset()
    text = at.replace(tzinfo=None).isoformat()
    return text if delta is None else text + _offset(int(delta.total_seconds()))


def period(start: datetime, end: datetime | None) -> dict[str, Any]:
    """A Period from ``start`` to ``end`` (none while it is still going on)."""
    return {"start": fhir_time(start)} if end is None else {"start": fhir_time(start), "end": fhir_time(end)}
