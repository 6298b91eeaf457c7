"""The review's summary (all time at fifty years takes a while) is worked out in a thread, not
on the dashboard's: while it is being worked out, keys still act and the filter line echoes
them at once; the screen then shows the summary of the last choice, never an earlier one."""

from __future__ import annotations

import threading

import pytest
from textual.widgets import Static
from ui_helpers import wait_for

from tenslog.store import Store
from tenslog.ui.screens import review
from tenslog.ui.summary import review_words


async def test_keys_echo_while_the_summary_is_worked_out_in_a_thread(
    make_app, seeded: Store, frozen, monkeypatch: pytest.MonkeyPatch
) -> None:
    release = threading.Event()
    threads: list[str] = []

    def held_words(*args, **kwargs):  # the real summary, held until the test lets it go
        threads.append(threading.current_thread().name)
        release.wait(10)
        return review_words(*args, **kwargs)

    monkeypatch.setattr(review, "review_words", held_words)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("3")

        def text(name: str) -> str:
            return str(app.screen.query_one(f"#{name}", Static).render())

        await wait_for(pilot, lambda: bool(threads))
        assert "last 30 days" in text("filters") and text("answer") == ""  # still being worked out
        await pilot.press("a")  # all time, at once, while the first summary is held
        assert "all time" in text("filters")
        await pilot.press("k")
        assert "TENS only" in text("filters")
        assert text("answer") == ""
        release.set()
        await wait_for(pilot, lambda: text("answer") != "")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert threading.main_thread().name not in threads
        # the summary shown is the last choice's (TENS only, all time), as the words say
        assert text("answer") == review_words(
            app.screen.filter.figures(seeded), app.screen.settings, app.screen.filter.kind).answer
        assert app.screen.filter.days is None
