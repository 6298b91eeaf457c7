"""The review keeps all time's summary between key presses (fifty years take a while to read and
work out) and must never show it stale: a session rated from another terminal, or stored by the
dashboard itself, is in all time the next time it is shown. The chart's period middles are
statistics.median's, worked out in numpy."""

from __future__ import annotations

import math
from pathlib import Path
from statistics import median

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from textual.widgets import Static
from ui_helpers import session

from tenslog.model import PainRating, RatingMoment, SessionKind
from tenslog.store import Store
from tenslog.ui.review_chart import _binned
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
        assert await shown_after("a") == first  # nothing changed: the same words again

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
