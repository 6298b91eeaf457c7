"""A one-page HTML report to take to an appointment: self-contained (charts embedded as a
PNG in base64 and inline SVG, no network), printable on ONE A4 page, the answer first in plain
words and the statistics in the key-numbers table."""

from __future__ import annotations

import base64
import html
from collections.abc import Sequence
from datetime import UTC, date, datetime

import numpy as np

from tenslog.analysis import compare_with_rest, dose_response, summarize, words
from tenslog.analysis.columns import Columns, long_enough
from tenslog.analysis.headline import headline
from tenslog.analysis.weeks import week_start
from tenslog.exports.chart import chart_png
from tenslog.exports.report_parts import Patient, doctor_notes, key_numbers, key_rows, trend_words
from tenslog.exports.report_style import CSS
from tenslog.model import Session
from tenslog.settings import Settings
from tenslog.text import shown
from tenslog.trial.analysis import TrialResult

WEEKS_IN_TABLE = 6



def _paras(text: str) -> str:
    return "".join(f"<p>{html.escape(line)}</p>" for line in text.splitlines() if line.strip())


def _fmt(value: float | None) -> str:
    return "—" if value is None else words.signed(value)


def _week_rows(cols: Columns) -> str:
    """The last WEEKS_IN_TABLE weeks with TENS sessions: only those rows are looked at one by one."""
    tens = np.flatnonzero(cols.tens)
    monday = week_start(cols.day[tens])
    shown_weeks = np.unique(monday)[-WEEKS_IN_TABLE:]
    rows = []
    for week in shown_weeks:
        rs = tens[monday == week]  # in session order
        rated = rs[cols.rated[rs]]
        minutes = sum(0 if np.isnan(d) else float(d) for d in cols.duration[rs])  # added in order
        med = lambda xs: "—" if not len(xs) else f"{np.median(xs):g}"  # noqa: E731
        rows.append(
            f"<tr><td class=nw>{date.fromordinal(int(week)):%d %b %Y}</td><td class=n>{len(rs)}</td>"
            f"<td class=n>{minutes:.0f}</td><td class=n>{len(rated)}</td><td class=n>{med(cols.before[rated])}</td>"
            f"<td class=n>{med(cols.after[rated])}</td>"
            f"<td class=n>{_fmt(float(np.median(cols.change[rated])) if len(rated) else None)}</td></tr>"
        )
    return "".join(rows)


def build_report(
    sessions: Sequence[Session] | Columns,
    settings: Settings | None = None,
    *,
    noted: Sequence[Session] | None = None,
    title: str = "TENS diary: does the unit help?",
    period: tuple[date, date] | None = None,
    patient: Patient | None = None,
    trial: TrialResult | None = None,
) -> str:
    """``sessions``: whole Sessions, or columns of them (tenslog.analysis.reading) with the
    sessions whose notes are marked for the doctor in ``noted``. ``patient`` (checked with
    ``Patient.parse``) goes at the top; ``trial`` (a personal trial's result) gets its own section."""
    settings = settings or Settings()
    if noted is None:
        noted = [] if isinstance(sessions, Columns) else sessions
    cols = long_enough(sessions, settings)  # too-short sessions count nowhere, charts included
    summary = summarize(cols, settings)
    comparison = compare_with_rest(cols, settings)
    dose = dose_response(cols, settings, span=period)
    if period is None and len(cols):
        period = (date.fromordinal(int(cols.day.min())), date.fromordinal(int(cols.day.max())))
    span = "no sessions" if period is None else f"{period[0]:%d %b %Y} to {period[1]:%d %b %Y}"
    units = sorted({shown(cols.units[u][0]) for u in np.unique(cols.unit) if u >= 0})  # stored text: inert, then escaped
    png = base64.b64encode(chart_png(cols)).decode("ascii")
    made = datetime.now(UTC).astimezone().strftime("%d %b %Y")
    n_tens = int(np.count_nonzero(cols.tens))
    n_rest = len(cols) - n_tens
    numbers = key_numbers(summary, comparison, dose.trend)
    trial_html = ""
    if trial is not None:
        from tenslog.exports.report_trial import trial_numbers, trial_section  # matplotlib SVG

        trial_html = f"<h2>Personal trial: TENS and rest periods in random order</h2>\n{trial_section(trial)}"
        numbers.append(trial_numbers(trial))
    notes = doctor_notes(noted)
    notes_html = f"<h2>Notes for the doctor</h2>\n{notes}" if notes else ""
    comparison_html = ""
    if comparison.enough:
        comparison_html = f"<h2>Compared with resting without the unit</h2>\n{_paras(comparison.plain_words())}"
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>
<style>{CSS}</style></head><body>
{"" if patient is None else patient.html()}
<h1>{html.escape(title)}</h1>
<div class="meta">{span} · {n_tens} TENS sessions, {n_rest} rest periods ·
unit: {html.escape(", ".join(units) or "—")} · made {made} with tenslog</div>
<h2>In short</h2>
<div class="box">{"".join(f"<p>{html.escape(line)}</p>" for line in headline(summary, comparison))}</div>
<img alt="Chart: pain before and after each TENS session, and how pain changed with TENS and at rest"
 src="data:image/png;base64,{png}">
{comparison_html}
{notes_html}
{trial_html}
<div class="cols"><div>
<h2>Use</h2>
{_paras(dose.adherence.plain_words())}
<p>{html.escape(trend_words(dose.trend))}</p>
<h2>Week by week (TENS, last {WEEKS_IN_TABLE} weeks; middle values)</h2>
<table><tr><th>week of</th><th class=n>sessions</th><th class=n>minutes</th><th class=n>rated</th>
<th class=n>before</th><th class=n>after</th><th class=n>change</th></tr>
{_week_rows(cols)}</table>
<h2>How to read this</h2>
<p class="small">Pain is rated 0 (none) to 10 (worst imaginable); a change is after minus before, so a
minus is a fall. "Median" is the middle value: half the sessions did better, half worse. A "95 % interval"
is where the true value most likely lies given how few sessions there are; one that includes 0 means no
clear effect yet. A clear improvement is a fall of at least {settings.responder_points} points or
{settings.responder_percent:g} % (the usual clinical mark). Rest periods are times pain was rated the same
way without the unit: they show how much pain eases anyway. {html.escape(words.CAVEATS)} {html.escape(dose.note)} The full list of
sessions is in tenslog's CSV export.</p>
</div><div class="wide">
<h2>Key numbers</h2>
<table class="keys">{key_rows(numbers)}</table>
</div></div>
</body></html>
"""
