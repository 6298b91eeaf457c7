"""Which sessions a "does it help?" view reads. A unit filter picks that unit's TENS sessions,
but rest periods have no unit: filtered by unit they would all vanish and every comparison with
rest would say there is nothing to compare with. So rest periods are picked by date alone."""

from __future__ import annotations

import heapq
from collections.abc import Callable
from datetime import datetime
from typing import Protocol, TypeVar

from tenslog.vocabulary import SessionKind


class _Dated(Protocol):
    @property
    def start(self) -> datetime: ...


T = TypeVar("T", bound=_Dated)


def with_rest_by_date(
    read: Callable[..., list[T]],
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    kind: SessionKind | None = None,
    unit_name: str | None = None,
) -> list[T]:
    """``read`` is ``Store.figures`` or an oldest-first ``Store.sessions``; the result is oldest
    first too. Without a unit this is exactly ``read``'s own selection."""
    if unit_name is None:
        return read(since=since, until=until, kind=kind)
    if kind is SessionKind.REST:
        return read(since=since, until=until, kind=SessionKind.REST)
    tens = read(since=since, until=until, kind=SessionKind.TENS, unit_name=unit_name)
    if kind is SessionKind.TENS:
        return tens
    rest = read(since=since, until=until, kind=SessionKind.REST)
    return list(heapq.merge(tens, rest, key=lambda s: s.start))
