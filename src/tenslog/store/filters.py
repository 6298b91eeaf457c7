"""The WHERE clause of a selection of sessions (``s``, joined with its unit ``u``), shared by
every reader of the store."""

from __future__ import annotations

from datetime import datetime

from tenslog.store.rows import ts
from tenslog.vocabulary import SessionKind


def session_filters(
    since: datetime | None, until: datetime | None, kind: SessionKind | None, unit_name: str | None
) -> tuple[str, tuple[object, ...]]:
    where: list[str] = []
    params: list[object] = []
    if since is not None:
        where.append("s.start >= ?")
        params.append(ts(since))
    if until is not None:
        where.append("s.start < ?")
        params.append(ts(until))
    if kind is not None:
        where.append("s.kind = ?")
        params.append(kind.value)
    if unit_name is not None:
        where.append("u.name = ?")
        params.append(unit_name)
    return ("WHERE " + " AND ".join(where)) if where else "", tuple(params)
