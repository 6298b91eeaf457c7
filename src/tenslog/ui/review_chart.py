"""The review's chart: pain before and after per session, by day; over long ranges the middle
value of each period instead, so years of history stay readable. Worked out (``chart_of``,
numpy only) in the review's worker thread, next to the summary, and kept with it; drawing it
(``draw_chart``) on the UI thread then only hands plotext a few dozen points."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone

import numpy as np
from textual_plotext import PlotextPlot

from tenslog.analysis.columns import Columns, columns_of
from tenslog.model import SessionFigures

# Two markers that differ in shape, not only in colour.
BEFORE_MARK, AFTER_MARK = "●", "▼"

MAX_DOTS = 30  # above this many sessions, lines of per-period middle values read better
MAX_PERIODS = 60  # points per line: what 80 columns can show


@dataclass(frozen=True, slots=True)
class Line:
    moment: str  # "before" or "after"
    mark: str
    color: str
    xs: list[float]  # days from the first rated session's local midnight
    ys: list[float]


@dataclass(frozen=True, slots=True)
class Chart:
    title: str  # "" for none
    rated: bool  # any rated session in the range (else only the title is drawn)
    binned: bool  # lines of period middles, not a dot per session
    xlim: tuple[float, float] = (0.0, 1.0)
    ticks: tuple[list[float], list[str]] = ([], [])
    lines: tuple[Line, ...] = ()


def _binned(days: np.ndarray, values: np.ndarray, width: int) -> tuple[list[float], list[float]]:
    """Median of each ``width``-day period (plotted at its middle); period 0 means no binning.
    ``values``: ratings, nan where none was given. In numpy: fifty years are 55k sessions."""
    given = ~np.isnan(values)
    days, values = days[given], values[given]
    if not width:
        return days.tolist(), values.tolist()
    period = np.floor_divide(days, width)  # as Python's x // width
    order = np.lexsort((values, period))
    period, values = period[order], values[order]
    keys, first, count = np.unique(period, return_index=True, return_counts=True)
    # As statistics.median: the middle value, or the mean of the two middle ones.
    middle = (values[first + (count - 1) // 2] + values[first + count // 2]) / 2
    return ((keys + 0.5) * width).tolist(), middle.tolist()


def chart_of(sessions: Columns | list[SessionFigures]) -> Chart:
    """Days are numbers on the axis (with date labels we place ourselves), so one session or
    one day still gives a sensible axis."""
    cols = columns_of(sessions)
    rated = np.flatnonzero(~np.isnan(cols.before) | ~np.isnan(cols.after))
    if not len(rated):
        return Chart("No rated sessions in this range yet", rated=False, binned=False)
    first = rated[0]  # midnight of its local day, in its own offset
    origin = datetime.combine(date.fromordinal(int(cols.day[first])), time(),
                              timezone(timedelta(seconds=int(cols.offset[first]))))
    days = (cols.start[rated] - origin.timestamp()) / 86400
    low = math.floor(days.min())
    high = max(math.ceil(days.max()), low + 1)
    width = 0 if len(rated) <= MAX_DOTS else next(
        w for w in (1, 7, 14, 28, 91, 182, 365, 10**6) if (high - low) / w <= MAX_PERIODS
    )
    title = ""
    if width:
        period = {1: "day", 7: "week", 14: "fortnight", 28: "4 weeks", 91: "quarter"}.get(width, "period")
        title = f"middle value per {period}"
    step = max(1, math.ceil((high - low) / 6))
    ticks = list(range(low, high + 1, step))
    label = "%d/%m" if high - low < 300 else "%m/%Y"
    lines = []
    for moment, mark, color in (("before", BEFORE_MARK, "red"), ("after", AFTER_MARK, "blue")):
        xs, ys = _binned(days, getattr(cols, moment)[rated], width)
        if xs:
            lines.append(Line(moment, mark, color, xs, ys))
    return Chart(title, rated=True, binned=bool(width), xlim=(low - 0.2, high + 0.2),
                 ticks=([float(t) for t in ticks], [f"{origin + timedelta(days=t):{label}}" for t in ticks]),
                 lines=tuple(lines))


def draw_chart(plot: PlotextPlot, chart: Chart) -> None:
    plt = plot.plt
    plt.clear_figure()
    plt.ylim(0, 10)
    plt.yticks([0, 2, 4, 6, 8, 10])
    plt.ylabel("pain 0-10")
    if not chart.rated:
        plt.title(chart.title)
        plot.refresh()
        return
    if chart.title:
        plt.title(chart.title)
    plt.xlim(*chart.xlim)
    plt.xticks(*chart.ticks)
    for line in chart.lines:
        if chart.binned:
            # Thin lines, named at their right end: the gap between them is the relief.
            plt.plot(line.xs, line.ys, marker="braille", color=line.color)
            plt.text(f"{line.mark} {line.moment}", line.xs[-1], line.ys[-1], color=line.color, alignment="right")
        else:
            plt.scatter(line.xs, line.ys, marker=line.mark, color=line.color, label=line.moment)
    plot.refresh()
