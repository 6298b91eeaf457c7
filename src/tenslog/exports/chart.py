"""The report's chart, as PNG bytes. matplotlib is imported here, lazily: it is slow to load
and only the report needs it."""

from __future__ import annotations

import io

from tenslog.analysis.records import Record
from tenslog.analysis.weeks import by_week
from tenslog.model import SessionKind

PER_SESSION_LIMIT = 60  # above this, weekly medians read better than single sessions
FALL, RISE, SAME, REST = "#2f6f9f", "#c0702a", "#8a8a8a", "#9aa5ad"
GROUPS = ("fell 2 or more", "fell 1", "no change", "rose")


def _group(change: int) -> str:
    return GROUPS[0] if change <= -2 else GROUPS[1] if change == -1 else GROUPS[2] if change == 0 else GROUPS[3]


def chart_png(records: list[Record]) -> bytes:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    tens = sorted((r for r in records if r.rated and r.kind is SessionKind.TENS), key=lambda r: r.start)
    rest = [r for r in records if r.rated and r.kind is SessionKind.REST]
    plt.rcParams.update({"font.size": 9, "axes.spines.top": False, "axes.spines.right": False})
    fig, (left, right) = plt.subplots(1, 2, figsize=(7.4, 3.0), dpi=150, width_ratios=(1.7, 1))

    if not tens:
        left.text(0.5, 0.5, "No rated TENS sessions yet", ha="center", va="center", transform=left.transAxes)
        left.set_xticks([])
        left.set_title("Pain before and after each TENS session", loc="left", fontsize=9.5)
    elif len(tens) <= PER_SESSION_LIMIT:
        for r in tens:
            colour = FALL if r.change < 0 else RISE if r.change > 0 else SAME  # type: ignore[operator]
            left.plot([r.start, r.start], [r.before, r.after], color=colour, lw=1.6, alpha=0.8)
            left.plot([r.start], [r.before], "o", ms=4, mfc="white", mec=colour)
            left.plot([r.start], [r.after], "o", ms=4, color=colour)
        left.plot([], [], "o", mfc="white", mec="#555", label="before")
        left.plot([], [], "o", color="#555", label="after")
        left.plot([], [], color=FALL, lw=2, label="pain fell")
        left.plot([], [], color=RISE, lw=2, label="pain rose")
        left.legend(frameon=False, loc="upper center", ncols=4, handlelength=1.2, columnspacing=1.0)
        left.set_title("Pain before and after each TENS session", loc="left", fontsize=9.5)
    else:
        weeks = by_week(tens)
        xs = list(weeks)
        left.plot(xs, [np.median([r.before for r in weeks[w]]) for w in xs], "o-", ms=3, color=RISE, label="before")
        left.plot(xs, [np.median([r.after for r in weeks[w]]) for w in xs], "o-", ms=3, color=FALL, label="after")
        left.legend(frameon=False, loc="upper center", ncols=2)
        left.set_title("Pain before and after TENS (weekly middle values)", loc="left", fontsize=9.5)
    left.set_ylim(-0.5, 11.9)  # headroom for the legend above the 10 line
    left.set_yticks(range(0, 11, 2))
    left.set_ylabel("pain (0 = none, 10 = worst)")
    left.grid(axis="y", color="#e5e5e5")
    import matplotlib.dates as mdates

    if tens:
        left.xaxis.set_major_locator(mdates.AutoDateLocator(minticks=3, maxticks=6))
        left.xaxis.set_major_formatter(mdates.DateFormatter("%d %b\n%Y"))
    left.set_axisbelow(True)
    right.set_axisbelow(True)

    x = np.arange(len(GROUPS))
    for offset, group, colour, label in ((-0.2, tens, FALL, "TENS"), (0.2, rest, REST, "rest")):
        if not group:
            continue
        shares = [sum(_group(r.change) == g for r in group) / len(group) * 100 for g in GROUPS]  # type: ignore[arg-type]
        right.bar(x + offset, shares, width=0.4, color=colour, label=f"{label} ({len(group)})")
    right.set_xticks(x, ["fell\n2+", "fell\n1", "no\nchange", "rose"])
    right.set_ylabel("% of sessions")
    right.set_ylim(0, 100)
    right.set_title("How pain changed", loc="left", fontsize=9.5)
    if tens or rest:
        right.legend(frameon=False, loc="upper right")
    else:
        right.text(1.5, 50, "No rated sessions yet", ha="center", va="center")
    right.grid(axis="y", color="#e5e5e5")
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    plt.close(fig)
    return buf.getvalue()
