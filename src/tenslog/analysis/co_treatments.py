"""Other treatments at the same time (a heat pad, a tablet) can make TENS look better or worse
than rest: if the heat pad was used in most TENS sessions and few rest periods, part of the
difference is the heat pad's. This finds such imbalances among the rated sessions that the
comparison with rest uses, and, with enough sessions, splits TENS into "TENS alone" (no other
treatment noted) against "TENS with X"."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from tenslog.analysis import words
from tenslog.analysis.columns import Columns, prepared
from tenslog.analysis.records import Record
from tenslog.model import Session
from tenslog.settings import Settings
from tenslog.text import shown

# A co-treatment whose share differs by at least this many percentage points between TENS
# sessions and rest periods is named beside the comparison (e.g. 70 % against 10 %).
IMBALANCE_POINTS = 20
# "TENS alone" against "TENS with X" only with at least this many rated sessions in each.
MIN_SPLIT = 5


@dataclass(frozen=True, slots=True)
class Imbalance:
    name: str  # as first written by the person (stored text: shown inert by the caller)
    tens_with: int
    tens: int
    rest_with: int
    rest: int

    @property
    def tens_share(self) -> float:
        return self.tens_with / self.tens

    @property
    def rest_share(self) -> float:
        return self.rest_with / self.rest


@dataclass(frozen=True, slots=True)
class Split:
    """Rated TENS sessions with no other treatment noted against those with ``name``."""

    name: str
    alone: int
    alone_median_change: float
    with_it: int
    with_median_change: float


@dataclass(frozen=True, slots=True)
class CoTreatments:
    imbalances: tuple[Imbalance, ...] = ()
    splits: tuple[Split, ...] = ()

    def plain_words(self) -> str:
        """One line per imbalance and per split; "" when TENS and rest were alike."""
        lines = []
        for i in self.imbalances:
            name = shown(i.name)
            lines.append(
                f"Not like for like: {name} was used in {i.tens_share:.0%} of TENS sessions "
                f"({i.tens_with} of {i.tens}) and {i.rest_share:.0%} of rest periods ({i.rest_with} of "
                f"{i.rest}), so part of the difference may come from {name}, not from the unit."
            )
        for s in self.splits:
            lines.append(
                f"TENS alone ({s.alone} sessions with no other treatment noted): typically "
                f"{words.signed_change(s.alone_median_change)}; TENS with {shown(s.name)} "
                f"({s.with_it} sessions): typically {words.signed_change(s.with_median_change)}."
            )
        return "\n".join(lines)


def co_treatment_balance(
    sessions: Iterable[Session | Record] | Columns, settings: Settings | None = None
) -> CoTreatments:
    """Imbalances (a difference of at least IMBALANCE_POINTS percentage points) among the
    on-time rated TENS sessions and rest periods, and for each the split of TENS sessions when
    both sides have at least MIN_SPLIT. Names match whatever their case."""
    settings = settings or Settings()
    cols, _ = prepared(sessions, settings)
    cols = cols.take(cols.rated)
    n_tens = int(np.count_nonzero(cols.tens))
    n_rest = len(cols) - n_tens
    if not n_tens or not n_rest:
        return CoTreatments()
    names: dict[str, str] = {}  # casefolded -> as first written
    for row in sorted(cols.treatments):
        for name in cols.treatments[row]:
            names.setdefault(name.casefold(), name)

    def having(key: str) -> np.ndarray:
        found = np.zeros(len(cols), dtype=bool)
        for row, given in cols.treatments.items():
            found[row] = any(n.casefold() == key for n in given)
        return found

    change = cols.change
    alone = cols.tens.copy()
    alone[list(cols.treatments)] = False
    n_alone = int(np.count_nonzero(alone))
    imbalances, splits = [], []
    for key, name in sorted(names.items()):
        used = having(key)
        tens_with = cols.tens & used
        n_with = int(np.count_nonzero(tens_with))
        found = Imbalance(name, n_with, n_tens, int(np.count_nonzero(~cols.tens & used)), n_rest)
        # In whole numbers: 70 % against 50 % is a difference of exactly 20 points.
        if abs(found.tens_with * found.rest - found.rest_with * found.tens) * 100 < IMBALANCE_POINTS * found.tens * found.rest:
            continue
        imbalances.append(found)
        if n_alone >= MIN_SPLIT and n_with >= MIN_SPLIT:
            splits.append(Split(name, n_alone, float(np.median(change[alone])), n_with,
                                float(np.median(change[tens_with]))))
    return CoTreatments(tuple(imbalances), tuple(splits))
