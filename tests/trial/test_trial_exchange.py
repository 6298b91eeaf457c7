"""A trial in the JSON export round-trips through import; in FHIR it is a valid CarePlan."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta

import pytest
from fhir.resources.R4B.bundle import Bundle
from hypothesis import given
from hypothesis import strategies as st

from support.trials import CET, START, make_trial
from tenslog.exports import to_fhir_json, to_json
from tenslog.imports import ImportFailed, import_bytes
from tenslog.model import PainRating, RatingMoment, Session, SessionKind
from tenslog.store import Store
from tenslog.trial.exchange import trial_from_dict, trial_to_dict
from tenslog.trial.plan import Deviation, PlanError, StoredTrial, TrialPlan


def rest_session() -> Session:
    start = datetime(2026, 1, 5, 9, tzinfo=CET)
    end = start + timedelta(minutes=30)
    return Session(kind=SessionKind.REST, start=start, end=end, ratings=(
        PainRating(moment=RatingMoment.BEFORE, value=6, at=start),
        PainRating(moment=RatingMoment.AFTER, value=5, at=end)))


def stopped_trial() -> StoredTrial:
    trial = make_trial(pairs=4, period_days=2, washout_days=1, seed=9)
    stop = datetime(2026, 1, 9, 18, 30, tzinfo=CET)
    return StoredTrial(1, trial.plan, stop, (Deviation(stop, "stopped", "pads ran out"),))


def test_json_export_round_trips_the_plan_and_its_deviations(tmp_path) -> None:
    with Store.open(tmp_path / "a.db") as a:
        a.add_session(rest_session())
        a.restore_trial(stopped_trial(), today=date(2026, 1, 10))
        text = to_json(a.sessions(), a.trials())
    doc = json.loads(text)
    assert doc["trials"][0]["order"] == ["tens-first", "tens-first", "tens-first", "rest-first"]
    assert doc["trials"][0]["deviations"] == [{"at": "2026-01-09T18:30:00+01:00", "kind": "stopped", "reason": "pads ran out"}]
    with Store.open(tmp_path / "b.db") as b:
        result = import_bytes(b, text.encode(), "json")
        assert result.imported == 1 and result.trials == 1
        assert "1 personal trial plan" in result.plain_words()
        (back,) = b.trials()
        assert json.loads(to_json(b.sessions(), b.trials()))["trials"] == doc["trials"]
        assert back.plan == stopped_trial().plan
        # the same file again: the sessions are duplicates, so nothing at all is imported
        with pytest.raises(ImportFailed):
            import_bytes(b, text.encode(), "json")
        assert len(b.trials()) == 1


def test_an_order_that_is_not_the_seeds_is_refused(tmp_path) -> None:
    doc = json.loads(to_json([rest_session()], [stopped_trial()]))
    doc["trials"][0]["order"][0] = "rest-first"
    with Store.open(tmp_path / "c.db") as store, pytest.raises(ImportFailed) as caught:
        import_bytes(store, json.dumps(doc).encode(), "json")
    assert "field trials[0]: order: is not the order its seed gives; the schedule was changed" in caught.value.describe()
    with Store.open(tmp_path / "c.db") as store:
        assert store.count() == 0 and store.trials() == []


def test_fhir_has_the_plan_as_a_care_plan_with_one_activity_per_period() -> None:
    text = to_fhir_json([rest_session()], trials=[stopped_trial()], today=date(2026, 1, 10))
    again = Bundle.model_validate_json(text)  # R4B validates
    (plan,) = [e.resource for e in again.entry if e.resource.get_resource_type() == "CarePlan"]
    assert plan.status == "revoked" and plan.intent == "plan"
    assert str(plan.period.start) == START.isoformat() and str(plan.period.end) == "2026-01-27"
    details = [a.detail for a in plan.activity]
    assert [d.code.text for d in details[:2]] == ["Pair 1: TENS period", "Pair 1: rest period"]
    assert [d.doNotPerform for d in details[:2]] == [False, True]
    assert [d.status for d in details] == ["completed", "stopped", "cancelled", "cancelled",
                                           "cancelled", "cancelled", "cancelled", "cancelled"]
    assert any("pads ran out" in n.text for n in plan.note) and any("seed 9" in n.text for n in plan.note)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-10, 2**64) | st.floats(allow_nan=False) | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)


@given(st.dictionaries(st.sampled_from(["start", "created", "seed", "period_days", "washout_days", "order",
                                        "tens_means", "rest_means", "stopped", "deviations"]), json_values))
def test_any_trial_object_is_read_or_refused_with_a_reason(data: dict) -> None:
    base = trial_to_dict(stopped_trial())
    try:
        trial = trial_from_dict({**base, **data})
    except PlanError as exc:
        assert str(exc).split(":")[0]  # names a field
    else:
        assert trial.plan.matches_seed()


@given(st.integers(0, 2**63 - 1), st.integers(3, 16), st.integers(1, 7), st.integers(0, 7),
       st.text(st.characters(codec="utf-8", exclude_categories=["Cc", "Cs", "Zl", "Zp"]), min_size=1, max_size=50).filter(str.strip))
def test_every_valid_plan_round_trips_through_its_json_form(seed, pairs, days, washout, means) -> None:
    plan = TrialPlan.make(start=START, created=datetime(2026, 1, 4, 20, tzinfo=CET), pairs=pairs,
                          period_days=days, washout_days=washout, tens_means=means, seed=seed)
    trial = StoredTrial(1, plan)
    assert trial_from_dict(json.loads(json.dumps(trial_to_dict(trial)))).plan == plan
