"""FHIR R4B export: a Bundle (type "collection") a doctor's records system can import.

- Each TENS session is a **Procedure** with ``performedPeriod``. Procedure was chosen over
  DeviceUseStatement because R4B's ``Observation.partOf`` may point at a Procedure but not at
  a DeviceUseStatement; so each pain rating can say which session it belongs to.
  Interrupted sessions are ``status: stopped`` (stopped before the planned end).
- Every pain rating is an **Observation**, LOINC 72514-3 (pain severity 0-10 numeric rating),
  ``valueInteger`` 0-10, ``effectiveDateTime`` = when it was rated, ``partOf`` -> its Procedure.
  Ratings of rest periods (no unit) have no Procedure; a note says they are the comparison.
- Each personal trial is a **CarePlan** with one activity per period (see fhir_trial.py).
- One **Patient** placeholder with no personal data unless a name is given.
- What the person added about a session (note, where it hurt, side effects, other treatments,
  medicines, extra ratings): see tenslog.exports.fhir_context.

Streamed (issue 16): the resources are plain dicts built from the store's lean rows
(``Store.exported``), written an entry at a time, so memory does not grow with history and no
model library is loaded. The text is what the fhir.resources models wrote before (the same
elements in the same order, the same dateTime form, indent 2); the tests validate it with
fhir.resources and compare it with a Bundle those models wrote (tests/exchange/data/).
Stored text (the unit's name, the recording driver, a patient name) goes in through
``tenslog.text.shown``: FHIR strings must not hold control characters other than tab, CR and
LF; any control or text-direction character is written out visibly instead (``\x1b``).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from tenslog.exports.fhir_context import (
    SURVEY,
    body_sites,
    co_treatments,
    complications,
    extra_observations,
    note_annotations,
    rest_annotations,
)
from tenslog.exports.fhir_time import fhir_time, period
from tenslog.exports.fhir_trial import care_plan, trial_urn
from tenslog.store.exported import ExportedSession, exported
from tenslog.text import shown
from tenslog.trial.plan import StoredTrial
from tenslog.vocabulary import RatingMoment, SessionKind, SessionState, describe_intensity

if TYPE_CHECKING:
    from tenslog.model import Session

LOINC = "http://loinc.org"
PAIN_CODE = "72514-3"
PAIN_DISPLAY = "Pain severity - 0-10 verbal numeric rating [Score] - Reported"
PAIN = {"coding": [{"system": LOINC, "code": PAIN_CODE, "display": PAIN_DISPLAY}], "text": "Pain (0-10)"}
TENS = {"text": "Transcutaneous electrical nerve stimulation (TENS), self-applied at home"}
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
Json = dict[str, Any]
_ENCODER = json.JSONEncoder(indent=2, ensure_ascii=False)  # json.dumps(indent=2), made once
_HEAD, _TAIL = '{\n  "entry": [', "\n  ]\n}"  # around the entries of {"entry": [...]} so dumped
BATCH = 200  # entries dumped at once: fewer calls into json, and memory still bounded


def _urn(*parts: object) -> str:
    return f"urn:uuid:{uuid.uuid5(_NS, '/'.join(str(p) for p in parts))}"


def _key(s: ExportedSession, index: int) -> str:
    unit = s.unit_name if s.unit_name is not None else "rest (no unit)" if s.kind is SessionKind.REST else "—"
    return f"{s.start.isoformat()}/{s.kind.value}/{unit}/{index}"


def _scale(kind: str | None, maximum: float | None) -> str:
    """The unit's scale in words, as IntensityScale.label."""
    if kind == "level":
        return f"level 1-{maximum:g}" if maximum else "level"
    return f"mA (max {maximum:g})" if maximum else "mA"


