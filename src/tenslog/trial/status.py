"""Where you are in a trial today, what to do, and which days still lack a rating.

A period day counts as rated when a session of the planned kind (a TENS session in a TENS
period, a rest period in a rest period) was rated before and after on that local day."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from tenslog.model import SessionFigures, SessionKind
from tenslog.text import shown
from tenslog.trial.plan import Arm, Period, StoredTrial

_KIND = {Arm.TENS: SessionKind.TENS, Arm.REST: SessionKind.REST}


def period_on(periods: list[Period], day: date) -> Period | None:
    return next((p for p in periods if p.holds(day)), None)


def rated_days(figures: Iterable[SessionFigures]) -> dict[SessionKind, set[date]]:
    days: dict[SessionKind, set[date]] = {SessionKind.TENS: set(), SessionKind.REST: set()}
    for f in figures:
        if f.rated:
            days[f.kind].add(f.local_day)
    return days


@dataclass(frozen=True)
class TrialStatus:
    headline: str  # "Pair 3 of 6: TENS period, day 1 of 1"
    todo: str = ""  # what to do today, in the user's own words
    missing_days: list[date] = field(default_factory=list)  # past period days without a rating
    today_rated: bool | None = None  # None: today is not a period day

    def lines(self) -> list[str]:
        out = [self.headline]
        if self.todo:
            out.append(self.todo)
        if self.today_rated is not None:
            out.append("Today: rated." if self.today_rated else
                       "Today: not rated yet (rate your pain before and after).")
        if self.missing_days:
            listed = ", ".join(d.strftime("%a %d %b") for d in self.missing_days[:5])
            more = "" if len(self.missing_days) <= 5 else f" and {len(self.missing_days) - 5} more"
            count = len(self.missing_days)
            out.append(f"Missing ratings: {count} earlier day{'s' if count != 1 else ''} of the "
                       f"trial had no rated session of the planned kind ({listed}{more}).")
        return out


def trial_status(trial: StoredTrial | None, figures: Iterable[SessionFigures], today: date) -> TrialStatus:
    if trial is None:
        return TrialStatus("No personal trial planned. Plan one with: tenslog trial plan")
    plan = trial.plan
    periods = plan.periods()
    if trial.stopped is not None:
        return TrialStatus(f"Trial {trial.id} was stopped early on "
                           f"{trial.stopped.date().isoformat()} (recorded as a deviation). "
                           "See: tenslog trial result")
    if today < plan.start:
        first = periods[0]
        return TrialStatus(f"Trial {trial.id} starts on {plan.start.isoformat()} with a "
                           f"{first.arm.label}.",
                           f"Then: {shown(plan.means(first.arm))}.")
    days = rated_days(figures)
    missing = [day for p in periods for day in _days(p) if day < today
               and day not in days[_KIND[p.arm]]]
    if today > plan.last_day:
        return TrialStatus(f"Trial {trial.id} is finished ({plan.pairs} of {plan.pairs} pairs). "
                           "See: tenslog trial result", missing_days=missing)
    current = period_on(periods, today)
    if current is None:
        following = next(p for p in periods if p.first_day > today)
        return TrialStatus(f"Washout day: no TENS, no ratings needed. Next: pair "
                           f"{following.pair} of {plan.pairs}, {following.arm.label}, from "
                           f"{following.first_day.isoformat()}.", missing_days=missing)
    day_number = (today - current.first_day).days + 1
    return TrialStatus(
        f"Pair {current.pair} of {plan.pairs}: {current.arm.label}, day {day_number} of "
        f"{current.days()}",
        f"What to do: {shown(plan.means(current.arm))}.",
        missing, today in days[_KIND[current.arm]])


def _days(period: Period) -> list[date]:
    from datetime import timedelta

    return [period.first_day + timedelta(days=i) for i in range(period.days())]
