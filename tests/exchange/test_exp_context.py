"""A session's context (issue 12) in every export: JSON round trip, CSV (inert, one line per
row, read back by the CSV import), FHIR R4B validated by fhir.resources."""

from __future__ import annotations

import csv
import io
import json

import pytest
from fhir.resources.R4B.bundle import Bundle

from tenslog.exports import to_csv, to_fhir_json, to_json
from tenslog.imports import import_bytes
from tenslog.model import ExtraRating, RatingMoment, Session, SessionContext, Treatment
from tenslog.store.store import Store
from tenslog.vocabulary import BodyRegion, SideEffect

NOTE = "Slept badly; spasm at night.\n\tLeft leg worse.\nAsk about tizanidine \\ dose? =1+2 *really*"


def full_context(s: Session, note: str = NOTE) -> Session:
    context = SessionContext(
        note=note, for_doctor=True,
        treatments=(Treatment(name="heat pad"), Treatment(name="tizanidine", dose="2 mg", medication=True),
                    Treatment(name="medication", medication=True)),
        regions=(BodyRegion.LEGS, BodyRegion.NECK, BodyRegion.UPPER_BACK, BodyRegion.OTHER),
        side_effects=(SideEffect.DROWSINESS, SideEffect.SKIN_IRRITATION),
        extra_ratings=(ExtraRating(name="stiffness/spasm", moment=RatingMoment.BEFORE, value=6, at=s.start),
                       ExtraRating(name="stiffness/spasm", moment=RatingMoment.AFTER, value=3, at=s.end)),
    )  # fmt: skip
    return s.model_copy(update={"context": context})


@pytest.fixture
def with_context(db, make_tens, make_rest):
    sessions = [full_context(make_tens(0, 7, 4)), make_tens(1, 6, 3), full_context(make_rest(2, 6, 5), "-rest note")]
    sessions.append(make_tens(3, 5, 5).model_copy(update={"context": SessionContext(regions=(BodyRegion.HIPS,))}))
    with Store.open(db) as store:
        store.add_sessions(sessions)
        return store.sessions(newest_first=False)


def test_the_store_keeps_the_context_exactly(with_context) -> None:
    first = with_context[0].context
    assert first.note == NOTE and first.for_doctor
    # Regions and side effects come back in the list's order, each once.
    assert first.regions == (BodyRegion.NECK, BodyRegion.UPPER_BACK, BodyRegion.LEGS, BodyRegion.OTHER)
    assert first.side_effects == (SideEffect.SKIN_IRRITATION, SideEffect.DROWSINESS)
    assert [t.label for t in first.treatments] == ["heat pad", "tizanidine 2 mg", "medication"]
    assert first.extra("stiffness/spasm", RatingMoment.AFTER) == 3
    assert with_context[1].context.empty


def test_json_round_trips_the_context(with_context, tmp_path, settings, canonical) -> None:
    text = to_json(with_context)
    assert json.loads(text)["sessions"][0]["context"]["note"] == NOTE
    fresh = tmp_path / "fresh.db"
    with Store.open(fresh) as store:
        assert import_bytes(store, text.encode(), "json", settings).imported == len(with_context)
        again = store.sessions(newest_first=False)
    assert [canonical(s) for s in again] == [canonical(s) for s in with_context]
    # and once more: the second export is the first
    assert json.loads(to_json(again))["sessions"] == [
        {**s, "id": a.id} for s, a in zip(json.loads(text)["sessions"], again, strict=True)
    ]


def test_a_version_1_file_still_imports(db, make_tens, settings) -> None:
    doc = json.loads(to_json([make_tens(0, 6, 3)]))
    doc["version"] = 1
    del doc["sessions"][0]["context"]
    with Store.open(db) as store:
        assert import_bytes(store, json.dumps(doc).encode(), "json", settings).imported == 1
        assert store.sessions()[0].context.empty


