"""A trial as JSON (the "trials" list of tenslog's JSON export) and back. Reading checks the
plan as ``tenslog trial plan`` would, and that its order is the one its seed gives, so an edited
file cannot bring in a quietly changed schedule.

    {"start": "2026-12-01", "created": ISO 8601, "seed": int, "period_days": 1-7,
     "washout_days": 0-7, "order": ["tens-first" | "rest-first", ...],   # one per pair
     "tens_means": str, "rest_means": str, "stopped": ISO 8601 | null,
     "deviations": [{"at": ISO 8601, "kind": "stopped" | "changed", "reason": str}]}
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from tenslog.trial.plan import Arm, Deviation, PlanError, StoredTrial, TrialPlan, check_reason

_FIRST = {"tens-first": Arm.TENS, "rest-first": Arm.REST}
_KINDS = ("stopped", "changed")


def trial_to_dict(trial: StoredTrial) -> dict[str, Any]:
    plan = trial.plan
    return {
        "start": plan.start.isoformat(),
        "created": plan.created.isoformat(),
        "seed": plan.seed,
        "period_days": plan.period_days,
        "washout_days": plan.washout_days,
        "order": [f"{first.value}-first" for first, _ in plan.order],
        "tens_means": plan.tens_means,
        "rest_means": plan.rest_means,
        "stopped": None if trial.stopped is None else trial.stopped.isoformat(),
        "deviations": [{"at": d.at.isoformat(), "kind": d.kind, "reason": d.reason}
                       for d in trial.deviations],
    }


def _moment(name: str, value: object) -> datetime:
    try:
        parsed = datetime.fromisoformat(str(value))
    except ValueError:
        raise PlanError(f"{name}: expected an ISO 8601 time (got {value!r})") from None
    if parsed.tzinfo is None:
        raise PlanError(f"{name}: needs a UTC offset (got {value!r})")
    return parsed


def trial_from_dict(data: object) -> StoredTrial:
    """The trial in ``data``; PlanError names the field at fault."""
    if not isinstance(data, dict):
        raise PlanError("trial: expected an object { ... }")
    order = data.get("order")
    if not isinstance(order, list) or any(not isinstance(o, str) or o not in _FIRST for o in order):
        raise PlanError('order: expected a list of "tens-first" / "rest-first"')
    if data.get("seed") is None:
        raise PlanError("seed: missing; a plan is kept with the seed its order came from")
    try:
        start = date.fromisoformat(str(data.get("start")))
    except ValueError:
        raise PlanError(f"start: expected a date YYYY-MM-DD (got {data.get('start')!r})") from None
    plan = TrialPlan.make(
        start=start, created=_moment("created", data.get("created")), pairs=len(order),
        period_days=data.get("period_days"), washout_days=data.get("washout_days"),  # type: ignore[arg-type]
        tens_means=str(data.get("tens_means", "")), rest_means=str(data.get("rest_means", "")),
        seed=data.get("seed"))
    if [first for first, _ in plan.order] != [_FIRST[o] for o in order]:
        raise PlanError("order: is not the order its seed gives; the schedule was changed")
    stopped = data.get("stopped")
    deviations = data.get("deviations", [])
    if not isinstance(deviations, list):
        raise PlanError("deviations: expected a list")
    found = []
    for i, d in enumerate(deviations):
        if not isinstance(d, dict) or d.get("kind") not in _KINDS:
            raise PlanError(f"deviations[{i}]: expected an object with kind stopped or changed")
        reason = check_reason(str(d.get("reason", "")), f"deviations[{i}].reason")
        found.append(Deviation(_moment(f"deviations[{i}].at", d.get("at")), d["kind"], reason))
    return StoredTrial(0, plan, None if stopped is None else _moment("stopped", stopped),
                       tuple(found))
