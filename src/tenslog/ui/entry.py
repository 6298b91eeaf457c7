"""Manual entry: the form's text fields in, a valid Session or per-field messages out.
Nothing is saved here; the caller saves only a Session this returns."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from pydantic import ValidationError

from tenslog.localtime import follow_zone
from tenslog.manual import (
    DEFAULT_UNIT_NAME,
    UnitLookup,
    parse_number,
    parse_scale,
    treatment_data,
    unit_data,
)
from tenslog.model import (
    FUTURE_TOLERANCE,
    MANUAL_SOURCE,
    FieldError,
    IntensityPoint,
    IntensityScale,
    PainRating,
    RatingMoment,
    Session,
    SessionContext,
    SessionKind,
    Treatment,
    Unit,
    field_errors,
)
from tenslog.parsing import parse_duration, parse_time
from tenslog.text import shown

# The form's fields, in screen order. Ratings use the RatingMoment values as names.
FIELDS = ("start", "duration", "intensity", "scale", "unit", "before", "after", "follow_up")
RATING_FIELDS = {m.value: m for m in RatingMoment}


@dataclass
class EntryResult:
    session: Session | None = None
    errors: dict[str, str] = field(default_factory=dict)  # field name -> reason


def length_text(value: timedelta) -> str:
    """A length as the form shows it: minutes ("30"), or with its seconds when it has any
    ("40s", "2m 05s"), so a short recorded session does not read as 0 minutes."""
    seconds = round(value.total_seconds())
    minutes, rest = divmod(seconds, 60)
    if not rest:
        return f"{minutes}"
    return f"{minutes}m {rest:02d}s" if minutes else f"{rest}s"


_SECONDS = re.compile(r"^\s*(?:(\d+)\s*m(?:in)?)?\s*(\d+)\s*s(?:ec)?\s*$", re.IGNORECASE)


def parse_length(text: str) -> timedelta:
    """Minutes and hours as everywhere (tenslog.parsing), or with seconds: "40s", "2m 05s"."""
    match = _SECONDS.match(text)
    if match is None:
        return parse_duration(text)
    total = timedelta(minutes=int(match[1] or 0), seconds=int(match[2]))
    if total <= timedelta(0):
        raise ValueError("must be longer than zero")
    if total > timedelta(hours=24):
        raise ValueError("must be at most 24 hours")
    return total


def auto_start(duration: str, now: datetime) -> str | None:
    """A new entry's start: now minus the duration typed, to the minute (rounded down, so it
    never ends in the future); None when the duration is not a length (e.g. an end time)."""
    try:
        length = parse_length(duration) if ":" not in duration else None
    except ValueError:
        return None
    return None if length is None else f"{now - length:%Y-%m-%d %H:%M}"


def form_values(session: Session) -> dict[str, str]:
    """A stored session as form text, for editing. A recorded start keeps its seconds."""
    start_format = "%Y-%m-%d %H:%M:%S" if session.start.second else "%Y-%m-%d %H:%M"
    values = {
        "start": f"{session.start:{start_format}}",
        "duration": "" if session.duration is None else length_text(session.duration),
        "intensity": "" if session.peak_intensity is None else f"{session.peak_intensity:g}",
        "scale": scale_text(session.unit),
        # A stored name is edited as it is shown: a name an older version let in with control
        # characters appears with them written out, and is kept if left unchanged.
        "unit": shown(session.unit.name) if session.unit else "",
    }
    for name, moment in RATING_FIELDS.items():
        value = session.rating(moment)
        values[name] = "" if value is None else str(value)
    return values


def scale_text(unit: Unit | None) -> str:
    if unit is None:
        return "level:20"
    top = f":{unit.scale.maximum:g}" if unit.scale.maximum else ""
    return f"{unit.scale.kind}{top}"


def _length(text: str, start: datetime | None, now: datetime) -> timedelta | None:
    """Minutes ("30", "1h30"), or the time it ended ("15:10"), which people often remember."""
    if ":" not in text:
        return parse_length(text)
    end = parse_time(text, now=now)
    if start is None:
        return None
    if end <= start:
        raise ValueError("the end is before the start")
    return parse_duration(f"{(end - start).total_seconds() / 60:.4f}")


# Where each model field's error shows on the form (FieldError.field -> form field).
FORM_FIELD = {
    "start": "start",
    "end": "duration",
    "intensity": "intensity",
    "intensity time": "start",
    "unit": "unit",
    "unit.name": "unit",
    "unit.scale": "scale",
    "unit.scale.kind": "scale",
    "unit.scale.maximum": "scale",
    "pain rating": "before",
    "rating time": "start",
    "ratings": "before",
}


def form_errors(found: list[FieldError]) -> dict[str, str]:
    """FieldErrors on the form's fields; a field the form lacks shows at start, named."""
    errors: dict[str, str] = {}
    for e in found:
        target = FORM_FIELD.get(e.field)
        message = e.message if target else str(e)
        if message not in errors.values():  # an end before 1970 follows from the start: say it once
            errors.setdefault(target or "start", message)
    return errors


