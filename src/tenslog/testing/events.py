"""Checking what a driver said: run its ``events()`` with a bound, wait for a condition, and
compare the sequence with what a user would expect, by kind and fields, times ignored unless
asked. No test framework is imported: a failure is a plain ``AssertionError`` whose message
shows the difference, so the kit works under pytest, unittest or a script alike."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import difflib
from collections.abc import AsyncIterator, Callable, Iterable, Sequence
from contextlib import asynccontextmanager
from typing import Any

from tenslog.driver.events import (
    DeviceEvent,
    IntensityChanged,
    StimulationStarted,
)

WAIT_SECONDS = 10.0  # a bound to fail rather than hang, never a timing assert


class Condition:
    """A named test on the events so far; its name is what a timeout says it waited for."""

    def __init__(self, name: str, test: Callable[[Sequence[DeviceEvent]], bool]) -> None:
        self.name = name
        self._test = test

    def __call__(self, events: Sequence[DeviceEvent]) -> bool:
        return self._test(events)

    def __repr__(self) -> str:
        return self.name


def has(kind: type, count: int = 1) -> Condition:
    """At least ``count`` events of this kind have arrived."""
    return Condition(
        f"{count} × {kind.__name__}" if count > 1 else kind.__name__,
        lambda events: sum(isinstance(e, kind) for e in events) >= count,
    )


def at_level(level: float) -> Condition:
    """The unit has reported (started at, or changed to) this level."""
    return Condition(
        f"level {level:g}",
        lambda events: any(
            isinstance(e, (StimulationStarted, IntensityChanged)) and e.intensity == level
            for e in events
        ),
    )


# -- expected events -----------------------------------------------------------------------
class Like:
    """An expected event of one kind, compared on the fields given only."""

    def __init__(self, kind: type, fields: dict[str, Any]) -> None:
        names = {f.name for f in dataclasses.fields(kind)}
        unknown = sorted(set(fields) - names)
        if unknown:
            raise TypeError(f"{kind.__name__} has no field {unknown[0]!r}")
        self.kind, self.fields = kind, fields

    def __repr__(self) -> str:
        return _render(self.kind, self.fields.items())


def like(kind: type, **fields: Any) -> Like:
    """``like(StimulationStarted, intensity=3)``: that kind, with those fields equal."""
    return Like(kind, fields)


Expected = type | DeviceEvent | Like
"""An event type (kind only), an event (kind and every field but ``at``), or ``like(...)``."""


def _render(kind: type, fields: Iterable[tuple[str, Any]]) -> str:
    return f"{kind.__name__}({', '.join(f'{k}={v!r}' for k, v in fields)})"


def _fields(event: Any, times: bool) -> list[tuple[str, Any]]:
    return [
        (f.name, getattr(event, f.name))
        for f in dataclasses.fields(event)
        if times or f.name != "at"
    ]


def _as_like(expected: Expected, times: bool) -> Like:
    if isinstance(expected, Like):
        return expected
    if isinstance(expected, type):
        return Like(expected, {})
    return Like(type(expected), dict(_fields(expected, times)))


def _matches(want: Like, event: DeviceEvent) -> bool:
    # The expected value is on the left, so unittest.mock.ANY or pytest.approx work in it.
    return type(event) is want.kind and all(
        value == getattr(event, name) for name, value in want.fields.items()
    )


def assert_events(
    actual: Sequence[DeviceEvent],
    expected: Sequence[Expected],
    *,
    times: bool = False,
    ignore: Iterable[type] = (),
) -> None:
    """The driver said exactly ``expected``, in order. Times (``at``) are compared only with
    ``times=True``; kinds in ``ignore`` are left out of ``actual`` first. On failure the
    message is a diff: ``-`` expected, ``+`` what the driver said."""
    skipped = tuple(ignore)
    said = [e for e in actual if not isinstance(e, skipped)]
    wanted = [_as_like(e, times) for e in expected]
    if len(said) == len(wanted) and all(_matches(w, e) for w, e in zip(wanted, said, strict=True)):
        return
    want_lines = [repr(w) for w in wanted]
    said_lines = []
    for i, event in enumerate(said):
        # Where an event matches what was expected there, show it as expected, so the diff
        # points at the events that differ, not at fields the test did not ask about.
        if i < len(wanted) and _matches(wanted[i], event):
            said_lines.append(want_lines[i])
        else:
            said_lines.append(_render(type(event), _fields(event, times)))
    whole = len(said) + len(wanted)  # all of both, as context: the order is the point
    diff = difflib.unified_diff(want_lines, said_lines, "expected", "driver said", n=whole, lineterm="")
    note = "times compared" if times else "times ignored"
    if skipped:
        note += "; ignored: " + ", ".join(k.__name__ for k in skipped)
    raise AssertionError(
        f"the driver's events differ from those expected ({note}):\n" + "\n".join(list(diff)[2:])
    )


def render_events(events: Sequence[DeviceEvent], *, times: bool = False) -> str:
    """One line per event, as the failure messages show them."""
    return "\n".join(_render(type(e), _fields(e, times)) for e in events) or "(none)"


# -- running a driver's stream -------------------------------------------------------------
async def collect_events(
    events: AsyncIterator[DeviceEvent],
    *,
    until: Callable[[Sequence[DeviceEvent]], bool] | None = None,
    timeout: float = WAIT_SECONDS,
) -> list[DeviceEvent]:
    """Every event of the stream until it ends, or until ``until`` holds for those so far.
    The stream is always closed (``aclose``), as tenslog closes it. Fails with the events so
    far if ``timeout`` seconds pass first, or if the stream ends before ``until`` held."""
    got: list[DeviceEvent] = []
    try:
        async with _closing(events), asyncio.timeout(timeout) as bound:
            async for event in events:
                got.append(event)
                if until is not None and until(got):
                    return got
    except TimeoutError:
        if not bound.expired():
            raise  # the driver's own timeout, not ours
        raise AssertionError(
            f"no {until!r} within {timeout:g} s; the driver said:\n{render_events(got)}"
            if until is not None
            else f"the stream did not end within {timeout:g} s; the driver said:\n{render_events(got)}"
        ) from None
    if until is not None:
        raise AssertionError(f"the stream ended before {until!r}; the driver said:\n{render_events(got)}")
    return got


class Watched:
    """The events of a stream being consumed in the background (see ``watch_events``)."""

    def __init__(self) -> None:
        self.events: list[DeviceEvent] = []
        self.ended = False
        self._changed = asyncio.Condition()
        self._task: asyncio.Task[None] | None = None

    async def _consume(self, stream: AsyncIterator[DeviceEvent]) -> None:
        try:
            async with _closing(stream):
                async for event in stream:
                    self.events.append(event)
                    async with self._changed:
                        self._changed.notify_all()
        finally:
            self.ended = True
            async with self._changed:
                self._changed.notify_all()

    async def wait_for(
        self, condition: Callable[[Sequence[DeviceEvent]], bool], timeout: float = WAIT_SECONDS
    ) -> None:
        """Until ``condition`` holds for the events so far; fails (with them) if the stream ends
        or ``timeout`` seconds pass first. A driver's crash is raised here as itself."""

        def done() -> bool:
            return condition(self.events) or self.ended

        try:
            async with asyncio.timeout(timeout), self._changed:
                await self._changed.wait_for(done)
        except TimeoutError:
            raise AssertionError(
                f"no {condition!r} within {timeout:g} s; the driver said:\n{render_events(self.events)}"
            ) from None
        if condition(self.events):
            return
        task = self._task
        if task is not None and task.done() and not task.cancelled():
            crash = task.exception()
            if crash is not None:
                raise crash
        raise AssertionError(
            f"the stream ended before {condition!r}; the driver said:\n{render_events(self.events)}"
        )

    def of(self, kind: type) -> list[DeviceEvent]:
        return [e for e in self.events if isinstance(e, kind)]


@asynccontextmanager
async def watch_events(events: AsyncIterator[DeviceEvent]) -> AsyncIterator[Watched]:
    """Consume a driver's stream in the background while the test plays the unit::

        async with watch_events(driver.events(unit.port)) as seen:
            await seen.wait_for(has(Connected))
            ...  # change what the fake unit reports, then wait for the driver to say so
        assert_events(seen.events, [...])

    Leaving the block cancels the consumer and closes the stream (the driver cleans up)."""
    watched = Watched()
    watched._task = asyncio.create_task(watched._consume(events))
    try:
        yield watched
    finally:
        watched._task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await watched._task


@asynccontextmanager
async def _closing(events: AsyncIterator[DeviceEvent]) -> AsyncIterator[None]:
    try:
        yield
    finally:
        close = getattr(events, "aclose", None)
        if close is not None:
            await close()
