"""The report's "Personal trial" section (issue 14): the trial's own words, with the same
"not finished" and "open label" caveats as ``tenslog trial result``, and a pair-by-pair chart
as inline SVG (matplotlib, as exports/chart.py; labels are numbers we make, and any text is
escaped by matplotlib's SVG writer). The statistics go to the key-numbers table."""

from __future__ import annotations

import html
import io
from datetime import date

from tenslog.exports.chart import FALL, RISE, SAME
from tenslog.settings import Settings
from tenslog.store import Store
from tenslog.trial.analysis import TrialResult, analyse_trial
from tenslog.trial.plan import StoredTrial


def trial_for_report(store: Store, settings: Settings, today: date) -> TrialResult | None:
    """The running trial, else the latest one, analysed as ``tenslog trial result`` does."""
    from datetime import datetime, time, timedelta

    trial: StoredTrial | None = store.active_trial(today) or store.latest_trial()
    if trial is None:
        return None
    plan = trial.plan
    since = datetime.combine(plan.start - timedelta(days=1), time()).astimezone()
    until = datetime.combine(plan.last_day + timedelta(days=2), time()).astimezone()
    return analyse_trial(trial, store.figures(since=since, until=until), settings, today)


def pairs_svg(result: TrialResult) -> str:
    """One bar per pair: the TENS period's mean change minus the rest period's (below 0: pain
    fell more with TENS). Pairs not over yet are grey; pairs without ratings have no bar."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rows = result.rows
    with plt.rc_context({"font.size": 7, "axes.spines.top": False, "axes.spines.right": False,
                         "svg.fonttype": "none", "svg.hashsalt": "tenslog"}):
        fig, ax = plt.subplots(figsize=(3.0, 1.3))
        xs = [r.pair for r in rows]
        for r in rows:
            if r.difference is None:
                ax.text(r.pair, 0, "·" if r.over else "to come", ha="center", va="bottom", fontsize=5.5, color=SAME)
                continue
            colour = SAME if not r.over else FALL if r.difference < 0 else RISE
            ax.bar(r.pair, r.difference, width=0.6, color=colour)
        ax.axhline(0, color="#555", lw=0.8)
        ax.set_xticks(xs, [str(x) for x in xs])
        ax.set_xlabel("pair")
        ax.set_ylabel("TENS − rest\n(points)")
        ax.set_title("below 0: pain fell more in the TENS period", loc="left", fontsize=7)
        ax.grid(axis="y", color="#e5e5e5")
        ax.set_axisbelow(True)
        fig.tight_layout(pad=0.3)
        buf = io.StringIO()
        fig.savefig(buf, format="svg", metadata={"Date": None})
        plt.close(fig)
    svg = buf.getvalue()
    return svg[svg.index("<svg"):]  # inline: no XML prologue or DOCTYPE


def trial_section(result: TrialResult) -> str:
    """The words (verdict or "not finished", deviations, caveats) beside the chart."""
    numbers = {result.planned.words(result.threshold), result.done.words(result.threshold)}
    lines = [line.replace("the numbers below are", "the trial's key numbers are")
             for line in result.lines() if line not in numbers]
    plan = result.trial.plan
    what = (f"{plan.pairs} pairs of {plan.period_days}-day periods from {plan.start:%d %b %Y}, "
            "TENS and rest in random order within each pair")
    paras = "".join(f"<p>{html.escape(line)}</p>" for line in [what[0].upper() + what[1:] + ".", *lines])
    return f'<div class="cols trial"><div>{paras}</div><div class="svg">{pairs_svg(result)}</div></div>'


def trial_numbers(result: TrialResult) -> tuple[str, list[tuple[str, str]]]:
    """The trial's statistics for the key-numbers table (as planned, the verdict's analysis)."""
    a = result.planned
    rows = [("pairs complete", f"{result.pairs_over} of {result.trial.plan.pairs}")]
    if a.mean is not None and a.p_value is not None and a.prob_benefit is not None:
        rows += [
            ("mean, TENS minus rest (95 % interval)", f"{a.mean.mean:+.1f} ({a.mean.low:+.1f} to {a.mean.high:+.1f})"),
            ("randomisation test", f"p = {a.p_value:.3f}"),
            (f"chance TENS beats rest by ≥ {result.threshold:g} points", f"{a.prob_benefit * 100:.0f} %"),
        ]
    done = result.done
    if result.deviations and done.mean is not None:  # shown beside the verdict's analysis, as the CLI does
        rows.append(("as done: mean, TENS minus rest (95 % interval)",
                     f"{done.mean.mean:+.1f} ({done.mean.low:+.1f} to {done.mean.high:+.1f})"))
    return "Personal trial (as planned)", rows
