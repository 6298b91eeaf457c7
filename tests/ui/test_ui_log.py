"""The log and manual entry: what is shown, what is saved, and what is refused (and why)."""

from __future__ import annotations

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Static

from tenslog.model import SessionKind, SessionState
from tenslog.store import Store
from tenslog.ui.screens.entry_form import EntryForm
from tenslog.ui.screens.rating import RatingScreen


async def type_into(pilot: Pilot, **values: str) -> None:
    """Type into the form's fields the way a person does: clear, then type."""
    for name, value in values.items():
        pilot.app.screen.query_one(f"#{name}", Input).focus()
        await pilot.press("ctrl+a", "ctrl+k", *value)


async def fill(pilot: Pilot, **values: str) -> None:
    """Set the fields at once (typing is tested above; this keeps the many cases fast)."""
    for name, value in values.items():
        pilot.app.screen.query_one(f"#{name}", Input).value = value
    await pilot.pause()


def note(app, name: str) -> str:  # type: ignore[no-untyped-def]
    return str(app.screen.query_one(f"#{name}-note", Static).render())


async def test_log_lists_newest_first_and_marks_interrupted(
    make_app, seeded: Store, frozen
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2")
        table = app.screen.query_one(DataTable)
        assert table.row_count == 9
        newest, interrupted = table.get_row_at(0), table.get_row_at(1)
        assert newest[1] == "20 Nov 13:12" and str(newest[8]) == "-2"
        assert str(interrupted[0]) == "!" and str(interrupted[7]) == "—"
        await pilot.press("down")
        detail = str(app.screen.query_one("#detail", Static).render())
        assert "interrupted" in detail and "press a to add the rating after" in detail.lower()


async def test_missing_after_rating_is_added_with_one_key(make_app, seeded: Store, frozen) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2", "down", "a")
        assert isinstance(app.screen, RatingScreen)
        await pilot.press("4")
        assert str(app.screen.query_one(DataTable).get_row_at(1)[7]) == "4"
    interrupted = next(s for s in seeded.sessions() if s.state is SessionState.INTERRUPTED)
    assert interrupted.after == 4


async def test_delete_then_undo_puts_the_session_back(make_app, seeded: Store, frozen) -> None:
    before = [s.id for s in seeded.sessions()]
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2", "down", "d", "y")
        assert seeded.count() == 8
        assert app.screen.query_one(DataTable).row_count == 8
        await pilot.press("u")
        assert app.screen.query_one(DataTable).row_count == 9
    assert [s.id for s in seeded.sessions()] == before


async def test_new_session_by_hand_is_saved(make_app, store: Store, frozen) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2", "n")
        assert isinstance(app.screen, EntryForm)
        await fill(pilot, start="2026-11-20 14:00", scale="level:20", unit="Beurer EM49")
        await type_into(pilot, duration="45", intensity="12", before="7", after="4")
        await pilot.click("#save")
        assert not isinstance(app.screen, EntryForm)
        assert app.screen.query_one(DataTable).row_count == 1
    [saved] = store.sessions()
    assert (saved.before, saved.after, saved.peak_intensity, saved.unit_name) == (
        7,
        4,
        12,
        "Beurer EM49",
    )
    assert saved.duration is not None and saved.duration.total_seconds() == 45 * 60


async def test_edit_changes_the_rating(make_app, seeded: Store, frozen) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2", "e")
        await fill(pilot, after="2")
        await pilot.click("#save")
        assert not isinstance(app.screen, EntryForm)
    newest = seeded.sessions(limit=1)[0]
    assert (newest.before, newest.after, newest.peak_intensity) == (6, 2, 12)
    assert seeded.count() == 9


# (kind, fields typed, field that must show the error, words of the reason)
INVALID = [
    ("tens", {"start": "next tuesday"}, "start", "not a date"),
    ("tens", {"duration": "a while"}, "duration", "not a duration"),
    ("tens", {"duration": "0"}, "duration", "longer than zero"),
    ("tens", {"intensity": "-3"}, "intensity", "below 0"),
    ("tens", {"intensity": "lots"}, "intensity", "not a number"),
    ("tens", {"intensity": "25", "scale": "level:20"}, "intensity", "maximum of 20"),
    ("tens", {"after": "11"}, "after", "0-10"),
    ("tens", {"before": "six"}, "before", "0-10"),
    ("tens", {"follow_up": "-1"}, "follow_up", "0-10"),
    (
        "tens",
        {"start": "2026-11-20 14:00", "duration": "13:30"},
        "duration",
        "end is before the start",
    ),
    ("tens", {"start": "2026-11-21 09:00"}, "start", "in the future"),
    ("tens", {"start": "2026-11-20 17:50", "duration": "1h"}, "duration", "end in the future"),
    ("tens", {"scale": "volts"}, "scale", "not a scale"),
    ("rest", {"intensity": "5"}, "intensity", "rest period is without the unit"),
    ("rest", {"unit": "Beurer EM49"}, "unit", "rest period is without the unit"),
]
VALID = {
    "start": "2026-11-20 14:00",
    "duration": "30",
    "intensity": "",
    "scale": "level:20",
    "unit": "",
    "before": "6",
    "after": "4",
    "follow_up": "",
}


@pytest.mark.parametrize("kind", ["tens", "rest"])
async def test_each_invalid_field_is_explained_inline_and_nothing_is_saved(
    make_app, seeded: Store, frozen, kind: str
) -> None:
    count = seeded.count()
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2", "n" if kind == "tens" else "r")
        for case_kind, values, field, reason in INVALID:
            if case_kind != kind:
                continue
            await fill(pilot, **{**VALID, **values})
            await pilot.click("#save")
            assert isinstance(app.screen, EntryForm), f"{values}: the form stays open"
            shown = note(app, field)
            assert shown.startswith("✕") and reason in shown, f"{values}: {shown!r}"
            assert app.screen.focused is app.screen.query_one(f"#{field}", Input)
            assert "Not saved" in str(app.screen.query_one("#form-problem", Static).render())
            assert seeded.count() == count, f"{values}: nothing may be written"
        # Once corrected, the same form saves, and the marks go away.
        await fill(pilot, **VALID)
        await pilot.click("#save")
        assert not isinstance(app.screen, EntryForm)
    assert seeded.count() == count + 1


async def test_rest_period_is_saved_without_a_unit(make_app, store: Store, frozen) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2", "r")
        await fill(pilot, before="5", after="4")
        await pilot.click("#save")
    [saved] = store.sessions()
    assert saved.kind is SessionKind.REST and saved.unit is None and saved.change == -1
