"""The review's own reading connection, and what it last worked out for all time.

The dashboard's connection is the live recorder's, on the UI thread, so the review reads through
a connection of its own, in its worker threads. It is opened once and kept while the screen
lives: opening one per key press cost a check of the file each time (the whole file, ~0.15 s
at fifty years, whenever the dashboard has written since its start, as its -wal then holds
changes).

All time does not depend on the clock, only on what is stored: its summary is kept and shown
again at once (the "d" key cycles round to it) until anything is committed through another
connection (a session recorded or rated on the dashboard, a `tenslog` command, the recorder
service). SQLite says so itself: ``PRAGMA data_version`` changes on this connection whenever
another connection, in this process or another, has committed since it was last asked.

After a shorter range is shown, all time is worked out too, while the person reads (``warming``),
so that the key for it answers at once. A later key's worker interrupts that (SQLite's
``interrupt``, which stops the statement running and nothing after it): it never waits for work
nobody asked for.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from tenslog.store import Store

T = TypeVar("T")

KEEP = 4  # results kept: all time for the last few kind and unit choices


class ReviewReader:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()  # one worker reads at a time: a connection is not shared
        self._store: Store | None = None
        self._version: int | None = None  # data_version when ``_kept`` was filled
        self._kept: dict[Hashable, object] = {}
        self._closed = False
        self._flag = threading.Lock()  # guards _warming: interrupts only ever reach a warm-up
        self._warming = False

    @contextmanager
    def reading(self) -> Iterator[Store | None]:
        """The connection, held by this thread until the block ends (others wait); None once
        closed (the screen has gone). What was kept is dropped first if anything was committed
        elsewhere since it was worked out."""
        self._cut_warm_up_short()
        with self._lock:
            if self._closed:
                yield None
                return
            if self._store is None:
                self._store = Store.open(self.path)
            version = self._store.conn.execute("PRAGMA data_version").fetchone()[0]
            if version != self._version:
                self._kept.clear()
                self._version = version
            yield self._store

    @contextmanager
    def warming(self) -> Iterator[None]:
        """Inside ``reading``: work a later ``reading`` may cut short. SQLite then raises
        sqlite3.OperationalError ("interrupted") in this thread; nothing half done is kept."""
        self._warming = True
        try:
            yield
        finally:
            with self._flag:
                self._warming = False

    def _cut_warm_up_short(self) -> None:
        with self._flag:  # the warm-up cannot let go of the connection meanwhile
            if self._warming and self._store is not None:
                self._store.conn.interrupt()  # its statement fails with "interrupted"

    def remembered(self, key: Hashable, work: Callable[[], T]) -> T:
        """``work()``, or what it gave last time for ``key`` if nothing was committed since
        (call inside ``reading``; ``key`` must name everything the result depends on besides
        the stored data)."""
        if key in self._kept:
            return self._kept[key]  # type: ignore[return-value]
        result = work()
        if len(self._kept) >= KEEP:
            self._kept.pop(next(iter(self._kept)))  # the oldest
        self._kept[key] = result
        return result

    def close(self) -> None:
        """Cuts a warm-up short; waits for a key's worker still reading (a moment at most)."""
        self._cut_warm_up_short()
        with self._lock:
            self._closed = True
            if self._store is not None:
                self._store.close()
                self._store = None
            self._kept.clear()
            self._version = None
