"""Notifications never pile up over the log's rows (issue 12): on the log they are its news line;
elsewhere at most two toasts, the newest, each gone after a few seconds."""

from __future__ import annotations

from textual.widgets import DataTable, Static
from textual.widgets._toast import Toast

from tenslog.store import Store
from tenslog.ui.app import MAX_TOASTS, TenslogApp


async def test_on_the_log_news_goes_to_its_line_and_no_toast_covers_the_rows(
    make_app, seeded: Store, frozen
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2")
        app.schedule_follow_up(1, minutes=30)  # "I'll ask you to rate again at ..."
        app.notify("[b]could not[/b] save", severity="error")
        await pilot.pause()
        assert list(app._notifications) == []
        assert list(app.screen.query(Toast)) == []
        status = app.screen.query_one("#status", Static)
        assert str(status.render()) == "✕ could not save"
        table = app.screen.query_one(DataTable)
        assert status.region.y > table.region.bottom - 1  # under the rows, not over them


async def test_elsewhere_at_most_two_toasts_the_newest(make_app, seeded: Store, frozen) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        for n in range(5):
            app.notify(f"news {n}")
        await pilot.pause()
        assert [n.message for n in app._notifications] == ["news 3", "news 4"]
        assert len(app._notifications) == MAX_TOASTS
        assert TenslogApp.NOTIFICATION_TIMEOUT == 4
