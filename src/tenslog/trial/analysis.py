"""The answer of a personal trial, two ways (AHRQ N-of-1 guide, ch. 4):

- **as planned** (intention to treat): every rated session or rest period counts for the
  period it falls in, whatever was done; each period's outcome is the mean change (after -
  before) of its ratings, labelled by the order drawn. Only this analysis keeps the
  randomisation, so only its randomisation test is exact; it is the verdict.
- **as done**: each rated entry counts for what it was (a TENS session or a rest period),
  compared within its pair.

Entries on washout days or outside the plan are left out. The result is plain data for any
screen: ``lines()`` in words, ``rows`` a table of pairs."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

import numpy as np

from tenslog.model import SessionFigures, SessionKind
from tenslog.settings import Settings
from tenslog.text import shown
from tenslog.trial.plan import Arm, Period, StoredTrial
from tenslog.trial.stats import (
    MeanDifference,
    mean_difference,
    prob_benefit,
    randomisation_p,
    smallest_p,
)
from tenslog.trial.status import period_on

ALPHA = 0.05
MODEL_DOC = "docs/trial.md"


def _mean(values: list[int]) -> float | None:
    return float(np.mean(values)) if values else None


@dataclass(frozen=True, slots=True)
class PairRow:
    """One pair: the mean change in each period as planned, and the differences both ways."""

    pair: int
    first: Arm
    tens_change: float | None  # the TENS period's mean change (as planned)
    rest_change: float | None
    difference: float | None  # tens - rest, as planned; negative favours TENS
    done_difference: float | None  # TENS sessions - rest periods within the pair, as done
    over: bool  # both periods are in the past


@dataclass(frozen=True)
class Analysis:
    """One way of counting: the pair differences and what they say."""

    label: str  # "as planned" | "as done"
    differences: list[float]
    mean: MeanDifference | None = None
    p_value: float | None = None
    prob_benefit: float | None = None

    @property
    def n(self) -> int:
        return len(self.differences)

    def words(self, threshold: float) -> str:
        if self.mean is None or self.p_value is None or self.prob_benefit is None:
            return f"{self.label.capitalize()}: not enough complete pairs yet ({self.n} with ratings in both periods; 2 needed)."
        m = self.mean
        better = sum(d < 0 for d in self.differences)
        return (f"{self.label.capitalize()}: TENS minus rest, mean change {m.mean:+.1f} points "
                f"(95 % interval {m.low:+.1f} to {m.high:+.1f}; negative = pain fell more with "
                f"TENS); TENS did better in {better} of {self.n} pairs; randomisation test "
                f"p = {self.p_value:.3f}; chance that TENS beats rest by at least "
                f"{threshold:g} points: {self.prob_benefit * 100:.0f} %.")


def _analyse(label: str, differences: list[float], threshold: float) -> Analysis:
    if len(differences) < 2:
        return Analysis(label, differences)
    d = np.asarray(differences, dtype=float)
    return Analysis(label, differences, mean_difference(d), randomisation_p(d),
                    prob_benefit(d, threshold))


@dataclass(frozen=True)
class TrialResult:
    trial: StoredTrial
    rows: list[PairRow]
    planned: Analysis
    done: Analysis
    threshold: float
    pairs_over: int
    deviations: list[str] = field(default_factory=list)

    @property
    def finished(self) -> bool:
        return self.trial.stopped is None and self.pairs_over == self.trial.plan.pairs

    @property
    def verdict(self) -> str:
        """One of: "not finished", "TENS better", "rest better", "no clear difference"."""
        if not self.finished:
            return "not finished"
        a = self.planned
        if a.mean is None or a.p_value is None or a.p_value >= ALPHA:
            return "no clear difference"
        return "TENS better" if a.mean.mean < 0 else "rest better"

    def lines(self) -> list[str]:
        plan = self.trial.plan
        out = []
        if self.trial.stopped is not None:
            out.append(f"Trial stopped early ({self.pairs_over} of {plan.pairs} pairs): no "
                       "verdict from a stopped trial; the numbers below are what there is.")
        elif not self.finished:
            out.append(f"Trial not finished ({self.pairs_over} of {plan.pairs} pairs): no "
                       "verdict yet; the numbers below are only so far.")
        elif self.verdict == "TENS better":
            out.append(f"In your trial, pain fell more in the TENS periods than in the rest "
                       f"periods (a difference this large came up in only "
                       f"{self.planned.p_value or 0:.1%} of the orders the draw could have made).")
        elif self.verdict == "rest better":
            out.append("In your trial, pain fell less in the TENS periods than in the rest "
                       "periods.")
        else:
            out.append("Your trial shows no clear difference between the TENS and the rest "
                       "periods.")
        out.append(self.planned.words(self.threshold))
        if self.deviations:
            out.append(self.done.words(self.threshold))
            out.append("Deviations from the plan: " + "; ".join(self.deviations) + ".")
        counted = self.planned.n or plan.pairs  # before any pair is done: the plan's pairs
        if counted < 6:
            out.append(f"With {counted} pairs the randomisation test cannot go below "
                       f"p = {smallest_p(counted):.3f}.")
        out.append("Open label: you knew which period it was, so expectations can colour the "
                   "ratings.")
        washout = (f"the {plan.washout_days}-day washout between periods lessens this"
                   if plan.washout_days else "there was no washout between periods")
        out.append(f"Carry-over: relief from TENS may last into the next period ({washout}); "
                   "that would make the two kinds of period look more alike.")
        out.append(f"The chance figure assumes the model in {MODEL_DOC}; the clear-improvement "
                   f"threshold is {self.threshold:g} points (2 points or 30 % of your starting "
                   "pain, whichever is smaller).")
        return out


def _threshold(figures: list[SessionFigures], settings: Settings) -> float:
    starts = [f.before for f in figures if f.before is not None]
    points = float(settings.responder_points)
    if not starts:
        return points
    return round(min(points, settings.responder_percent / 100 * float(np.mean(starts))), 2)


def analyse_trial(trial: StoredTrial, figures: Iterable[SessionFigures], settings: Settings,
                  today: date) -> TrialResult:
    plan = trial.plan
    periods = plan.periods()
    end = min(today, trial.stopped.date()) if trial.stopped is not None else today
    placed: dict[tuple[int, Arm], list[SessionFigures]] = {(p.pair, p.arm): [] for p in periods}
    used: list[SessionFigures] = []
    for f in figures:
        period = period_on(periods, f.local_day)
        if period is None or not f.rated or f.local_day > end:
            continue
        placed[(period.pair, period.arm)].append(f)
        used.append(f)
    threshold = _threshold(used, settings)
    rows, deviations = [], []
    for pair in range(1, plan.pairs + 1):
        both = [p for p in periods if p.pair == pair]
        over = all(p.last_day < end for p in both)
        changes = {arm: [f.change for f in placed[(pair, arm)] if f.change is not None]
                   for arm in Arm}
        tens, rest = _mean(changes[Arm.TENS]), _mean(changes[Arm.REST])
        pool = placed[(pair, Arm.TENS)] + placed[(pair, Arm.REST)]
        done_tens, done_rest = (
            _mean([f.change for f in pool if f.kind is k and f.change is not None])
            for k in (SessionKind.TENS, SessionKind.REST))
        rows.append(PairRow(pair, both[0].arm, tens, rest,
                            None if tens is None or rest is None else tens - rest,
                            None if done_tens is None or done_rest is None
                            else done_tens - done_rest, over))
        for p in both:
            if p.first_day <= end:
                deviations += _period_deviations(p, placed[(p.pair, p.arm)], p.last_day < end)
    deviations += [f"{d.kind} on {d.at.date().isoformat()} because: {shown(d.reason)}"
                   for d in trial.deviations]
    complete = [r for r in rows if r.over]
    planned = _analyse("as planned", [r.difference for r in complete if r.difference is not None],
                       threshold)
    as_done = _analyse("as done", [r.done_difference for r in complete
                                   if r.done_difference is not None], threshold)
    return TrialResult(trial, rows, planned, as_done, threshold, len(complete), deviations)


def _period_deviations(p: Period, entries: list[SessionFigures], over: bool) -> list[str]:
    where = f"pair {p.pair}, {p.arm.label} ({p.first_day.strftime('%d %b')})"
    tens = sum(f.kind is SessionKind.TENS for f in entries)
    if p.arm is Arm.REST and tens:
        return [f"{where}: {tens} TENS session{'s' if tens != 1 else ''}"]
    if p.arm is Arm.TENS and over and not tens:
        return [f"{where}: no TENS session"]
    return []
