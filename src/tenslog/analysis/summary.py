"""Summary of a selection of sessions: how much pain changed, how sure we can be, and in words."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from tenslog.analysis import words
from tenslog.analysis.columns import Columns, prepared, responder_mask
from tenslog.analysis.records import Record
from tenslog.analysis.stats import Interval, SignedRank, mean_ci, median_ci, signed_rank_test
from tenslog.model import Session, SessionKind
from tenslog.settings import Settings

RANGE_NEEDS = "it needs at least 6 rated sessions"


@dataclass(frozen=True, slots=True)
class Summary:
    kind: SessionKind | None  # which sessions were summarised (None: all kinds given)
    sessions: int  # all sessions in the selection of that kind
    rated: int  # rated both before and after
    needed: int  # more rated sessions needed before numbers are shown (0 = enough)
    median_before: float | None = None
    median_after: float | None = None
    median_change: float | None = None  # after - before: negative = pain fell
    median_ci: Interval | None = None
    mean_change: float | None = None
    mean_ci: Interval | None = None
    responders: int | None = None
    responder_rate: float | None = None  # 0..1
    test: SignedRank | None = None
    responder_points: int = 2
    responder_percent: float = 30.0
    late: int = 0  # ratings left out as given late (before_rating_minutes, after_rating_minutes)
    before_minutes: int = 10
    after_minutes: int = 30

    def late_words(self) -> str | None:
        if not self.late:
            return None
        ratings = "rating was" if self.late == 1 else "ratings were"
        return (f"{self.late} {ratings} left out as late: a \"before\" counts when given before the "
                f"session or within {self.before_minutes} min of its start, an \"after\" within "
                f"{self.after_minutes} min of its end.")

    @property
    def enough(self) -> bool:
        return self.needed == 0

    @property
    def what(self) -> str:
        return "rest periods" if self.kind is SessionKind.REST else "TENS sessions" if self.kind else "sessions"

    def plain_words(self) -> str:
        if not self.enough:
            needed = words.more_needed(self.rated, self.rated + self.needed, f"rated {self.what}")
            return "\n".join(line for line in (needed, self.late_words()) if line)
        assert self.median_change is not None and self.test
        lines = []
        mc = self.median_change
        head = f"Over {self.rated} rated {self.what}, "
        if mc == 0:
            head += (
                f"the typical session brought no change in pain (median {words.score(self.median_before or 0)} "
                "before and after)."
            )
        else:
            verb = "fell" if mc < 0 else "rose"
            head += (
                f"pain {verb} by a median of {words.points(mc)} (from "
                f"{words.score(self.median_before or 0)} to {words.score(self.median_after or 0)} out of 10)."
            )
        lines.append(head)
        ci = self.median_ci
        if ci is None:
            lines.append(f"With so few sessions, no 95 % range can be given for the typical change ({RANGE_NEEDS}).")
        else:
            lines.append(
                f"Allowing for chance, the typical change is likely between {words.signed_change(ci.low)} "
                f"and {words.signed_change(ci.high)} (95 % range)."
            )
        lines.append(
            f"{self.responders} of {self.rated} ({(self.responder_rate or 0):.0%}) were clear improvements: "
            f"pain fell by at least {self.responder_points} points or {self.responder_percent:g} %."
        )
        t = self.test
        if t.note:
            lines.append(f"There was {t.note}, so no test was needed.")
        else:
            assert t.p_value is not None and t.rank_biserial is not None
            chance = "unlikely" if t.p_value < 0.05 else "quite possible"
            lines.append(
                f"If these sessions made no difference on average, a pattern like this would be {chance} "
                f"(Wilcoxon signed-rank test, {words.p_value(t.p_value)}; sessions with no change are counted "
                f"by Pratt's method, which keeps them in). The size of the effect is "
                f"{words.effect_size_words(t.rank_biserial)} ({words.rank_biserial_words(t.rank_biserial, t.n_zero)})."
            )
        if self.sessions > self.rated:
            left = self.sessions - self.rated
            lines.append(
                f"{left} more {self.what if left > 1 else self.what[:-1]} "
                f"{'were' if left > 1 else 'was'} not rated both before and after and "
                f"{'are' if left > 1 else 'is'} left out."
            )
        if (late := self.late_words()) is not None:
            lines.append(late)
        lines.append(words.CAVEATS)
        return "\n".join(lines)

    def key_numbers(self) -> list[tuple[str, str]]:
        rows = [("sessions", str(self.sessions)), ("rated before and after", str(self.rated))]
        if self.late:
            rows.append(("ratings left out as late", str(self.late)))
        if not self.enough:
            return [*rows, ("more rated sessions needed", str(self.needed))]
        assert self.mean_ci and self.test and self.median_change is not None
        ci = self.median_ci
        median_range = RANGE_NEEDS if ci is None else f"{words.signed(ci.low)} to {words.signed(ci.high)}"
        rows += [
            ("median change (after - before)", words.signed(self.median_change)),
            ("95 % interval of median", median_range),
            ("mean change", f"{self.mean_change:+.2f}"),
            ("95 % interval of mean (t-interval)", f"{self.mean_ci.low:+.2f} to {self.mean_ci.high:+.2f}"),
            ("responders", f"{self.responders} ({(self.responder_rate or 0):.0%})"),
        ]
        if self.test.note:
            rows.append(("Wilcoxon signed-rank", self.test.note))
        else:
            rows += [
                ("Wilcoxon signed-rank (Pratt zeros, " + self.test.method + ")", words.p_value(self.test.p_value or 1.0)),
                ("rank-biserial r", f"{self.test.rank_biserial:+.2f}"),
            ]
        return rows


def summarize(
    sessions: Iterable[Session | Record] | Columns,
    settings: Settings | None = None,
    kind: SessionKind | None = SessionKind.TENS,
) -> Summary:
    """Summarise the given sessions of ``kind`` (None: every session given)."""
    settings = settings or Settings()
    cols, late = prepared(sessions, settings, kind)
    rated = cols.rated
    n_rated = int(np.count_nonzero(rated))
    base = {"responder_points": settings.responder_points, "responder_percent": settings.responder_percent,
            "late": late, "before_minutes": settings.before_rating_minutes,
            "after_minutes": settings.after_rating_minutes}
    needed = max(0, settings.min_rated_sessions - n_rated)
    if needed:
        return Summary(kind, len(cols), n_rated, needed, **base)  # type: ignore[arg-type]
    before, after = cols.before[rated], cols.after[rated]
    changes = after - before
    responders = int(np.count_nonzero(responder_mask(before, after, settings)))
    return Summary(
        kind,
        len(cols),
        n_rated,
        0,
        median_before=float(np.median(before)),
        median_after=float(np.median(after)),
        median_change=float(np.median(changes)),
        median_ci=median_ci(changes),
        mean_change=float(changes.mean()),
        mean_ci=mean_ci(changes),
        responders=responders,
        responder_rate=responders / n_rated,
        test=signed_rank_test(changes),
        **base,  # type: ignore[arg-type]
    )
