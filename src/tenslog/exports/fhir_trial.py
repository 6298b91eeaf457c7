"""A personal trial in FHIR R4B: a **CarePlan** (intent "plan") whose activities are the
periods in the order drawn, each with its dates and what the patient planned to do in it.

- status: "active" while planned or running, "completed" when every period is over, "revoked"
  when stopped early (the stop and its reason are notes; so is the seed).
- a rest period's activity has ``doNotPerform: true``: no TENS in it.
Stored text (what a period means, a reason) goes in through ``tenslog.text.shown``.
Built as a plain dict, its elements in R4B order (as fhir.resources wrote them)."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from tenslog.exports.fhir_time import fhir_time
from tenslog.text import shown
from tenslog.trial.plan import Arm, Period, StoredTrial


def trial_urn(namespace: uuid.UUID, trial: StoredTrial) -> str:
    return f"urn:uuid:{uuid.uuid5(namespace, f'trial/{trial.plan.created.isoformat()}/{trial.plan.seed}')}"


def _days(first: date, last: date) -> dict[str, str]:
    return {"start": first.isoformat(), "end": last.isoformat()}  # a FHIR dateTime may be a plain date


def _activity_status(period: Period, end: date, stopped: bool) -> str:
    if period.last_day < end:
        return "completed"
    if stopped:
        return "cancelled" if period.first_day > end else "stopped"
    return "in-progress" if period.first_day <= end else "not-started"


def care_plan(trial: StoredTrial, patient_ref: str, today: date) -> dict[str, Any]:
    plan = trial.plan
    stopped = trial.stopped is not None
    end = trial.stopped.date() if trial.stopped is not None else today
    status = "revoked" if stopped else "completed" if today > plan.last_day else "active"
    washout = f", {plan.washout_days}-day washout after each period" if plan.washout_days else ""
    notes = [(f"Order inside each pair drawn at random (Python random.Random, seed {plan.seed}); "
              "open label: the patient knew which period it was.")]
    notes += [f"Deviation ({d.kind}, {d.at.isoformat(timespec='minutes')}): {shown(d.reason)}"
              for d in trial.deviations]
    activities = [
        {"detail": {
            "code": {"text": f"Pair {p.pair}: {p.arm.label}"},
            "status": _activity_status(p, end, stopped),
            "doNotPerform": p.arm is Arm.REST,
            "scheduledPeriod": _days(p.first_day, p.last_day),
            "description": shown(plan.means(p.arm)) + "; rate pain (0-10) before and after",
        }}
        for p in plan.periods()
    ]  # fmt: skip
    return {
        "resourceType": "CarePlan",
        "status": status,
        "intent": "plan",
        "title": "Personal (N-of-1) trial: TENS against rest",
        "description": (f"{plan.pairs} pairs of {plan.period_days}-day periods{washout}, "
                        "one TENS and one rest period in each pair, in random order."),
        "subject": {"reference": patient_ref},
        "period": _days(plan.start, plan.last_day),
        "created": fhir_time(plan.created),
        "activity": activities,
        "note": [{"text": t} for t in notes],
    }
