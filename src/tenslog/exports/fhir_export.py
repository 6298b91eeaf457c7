"""FHIR R4B export: a Bundle (type "collection") a doctor's records system can import.

- Each TENS session is a **Procedure** with ``performedPeriod``. Procedure was chosen over
  DeviceUseStatement because R4B's ``Observation.partOf`` may point at a Procedure but not at
  a DeviceUseStatement; so each pain rating can say which session it belongs to.
  Interrupted sessions are ``status: stopped`` (stopped before the planned end).
- Every pain rating is an **Observation**, LOINC 72514-3 (pain severity 0-10 numeric rating),
  ``valueInteger`` 0-10, ``effectiveDateTime`` = when it was rated, ``partOf`` -> its Procedure.
  Ratings of rest periods (no unit) have no Procedure; a note says they are the comparison.
- One **Patient** placeholder with no personal data unless a name is given.
- What the person added about a session (note, where it hurt, side effects, other treatments,
  medicines, extra ratings): see tenslog.exports.fhir_context.
Everything is built with fhir.resources.R4B models, so the output is validated as it is made.
Stored text (the unit's name, the recording driver, a patient name) goes in through
``tenslog.text.shown``: FHIR strings must not hold control characters other than tab, CR and
LF, and fhir.resources does not check that (its pattern accepts any non-blank string); any
control or text-direction character is written out visibly instead (``\x1b``).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime

from fhir.resources.R4B.annotation import Annotation
from fhir.resources.R4B.bundle import Bundle, BundleEntry
from fhir.resources.R4B.codeableconcept import CodeableConcept
from fhir.resources.R4B.coding import Coding
from fhir.resources.R4B.humanname import HumanName
from fhir.resources.R4B.observation import Observation
from fhir.resources.R4B.patient import Patient
from fhir.resources.R4B.period import Period
from fhir.resources.R4B.procedure import Procedure
from fhir.resources.R4B.reference import Reference
from fhir.resources.R4B.resource import Resource

from tenslog.exports.fhir_context import (
    body_sites,
    co_treatments,
    complications,
    extra_observations,
    note_annotations,
    rest_annotations,
)
from tenslog.model import RatingMoment, Session, SessionKind, SessionState
from tenslog.text import shown

LOINC = "http://loinc.org"
PAIN_CODE = "72514-3"
PAIN_DISPLAY = "Pain severity - 0-10 verbal numeric rating [Score] - Reported"
_NS = uuid.UUID("6f1c1c8e-4b8e-4c2a-9d0e-7465_6e736c6f".replace("_", ""))  # fixed: stable ids per export
_STATUS = {
    SessionState.COMPLETE: "completed",
    SessionState.INTERRUPTED: "stopped",
    SessionState.RECORDING: "in-progress",
}
_MOMENT = {
    RatingMoment.BEFORE: "before",
    RatingMoment.AFTER: "right after",
    RatingMoment.FOLLOW_UP: "at the follow-up after",
}


def _urn(*parts: object) -> str:
    return f"urn:uuid:{uuid.uuid5(_NS, '/'.join(str(p) for p in parts))}"


def _key(s: Session, index: int) -> str:
    return f"{s.start.isoformat()}/{s.kind.value}/{s.unit_name}/{index}"


def _procedure(s: Session, patient_ref: str) -> Procedure:
    notes = [f"Recorded by: {'typed in by the patient' if s.source == 'manual' else shown(s.source)}."]
    if s.unit is not None and s.intensity:
        notes.append(f"Peak intensity {s.describe_intensity()} on the unit's own scale ({s.unit.scale.label()}).")
    if s.state is SessionState.INTERRUPTED:
        notes.append("The session was interrupted; the end time is the last time known.")
    return Procedure(
        status=_STATUS[s.state],
        code=CodeableConcept(text="Transcutaneous electrical nerve stimulation (TENS), self-applied at home"),
        subject=Reference(reference=patient_ref),
        performedPeriod=Period(start=s.start, end=s.end),
        usedCode=None if s.unit is None else [CodeableConcept(text=f"TENS unit: {shown(s.unit.name)}")],
        bodySite=body_sites(s.context),
        complication=complications(s.context),
        note=[*note_annotations(s.context), *(Annotation(text=t) for t in notes)],
    )


def _survey() -> list[CodeableConcept]:
    return [CodeableConcept(coding=[Coding(system="http://terminology.hl7.org/CodeSystem/observation-category", code="survey")])]


def _observation(s: Session, moment: RatingMoment, value: int, at: datetime, patient_ref: str, proc_ref: str | None) -> Observation:
    what = "TENS session" if s.kind is SessionKind.TENS else "rest period without TENS (comparison)"
    context = rest_annotations(s.context) if proc_ref is None else []
    return Observation(
        status="final",
        category=_survey(),
        code=CodeableConcept(coding=[Coding(system=LOINC, code=PAIN_CODE, display=PAIN_DISPLAY)], text="Pain (0-10)"),
        subject=Reference(reference=patient_ref),
        effectiveDateTime=at,
        valueInteger=value,
        partOf=None if proc_ref is None else [Reference(reference=proc_ref)],
        note=[Annotation(text=f"Rated {_MOMENT[moment]} a {what} starting {s.start.isoformat(timespec='minutes')}."), *context],
    )


def build_bundle(sessions: Iterable[Session], patient_name: str | None = None) -> Bundle:
    patient_ref = _urn("patient")
    patient = Patient(name=[HumanName(text=shown(patient_name))] if patient_name and patient_name.strip() else None)
    entries: list[BundleEntry] = [BundleEntry(fullUrl=patient_ref, resource=patient)]
    for index, s in enumerate(sessions):
        proc_ref = None
        if s.kind is SessionKind.TENS:
            proc_ref = _urn("session", _key(s, index))
            entries.append(BundleEntry(fullUrl=proc_ref, resource=_procedure(s, patient_ref)))
        for r in sorted(s.ratings, key=lambda r: r.at):
            entries.append(
                BundleEntry(
                    fullUrl=_urn("rating", _key(s, index), r.moment.value),
                    resource=_observation(s, r.moment, r.value, r.at, patient_ref, proc_ref),
                )
            )
        extras: list[tuple[str, Resource]] = [*co_treatments(s, patient_ref, _STATUS[s.state]),
                                              *extra_observations(s, patient_ref, proc_ref, _survey)]
        entries += [BundleEntry(fullUrl=_urn(key, _key(s, index)), resource=res) for key, res in extras]
    return Bundle(type="collection", timestamp=datetime.now(UTC), entry=entries)


def to_fhir_json(sessions: Sequence[Session] | Iterable[Session], patient_name: str | None = None) -> str:
    return build_bundle(sessions, patient_name).model_dump_json(indent=2, exclude_none=True) + "\n"
