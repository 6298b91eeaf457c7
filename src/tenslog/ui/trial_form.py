"""The trial plan form's logic without the screen: typed text in, a TrialPlan or the problems
per field out. Every check is the core's own (TrialPlan.make, check_reason), as for
``tenslog trial plan``; this module only maps its options to the form's fields."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from tenslog.trial.plan import (
    DEFAULT_PAIRS,
    DEFAULT_REST_MEANS,
    DEFAULT_TENS_MEANS,
    PlanError,
    StoredTrial,
    TrialPlan,
    check_reason,
)

FIELDS = ("pairs", "period_days", "washout_days", "start", "tens_means", "rest_means", "seed",
          "change_reason")
# The core names the option at fault ("--pairs: ..."): which field that is.
OPTION_FIELD = {"--pairs": "pairs", "--period-days": "period_days",
                "--washout-days": "washout_days", "--tens-means": "tens_means",
                "--rest-means": "rest_means", "--seed": "seed", "--change-reason": "change_reason"}
# A valid stand-in for a field already found wrong, so the core can check the others too.
STAND_IN: dict[str, Any] = {"pairs": DEFAULT_PAIRS, "period_days": 1, "washout_days": 0,
                            "tens_means": DEFAULT_TENS_MEANS, "rest_means": DEFAULT_REST_MEANS,
                            "seed": None}


def initial_values(today: date) -> dict[str, str]:
    return {"pairs": str(DEFAULT_PAIRS), "period_days": "1", "washout_days": "0",
            "start": today.isoformat(), "tens_means": DEFAULT_TENS_MEANS,
            "rest_means": DEFAULT_REST_MEANS, "seed": "", "change_reason": ""}


@dataclass
class PlanOutcome:
    plan: TrialPlan | None = None
    change_reason: str | None = None  # given: the plan replaces the running one
    errors: dict[str, str] = field(default_factory=dict)  # field -> what is wrong
    problem: str = ""  # what is wrong with the form as a whole


def _number(text: str) -> int | str:
    """A whole number, or the text as typed: then the core says what is wrong with it."""
    try:
        return int(text.strip())
    except ValueError:
        return text.strip()


def _start(text: str, today: date) -> tuple[date, str | None]:
    if not text.strip():
        return today, None
    try:
        first = date.fromisoformat(text.strip())
    except ValueError:
        return today, f"not a date (got {text.strip()!r}): use YYYY-MM-DD"
    if first < today:
        return today, (f"{first.isoformat()} is in the past: a trial is planned before it "
                       "begins (today or later)")
    return first, None


def build_plan(values: dict[str, str], now: datetime, active: StoredTrial | None) -> PlanOutcome:
    """The plan the form describes, or every problem found (nothing is stored here)."""
    out = PlanOutcome()
    start, problem = _start(values.get("start", ""), now.date())
    if problem:
        out.errors["start"] = problem
    seed = values.get("seed", "").strip()
    options: dict[str, Any] = {
        "pairs": _number(values.get("pairs", "")),
        "period_days": _number(values.get("period_days", "")),
        "washout_days": _number(values.get("washout_days", "")),
        "tens_means": values.get("tens_means", ""), "rest_means": values.get("rest_means", ""),
        "seed": _number(seed) if seed else None,
    }
    plan = None
    for _ in STAND_IN:  # at most one refusal per field
        try:
            plan = TrialPlan.make(start=start, created=now, **options)
            break
        except PlanError as exc:
            option, _sep, words = str(exc).partition(": ")
            name = OPTION_FIELD.get(option)
            if name is None or name not in STAND_IN or name in out.errors:
                out.problem = str(exc)
                break
            out.errors[name] = words
            options[name] = STAND_IN[name]
    reason = values.get("change_reason", "")
    if reason.strip():
        try:
            out.change_reason = check_reason(reason, "--change-reason")
        except PlanError as exc:
            out.errors["change_reason"] = str(exc).partition(": ")[2]
        if active is None:
            out.errors["change_reason"] = ("no trial is running, so there is none to replace: "
                                           "leave this empty")
    elif active is not None:
        out.errors["change_reason"] = "needed: a trial is already planned or running"
        out.problem = (f"Trial {active.id} is already planned or running (until "
                       f"{active.plan.last_day.isoformat()}). Stop it first (x on the trial "
                       "screen), or say above why this plan replaces it (recorded). "
                       "Nothing was changed.")
    if not out.errors and not out.problem:
        out.plan = plan
    return out


def plan_summary(plan: TrialPlan) -> str:
    washout = (f", a {plan.washout_days}-day washout after each period" if plan.washout_days
               else "")
    return (f"{plan.pairs} pairs of {plan.period_days}-day periods{washout}, from "
            f"{plan.start.isoformat()} to {plan.last_day.isoformat()}, seed {plan.seed}.")
