"""The report's chart, as PNG bytes. matplotlib is imported here, lazily: it is slow to load
and only the report needs it."""

from __future__ import annotations

import io
from datetime import date

from tenslog.analysis.columns import Columns, columns_of, start_of, weekly_medians
from tenslog.analysis.records import Record

PER_SESSION_LIMIT = 60  # above this, weekly medians read better than single sessions
FALL, RISE, SAME, REST = "#2f6f9f", "#c0702a", "#8a8a8a", "#9aa5ad"
GROUPS = ("fell 2 or more", "fell 1", "no change", "rose")


def chart_png(records: list[Record] | Columns) -> bytes:
    """Above PER_SESSION_LIMIT rated TENS sessions, weekly middle values: fifty years of
    sessions are some 2,600 weeks to plot, not 55k, and a doctor reads weeks anyway."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    cols = columns_of(records)
    rated = cols.rated
    tens_rows = np.flatnonzero(rated & cols.tens)
    tens_rows = tens_rows[np.argsort(cols.start[tens_rows], kind="stable")]
    n_tens, n_rest = len(tens_rows), int(np.count_nonzero(rated & ~cols.tens))
    plt.rcParams.update({"font.size": 9, "axes.spines.top": False, "axes.spines.right": False})
    fig, (left, right) = plt.subplots(1, 2, figsize=(7.4, 3.0), dpi=150, width_ratios=(1.7, 1))

    if not n_tens:
        left.text(0.5, 0.5, "No rated TENS sessions yet", ha="center", va="center", transform=left.transAxes)
        left.set_xticks([])
        left.set_title("Pain before and after each TENS session", loc="left", fontsize=9.5)
    elif n_tens <= PER_SESSION_LIMIT:
        for row in tens_rows:
            start, before, after = start_of(cols, int(row)), int(cols.before[row]), int(cols.after[row])
            colour = FALL if after < before else RISE if after > before else SAME
            left.plot([start, start], [before, after], color=colour, lw=1.6, alpha=0.8)
            left.plot([start], [before], "o", ms=4, mfc="white", mec=colour)
            left.plot([start], [after], "o", ms=4, color=colour)
        left.plot([], [], "o", mfc="white", mec="#555", label="before")
        left.plot([], [], "o", color="#555", label="after")
        left.plot([], [], color=FALL, lw=2, label="pain fell")
        left.plot([], [], color=RISE, lw=2, label="pain rose")
        left.legend(frameon=False, loc="upper center", ncols=4, handlelength=1.2, columnspacing=1.0)
        left.set_title("Pain before and after each TENS session", loc="left", fontsize=9.5)
    else:
        days = cols.day[tens_rows]
        mondays, _, medians_before = weekly_medians(days, cols.before[tens_rows])
        xs = [date.fromordinal(int(m)) for m in mondays]
        left.plot(xs, medians_before, "o-", ms=3, color=RISE, label="before")
        left.plot(xs, weekly_medians(days, cols.after[tens_rows])[2], "o-", ms=3, color=FALL, label="after")
        left.legend(frameon=False, loc="upper center", ncols=2)
        left.set_title("Pain before and after TENS (weekly middle values)", loc="left", fontsize=9.5)
    left.set_ylim(-0.5, 11.9)  # headroom for the legend above the 10 line
    left.set_yticks(range(0, 11, 2))
    left.set_ylabel("pain (0 = none, 10 = worst)")
    left.grid(axis="y", color="#e5e5e5")
    import matplotlib.dates as mdates

    if n_tens:
        left.xaxis.set_major_locator(mdates.AutoDateLocator(minticks=3, maxticks=6))
        left.xaxis.set_major_formatter(mdates.DateFormatter("%d %b\n%Y"))
    left.set_axisbelow(True)
    right.set_axisbelow(True)

    x = np.arange(len(GROUPS))
    change = cols.change
    for offset, members, colour, label in ((-0.2, rated & cols.tens, FALL, "TENS"), (0.2, rated & ~cols.tens, REST, "rest")):
        n = int(np.count_nonzero(members))
        if not n:
            continue
        c = change[members]
        counts = [np.count_nonzero(c <= -2), np.count_nonzero(c == -1), np.count_nonzero(c == 0), np.count_nonzero(c > 0)]
        shares = [int(k) / n * 100 for k in counts]  # in GROUPS' order
        right.bar(x + offset, shares, width=0.4, color=colour, label=f"{label} ({n})")
    right.set_xticks(x, ["fell\n2+", "fell\n1", "no\nchange", "rose"])
    right.set_ylabel("% of sessions")
    right.set_ylim(0, 100)
    right.set_title("How pain changed", loc="left", fontsize=9.5)
    if n_tens or n_rest:
        right.legend(frameon=False, loc="upper right")
    else:
        right.text(1.5, 50, "No rated sessions yet", ha="center", va="center")
    right.grid(axis="y", color="#e5e5e5")
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    plt.close(fig)
    return buf.getvalue()
