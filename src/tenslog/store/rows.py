"""Rows to models and back: how a time, a unit, a session and its figures are laid out in the
tables. No SQL is run here; the store's readers and writers pass rows through these functions.

Times are stored as POSIX seconds plus the UTC offset they were recorded under (seconds east);
a NULL offset (a row from before schema v3) means "the session start's"."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime, timedelta, timezone
from functools import lru_cache
from typing import TYPE_CHECKING, NamedTuple

from tenslog.vocabulary import RatingMoment, SessionKind, SessionState

# The pydantic model classes are imported where sessions are built from rows, not here: opening
# the database and recording (what the dashboard's first frame needs) then loads no pydantic.
if TYPE_CHECKING:
    from tenslog.model import Session, SessionContext, SessionFigures, Unit

KINDS = {k.value: k for k in SessionKind}
STATES = {k.value: k for k in SessionState}
MOMENTS = {k.value: k for k in RatingMoment}
NO_CHILDREN: tuple[list, ...] = ([],) * 6  # intensity, ratings, gaps, treatments, marks, extra ratings
FIGURE_COLUMN = {"before": 0, "after": 1, "follow_up": 2}  # SessionFigures' order of ratings
UNRATED: tuple[None, None, None] = (None, None, None)
NOT_GIVEN: tuple[None, None, None] = (None, None, None)  # when each rating was given

# The columns each reader selects, in the order the builders below unpack them.
UNIT_COLUMNS = "driver, identity, name, scale_kind, scale_max"
SESSION_COLUMNS = """s.id, s.kind, s.source, s.start, s."end", s.state, s.heartbeat, s.utc_offset,
                     s.end_offset, s.note, s.for_doctor,
                     u.driver, u.identity, u.name, u.scale_kind, u.scale_max"""
FIGURE_COLUMNS = """s.id, s.kind, s.start, coalesce(s."end", s.heartbeat), s.state, s.utc_offset,
                    u.name, u.scale_kind, u.scale_max"""


class StoredUnit(NamedTuple):
    id: int
    unit: Unit
    sessions: int
    last_used: datetime | None


# -- models to rows ----------------------------------------------------------------------------
def ts(value: datetime) -> float:
    return value.timestamp()


def offset(value: datetime) -> int:
    delta = value.utcoffset()
    return int(delta.total_seconds()) if delta is not None else 0


def session_row(s: Session, unit_id: int | None, session_id: int | None) -> tuple[object, ...]:
    """The ``sessions`` columns id, kind, source, unit_id, start, "end", state, heartbeat,
    utc_offset, end_offset, note, for_doctor; a stored session's heartbeat is its end."""
    end = None if s.end is None else ts(s.end)
    return (
        session_id, s.kind.value, s.source, unit_id, ts(s.start), end, s.state.value, end,
        offset(s.start), None if s.end is None else offset(s.end),
        s.context.note, int(s.context.for_doctor),
    )


def context_rows(context: SessionContext, session_id: int) -> tuple[list[tuple], list[tuple], list[tuple]]:
    """The co_treatments, session_marks and extra_ratings rows of a session's context."""
    treatments = [(session_id, i, t.name, t.dose, int(t.medication)) for i, t in enumerate(context.treatments)]
    marks = [(session_id, "region", r.value) for r in context.regions]
    marks += [(session_id, "side_effect", e.value) for e in context.side_effects]
    extra = [(session_id, r.name, r.moment.value, r.value, ts(r.at), offset(r.at)) for r in context.extra_ratings]
    return treatments, marks, extra


def child_rows(s: Session, session_id: int) -> tuple[list[tuple], list[tuple], list[tuple]]:
    """The session's intensity, ratings and link_gaps rows, in their tables' column order."""
    intensity = [(session_id, ts(p.at), p.value, offset(p.at)) for p in s.intensity]
    ratings = [(session_id, r.moment.value, r.value, ts(r.at), offset(r.at)) for r in s.ratings]
    gaps = [
        (
            session_id,
            ts(g.lost_at),
            None if g.restored_at is None else ts(g.restored_at),
            offset(g.lost_at),
            None if g.restored_at is None else offset(g.restored_at),
        )
        for g in s.gaps
    ]
    return intensity, ratings, gaps


# -- rows to models ----------------------------------------------------------------------------
@lru_cache(maxsize=64)
def zone(seconds: int) -> timezone:
    return timezone(timedelta(seconds=seconds))


def zone_or(seconds: int | None, default: timezone) -> timezone:
    return default if seconds is None else zone(seconds)


def unit_of(driver: str, identity: str, name: str, kind: str, maximum: float | None) -> Unit:
    """A unit from its UNIT_COLUMNS."""
    from tenslog.model import IntensityScale, Unit

    return Unit.model_construct(
        driver=driver,
        identity=identity,
        name=name,
        scale=IntensityScale.model_construct(kind=kind, maximum=maximum),
    )


