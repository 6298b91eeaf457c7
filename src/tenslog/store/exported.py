"""Sessions as lean rows for a streamed export (FHIR, CSV): everything a record system is sent
about a session (its times, unit, peak intensity, ratings and context), read a chunk at a time
and never built into the pydantic models: fifty years go out in constant memory, and the export
loads no model library. The times, their zones and the order of ratings, treatments, regions,
side effects and extra ratings are those of ``Store.sessions`` (rows.sessions_of)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from tenslog.store.rows import KINDS, MOMENTS, STATES, zone, zone_or
from tenslog.vocabulary import BodyRegion, RatingMoment, SessionKind, SessionState, SideEffect

if TYPE_CHECKING:
    from tenslog.model import Session

CHUNK = 500  # sessions per read: the rows of one chunk are all that is held at once


@dataclass(frozen=True, slots=True)
class ExportedSession:
    id: int | None
    kind: SessionKind
    source: str
    start: datetime  # in the offset it was recorded under, as Session.start
    end: datetime | None
    state: SessionState
    unit_name: str | None  # None: no unit
    scale_kind: str | None
    scale_max: float | None
    peak: float | None  # the highest intensity; None when none was recorded
    ratings: tuple[tuple[RatingMoment, int, datetime], ...]  # before, after, follow-up order
    note: str = ""
    for_doctor: bool = False
    treatments: tuple[tuple[str, str, bool], ...] = ()  # name, dose, medication
    regions: tuple[BodyRegion, ...] = ()
    side_effects: tuple[SideEffect, ...] = ()
    extra_ratings: tuple[tuple[str, RatingMoment, int, datetime], ...] = ()  # name, moment, value, at


_COLUMNS = """s.id, s.kind, s.source, s.start, s."end", s.state, s.heartbeat, s.utc_offset, s.end_offset,
    s.note, s.for_doctor, u.name, u.scale_kind, u.scale_max,
    (SELECT max(value) FROM intensity WHERE session_id = s.id)"""
_MOMENT_ORDER = "CASE moment WHEN 'before' THEN 0 WHEN 'after' THEN 1 ELSE 2 END"
_CHILDREN = (
    f"SELECT session_id, moment, value, at, utc_offset FROM ratings WHERE session_id IN ({{}}) ORDER BY session_id, {_MOMENT_ORDER}",
    "SELECT session_id, name, dose, medication FROM co_treatments WHERE session_id IN ({}) ORDER BY session_id, position",
    "SELECT session_id, kind, value FROM session_marks WHERE session_id IN ({})",
    ("SELECT session_id, name, moment, value, at, utc_offset FROM extra_ratings WHERE session_id IN ({})"
     f" ORDER BY session_id, rowid, {_MOMENT_ORDER}"),
)  # fmt: skip


def exported_sessions(c: sqlite3.Connection, clause: str, params: tuple[object, ...]) -> Iterator[ExportedSession]:
    """The sessions ``clause`` (the store's filters) selects, oldest first, CHUNK at a time."""
    ids = [row[0] for row in c.execute(
        f"SELECT s.id FROM sessions s LEFT JOIN units u ON u.id = s.unit_id {clause} ORDER BY s.start, s.id", params
    )]  # fmt: skip
    for k in range(0, len(ids), CHUNK):
        chunk = ids[k : k + CHUNK]
        marks = ",".join("?" * len(chunk))
        children: list[dict[int, list[tuple]]] = []
        for query in _CHILDREN:
            rows: dict[int, list[tuple]] = {}
            for sid, *rest in c.execute(query.format(marks), chunk):
                rows.setdefault(sid, []).append(tuple(rest))
            children.append(rows)
        found = {row[0]: row for row in c.execute(
            f"SELECT {_COLUMNS} FROM sessions s LEFT JOIN units u ON u.id = s.unit_id WHERE s.id IN ({marks})", chunk
        )}  # fmt: skip
        for sid in chunk:
            if sid in found:  # one deleted meanwhile: left out
                yield _session(found[sid], *(rows.get(sid, ()) for rows in children))


def _session(row: tuple, ratings: Iterable[tuple], treatments: Iterable[tuple], marks: Iterable[tuple],
             extra: Iterable[tuple]) -> ExportedSession:  # fmt: skip
    sid, kind, source, start, end, state, heartbeat, off, end_off, note, for_doctor, name, scale_kind, scale_max, peak = row
    tz = zone(off)
    end_at = None
    if end is not None or state != "recording":
        end_at = datetime.fromtimestamp(end if end is not None else (heartbeat or start), tz if end_off is None else zone(end_off))
    marked = {(k, v) for k, v in marks}
    regions = tuple(r for r in BodyRegion if ("region", r.value) in marked) if marked else ()
    side_effects = tuple(e for e in SideEffect if ("side_effect", e.value) in marked) if marked else ()
    return ExportedSession(
        sid, KINDS[kind], source, datetime.fromtimestamp(start, tz), end_at, STATES[state], name, scale_kind, scale_max,
        peak, tuple((MOMENTS[m], v, datetime.fromtimestamp(a, zone_or(o, tz))) for m, v, a, o in ratings),
        note, bool(for_doctor), tuple((n, d, bool(m)) for n, d, m in treatments),
        regions, side_effects,
        tuple((n, MOMENTS[m], v, datetime.fromtimestamp(a, zone_or(o, tz or UTC))) for n, m, v, a, o in extra),
    )  # fmt: skip


def exported(s: Session | ExportedSession) -> ExportedSession:
    """A session model as the lean row the exports read from the store."""
    if isinstance(s, ExportedSession):
        return s
    c, unit = s.context, s.unit
    return ExportedSession(
        s.id, s.kind, s.source, s.start, s.end, s.state, None if unit is None else unit.name,
        None if unit is None else unit.scale.kind, None if unit is None else unit.scale.maximum,
        s.peak_intensity, tuple((r.moment, r.value, r.at) for r in s.ratings), c.note, c.for_doctor,
        tuple((t.name, t.dose, t.medication) for t in c.treatments), c.regions, c.side_effects,
        tuple((r.name, r.moment, r.value, r.at) for r in c.extra_ratings),
    )  # fmt: skip
