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
first goes through ``tenslog.text.shown`` (line breaks and tabs kept)."""

from __future__ import annotations

import re
from collections.abc import Callable

from fhir.resources.R4B.annotation import Annotation
from fhir.resources.R4B.codeableconcept import CodeableConcept
from fhir.resources.R4B.coding import Coding
from fhir.resources.R4B.dosage import Dosage
from fhir.resources.R4B.medicationstatement import MedicationStatement
from fhir.resources.R4B.observation import Observation
from fhir.resources.R4B.period import Period
from fhir.resources.R4B.procedure import Procedure
from fhir.resources.R4B.reference import Reference
from fhir.resources.R4B.resource import Resource

from tenslog.model import Session, SessionContext, SessionKind
from tenslog.text import shown
from tenslog.vocabulary import BodyRegion, SideEffect

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
_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!<>|~&])")


def markdown_literal(text: str) -> str:
    """Stored text for a markdown field, shown as typed (every markdown character escaped)."""
    return _MARKDOWN.sub(r"\\\1", shown(text, multiline=True))


def _concept(text: str, code: tuple[str, str] | None) -> CodeableConcept:
    coding = None if code is None else [Coding(system=SNOMED, code=code[0], display=code[1])]
    return CodeableConcept(coding=coding, text=text)


def body_sites(context: SessionContext) -> list[CodeableConcept] | None:
    return [_concept(r.value, REGION_CODES.get(r)) for r in context.regions] or None


def complications(context: SessionContext) -> list[CodeableConcept] | None:
    return [_concept(e.value, SIDE_EFFECT_CODES.get(e)) for e in context.side_effects] or None


def note_annotations(context: SessionContext) -> list[Annotation]:
    if not context.note.strip():
        return []
    head = "For the doctor: " if context.for_doctor else "Patient's note: "
    return [Annotation(text=head + markdown_literal(context.note))]


def rest_annotations(context: SessionContext) -> list[Annotation]:
    """For a rest period (no Procedure): the note, and where it hurt, on its Observations."""
    notes = note_annotations(context)
    if context.regions:
        notes.append(Annotation(text="Where it hurt: " + ", ".join(r.value for r in context.regions) + "."))
    if context.side_effects:
        notes.append(Annotation(text="Side effects: " + ", ".join(e.value for e in context.side_effects) + "."))
    return notes


def co_treatments(s: Session, patient_ref: str, status: str) -> list[tuple[str, Resource]]:
    """(a key for its id, resource) for each other treatment and medicine of the session."""
    what = "a TENS session" if s.kind is SessionKind.TENS else "a rest period without TENS (the comparison)"
    with_text = Annotation(text=f"At the same time as {what} starting {s.start.isoformat(timespec='minutes')}.")
    period = Period(start=s.start, end=s.end)
    subject = Reference(reference=patient_ref)
    out: list[tuple[str, Resource]] = []
    for i, t in enumerate(s.context.treatments):
        if t.medication:
            out.append((f"medication/{i}", MedicationStatement(
                status="completed" if s.end is not None else "active",
                medicationCodeableConcept=CodeableConcept(text=shown(t.name)),
                subject=subject, effectivePeriod=period,
                dosage=[Dosage(text=shown(t.dose))] if t.dose else None, note=[with_text],
            )))  # fmt: skip
        else:
            out.append((f"treatment/{i}", Procedure(
                status=status, code=CodeableConcept(text=shown(t.name)), subject=subject,
                performedPeriod=period, note=[with_text],
            )))  # fmt: skip
    return out


def extra_observations(s: Session, patient_ref: str, proc_ref: str | None,
                       survey: Callable[[], list[CodeableConcept]]) -> list[tuple[str, Observation]]:  # fmt: skip
    """Each extra rating the person defined, as an Observation 0-10 named by its text."""
    return [
        (
            f"extra/{r.name}/{r.moment.value}",
            Observation(
                status="final", category=survey(), code=CodeableConcept(text=f"{shown(r.name)} (0-10, self-rated)"),
                subject=Reference(reference=patient_ref), effectiveDateTime=r.at, valueInteger=r.value,
                partOf=None if proc_ref is None else [Reference(reference=proc_ref)],
            ),
        )
        for r in s.context.extra_ratings
    ]
