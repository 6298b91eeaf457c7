"""Parts of the report that hold the person's own words: who it is for (name and date of birth,
checked at input), the notes marked for the doctor, and the key-numbers table. Every stored or
typed string goes through ``shown`` (control characters made visible) and then ``html.escape``."""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from tenslog.analysis import words
from tenslog.analysis.compare import RestComparison
from tenslog.analysis.dose import Trend
from tenslog.analysis.summary import Summary
from tenslog.model import Session, SessionKind
from tenslog.text import check_name, shown

OLDEST_AGE = 130  # years: a date of birth further back is a typing mistake
NOTES_SHOWN = 5  # the newest notes marked for the doctor; the rest are in the CSV export
NOTE_CHARS = 140  # a longer note is shortened on the page (one A4 sheet)


class PatientError(ValueError):
    """A patient name or date of birth that cannot go on the report; the text says why."""


@dataclass(frozen=True, slots=True)
class Patient:
    name: str
    born: date | None = None

    @classmethod
    def parse(cls, name: str, born: str | None, today: date) -> Patient:
        """Checked as the dashboard checks a name: no control or text-direction characters,
        1-80 characters; the date as YYYY-MM-DD, in the past and not over 130 years ago."""
        try:
            checked = check_name(name)
        except ValueError as exc:
            raise PatientError(f"the patient name {exc}") from None
        if born is None:
            return cls(checked)
        try:
            day = date.fromisoformat(born.strip())
        except ValueError:
            raise PatientError(f"the date of birth {shown(born)!r} is not a date: use YYYY-MM-DD, e.g. 1961-04-23") from None
        if day > today:
            raise PatientError(f"the date of birth {day.isoformat()} is in the future")
        if today.year - day.year > OLDEST_AGE:
            raise PatientError(f"the date of birth {day.isoformat()} is more than {OLDEST_AGE} years ago")
        return cls(checked, day)

    def html(self) -> str:
        born = "" if self.born is None else f" · born {self.born:%d %b %Y}"
        return f'<div class="patient">{html.escape(shown(self.name))}{born}</div>'


def doctor_notes(sessions: Sequence[Session]) -> str:
    """The notes marked for the doctor, newest first, as an HTML list ("" when there are none)."""
    marked = [s for s in sessions if s.context.for_doctor and s.context.note.strip()]
    if not marked:
        return ""
    marked.sort(key=lambda s: s.start, reverse=True)
    items = []
    for s in marked[:NOTES_SHOWN]:
        note = s.context.note.strip()
        # One paragraph on paper: the note's own line breaks become " / ".
        flat = " / ".join(line.strip() for line in note.splitlines() if line.strip())
        text = html.escape(shown(flat[:NOTE_CHARS].rstrip() + ("…" if len(flat) > NOTE_CHARS else "")))
        what = "TENS session" if s.kind is SessionKind.TENS else "rest period"
        items.append(f"<li><b>{s.start:%d %b %Y}</b>, {what}: <span class=note>{text}</span></li>")
    more = len(marked) - NOTES_SHOWN
    tail = (f'<p class="small">{more} older note{"s" if more != 1 else ""} marked for the doctor '
            "are in tenslog's CSV export.</p>") if more > 0 else ""
    if any(len(s.context.note.strip()) > NOTE_CHARS for s in marked[:NOTES_SHOWN]):
        tail += '<p class="small">Notes ending in … are shortened here; each whole note is in the CSV export.</p>'
    return f"<ul class=notes>{''.join(items)}</ul>{tail}"


Rows = list[tuple[str, str]]


def key_numbers(summary: Summary, comparison: RestComparison, trend: Trend) -> list[tuple[str, Rows]]:
    """The statistics behind the plain words, in groups: TENS sessions, then against rest."""
    groups: list[tuple[str, Rows]] = [("TENS sessions", summary.key_numbers())]
    rows: Rows = []
    if comparison.enough and comparison.difference is not None and comparison.difference_ci is not None:
        ci = comparison.difference_ci
        rows.append(("median change, TENS minus rest", _signed(comparison.difference)))
        rows.append((f"95 % interval ({ci.method})", f"{_signed(ci.low)} to {_signed(ci.high)}"))
        if comparison.matched_difference is not None and comparison.matched_ci is not None:
            m = comparison.matched_ci
            rows.append(("the same at similar starting pain", _signed(comparison.matched_difference)))
            rows.append(("95 % interval", f"{_signed(m.low)} to {_signed(m.high)}"))
    else:
        rows.append(("rest periods rated", f"{comparison.rest_rated} ({comparison.needed_rest} more needed)"))
    if trend.slope_per_week is not None and trend.ci is not None:
        rows.append(("relief trend per week (Theil-Sen, 95 %)",
                     f"{_signed(-trend.slope_per_week)} ({_signed(-trend.ci.high)} to {_signed(-trend.ci.low)})"))
    groups.append(("TENS against rest", rows))
    return groups


def _signed(value: float) -> str:
    return words.signed(round(value, 2) + 0.0)  # -0.001 reads "0", not "-0"


def key_rows(groups: Sequence[tuple[str, Rows]]) -> str:
    out = []
    for title, rows in groups:
        out.append(f"<tr><th colspan=2>{html.escape(title)}</th></tr>")
        out += [f"<tr><td>{html.escape(k)}</td><td class=n>{html.escape(v)}</td></tr>" for k, v in rows]
    return "".join(out)


def trend_words(trend: Trend) -> str:
    """The trend without its statistics (they are in the key numbers)."""
    if trend.slope_per_week is None or trend.ci is None:
        return f"Too few weeks with rated sessions to see whether relief changes over time ({len(trend.weeks)} so far)."
    if trend.ci.low > 0:
        return "Relief per session seems to be getting smaller over the weeks: worth mentioning to your doctor."
    if trend.ci.high < 0:
        return "Relief per session seems to be getting larger over the weeks."
    return "There is no clear sign that relief is fading or growing over the weeks."
