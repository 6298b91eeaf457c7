"""The review's filters as plain data, and the store query they make."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, TypeVar

from tenslog.model import SessionFigures, SessionKind
from tenslog.store import Store
from tenslog.store.selection import with_rest_by_date

if TYPE_CHECKING:
    from tenslog.analysis.columns import Columns

RANGES: tuple[int | None, ...] = (7, 30, 90, None)  # days; None = all
KINDS: tuple[SessionKind | None, ...] = (None, SessionKind.TENS, SessionKind.REST)


T = TypeVar("T")


def _next(options: Sequence[T], current: T) -> T:
    """The option after ``current``, wrapping round; the first if current is not offered."""
    if current not in options:
        return options[0]
    return options[(options.index(current) + 1) % len(options)]


@dataclass(frozen=True, slots=True)
class ReviewFilter:
    days: int | None = 30
    kind: SessionKind | None = None
    unit: str | None = None

    def next_range(self) -> ReviewFilter:
        return replace(self, days=_next(RANGES, self.days))

    def next_kind(self) -> ReviewFilter:
        return replace(self, kind=_next(KINDS, self.kind))

    def next_unit(self, names: list[str]) -> ReviewFilter:
        return replace(self, unit=_next((None, *names), self.unit))

    def describe(self) -> tuple[str, str, str]:
        days = "all time" if self.days is None else f"last {self.days} days"
        kind = {None: "all", SessionKind.TENS: "TENS only", SessionKind.REST: "rest only"}[
            self.kind
        ]
        return days, kind, self.unit or "all"

    def since(self, now: datetime | None = None) -> datetime | None:
        return None if self.days is None else (now or datetime.now(UTC)) - timedelta(days=self.days)

    def figures(self, store: Store, now: datetime | None = None) -> list[SessionFigures]:
        """Oldest first; the lean per-session figures, so years of history stay quick."""
        # A unit picks its TENS sessions; rest periods (no unit) by date, the same rule as the CLI.
        return with_rest_by_date(store.figures, since=self.since(now), kind=self.kind, unit_name=self.unit)

    def columns(self, store: Store, now: datetime | None = None) -> Columns:
        """The same sessions as ``figures``, read straight into columns (no object per
        session: fifty years are 55k)."""
        from tenslog.analysis.reading import read_columns

        return read_columns(store, since=self.since(now), kind=self.kind, unit_name=self.unit, rest_by_date=True)
