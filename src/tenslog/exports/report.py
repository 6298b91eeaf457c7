"""A one-page HTML report to take to an appointment: self-contained (chart embedded as a
PNG in base64, no network), printable on A4, in plain words with the numbers beside them."""

from __future__ import annotations

import base64
import html
from collections.abc import Sequence
from datetime import UTC, date, datetime

import numpy as np

from tenslog.analysis import compare_with_rest, dose_response, summarize, to_records, words
from tenslog.analysis.records import Record
from tenslog.analysis.weeks import by_week
from tenslog.exports.chart import chart_png
from tenslog.model import Session, SessionKind
from tenslog.settings import Settings
from tenslog.text import shown

WEEKS_IN_TABLE = 8

CSS = """
@page { size: A4; margin: 10mm 13mm; }
* { box-sizing: border-box; }
body { font-family: "Segoe UI", "Helvetica Neue", Arial, sans-serif; color: #222; font-size: 10.5pt;
       line-height: 1.4; max-width: 180mm; margin: 1.5em auto; padding: 0 1em; }
h1 { font-size: 16pt; margin: 0 0 2pt; font-weight: 600; }
h2 { font-size: 11.5pt; margin: 12pt 0 4pt; color: #2f5d80; font-weight: 600; }
p { margin: 0 0 5pt; }
.meta { color: #555; margin-bottom: 8pt; }
.box { background: #f3f6f8; border-left: 4px solid #2f6f9f; padding: 6pt 9pt; }
img { width: 100%; height: auto; display: block; margin: 4pt 0; }
table { border-collapse: collapse; width: 100%; font-size: 9.5pt; }
th, td { text-align: left; padding: 2pt 6pt; border-bottom: 1px solid #ddd; }
th { font-weight: 600; background: #f3f6f8; }
td.n, th.n { text-align: right; }
.cols { display: flex; gap: 12pt; }
.cols > div { flex: 1; }
td.nw { white-space: nowrap; }
.small { font-size: 8.8pt; color: #555; }
td.n { white-space: nowrap; }
/* On paper everything must fit one A4 page: smaller type, a narrower chart. */
@media print {
  body { margin: 0; max-width: none; padding: 0; font-size: 8.6pt; line-height: 1.3; }
  h1 { font-size: 13pt; } h2 { font-size: 10pt; margin: 7pt 0 3pt; }
  p { margin: 0 0 3pt; } .box { padding: 4pt 8pt; break-inside: avoid; }
  img { width: 68%; margin: 2pt auto; } table { font-size: 8.2pt; } th, td { padding: 1pt 5pt; }
  .small { font-size: 7.8pt; }
}
"""


def _paras(text: str) -> str:
    return "".join(f"<p>{html.escape(line)}</p>" for line in text.splitlines() if line.strip())


def _fmt(value: float | None) -> str:
    return "—" if value is None else words.signed(value)


def _key_rows(rows: list[tuple[str, str]]) -> str:
    return "".join(f"<tr><td>{html.escape(k)}</td><td class=n>{html.escape(v)}</td></tr>" for k, v in rows)


def _week_rows(records: list[Record]) -> str:
    weeks = by_week(r for r in records if r.kind is SessionKind.TENS)
    rows = []
    for monday in list(weeks)[-WEEKS_IN_TABLE:]:
        rs = weeks[monday]
        rated = [r for r in rs if r.rated]
        minutes = sum(r.duration_min or 0 for r in rs)
        med = lambda xs: "—" if not xs else f"{np.median(xs):g}"  # noqa: E731
        rows.append(
            f"<tr><td class=nw>{monday:%d %b %Y}</td><td class=n>{len(rs)}</td><td class=n>{minutes:.0f}</td>"
            f"<td class=n>{len(rated)}</td><td class=n>{med([r.before for r in rated])}</td>"
            f"<td class=n>{med([r.after for r in rated])}</td>"
            f"<td class=n>{_fmt(float(np.median([r.change for r in rated])) if rated else None)}</td></tr>"
        )
    return "".join(rows)


def build_report(
    sessions: Sequence[Session],
    settings: Settings | None = None,
    *,
    title: str = "TENS diary: does the unit help?",
    period: tuple[date, date] | None = None,
) -> str:
    settings = settings or Settings()
    records = to_records(sessions, settings)  # too-short sessions count nowhere, charts included
    summary = summarize(records, settings)
    comparison = compare_with_rest(records, settings)
    dose = dose_response(records, settings, span=period)
    days = [r.local_day for r in records]
    if period is None and days:
        period = (min(days), max(days))
    span = "no sessions" if period is None else f"{period[0]:%d %b %Y} to {period[1]:%d %b %Y}"
    units = sorted({shown(r.unit[0]) for r in records if r.unit})  # stored text: inert, then escaped
    png = base64.b64encode(chart_png(records)).decode("ascii")
    made = datetime.now(UTC).astimezone().strftime("%d %b %Y")
    n_tens = sum(r.kind is SessionKind.TENS for r in records)
    n_rest = len(records) - n_tens
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>
<style>{CSS}</style></head><body>
<h1>{html.escape(title)}</h1>
<div class="meta">{span} · {n_tens} TENS sessions, {n_rest} rest periods ·
unit: {html.escape(", ".join(units) or "—")} · made {made} with tenslog</div>
<h2>In short</h2>
<div class="box">{_paras(summary.plain_words())}</div>
<img alt="Chart: pain before and after each TENS session, and how pain changed with TENS and at rest"
 src="data:image/png;base64,{png}">
<h2>Compared with resting without the unit</h2>
{_paras(comparison.plain_words())}
<div class="cols"><div>
<h2>Use</h2>
{_paras(dose.adherence.plain_words())}
{_paras(dose.trend.plain_words())}
</div><div>
<h2>Key numbers (TENS)</h2>
<table>{_key_rows(summary.key_numbers())}</table>
</div></div>
<h2>Week by week (TENS, last {WEEKS_IN_TABLE} weeks; pain as middle values)</h2>
<table><tr><th>week of</th><th class=n>sessions</th><th class=n>minutes of use</th><th class=n>rated</th>
<th class=n>pain before</th><th class=n>pain after</th><th class=n>change</th></tr>
{_week_rows(records)}</table>
<h2>How to read this</h2>
<p class="small">Pain is rated 0 (none) to 10 (worst imaginable). "Median" is the middle value: half the
sessions did better, half worse. The "95 % range" is where the true value most likely lies given how
few sessions there are; a range that includes 0 means no clear effect yet. A clear improvement is a
fall of at least {settings.responder_points} points or {settings.responder_percent:g} % (the usual
clinical mark). Rest periods are times pain was rated the same way without the unit: they show how
much pain eases anyway. {html.escape(dose.note)} The full list of sessions is in tenslog's CSV export.</p>
</body></html>
"""