def _procedure(s: ExportedSession, patient_ref: str) -> Json:
    notes = [f"Recorded by: {'typed in by the patient' if s.source == 'manual' else shown(s.source)}."]
    if s.unit_name is not None and s.peak is not None:
        peak = describe_intensity(s.scale_kind or "level", s.scale_max, s.peak)
        notes.append(f"Peak intensity {peak} on the unit's own scale ({_scale(s.scale_kind, s.scale_max)}).")
    if s.state is SessionState.INTERRUPTED:
        notes.append("The session was interrupted; the end time is the last time known.")
    procedure: Json = {"resourceType": "Procedure", "status": _STATUS[s.state], "code": TENS,
                       "subject": {"reference": patient_ref}, "performedPeriod": period(s.start, s.end)}
    if s.regions:
        procedure["bodySite"] = body_sites(s)
    if s.side_effects:
        procedure["complication"] = complications(s)
    procedure["note"] = [*note_annotations(s), *({"text": t} for t in notes)]
    if s.unit_name is not None:
        procedure["usedCode"] = [{"text": f"TENS unit: {shown(s.unit_name)}"}]
    return procedure


def _observation(s: ExportedSession, moment: RatingMoment, value: int, at: datetime, patient_ref: str,
                 part_of: list[Json]) -> Json:  # fmt: skip
    what = "TENS session" if s.kind is SessionKind.TENS else "rest period without TENS (comparison)"
    rated = {"text": f"Rated {_MOMENT[moment]} a {what} starting {s.start.isoformat(timespec='minutes')}."}
    observation: Json = {"resourceType": "Observation"}
    if part_of:
        observation["partOf"] = part_of
    observation.update(status="final", category=SURVEY, code=PAIN, subject={"reference": patient_ref},
                       effectiveDateTime=fhir_time(at), valueInteger=value,
                       note=[rated, *(() if part_of else rest_annotations(s))])  # fmt: skip
    return observation


def _session_entries(s: ExportedSession, index: int, patient_ref: str) -> Iterator[tuple[str, Json]]:
    key = _key(s, index)
    part_of: list[Json] = []
    if s.kind is SessionKind.TENS:
        proc_ref = _urn("session", key)
        part_of = [{"reference": proc_ref}]
        yield proc_ref, _procedure(s, patient_ref)
    for moment, value, at in sorted(s.ratings, key=lambda r: r[2]):
        yield _urn("rating", key, moment.value), _observation(s, moment, value, at, patient_ref, part_of)
    for what, resource in [*co_treatments(s, patient_ref, _STATUS[s.state]),
                           *extra_observations(s, patient_ref, part_of)]:
        yield _urn(what, key), resource


def fhir_chunks(sessions: Iterable[Session | ExportedSession], patient_name: str | None = None,
                trials: Sequence[StoredTrial] = (), today: date | None = None) -> Iterator[str]:
    """The Bundle as JSON text (indent 2), about BATCH entries at a time. ``today`` (default:
    the local date) decides which periods of a trial are over."""
    patient_ref = _urn("patient")
    patient: Json = {"resourceType": "Patient"}
    if patient_name and patient_name.strip():
        patient["name"] = [{"text": shown(patient_name)}]
    stamp = json.dumps(fhir_time(datetime.now(UTC)))
    yield f'{{\n  "resourceType": "Bundle",\n  "type": "collection",\n  "timestamp": {stamp},\n  "entry": ['
    day = today or datetime.now().astimezone().date()
    batch = [{"fullUrl": patient_ref, "resource": patient},
             *({"fullUrl": trial_urn(_NS, t), "resource": care_plan(t, patient_ref, day)} for t in trials)]
    separator = ""
    for index, s in enumerate(sessions):
        batch += ({"fullUrl": url, "resource": r} for url, r in _session_entries(exported(s), index, patient_ref))
        if len(batch) >= BATCH:
            yield separator + _entries(batch)
            separator, batch = ",", []
    if batch:
        yield separator + _entries(batch)
    yield "\n  ]\n}\n"


def _entries(batch: list[Json]) -> str:
    """Entries as they sit in the Bundle's "entry" list, without the list's brackets:
    ``{"entry": batch}`` dumped with indent 2 holds them at just that depth."""
    return _ENCODER.encode({"entry": batch})[len(_HEAD) : -len(_TAIL)]


def to_fhir_json(sessions: Iterable[Session | ExportedSession], patient_name: str | None = None,
                 trials: Sequence[StoredTrial] = (), today: date | None = None) -> str:
    return "".join(fhir_chunks(sessions, patient_name, trials, today))
