"""The domain model. Everything a user or a file can feed in passes through these models,
so their error messages are written for people: each one names the field at fault."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from tenslog.text import check_label, check_name, check_note, check_plain
from tenslog.vocabulary import (  # re-exported: the model is where most code looks for them
    EARLIEST,
    FUTURE_TOLERANCE,
    LONGEST_SESSION,
    MANUAL_SOURCE,
    PAIN_MAX,
    PAIN_MIN,
    BodyRegion,
    RatingMoment,
    SessionKind,
    SessionState,
    SideEffect,
    describe_intensity,
)


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", validate_default=True)


class IntensityScale(_Model):
    """A unit's own intensity scale: discrete levels 1..maximum, or milliamperes."""

    kind: Literal["level", "mA"] = "level"
    maximum: float | None = Field(default=None, gt=0, allow_inf_nan=False)

    def describe(self, value: float | None) -> str:
        return describe_intensity(self.kind, self.maximum, value)

    def label(self) -> str:
        if self.kind == "level":
            return f"level 1-{self.maximum:g}" if self.maximum else "level"
        return f"mA (max {self.maximum:g})" if self.maximum else "mA"


class Capabilities(_Model):
    """What a unit can tell on its own; the UI asks the user for the rest."""

    reports_on_off: bool = False
    reports_intensity: bool = False
    reports_elapsed: bool = False


# Text from outside: refused at input if it holds control or text-direction characters
# (tenslog.text). A name is also stripped of surrounding spaces and must keep something.
PlainText = Annotated[str, AfterValidator(check_plain)]
Name = Annotated[str, AfterValidator(check_name)]


class Unit(_Model):
    driver: PlainText = Field(min_length=1)
    identity: PlainText = Field(default="", description="what the driver needs to reconnect")
    name: Name
    scale: IntensityScale = IntensityScale()


