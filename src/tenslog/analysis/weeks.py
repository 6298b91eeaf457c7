"""Weeks run Monday to Sunday and a session belongs to the week of the local day it started
(past midnight it still counts for its start day). The one place sessions are bucketed into
weeks: the relief trend, the report's week table and its chart all use it."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, timedelta
from typing import TYPE_CHECKING, Protocol, TypeVar

if TYPE_CHECKING:
    import numpy as np  # only for the types: bucketing by date needs no numpy


class _Dated(Protocol):
    @property
    def local_day(self) -> date: ...


T = TypeVar("T", bound=_Dated)


def week_of(day: date) -> date:
    """The Monday that starts ``day``'s week."""
    return day - timedelta(days=day.weekday())


def week_start(days: np.ndarray) -> np.ndarray:
    """``week_of`` for an array of day ordinals (``date.toordinal``):
    ordinal 1 (1 January of year 1) was a Monday."""
    return days - (days - 1) % 7


def by_week(records: Iterable[T]) -> dict[date, list[T]]:
    """The records grouped by the Monday of their week, oldest week first; each week's records
    keep their order. Weeks without records are left out."""
    weeks: dict[date, list[T]] = defaultdict(list)
    for r in records:
        weeks[week_of(r.local_day)].append(r)
    return dict(sorted(weeks.items()))
