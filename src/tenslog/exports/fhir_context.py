"""A session's context in FHIR R4B (issue 12), beside the session's Procedure:

- the note is a ``Procedure.note`` (for a rest period, which has no Procedure, a note on each of
  its pain Observations), starting "For the doctor:" when so marked;
- where it hurt is ``Procedure.bodySite``: SNOMED CT body structures for the regions that have
  an exact one, text for the rest ("upper back": SNOMED's 77568009 is the whole back of the
  trunk, so it is not claimed; "other");
- side effects are ``Procedure.complication``: SNOMED CT 271782001 |Drowsy| for drowsiness,
  text where no code was verified (skin irritation, more spasm, other);
- each medicine is a **MedicationStatement** (name as text, the dose as ``dosage.text``) and each
  other treatment (heat pad, stretching) a **Procedure** of its own, both over the session's time;
- extra 0-10 ratings are Observations with the rating's name as text (no standard code).

Annotation.text is markdown in R4B, so a note is escaped (CommonMark backslash escapes): a
records system shows "*" and "<b>" as typed, never as emphasis or HTML. Like all stored text it
first goes through ``tenslog.text.shown`` (line breaks and tabs kept).

Resources are plain dicts with their elements in the order of the R4B element definitions (the
order fhir.resources wrote them in); tests validate them with fhir.resources."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from tenslog.exports.fhir_time import fhir_time, period
from tenslog.store.exported import ExportedSession
from tenslog.text import shown
from tenslog.vocabulary import BodyRegion, SessionKind, SideEffect

Json = dict[str, Any]
SNOMED = "http://snomed.info/sct"
# Checked against published SNOMED CT value sets (body structure and finding hierarchies).
REGION_CODES: dict[BodyRegion, tuple[str, str]] = {
    BodyRegion.NECK: ("45048000", "Neck structure"),
    BodyRegion.LOWER_BACK: ("37822005", "Lower back structure"),
    BodyRegion.SHOULDERS: ("16982005", "Shoulder region structure"),
    BodyRegion.ARMS: ("53120007", "Upper limb structure"),
    BodyRegion.HIPS: ("29836001", "Hip region structure"),
    BodyRegion.LEGS: ("61685007", "Lower limb structure"),
}
SIDE_EFFECT_CODES: dict[SideEffect, tuple[str, str]] = {
    SideEffect.DROWSINESS: ("271782001", "Drowsy"),
}
SURVEY = [{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/observation-category", "code": "survey"}]}]
_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!<>|~&])")


def markdown_literal(text: str) -> str:
    """Stored text for a markdown field, shown as typed (every markdown character escaped)."""
    return _MARKDOWN.sub(r"\\\1", shown(text, multiline=True))


def _concept(text: str, code: tuple[str, str] | None) -> Json:
    if code is None:
        return {"text": text}
    return {"coding": [{"system": SNOMED, "code": code[0], "display": code[1]}], "text": text}


def body_sites(s: ExportedSession) -> list[Json]:
    return [_concept(r.value, REGION_CODES.get(r)) for r in s.regions]


def complications(s: ExportedSession) -> list[Json]:
    return [_concept(e.value, SIDE_EFFECT_CODES.get(e)) for e in s.side_effects]


def note_annotations(s: ExportedSession) -> list[Json]:
    if not s.note.strip():
        return []
    head = "For the doctor: " if s.for_doctor else "Patient's note: "
    return [{"text": head + markdown_literal(s.note)}]


def rest_annotations(s: ExportedSession) -> list[Json]:
    """For a rest period (no Procedure): the note, and where it hurt, on its Observations."""
    notes = note_annotations(s)
    if s.regions:
        notes.append({"text": "Where it hurt: " + ", ".join(r.value for r in s.regions) + "."})
    if s.side_effects:
        notes.append({"text": "Side effects: " + ", ".join(e.value for e in s.side_effects) + "."})
    return notes


def co_treatments(s: ExportedSession, patient_ref: str, status: str) -> list[tuple[str, Json]]:
    """(a key for its id, resource) for each other treatment and medicine of the session."""
    what = "a TENS session" if s.kind is SessionKind.TENS else "a rest period without TENS (the comparison)"
    with_text = [{"text": f"At the same time as {what} starting {s.start.isoformat(timespec='minutes')}."}]
    when = period(s.start, s.end)
    subject = {"reference": patient_ref}
    out: list[tuple[str, Json]] = []
    for i, (name, dose, medication) in enumerate(s.treatments):
        if medication:
            statement: Json = {
                "resourceType": "MedicationStatement", "status": "completed" if s.end is not None else "active",
                "medicationCodeableConcept": {"text": shown(name)}, "subject": subject, "effectivePeriod": when,
                "note": with_text,
            }  # fmt: skip
            if dose:
                statement["dosage"] = [{"text": shown(dose)}]
            out.append((f"medication/{i}", statement))
        else:
            out.append((f"treatment/{i}", {
                "resourceType": "Procedure", "status": status, "code": {"text": shown(name)}, "subject": subject,
                "performedPeriod": when, "note": with_text,
            }))  # fmt: skip
    return out


def extra_observations(s: ExportedSession, patient_ref: str, part_of: Sequence[Json]) -> list[tuple[str, Json]]:
    """Each extra rating the person defined, as an Observation 0-10 named by its text."""
    out: list[tuple[str, Json]] = []
    for name, moment, value, at in s.extra_ratings:
        observation: Json = {"resourceType": "Observation"}
        if part_of:
            observation["partOf"] = part_of
        observation.update(
            status="final", category=SURVEY, code={"text": f"{shown(name)} (0-10, self-rated)"},
            subject={"reference": patient_ref}, effectiveDateTime=fhir_time(at), valueInteger=value,
        )  # fmt: skip
        out.append((f"extra/{name}/{moment.value}", observation))
    return out