def build_session(
    values: Mapping[str, str],
    kind: SessionKind,
    *,
    original: Session | None = None,
    now: datetime | None = None,
    lookup: UnitLookup | None = None,
) -> EntryResult:
    """Check every field and build the session; each problem is reported at its field."""
    now = now or datetime.now(UTC)
    text = {name: (values.get(name) or "").strip() for name in FIELDS}
    errors: dict[str, str] = {}

    start: datetime | None = None
    if not text["start"]:
        errors["start"] = "give the time it began, e.g. 14:30 or 2026-11-20 14:30"
    else:
        try:
            start = parse_time(text["start"], now=now)
        except ValueError as exc:
            errors["start"] = str(exc)

    # Fields left as they were keep the stored values exactly (a recorded start's fraction
    # of a second, a length of 40.3 s), so an unchanged edit changes nothing.
    shown_before = form_values(original) if original is not None else {}
    if original is not None and start is not None and text["start"] == shown_before["start"]:
        start = original.start
    length: timedelta | None = None
    try:
        if original is not None and original.duration is not None and (
            text["duration"] == shown_before["duration"] and text["start"] == shown_before["start"]
        ):
            length = original.duration
        else:
            length = _length(text["duration"], start, now)
    except ValueError as exc:
        errors["duration"] = str(exc)
    if start is not None and start > now + FUTURE_TOLERANCE:
        errors["start"] = "is in the future"
    elif start is not None and length is not None and start + length > now + FUTURE_TOLERANCE:
        errors["duration"] = "would end in the future"

    intensity: float | None = None
    if text["intensity"]:
        try:
            intensity = parse_number(text["intensity"])
        except ValueError:
            errors["intensity"] = f"{text['intensity']!r} is not a number"
        else:
            if intensity < 0:
                errors["intensity"] = "cannot be below 0"
    if kind is SessionKind.REST and text["intensity"]:
        errors["intensity"] = "a rest period is without the unit: leave this empty"
    if kind is SessionKind.REST and text["unit"]:
        errors["unit"] = "a rest period is without the unit: leave this empty"

    scale: IntensityScale | None = None
    try:
        scale = parse_scale(text["scale"]) if text["scale"] else None
    except ValueError as exc:
        errors["scale"] = str(exc)

    unit_name = text["unit"] or DEFAULT_UNIT_NAME
    known = original.unit if original is not None and original.unit is not None and shown(original.unit.name) == unit_name else None
    known = known or (lookup(unit_name) if lookup is not None and kind is SessionKind.TENS else None)
    if scale is None and "scale" not in errors:
        scale = known.scale if known is not None else IntensityScale()  # the unit's stored scale
    top = scale.maximum if scale is not None else None
    if top and intensity is not None and intensity > top and "intensity" not in errors:
        errors["intensity"] = f"above the unit's maximum of {top:g}"

    ratings: list[PainRating] = []
    for name, moment in RATING_FIELDS.items():
        if not text[name]:
            continue
        if not re.fullmatch(r"\d{1,2}", text[name]) or int(text[name]) > 10:
            errors[name] = f"use a whole number 0-10 (got {text[name]!r})"
            continue
        if start is None or length is None:
            continue
        at = start if moment is RatingMoment.BEFORE else start + length
        if original is not None and original.rating(moment) == int(text[name]):
            # Unchanged: keep the moment it was given (a follow-up is later than the end).
            at = next(r.at for r in original.ratings if r.moment is moment)
        ratings.append(
            PainRating(moment=moment, value=int(text[name]), at=follow_zone(start, min(at, now)))
        )

    if errors or start is None or length is None or scale is None:
        return EntryResult(errors=errors)

    unit = None
    if kind is SessionKind.TENS:
        if original is not None and original.unit is not None and shown(original.unit.name) == unit_name:
            unit = original.unit.model_copy(update={"scale": scale})  # a connected unit keeps its identity
        else:
            try:
                unit = Unit.model_validate(unit_data(unit_name, scale, lookup))
            except ValidationError as exc:  # a name of control characters, too long, ...
                found = [FieldError(f"unit.{e.field}", e.message) for e in field_errors(exc)]
                return EntryResult(errors=form_errors(found))

    # A new point goes in as data: the session below checks it and maps its errors to fields.
    points: tuple[IntensityPoint | dict[str, object], ...] = ()
    if intensity is not None:
        points = ({"at": start, "value": intensity},)
        if (
            original is not None
            and original.peak_intensity == intensity
            and original.start == start
        ):
            points = original.intensity  # unchanged: keep the recorded profile
    try:
        session = Session.model_validate({
            "id": original.id if original else None,
            "kind": kind,
            "source": original.source if original else MANUAL_SOURCE,
            "unit": unit,
            "start": start,
            "end": follow_zone(start, start + length),
            "state": original.state if original else Session.model_fields["state"].default,
            "intensity": points,
            "ratings": tuple(ratings),
            "gaps": original.gaps if original else (),
            # The form does not edit the context yet: an edit keeps what was there.
            **({"context": original.context} if original else {}),
        })
    except ValidationError as exc:
        return EntryResult(errors=form_errors(field_errors(exc)))
    return EntryResult(session=session)


