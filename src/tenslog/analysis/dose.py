"""Relief by dose and time: session length, intensity (in each unit's own scale), time of day,
week by week (does relief fade?), and adherence (days with at least 30 minutes of use).
This describes what happened; it never suggests a setting. Settings belong to the unit's
instructions and the doctor."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

import numpy as np

from tenslog.analysis import words
from tenslog.analysis.columns import Columns, prepared, responder_mask, weekly_medians
from tenslog.analysis.records import Record, UnitKey
from tenslog.analysis.stats import Interval, theil_sen
from tenslog.model import IntensityScale, Session, SessionKind
from tenslog.settings import Settings
from tenslog.text import shown

DURATION_BINS: tuple[tuple[str, float, float], ...] = (
    ("under 15 min", 0, 15),
    ("15-29 min", 15, 30),
    ("30-44 min", 30, 45),
    ("45-59 min", 45, 60),
    ("60 min or more", 60, float("inf")),
)
DAY_PARTS: tuple[tuple[str, int, int], ...] = (
    ("night (0-6 h)", 0, 6),
    ("morning (6-12 h)", 6, 12),
    ("afternoon (12-18 h)", 12, 18),
    ("evening (18-24 h)", 18, 24),
)
ADHERENCE_MINUTES = 30  # the literature's adherence mark: >= 30 min of use on a day
MIN_TREND_WEEKS = 4
NOT_ADVICE = (
    "These tables show what happened, not what to do: intensity and session length are for "
    "your unit's instructions and your doctor to decide."
)


@dataclass(frozen=True, slots=True)
class Bin:
    label: str
    sessions: int  # all TENS sessions in the bin
    rated: int
    median_change: float | None
    responder_rate: float | None


@dataclass(frozen=True, slots=True)
class UnitBins:
    unit: str
    scale: str  # the unit's own scale, e.g. "level 1-10" or "mA (max 80)"
    bins: tuple[Bin, ...]


@dataclass(frozen=True, slots=True)
class Week:
    starts: date  # Monday
    rated: int
    median_change: float


@dataclass(frozen=True, slots=True)
class Trend:
    weeks: tuple[Week, ...]
    slope_per_week: float | None  # change in median change per week; > 0 = relief shrinking
    ci: Interval | None
    needed_weeks: int

    def plain_words(self) -> str:
        if self.slope_per_week is None or self.ci is None:
            return (
                f"Too few weeks with rated sessions to see a trend yet ({len(self.weeks)} so far, "
                f"{self.needed_weeks} more needed)."
            )
        # Reported as relief (the fall in pain), so "+" reads as more relief.
        relief, low, high = (round(-v, 2) + 0.0 for v in (self.slope_per_week, self.ci.high, self.ci.low))
        text = (
            f"Week by week, relief per session changed by {relief:+.2f} points a week "
            f"(95 % range {low:+.2f} to {high:+.2f}; a minus means relief is shrinking; "
            f"Theil-Sen slope over {len(self.weeks)} weekly middle values). "
        )
        if high < 0:
            text += "Relief per session seems to be getting smaller over the weeks (possible tolerance): worth mentioning to your doctor."
        elif low > 0:
            text += "Relief per session seems to be getting larger over the weeks."
        else:
            text += "There is no clear sign that relief is fading or growing."
        return text


@dataclass(frozen=True, slots=True)
class Adherence:
    days: int
    days_used: int  # days with >= ADHERENCE_MINUTES of TENS (by local start date)
    minutes: int = ADHERENCE_MINUTES

    @property
    def share(self) -> float | None:
        return self.days_used / self.days if self.days else None

    def plain_words(self) -> str:
        if not self.days:
            return "No days in the selection."
        return (
            f"The unit was used for at least {self.minutes} minutes on {self.days_used} of "
            f"{self.days} days ({(self.share or 0):.0%})."
        )


@dataclass(frozen=True, slots=True)
class DoseResponse:
    by_duration: tuple[Bin, ...]
    by_intensity: tuple[UnitBins, ...]
    by_time_of_day: tuple[Bin, ...]
    trend: Trend
    adherence: Adherence
    note: str = NOT_ADVICE

    def tables(self) -> str:
        """The relief tables as plain text, at most 72 columns wide (terminal and CLI alike)."""
        groups = [("By session length", self.by_duration), ("By time of day", self.by_time_of_day)]
        groups += [(f"By intensity: {shown(u.unit)} ({u.scale})", u.bins) for u in self.by_intensity]
        lines = [f"{'':26}{'rated':>7}{'median change':>15}{'clear improvement':>20}"]
        for title, bins in groups:
            lines.append(title)
            for b in bins:
                if not b.sessions:
                    continue
                change = "—" if b.median_change is None else words.signed(b.median_change)
                share = "—" if b.responder_rate is None else f"{b.responder_rate:.0%}"
                lines.append(f"  {b.label[:24]:24}{b.rated:>7}{change:>15}{share:>20}")
        return "\n".join(lines)

    def plain_words(self) -> str:
        return "\n".join([self.adherence.plain_words(), self.trend.plain_words(), self.note])


def _bin(label: str, cols: Columns, members: np.ndarray, settings: Settings) -> Bin:
    """The TENS sessions in ``members`` (a mask over ``cols``)."""
    rated = members & cols.rated
    n_rated = int(np.count_nonzero(rated))
    before, after = cols.before[rated], cols.after[rated]
    responders = int(np.count_nonzero(responder_mask(before, after, settings)))
    return Bin(
        label,
        int(np.count_nonzero(members)),
        n_rated,
        float(np.median(after - before)) if n_rated else None,
        responders / n_rated if n_rated else None,
    )


def _intensity_bins(unit: UnitKey, cols: Columns, used: np.ndarray, settings: Settings) -> UnitBins:
    """``used``: the sessions with this unit and a peak intensity."""
    name, kind, maximum = unit
    scale = IntensityScale.model_construct(kind=kind, maximum=maximum)
    unit_text = "" if kind == "level" else " mA"
    peak = cols.peak
    values = peak[used]
    peaks = np.unique(values)
    bins: list[Bin] = []
    if len(peaks) <= 5:  # few distinct settings: one row each
        for p in peaks:
            bins.append(_bin(scale.describe(float(p)), cols, used & (peak == p), settings))
    else:  # otherwise thirds of what was used, in the unit's own numbers
        edges = _band_edges(values, 1.0 if kind == "level" else 0.1)
        for i in range(len(edges) - 1):
            lo, hi = edges[i], edges[i + 1]
            last = i == len(edges) - 2
            members = used & (lo <= peak) & ((peak < hi) | last)
            label = f"{lo:g} to {'' if last else 'under '}{hi:g}{unit_text}"
            bins.append(_bin(label, cols, members, settings))
    return UnitBins(name, scale.label(), tuple(bins))


def _band_edges(values: np.ndarray, step: float) -> list[float]:
    """Thirds of what was used, the edges rounded up to the unit's step (whole levels, or
    0.1 mA) so a band reads "9 to under 11", not "9 to under 10.6667": for values on that step
    "under 10.6667" and "under 11" hold the same sessions. The ends are rounded outwards, so
    every value still falls in a band."""
    inner = [np.ceil(float(q) / step - 1e-9) * step for q in np.quantile(values, [1 / 3, 2 / 3])]
    low = np.floor(values.min() / step) * step
    high = np.ceil(values.max() / step) * step
    edges = sorted({round(float(e), 1) for e in (low, *inner, high)})
    return edges


def _trend(cols: Columns) -> Trend:
    rated = cols.rated
    mondays, counts, medians = weekly_medians(cols.day[rated], cols.change[rated])
    weeks = tuple(
        Week(date.fromordinal(int(m)), int(k), float(c)) for m, k, c in zip(mondays, counts, medians, strict=True)
    )
    needed = max(0, MIN_TREND_WEEKS - len(weeks))
    if needed:
        return Trend(weeks, None, None, needed)
    first = weeks[0].starts
    x = np.array([(w.starts - first).days / 7 for w in weeks])
    y = np.array([w.median_change for w in weeks])
    slope, ci = theil_sen(x, y)
    return Trend(weeks, slope, ci, 0)


def _adherence(cols: Columns, span: tuple[date, date] | None) -> Adherence:
    known = ~np.isnan(cols.duration)
    # A session past midnight counts for its start day.
    days, at = np.unique(cols.day[known], return_inverse=True)
    minutes = np.zeros(len(days))
    np.add.at(minutes, at.ravel(), cols.duration[known])  # in session order, as a running sum
    if span is None:
        if not len(cols):
            return Adherence(0, 0)
        span = (date.fromordinal(int(cols.day.min())), date.fromordinal(int(cols.day.max())))
    first, last = span
    n_days = (last - first).days + 1
    inside = (first.toordinal() <= days) & (days <= last.toordinal())
    used = int(np.count_nonzero(inside & (minutes >= ADHERENCE_MINUTES)))
    return Adherence(max(0, n_days), used)


def dose_response(
    sessions: Iterable[Session | Record] | Columns,
    settings: Settings | None = None,
    span: tuple[date, date] | None = None,
) -> DoseResponse:
    """TENS sessions only. ``span`` (first day, last day, inclusive) sets the days counted for
    adherence; by default, from the first to the last session's day."""
    settings = settings or Settings()
    cols, _ = prepared(sessions, settings, SessionKind.TENS)
    with np.errstate(invalid="ignore"):  # nan: no end yet, in no length bin
        by_duration = tuple(
            _bin(label, cols, (lo <= cols.duration) & (cols.duration < hi), settings) for label, lo, hi in DURATION_BINS
        )
    with_peak = (cols.unit >= 0) & ~np.isnan(cols.peak)
    # Each unit in order of its first session with a peak; then by name, that order kept.
    units, first = np.unique(cols.unit[with_peak], return_index=True)
    used = [int(u) for _, u in sorted(zip(first, units, strict=True))]
    by_intensity = tuple(
        _intensity_bins(cols.units[u], cols, with_peak & (cols.unit == u), settings)
        for u in sorted(used, key=lambda u: cols.units[u][0])
    )
    by_time = tuple(
        _bin(label, cols, (lo <= cols.hour) & (cols.hour < hi), settings) for label, lo, hi in DAY_PARTS
    )
    return DoseResponse(by_duration, by_intensity, by_time, _trend(cols), _adherence(cols, span))
