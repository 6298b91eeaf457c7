"""The personal trial in the dashboard's words: where you are today, the plan, and the answer
with a pair-by-pair chart. Pure functions returning Rich Text (inert: stored text such as the
user's own "what to do" never reads as markup); the words come from tenslog.trial, as in
``tenslog trial status`` and ``tenslog trial result``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from rich.text import Text

from tenslog.model import SessionFigures
from tenslog.settings import Settings
from tenslog.store import Store
from tenslog.text import shown
from tenslog.trial.analysis import PairRow, TrialResult, analyse_trial
from tenslog.trial.plan import Arm, StoredTrial
from tenslog.trial.status import trial_status

BAR_CELLS = 14  # the longest bar: the largest pair difference
NO_TRIAL = "No personal trial planned. Press p to plan one."


@dataclass(frozen=True)
class TrialData:
    trial: StoredTrial | None
    figures: list[SessionFigures]


def load(store: Store, today: date) -> TrialData:
    """The trial to show (the running one, else the latest) and the rated entries around it."""
    trial = store.active_trial(today) or store.latest_trial()
    if trial is None:
        return TrialData(None, [])
    plan = trial.plan
    # A day either side: entries are placed by their own local day, whatever the offset.
    since = datetime.combine(plan.start - timedelta(days=1), time()).astimezone()
    until = datetime.combine(plan.last_day + timedelta(days=2), time()).astimezone()
    return TrialData(trial, store.figures(since=since, until=until))


def status_text(data: TrialData, today: date) -> Text:
    """Today's period, what to do, the ratings still missing (trial_status's own words)."""
    if data.trial is None:
        return Text(NO_TRIAL)
    lines = trial_status(data.trial, data.figures, today).lines()
    out = Text(lines[0], style="bold")
    for line in lines[1:]:
        out.append("\n" + line)
    if not data.trial.active_on(today):
        out.append("\nIts answer, pair by pair, is at the end of the review: press 3.")
    return out


def plan_text(trial: StoredTrial, today: date) -> Text:
    """The plan in a few lines and its order, pair by pair (today's period marked ▸)."""
    plan = trial.plan
    washout = (f"{plan.washout_days}-day washout after each period" if plan.washout_days
               else "no washout")
    out = Text(f"Trial {trial.id}: {plan.pairs} pairs of {plan.period_days}-day periods, "
               f"{washout}, {plan.start.isoformat()} to {plan.last_day.isoformat()}.\n"
               f"The order in each pair was drawn at random from seed {plan.seed} (recorded).\n")
    for arm in Arm:
        out.append(f"{arm.label[0].upper()}{arm.label[1:]}: ", style="bold")
        out.append(shown(plan.means(arm)) + "\n")
    periods = plan.periods()
    for pair in range(1, plan.pairs + 1):
        both = [p for p in periods if p.pair == pair]
        now = any(p.holds(today) for p in both)
        out.append("▸ " if now else "  ", style="bold")
        out.append(f"pair {pair}: " + ", then ".join(
            f"{p.arm.label.split()[0]} {p.first_day.strftime('%d %b')}" for p in both))
        if pair < plan.pairs:
            out.append("\n")
    return out


def result_of(data: TrialData, settings: Settings, today: date) -> TrialResult | None:
    if data.trial is None:
        return None
    return analyse_trial(data.trial, data.figures, settings, today)


def _bar(row: PairRow, scale: float) -> Text:
    """One pair: a bar left of the axis when pain fell more with TENS, right when with rest."""
    line = Text(f"pair {row.pair:>2}  ")
    if row.difference is None:
        line.append(" " * BAR_CELLS + "│" + ("  not over yet" if not row.over
                                              else "  no ratings in both periods"))
        return line
    cells = round(abs(row.difference) / scale * BAR_CELLS) if scale else 0
    if row.difference < 0:
        line.append(" " * (BAR_CELLS - cells))
        line.append("█" * cells, style="green")
        line.append("│")
    else:
        line.append(" " * BAR_CELLS + "│")
        line.append("█" * cells, style="red")
        line.append(" " * (BAR_CELLS - cells))
    line.append(f" {row.difference:+.1f}" + ("" if row.over else " (so far)"))
    return line


def pair_chart(result: TrialResult) -> Text:
    """TENS minus rest, pair by pair: ◀ pain fell more with TENS, ▶ with rest."""
    values = [abs(r.difference) for r in result.rows if r.difference is not None]
    scale = max(values, default=0.0)
    out = Text("TENS minus rest, mean change in pain per pair\n", style="bold")
    out.append(" " * 9 + "◀ TENS better".rjust(BAR_CELLS) + "│" + "rest better ▶\n")
    out.append_text(Text("\n").join(_bar(r, scale) for r in result.rows))
    return out


def section_text(result: TrialResult) -> Text:
    """The review's "Personal trial" section: the verdict (or why there is none yet) and the
    numbers behind it, the chart, then the caveats: all in tenslog.trial.analysis' words."""
    out = Text("Personal trial\n", style="bold underline")
    verdict, numbers, *caveats = result.lines()
    out.append(verdict + "\n", style="bold")
    out.append(numbers + "\n\n")
    out.append_text(pair_chart(result))
    out.append("\n\n" + "\n".join(caveats))
    return out