def manual_identity(name: str) -> str:
    """A unit that cannot connect is known by its name: the same name is the same unit."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "unit"


def manual_unit(name: str, scale: IntensityScale) -> Unit:
    return Unit(driver=MANUAL_SOURCE, identity=manual_identity(name), name=name, scale=scale)


def _not_before_1970(value: datetime) -> datetime:
    if value < EARLIEST:
        raise ValueError("is before 1970; check the year")
    return value


def _not_in_future(value: datetime) -> datetime:
    if value > datetime.now(UTC) + FUTURE_TOLERANCE:
        raise ValueError("is in the future")
    return value


Moment = Annotated[AwareDatetime, AfterValidator(_not_before_1970)]
PastTime = Annotated[Moment, AfterValidator(_not_in_future)]


class PainRating(_Model):
    moment: RatingMoment
    value: int = Field(ge=PAIN_MIN, le=PAIN_MAX, strict=True)
    at: PastTime


class IntensityPoint(_Model):
    """A change point: the intensity holds from `at` until the next point (or the end)."""

    at: Moment
    value: float = Field(ge=0, allow_inf_nan=False)


class LinkGap(_Model):
    lost_at: Moment
    restored_at: Moment | None = None


def _rule(field: str, message: str) -> PydanticCustomError:
    """A rule across fields: the field it belongs to travels as data (ctx), not in the text."""
    return PydanticCustomError("session_rule", message, {"field": field})


# -- what the person adds about a session (issue 12: "context per session") --------------------
Note = Annotated[str, AfterValidator(check_note)]  # multi-line: line breaks and tabs allowed
Label = Annotated[str, AfterValidator(check_label)]  # a name that can sit in a "; " list
Dose = Annotated[str, AfterValidator(lambda t: check_label(t, empty_ok=True, limit=40))]


class Treatment(_Model):
    """Something else done at the same time (heat pad, stretching), or a medication with an
    optional dose ("tizanidine" and "2 mg")."""

    name: Label
    dose: Dose = ""
    medication: bool = False

    @model_validator(mode="after")
    def _dose_is_for_medication(self) -> Treatment:
        if self.dose and not self.medication:
            raise _rule("context.treatments", f"{self.name!r} is not a medication, so it has no dose")
        return self

    @property
    def label(self) -> str:
        return f"{self.name} {self.dose}".strip()

    def same(self, other: Treatment) -> bool:
        return self.label.casefold() == other.label.casefold()


class ExtraRating(_Model):
    """A 0-10 rating the person defines (e.g. "stiffness/spasm"), before or after like pain."""

    name: Label
    moment: RatingMoment
    value: int = Field(ge=PAIN_MIN, le=PAIN_MAX, strict=True)
    at: PastTime


def _in_order(values: tuple[StrEnum, ...], kind: type[StrEnum]) -> tuple:
    """Regions and side effects are sets: one order (the list's), each once. A UI toggles one
    on and off and gets back the very value it started from."""
    chosen = {kind(v) for v in values}
    return tuple(k for k in kind if k in chosen)


class SessionContext(_Model):
    """The context a doctor needs: a note (optionally marked for the doctor), other treatments,
    where it hurts, side effects, and extra 0-10 ratings. Every part is optional."""

    note: Note = ""
    for_doctor: bool = False
    treatments: tuple[Treatment, ...] = ()
    regions: tuple[BodyRegion, ...] = ()
    side_effects: tuple[SideEffect, ...] = ()
    extra_ratings: tuple[ExtraRating, ...] = ()

    @field_validator("regions", mode="after")
    @classmethod
    def _regions(cls, value: tuple[BodyRegion, ...]) -> tuple[BodyRegion, ...]:
        return _in_order(value, BodyRegion)

    @field_validator("side_effects", mode="after")
    @classmethod
    def _side_effects(cls, value: tuple[SideEffect, ...]) -> tuple[SideEffect, ...]:
        return _in_order(value, SideEffect)

    @model_validator(mode="after")
    def _consistent(self) -> SessionContext:
        labels = [t.label.casefold() for t in self.treatments]
        if len(labels) != len(set(labels)):
            raise _rule("context.treatments", "each treatment is given once")
        keys = [(r.name.casefold(), r.moment) for r in self.extra_ratings]
        if len(keys) != len(set(keys)):
            raise _rule("context.extra_ratings", "each extra rating is given once before and once after")
        if self.for_doctor and not self.note.strip():
            raise _rule("context.for_doctor", "there is no note to mark for the doctor")
        return self

    @property
    def empty(self) -> bool:
        return self == _NO_CONTEXT

    def extra(self, name: str, moment: RatingMoment) -> int | None:
        key = name.casefold()
        return next((r.value for r in self.extra_ratings if r.name.casefold() == key and r.moment is moment), None)

    def toggled(self, item: BodyRegion | SideEffect | Treatment) -> SessionContext:
        """This context with ``item`` switched on, or off if it was on: one key in a form."""
        if isinstance(item, Treatment):
            kept = tuple(t for t in self.treatments if not t.same(item))
            return self.model_copy(update={"treatments": kept if len(kept) < len(self.treatments) else (*kept, item)})
        field = "regions" if isinstance(item, BodyRegion) else "side_effects"
        current: tuple = getattr(self, field)
        changed = tuple(v for v in current if v != item) if item in current else (*current, item)
        return self.model_copy(update={field: _in_order(changed, type(item))})

    def with_note(self, note: str, *, for_doctor: bool | None = None) -> SessionContext:
        """A new note (validated: the text rules apply), keeping or setting the doctor's mark."""
        mark = self.for_doctor if for_doctor is None else for_doctor
        return SessionContext.model_validate({**self.model_dump(), "note": note, "for_doctor": mark and bool(note.strip())})


_NO_CONTEXT = SessionContext()


class Session(_Model):
    """One TENS session or rest period; ``context`` holds what the person adds about it."""

    id: int | None = None
    kind: SessionKind = SessionKind.TENS
    source: PlainText = MANUAL_SOURCE
    unit: Unit | None = None
    start: PastTime
    end: Moment | None = None
    state: SessionState = SessionState.COMPLETE
    intensity: tuple[IntensityPoint, ...] = ()
    ratings: tuple[PainRating, ...] = ()
    gaps: tuple[LinkGap, ...] = ()
    context: SessionContext = SessionContext()

    @model_validator(mode="after")
    def _consistent(self) -> Session:
        if self.end is not None and self.end < self.start:
            raise _rule("end", "is before the start")
        if self.end is not None and self.end - self.start > LONGEST_SESSION:
            raise _rule("end", "more than 24 hours after the start; a session lasts at most a day")
        last = self.end or self.start + LONGEST_SESSION
        if any(not self.start <= p.at <= last for p in self.intensity):
            raise _rule("intensity", "a change point lies outside the session")
        if any(not self.start <= g.lost_at <= last or (g.restored_at is not None and not g.lost_at <= g.restored_at <= last)
               for g in self.gaps):
            raise _rule("gaps", "a link gap lies outside the session")
        if self.end is None and self.state is not SessionState.RECORDING:
            raise _rule("end", "a finished session needs an end")
        if self.kind is SessionKind.REST and self.intensity:
            raise _rule("intensity", "a rest period has no intensity")
        if self.intensity and self.unit is None:
            raise _rule("unit", "intensity needs a unit to give its scale")
        top = self.unit.scale.maximum if self.unit else None
        if top is not None and any(p.value > top for p in self.intensity):
            raise _rule("intensity", f"above the unit's maximum of {top:g}")
        moments = [r.moment for r in self.ratings]
        if len(moments) != len(set(moments)):
            raise _rule("ratings", "each moment (before, after, follow_up) is rated once")
        return self

    @property
    def duration(self) -> timedelta | None:
        return None if self.end is None else self.end - self.start

    def rating(self, moment: RatingMoment) -> int | None:
        return next((r.value for r in self.ratings if r.moment is moment), None)

    @property
    def before(self) -> int | None:
        return self.rating(RatingMoment.BEFORE)

    @property
    def after(self) -> int | None:
        return self.rating(RatingMoment.AFTER)

    @property
    def change(self) -> int | None:
        """after - before: negative means the pain fell."""
        b, a = self.before, self.after
        return None if a is None or b is None else a - b

    @property
    def peak_intensity(self) -> float | None:
        return max((p.value for p in self.intensity), default=None)

    @property
    def unit_name(self) -> str:
        if self.unit is not None:
            return self.unit.name
        return "rest (no unit)" if self.kind is SessionKind.REST else "—"

    def describe_intensity(self) -> str:
        if self.unit is None or not self.intensity:
            return "—"
        return self.unit.scale.describe(self.peak_intensity)


# Nested locations read better under the name a person knows them by.
_FIELD_NAMES: dict[tuple[str, str], str] = {
    ("ratings", "value"): "pain rating",
    ("ratings", "at"): "rating time",
    ("intensity", "value"): "intensity",
    ("intensity", "at"): "intensity time",
    ("context", "note"): "note",
    ("context", "regions"): "where",
    ("context", "side_effects"): "side effect",
    ("context", "treatments"): "treatment",
    ("context", "extra_ratings"): "extra rating",
}


@dataclass(frozen=True, slots=True)
class FieldError:
    """One problem with input: the field at fault (as the model names it), a reason for
    people, and for imports the line. Readers map `field` to their own form field or column."""

    field: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


def field_errors(error: ValidationError, line: int | None = None) -> list[FieldError]:
    """The one place a ValidationError becomes FieldErrors, read from each error's loc."""
    found = []
    for item in error.errors():
        ctx = item.get("ctx") or {}
        if item["type"] == "session_rule":  # a rule across fields names its own field
            found.append(FieldError(str(ctx["field"]), item["msg"], line))
            continue
        loc = [str(p) for p in item["loc"] if not isinstance(p, int)]
        message = item["msg"].removeprefix("Value error, ")
        nested = (loc[0], loc[1]) if len(loc) >= 2 else None
        field = (_FIELD_NAMES.get(nested) if nested else None) or ".".join(loc) or "input"
        got = item.get("input")
        suffix = f" (got {got!r})" if isinstance(got, (int, float, str)) else ""
        found.append(FieldError(field, f"{message[0].lower()}{message[1:]}{suffix}", line))
    return found


def explain(error: ValidationError) -> list[str]:
    """One line per problem, each starting with the field at fault, for people to read."""
    return [str(e) for e in field_errors(error)]


UnitKey = tuple[str, str, float | None]  # unit name, scale kind ("level"/"mA"), scale maximum


@dataclass(frozen=True, slots=True)
class SessionFigures:
    """A session reduced to the few numbers analysis and charts need. The store reads these
    straight from SQL, so ten years of history (~11k sessions) loads in milliseconds."""

    id: int | None
    kind: SessionKind
    start: datetime  # carries the session's own UTC offset, so .hour is local time
    duration_min: float | None
    unit: UnitKey | None
    peak: float | None
    before: int | None
    after: int | None
    follow_up: int | None = None
    state: SessionState = SessionState.COMPLETE
    # When the before and after ratings were given (POSIX seconds): analysis leaves out one
    # given late. Seconds, not datetimes: the store reads them for ten years of sessions.
    before_at: float | None = None
    after_at: float | None = None
    treatments: tuple[str, ...] = ()  # names of what else was done at the same time (heat pad)

    @property
    def rated(self) -> bool:
        return self.before is not None and self.after is not None

    @property
    def change(self) -> int | None:
        """after - before: negative means the pain fell."""
        if self.before is None or self.after is None:
            return None
        return self.after - self.before

    @property
    def local_day(self) -> date:
        return self.start.date()

    @classmethod
    def of(cls, s: Session) -> SessionFigures:
        unit = None if s.unit is None else (s.unit.name, s.unit.scale.kind, s.unit.scale.maximum)
        duration = None if s.end is None else (s.end - s.start).total_seconds() / 60
        given = {r.moment: r.at.timestamp() for r in s.ratings}
        return cls(s.id, s.kind, s.start, duration, unit, s.peak_intensity, s.before, s.after,
                   s.rating(RatingMoment.FOLLOW_UP), s.state,
                   given.get(RatingMoment.BEFORE), given.get(RatingMoment.AFTER),
                   tuple(t.name for t in s.context.treatments))
