from __future__ import annotations

import json

import pytest
from fhir.resources.R4B.bundle import Bundle

from tenslog.exports import to_fhir_json

# Each test runs in UTC and in a zone outside it (issue 17: the suite ran in UTC only).
pytestmark = pytest.mark.usefixtures("local_zone")


def test_bundle_validates_and_every_rating_is_a_pain_observation(sample) -> None:
    text = to_fhir_json(sample)
    bundle = Bundle.model_validate_json(text)  # the R4B models re-validate everything
    assert bundle.type == "collection"
    kinds = [e.resource.get_resource_type() for e in bundle.entry]
    assert kinds.count("Patient") == 1
    assert kinds.count("Procedure") == sum(s.kind.value == "tens" for s in sample)
    observations = [e.resource for e in bundle.entry if e.resource.get_resource_type() == "Observation"]
    assert len(observations) == sum(len(s.ratings) for s in sample)
    procedures = {e.fullUrl: e.resource for e in bundle.entry if e.resource.get_resource_type() == "Procedure"}
    for obs in observations:
        (coding,) = obs.code.coding
        assert (coding.system, coding.code) == ("http://loinc.org", "72514-3")
        assert isinstance(obs.valueInteger, int) and 0 <= obs.valueInteger <= 10
        assert obs.effectiveDateTime is not None
        if obs.partOf:  # TENS ratings point at their session, which has a performed period
            proc = procedures[obs.partOf[0].reference]
            assert proc.performedPeriod.start <= obs.effectiveDateTime
    rest_notes = [o for o in observations if not o.partOf]
    assert len(rest_notes) == 14 and all("rest period" in o.note[0].text for o in rest_notes)


def test_statuses_and_no_personal_data(sample) -> None:
    doc = json.loads(to_fhir_json(sample))
    statuses = {e["resource"]["status"] for e in doc["entry"] if e["resource"]["resourceType"] == "Procedure"}
    assert statuses == {"completed", "stopped"}  # the interrupted session is "stopped"
    (patient,) = [e["resource"] for e in doc["entry"] if e["resource"]["resourceType"] == "Patient"]
    assert set(patient) == {"resourceType"}  # a placeholder, nothing about the person


def test_same_sessions_same_ids(sample) -> None:
    urls = lambda: [e["fullUrl"] for e in json.loads(to_fhir_json(sample))["entry"]]  # noqa: E731
    assert urls() == urls()
    assert len(set(urls())) == len(urls())