def extra_field(index: int, moment: RatingMoment) -> str:
    """The form's field of an extra rating (its name is the person's text: not an id)."""
    return f"extra-{index}-{moment.value}"


def build_context(
    base: SessionContext,
    ticked: SessionContext,
    *,
    note: str,
    for_doctor: bool,
    medicine: str,
    extras: Mapping[str, Mapping[RatingMoment, str]],
    session: Session,
    choices: list[Treatment],
) -> tuple[SessionContext | None, dict[str, str]]:
    """The form's context: the ticks, the note, a medicine typed with its dose, and the extra
    ratings (0-10, empty = none). Problems by field: "note", "medicine", or an extra's field."""
    errors: dict[str, str] = {}
    data = ticked.model_dump()
    data["treatments"] = list(data["treatments"])
    data["note"], data["for_doctor"] = note, for_doctor and bool(note.strip())
    if medicine.strip():
        try:
            typed = treatment_data(medicine, choices)
        except ValueError as exc:
            errors["medicine"] = str(exc)
        else:
            label = f"{typed['name']} {typed['dose']}".strip().casefold()
            if all(f"{t['name']} {t['dose']}".strip().casefold() != label for t in data["treatments"]):
                data["treatments"].append(typed)
    ratings = []
    for index, (name, given) in enumerate(extras.items()):
        for moment, text in given.items():
            if not text.strip():
                continue
            if not re.fullmatch(r"\s*\d{1,2}\s*", text) or int(text) > 10:
                errors[extra_field(index, moment)] = f"use a whole number 0-10 (got {text.strip()!r})"
                continue
            earlier = next((r for r in base.extra_ratings if r.name == name and r.moment is moment), None)
            at = session.start if moment is RatingMoment.BEFORE else (session.end or session.start)
            if earlier is not None and earlier.value == int(text):
                at = earlier.at  # unchanged: keep when it was given
            ratings.append({"name": name, "moment": moment, "value": int(text), "at": at})
    data["extra_ratings"] = ratings
    if errors:
        return None, errors
    try:
        return SessionContext.model_validate(data), {}
    except ValidationError as exc:
        found = field_errors(exc)
        return None, {"note": "; ".join(e.message for e in found)}
