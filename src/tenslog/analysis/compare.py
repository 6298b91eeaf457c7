"""TENS against rest periods rated the same way (an N-of-1 comparison), overall and at similar
starting pain, so that pain easing on its own is not credited to the unit."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np

from tenslog.analysis import words
from tenslog.analysis.co_treatments import CoTreatments, co_treatment_balance
from tenslog.analysis.columns import Columns, prepared
from tenslog.analysis.records import Record
from tenslog.analysis.stats import Interval, median_difference
from tenslog.model import Session
from tenslog.settings import Settings

# Usual NRS severity bands (mild / moderate / severe), applied to the rating before.
BANDS: tuple[tuple[str, int, int], ...] = (("mild (0-3)", 0, 3), ("moderate (4-6)", 4, 6), ("severe (7-10)", 7, 10))
MIN_PER_BAND = 3  # fewer in either group and a band's median means little


@dataclass(frozen=True, slots=True)
class Band:
    label: str
    tens: int
    rest: int
    tens_median_change: float | None
    rest_median_change: float | None

    @property
    def used(self) -> bool:
        return self.tens >= MIN_PER_BAND and self.rest >= MIN_PER_BAND

    @property
    def difference(self) -> float | None:
        if self.tens_median_change is None or self.rest_median_change is None:
            return None
        return self.tens_median_change - self.rest_median_change


@dataclass(frozen=True, slots=True)
class RestComparison:
    tens_rated: int
    rest_rated: int
    needed_tens: int
    needed_rest: int
    tens_median_change: float | None = None
    rest_median_change: float | None = None
    difference: float | None = None  # TENS minus rest, in points: negative = TENS did better
    difference_ci: Interval | None = None
    bands: tuple[Band, ...] = ()
    matched_difference: float | None = None  # the same, within starting-pain bands
    matched_ci: Interval | None = None
    tens_median_before: float | None = None  # starting pain, to show why the overall figure can mislead
    rest_median_before: float | None = None
    co_treatments: CoTreatments = field(default_factory=CoTreatments)  # other treatments used unevenly, said beside it

    @property
    def disagree(self) -> bool:
        """The overall and the like-for-like comparison point different ways: a different
        verdict, or differences of opposite signs. (None against some, with the same verdict,
        is not: "the same" and "0.4 better", both within noise, point no different ways.)"""
        if self.difference is None or self.difference_ci is None:
            return False
        if self.matched_difference is None or self.matched_ci is None:
            return False
        return _reading(self.difference_ci) != _reading(self.matched_ci) or bool(
            np.sign(self.difference) * np.sign(self.matched_difference) < 0
        )

    @property
    def enough(self) -> bool:
        return not self.needed_tens and not self.needed_rest

    def plain_words(self) -> str:
        if not self.enough:
            parts = []
            if self.needed_rest:
                parts.append(
                    f"Not enough rest periods to compare with yet: {self.rest_rated} rated so far, "
                    f"{self.needed_rest} more needed. A rest period is a time you rate your pain before "
                    "and after resting the same way, without the unit."
                )
            if self.needed_tens:
                parts.append(
                    f"Not enough rated TENS sessions yet: {self.tens_rated} so far, {self.needed_tens} more needed."
                )
            return " ".join(parts)
        assert self.difference is not None and self.difference_ci is not None
        typical = (
            f"With TENS ({self.tens_rated} rated sessions) the typical session brought "
            f"{words.signed_change(self.tens_median_change or 0)}; resting without it "
            f"({self.rest_rated} rated periods), the typical period brought "
            f"{words.signed_change(self.rest_median_change or 0)}."
        )
        used = ", ".join(b.label for b in self.bands if b.used)
        matched_prefix = f"Comparing only times that started at similar pain ({used})"
        if self.disagree:
            # Like for like first; the overall figure only as a caution, never as a verdict,
            # so the text does not claim two things at once.
            assert self.matched_difference is not None and self.matched_ci is not None
            return "\n".join(line for line in [
                _verdict(matched_prefix, self.matched_difference, self.matched_ci)
                + " This is the comparison to go by.",
                self._overall_caution(),
                typical,
                self.co_treatments.plain_words(),
            ] if line)  # fmt: skip
        lines = [typical, _verdict("Overall", self.difference, self.difference_ci)]
        if self.matched_difference is not None and self.matched_ci is not None:
            lines.append(_verdict(matched_prefix, self.matched_difference, self.matched_ci))
        else:
            lines.append(
                "There are not yet enough TENS sessions and rest periods starting at similar pain "
                f"(at least {MIN_PER_BAND} of each in a pain band) to compare like with like."
            )
        if other := self.co_treatments.plain_words():
            lines.append(other)
        return "\n".join(lines)

    def _overall_caution(self) -> str:
        assert self.difference is not None and self.difference_ci is not None
        diff, ci = self.difference, self.difference_ci
        if diff < 0:
            looked = f"TENS sessions looked {words.points(diff)} better than rest"
        elif diff > 0:
            looked = f"TENS sessions looked {words.points(diff)} worse than rest"
        else:
            looked = "TENS sessions and rest looked the same"
        started = ""
        # Named only where they differ: "different pain (6 and 6)" would contradict itself.
        if (self.tens_median_before is not None and self.rest_median_before is not None
                and self.tens_median_before != self.rest_median_before):
            started = (
                f" (TENS sessions at a median of {words.score(self.tens_median_before)} out of 10, "
                f"rest periods at {words.score(self.rest_median_before)})"
            )
        return (
            f"Taken all together, {looked} (95 % range: {_side(ci.low)} to {_side(ci.high)}), but that "
            f"overall figure misleads here: it mixes times that started at different pain{started}, and "
            "pain that is high when you start tends to ease anyway, whatever you do (\"regression to "
            "the mean\"). So it is not a fair test of the unit."
        )


def _reading(ci: Interval) -> str:
    """What a 95 % range says: favours TENS, favours rest, or cannot tell."""
    return "tens" if ci.high < 0 else "rest" if ci.low > 0 else "unclear"


def _verdict(prefix: str, diff: float, ci: Interval) -> str:
    if diff < 0:
        text = f"{prefix}, TENS sessions did {words.points(diff)} better than rest"
    elif diff > 0:
        text = f"{prefix}, TENS sessions did {words.points(diff)} worse than rest"
    else:
        text = f"{prefix}, TENS sessions and rest did the same"
    text += f" (95 % range: {_side(ci.low)} to {_side(ci.high)})."
    if ci.low <= 0 <= ci.high:
        text += " That range includes no difference, so the data cannot yet tell TENS apart from resting."
    elif ci.high < 0:
        text += " The whole range favours TENS."
    else:
        text += " The whole range favours resting."
    return text


def _side(value: float) -> str:
    if value == 0:
        return "no difference"
    return f"{words.points(value)} {'better' if value < 0 else 'worse'}"


def _median(values: np.ndarray) -> float | None:
    return float(np.median(values)) if len(values) else None


def compare_with_rest(
    sessions: Iterable[Session | Record] | Columns, settings: Settings | None = None
) -> RestComparison:
    settings = settings or Settings()
    cols, _ = prepared(sessions, settings)
    cols = cols.take(cols.rated)
    tens, rest = cols.tens, ~cols.tens
    n_tens, n_rest = int(np.count_nonzero(tens)), int(np.count_nonzero(rest))
    need = settings.min_rated_sessions
    needed_tens, needed_rest = max(0, need - n_tens), max(0, need - n_rest)
    if needed_tens or needed_rest:
        return RestComparison(n_tens, n_rest, needed_tens, needed_rest)
    change = cols.change
    t_all, r_all = change[tens], change[rest]
    diff, ci = median_difference([(t_all, r_all)])
    bands, pairs, weights = [], [], []
    for label, lo, hi in BANDS:
        in_band = (lo <= cols.before) & (cols.before <= hi)
        t, s = change[tens & in_band], change[rest & in_band]
        band = Band(label, len(t), len(s), _median(t), _median(s))
        bands.append(band)
        if band.used:
            pairs.append((t, s))
            weights.append(len(t) * len(s) / (len(t) + len(s)))  # favours bands with both groups
    matched, matched_ci = (median_difference(pairs, weights) if pairs else (None, None))
    return RestComparison(
        n_tens,
        n_rest,
        0,
        0,
        float(np.median(t_all)),
        float(np.median(r_all)),
        diff,
        ci,
        tuple(bands),
        matched,
        matched_ci,
        float(np.median(cols.before[tens])),
        float(np.median(cols.before[rest])),
        co_treatment_balance(cols, settings),
    )