def sessions_of(
    rows: Iterable[tuple], children: dict[int, tuple[list, ...]]
) -> list[Session]:
    """Sessions from SESSION_COLUMNS rows and their children (intensity, ratings, gaps rows by
    session id). Rows were validated on the way in and are guarded by CHECK constraints, so they
    are rebuilt with model_construct: ten years of history loads without re-validation."""
    from tenslog.model import IntensityPoint, LinkGap, PainRating, Session

    no_context = context_of([], [], [], "", 0, None)
    units: dict[tuple, Unit] = {}
    construct_point = IntensityPoint.model_construct
    construct_rating = PainRating.model_construct
    sessions = []
    for sid, kind, source, start, end, state, heartbeat, off, end_off, note, mark, *unit_cols in rows:
        unit = None
        if unit_cols[0] is not None:
            key = tuple(unit_cols)
            unit = units.get(key) or units.setdefault(key, unit_of(*unit_cols))
        intensity, ratings, gaps, treatments, marks, extra = children.get(sid, NO_CHILDREN)
        # Each time with its own offset; NULL (a row from before v3) is the start's.
        tz = zone(off)
        context = (no_context if not (note or treatments or marks or extra)
                   else context_of(treatments, marks, extra, note, mark, tz))
        if end is None and state == "recording":
            end_dt = None
        else:
            end_tz = tz if end_off is None else zone(end_off)
            end_at = end if end is not None else (heartbeat or start)
            end_dt = datetime.fromtimestamp(end_at, end_tz)
        sessions.append(
            Session.model_construct(
                id=sid,
                kind=KINDS[kind],
                source=source,
                unit=unit,
                start=datetime.fromtimestamp(start, tz),
                end=end_dt,
                state=STATES[state],
                intensity=tuple(
                    construct_point(at=datetime.fromtimestamp(a, zone_or(o, tz)), value=v)
                    for a, v, o in intensity
                ),
                ratings=tuple(
                    construct_rating(
                        moment=MOMENTS[m], value=v, at=datetime.fromtimestamp(a, zone_or(o, tz))
                    )
                    for m, v, a, o in ratings
                ),
                gaps=tuple(
                    LinkGap.model_construct(
                        lost_at=datetime.fromtimestamp(lo, zone_or(lo_o, tz)),
                        restored_at=(
                            None if re is None else datetime.fromtimestamp(re, zone_or(re_o, tz))
                        ),
                    )
                    for lo, re, lo_o, re_o in gaps
                ),
                context=context,
            )
        )
    return sessions


def context_of(
    treatments: list, marks: list, extra: list, note: str, for_doctor: int, tz: timezone | None
) -> SessionContext:
    """A session's context from its rows (co_treatments, session_marks, extra_ratings), built
    without re-validation like the rest of a stored session."""
    from tenslog.model import ExtraRating, SessionContext, Treatment
    from tenslog.vocabulary import BodyRegion, SideEffect

    marked = {(kind, value) for kind, value in marks}
    return SessionContext.model_construct(
        note=note,
        for_doctor=bool(for_doctor),
        treatments=tuple(
            Treatment.model_construct(name=n, dose=d, medication=bool(m)) for _, n, d, m in sorted(treatments)
        ),
        regions=tuple(r for r in BodyRegion if ("region", r.value) in marked),
        side_effects=tuple(e for e in SideEffect if ("side_effect", e.value) in marked),
        extra_ratings=tuple(
            ExtraRating.model_construct(
                name=n, moment=MOMENTS[m], value=v, at=datetime.fromtimestamp(a, zone_or(o, tz or UTC))
            )
            for n, m, v, a, o in extra
        ),
    )


def figures_of(
    rows: Iterable[tuple], peaks: dict[int, float],
    rated: Mapping[int, Sequence[int | None]], given: Mapping[int, Sequence[float | None]] | None = None,
    treatments: Mapping[int, tuple[str, ...]] | None = None,
) -> list[SessionFigures]:
    """SessionFigures from FIGURE_COLUMNS rows, each session's peak intensity and its ratings
    (before, after, follow-up) by session id, and when they were given (``given``, the same
    order, POSIX seconds), and the names of its co-treatments (``treatments``)."""
    from tenslog.model import SessionFigures

    figures = []
    for sid, kind, start, end, state, start_offset, name, scale_kind, scale_max in rows:
        before, after, follow_up = rated.get(sid, UNRATED)
        before_at, after_at, _ = (given or {}).get(sid, NOT_GIVEN)
        figures.append(SessionFigures(
            sid, KINDS[kind], datetime.fromtimestamp(start, zone(start_offset)),
            None if end is None else (end - start) / 60,
            None if name is None else (name, scale_kind, scale_max),
            peaks.get(sid), before, after, follow_up, STATES[state],
            before_at, after_at, (treatments or {}).get(sid, ()),
        ))  # fmt: skip
    return figures