def test_csv_holds_the_context_inert_on_one_line(with_context, settings, tmp_path) -> None:
    text = to_csv(with_context, settings)
    lines = text.splitlines()
    assert len(lines) == 1 + len(with_context)  # the note's line breaks do not break rows
    rows = list(csv.DictReader(io.StringIO(text)))
    first, plain, rest, hips = rows
    assert first["note"] == "Slept badly; spasm at night.\\n\\tLeft leg worse.\\nAsk about tizanidine \\\\ dose? =1+2 *really*"
    assert (first["for_doctor"], first["treatments"], first["medications"]) == ("yes", "heat pad", "tizanidine 2 mg; medication")
    assert (first["regions"], first["side_effects"]) == ("neck; upper back; legs; other", "skin irritation; drowsiness")
    assert first["extra_ratings"] == "stiffness/spasm before 6; stiffness/spasm after 3"
    assert all(plain[c] == "" for c in ("note", "for_doctor", "treatments", "medications", "regions", "side_effects"))
    assert ',"\'-rest note",' in lines[3]  # a note that starts like a formula is guarded and quoted
    assert rest["note"] == "'-rest note" and hips["regions"] == "hips"
    # tenslog's own CSV import reads it back: the context survives (rating times aside).
    fresh = tmp_path / "fresh.db"
    with Store.open(fresh) as store:
        assert import_bytes(store, text.encode(), "csv", settings).imported == len(with_context)
        again = store.sessions(newest_first=False)
    for a, b in zip(again, with_context, strict=True):
        assert (a.context.note, a.context.for_doctor, a.context.regions, a.context.side_effects) == (
            b.context.note, b.context.for_doctor, b.context.regions, b.context.side_effects)
        assert sorted(t.label for t in a.context.treatments) == sorted(t.label for t in b.context.treatments)
        assert [(r.name, r.moment, r.value) for r in a.context.extra_ratings] == [
            (r.name, r.moment, r.value) for r in b.context.extra_ratings]


def test_fhir_carries_the_context_and_validates(with_context) -> None:
    text = to_fhir_json(with_context)
    bundle = Bundle.model_validate_json(text)  # the R4B models check every resource again
    resources = [e.resource for e in bundle.entry]
    procedures = [r for r in resources if r.get_resource_type() == "Procedure"]
    tens = [p for p in procedures if p.code.text.startswith("Transcutaneous")]
    assert len(tens) == 3
    first = tens[0]
    assert first.note[0].text.startswith("For the doctor: Slept badly; spasm at night\\.\n\tLeft leg worse\\.")
    assert first.note[0].text.endswith("tizanidine \\\\ dose? =1\\+2 \\*really\\*")  # markdown shown as typed, never rendered
    sites = [(c.coding[0].code if c.coding else None, c.text) for c in first.bodySite]
    assert sites == [("45048000", "neck"), (None, "upper back"), ("61685007", "legs"), (None, "other")]
    assert [(c.coding[0].code if c.coding else None, c.text) for c in first.complication] == [
        (None, "skin irritation"), ("271782001", "drowsiness")]
    assert all(c.system == "http://snomed.info/sct" for site in first.bodySite for c in site.coding or [])
    assert [c.coding[0].code for c in tens[2].bodySite] == ["29836001"]  # hips
    assert tens[1].bodySite is None and tens[1].complication is None
    # other treatments: their own Procedures, over the session's time (two sessions had a heat pad)
    heat = [p for p in procedures if p.code.text == "heat pad"]
    assert len(heat) == 2 and heat[0].performedPeriod.start == first.performedPeriod.start
    meds = [r for r in resources if r.get_resource_type() == "MedicationStatement"]
    assert [(m.medicationCodeableConcept.text, m.dosage[0].text if m.dosage else None) for m in meds] == [
        ("tizanidine", "2 mg"), ("medication", None)] * 2
    assert all(m.effectivePeriod.start is not None and m.status == "completed" for m in meds)
    extra = [r for r in resources if r.get_resource_type() == "Observation" and r.code.text.startswith("stiffness")]
    assert sorted(o.valueInteger for o in extra) == [3, 3, 6, 6]
    # a rest period has no Procedure: its note and regions go on its pain ratings
    rest_obs = [r for r in resources if r.get_resource_type() == "Observation" and not r.partOf]
    pain_rest = [o for o in rest_obs if o.code.coding]
    assert len(pain_rest) == 2
    assert [n.text for n in pain_rest[0].note[1:]] == [
        "For the doctor: \\-rest note", "Where it hurt: neck, upper back, legs, other.",
        "Side effects: skin irritation, drowsiness."]


def test_fhir_ids_stay_unique_and_stable_with_context(with_context) -> None:
    urls = [e["fullUrl"] for e in json.loads(to_fhir_json(with_context))["entry"]]
    assert len(urls) == len(set(urls))
    assert urls == [e["fullUrl"] for e in json.loads(to_fhir_json(with_context))["entry"]]
