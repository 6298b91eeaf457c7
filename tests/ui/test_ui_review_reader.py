"""The review keeps all time's summary between key presses (fifty years take a while to read and
work out), works it out ahead while a shorter range is shown, and must never show it stale: a
session rated from another terminal, or stored by the dashboard itself, is in all time the next
time it is shown. A later key cuts the working out ahead short. The chart's period middles are
statistics.median's, worked out in numpy."""

from __future__ import annotations

import math
import sqlite3
import threading
from pathlib import Path
from statistics import median

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from textual.widgets import Static
from ui_helpers import session, wait_for

from tenslog.model import PainRating, RatingMoment, SessionKind
from tenslog.store import Store
from tenslog.ui.review_chart import _binned
from tenslog.ui.review_filter import ReviewFilter
from tenslog.ui.review_reader import ReviewReader
from tenslog.ui.summary import review_words


async def test_all_time_shown_again_has_what_was_rated_or_added_since(
    make_app, seeded: Store, db: Path, frozen
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:

        async def shown_after(*keys: str) -> str:
            await pilot.press(*keys)
            await app.workers.wait_for_complete()  # the review works it out in a thread
            await pilot.pause()
            return "\n".join(str(app.screen.query_one(f"#{name}", Static).render()) for name in ("answer", "summary"))

        def expected() -> str:  # worked out afresh from what is stored now
            words = review_words(app.screen.filter.figures(seeded), app.screen.settings, None)
            return f"{words.answer}\n{words.details}"

        await shown_after("3")
        first = await shown_after("a")
        assert first == expected() and "pain fell by a median of 2.5 points" in first

        # From another terminal (another connection): the newest session's pain after is changed.
        newest = seeded.sessions()[0]
        with Store.open(db) as other:
            other.set_rating(newest.id, PainRating(moment=RatingMoment.AFTER, value=0, at=newest.end))
        rated = await shown_after("a")
        assert rated == expected() and "pain fell by a median of 3 points" in rated

        # The dashboard's own connection (the live recorder's) stores two more rest periods.
        seeded.add_sessions([session(2.5, 6, 6, kind=SessionKind.REST), session(1.5, 7, 7, kind=SessionKind.REST)])
        added = await shown_after("a")
        assert added == expected() and added != rated


async def test_all_time_is_worked_out_while_a_shorter_range_is_shown(make_app, seeded: Store, frozen, monkeypatch) -> None:
    reads: list[tuple[int | None, SessionKind | None]] = []
    columns = ReviewFilter.columns

    def counted(self: ReviewFilter, store: Store, now=None):  # type: ignore[no-untyped-def]
        reads.append((self.days, self.kind))
        return columns(self, store, now)

    monkeypatch.setattr(ReviewFilter, "columns", counted)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("3")
        await wait_for(pilot, lambda: (None, None) in reads)
        await app.workers.wait_for_complete()
        await pilot.press("k")  # TENS only: no comparison with rest, so nothing else reads all time
        await wait_for(pilot, lambda: reads[-1] == (None, SessionKind.TENS))
        await app.workers.wait_for_complete()
        assert reads[-2:] == [(30, SessionKind.TENS), (None, SessionKind.TENS)]  # the range, then all time
        read_so_far = len(reads)
        await pilot.press("a")
        await app.workers.wait_for_complete()
        await pilot.pause()
        words = review_words(app.screen.filter.figures(seeded), app.screen.settings, SessionKind.TENS)
        assert str(app.screen.query_one("#answer", Static).render()) == words.answer
        assert len(reads) == read_so_far  # shown from what was worked out ahead


def test_a_later_key_cuts_the_working_out_ahead_short(seeded: Store, db: Path) -> None:
    reader = ReviewReader(db)
    running = threading.Event()
    outcome: list[str] = []

    def ahead() -> None:
        with reader.reading() as store:
            assert store is not None
            store.conn.create_function("running", 0, lambda: running.set() or 1)
            try:
                with reader.warming():  # a statement that would run for minutes
                    store.conn.execute("WITH RECURSIVE n(i) AS (SELECT running() UNION ALL"
                                       " SELECT i + 1 FROM n WHERE i < 1e9) SELECT count(*) FROM n").fetchone()
            except sqlite3.OperationalError as exc:
                outcome.append(str(exc))

    thread = threading.Thread(target=ahead)
    thread.start()
    assert running.wait(10)
    with reader.reading() as store:  # the later key: it interrupts, then reads at once
        assert store is not None
        assert store.conn.execute("SELECT count(*) FROM sessions").fetchone()[0] == 9
    thread.join(10)
    assert outcome == ["interrupted"]
    reader.close()


def test_kept_results_are_dropped_when_another_connection_commits(seeded: Store, db: Path) -> None:
    reader = ReviewReader(db)
    worked: list[int] = []

    def count() -> int:
        worked.append(1)
        return len(seeded.sessions())

    def read() -> int:
        with reader.reading() as store:
            assert store is not None
            return reader.remembered("all", count)

    assert (read(), read(), len(worked)) == (9, 9, 1)  # worked out once
    seeded.add_sessions([session(0.5, 5, 3)])
    assert (read(), read(), len(worked)) == (10, 10, 2)  # the commit dropped it
    reader.close()
    with reader.reading() as store:  # the screen has gone: a late worker gets no connection
        assert store is None


@given(st.lists(st.tuples(st.integers(-12, 80_000).map(lambda q: q / 4), st.one_of(st.none(), st.integers(0, 10))),
                max_size=60),
       st.sampled_from([0, 1, 7, 14, 28, 91, 182, 365, 10**6]))
def test_period_middles_are_those_of_statistics_median(points: list[tuple[float, int | None]], width: int) -> None:
    days = np.array([d for d, _ in points], dtype=float)
    values = np.array([math.nan if v is None else v for _, v in points], dtype=float)
    bins: dict[int, list[int]] = {}
    for x, v in points:
        if v is not None:
            bins.setdefault(int(x // width) if width else 0, []).append(v)
    if width:
        expected = ([(k + 0.5) * width for k in sorted(bins)], [float(median(bins[k])) for k in sorted(bins)])
    else:
        expected = ([x for x, v in points if v is not None], [float(v) for _, v in points if v is not None])
    assert _binned(days, values, width) == expected
