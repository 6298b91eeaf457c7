"""Shaky hands (issue 12): a doubled key, pressed twice or arriving twice in one terminal
read, never switches screens twice, saves twice, deletes or restores twice; deleting and
throwing away typed text ask first."""

from __future__ import annotations

from datetime import timedelta
from unittest.mock import patch

from hypothesis import given
from hypothesis import strategies as st
from textual import events
from textual.pilot import Pilot
from textual.widgets import Button, DataTable, Input, Static
from ui_helpers import BEURER, NOW, SteadyDriver, session, wait_for

from tenslog.live.state import Phase
from tenslog.model import RatingMoment, SessionKind
from tenslog.store import Store
from tenslog.ui.screens.confirm import ConfirmScreen
from tenslog.ui.screens.entry_form import EntryForm
from tenslog.ui.screens.log import LogScreen
from tenslog.ui.screens.rating import RatingScreen
from tenslog.ui.screens.review import ReviewScreen


async def one_read(pilot: Pilot, *keys: str) -> None:
    """Keys as one terminal read delivers them (SSH, auto-repeat): all of them are queued
    before the first one is handled."""
    app = pilot.app
    for key in keys:
        event = events.Key(key, key if len(key) == 1 else None)
        event.set_sender(app)
        app.post_message(event)
    await pilot.pause()
    await pilot.pause()


def field(app, name: str) -> str:  # type: ignore[no-untyped-def]
    return app.screen.query_one(f"#{name}", Input).value


# -- the double-press guard ------------------------------------------------------------
async def test_a_doubled_rating_key_in_one_read_rates_once_and_stays_live(
    make_app, seeded: Store, frozen
) -> None:
    app = make_app("steady")
    app.live.driver = SteadyDriver()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: len(app.screen.choices) > 0)
        await pilot.press("enter")
        assert isinstance(app.screen, RatingScreen)
        await one_read(pilot, "2", "2")  # the second 2 is also the key of the log
        await wait_for(pilot, lambda: app.live.phase is Phase.RUNNING)
        assert app.current_mode == "live" and not isinstance(app.screen, LogScreen)
        assert app.live.session_id is not None
        assert seeded.get(app.live.session_id).before == 2


async def test_a_doubled_rating_key_pressed_twice_rates_once_and_stays_live(
    make_app, seeded: Store, frozen
) -> None:
    app = make_app("steady")
    app.live.driver = SteadyDriver()
    app.key_guard.window = 60  # Pilot's presses are seconds apart on a loaded machine
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: len(app.screen.choices) > 0)
        await pilot.press("enter")
        await pilot.press("2", "2")
        await wait_for(pilot, lambda: app.live.phase is Phase.RUNNING)
        assert app.current_mode == "live" and not isinstance(app.screen, LogScreen)
        assert app.live.session_id is not None
        assert seeded.get(app.live.session_id).before == 2


async def test_a_doubled_screen_key_pressed_twice_switches_once(
    make_app, seeded: Store, frozen
) -> None:
    app = make_app()
    app.key_guard.window = 60  # Pilot's presses are seconds apart on a loaded machine
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2", "a")  # the newest session: its follow-up rating
        assert isinstance(app.screen, RatingScreen)
        await pilot.press("3", "3")  # rating 3, then the same key again at once
        assert isinstance(app.screen, LogScreen)
        app.key_guard.fired_key = ""  # a while later (the window is long in this test)
        app.key_guard.settle_until = float("-inf")
        await one_read(pilot, "3", "3")  # now on purpose: the review, once
        assert isinstance(app.screen, ReviewScreen)
    assert seeded.sessions(limit=1)[0].rating(RatingMoment.FOLLOW_UP) == 3


async def test_a_held_key_keeps_being_ignored_until_released(make_app, seeded: Store, frozen) -> None:
    deleted = [s.id for s in seeded.sessions()][:2]
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2", "d", "y", "d", "y")
        assert seeded.count() == 7
        await one_read(pilot, "u", "u", "u", "u")  # auto-repeat: one undo, not all of them
        assert seeded.count() == 8
        assert "Restored." in str(app.screen.query_one("#status", Static).render())
    assert deleted[1] in {s.id for s in seeded.sessions()}


async def test_enter_twice_on_the_last_field_saves_once_and_opens_nothing(
    make_app, store: Store, frozen
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2", "n")
        app.screen.query_one("#before", Input).value = "6"
        app.screen.query_one("#follow_up", Input).focus()
        await one_read(pilot, "enter", "enter")
        assert isinstance(app.screen, LogScreen)  # not the saved row opened for editing
    assert store.count() == 1


# -- delete asks first ---------------------------------------------------------------
async def test_delete_asks_one_key_first_and_names_the_session(
    make_app, seeded: Store, frozen
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2", "down", "d")
        assert isinstance(app.screen, ConfirmScreen)
        question = str(app.screen.query_one(".question", Static).render())
        assert question == "Delete the session of 19 Nov 18:00, Beurer EM49, 18 min?"
        await pilot.press("n")
        await pilot.press("wait:450", "d", "escape")
        await pilot.press("wait:450", "d", "d")  # the doubled d is not an answer
        assert isinstance(app.screen, ConfirmScreen) and seeded.count() == 9
        await pilot.press("y")
        assert isinstance(app.screen, LogScreen) and seeded.count() == 8
        assert app.screen.query_one(DataTable).row_count == 8
        assert "Deleted — press u to undo." in str(app.screen.query_one("#status", Static).render())


# -- the form: Esc, Enter, the Save button ---------------------------------------------
async def test_esc_on_an_unchanged_form_leaves_at_once(make_app, seeded: Store, frozen) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2", "n", "escape")
        assert isinstance(app.screen, LogScreen)
        await pilot.press("e", "escape")
        assert isinstance(app.screen, LogScreen)


async def test_esc_on_a_changed_form_asks_before_throwing_it_away(
    make_app, seeded: Store, frozen
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2", "n", "tab", "4", "5", "escape")
        assert isinstance(app.screen, ConfirmScreen)
        assert "Throw away" in str(app.screen.query_one(".question", Static).render())
        await pilot.press("escape")  # Esc again keeps the form, as typed
        assert isinstance(app.screen, EntryForm) and field(app, "duration") == "45"
        await pilot.press("escape", "n")
        assert isinstance(app.screen, EntryForm)
        await pilot.press("escape", "y")
        assert isinstance(app.screen, LogScreen)
    assert seeded.count() == 9


async def test_the_save_button_and_enter_on_the_last_field_save(make_app, store: Store, frozen) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2", "r")
        app.screen.query_one("#before", Input).value = "5"
        await pilot.click("#save")
        assert isinstance(app.screen, LogScreen)
        await pilot.press("wait:450", "r")
        app.screen.query_one("#after", Input).value = "3"
        app.screen.query_one("#follow_up", Input).focus()
        await pilot.press("enter")
        assert isinstance(app.screen, LogScreen)
        assert "Saved." in str(app.screen.query_one("#status", Static).render())
    assert {(s.before, s.after) for s in store.sessions()} == {(None, 3), (5, None)}


async def test_the_save_button_is_reached_with_tab_and_enter(make_app, store: Store, frozen) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2", "n")
        app.screen.query_one("#toggles").focus()  # the last of the form: the ticks of the context
        await pilot.press("tab")
        assert app.screen.focused is app.screen.query_one("#save", Button)
        await pilot.press("enter")
    assert store.count() == 1


# -- the form's start follows the duration ---------------------------------------------
async def test_start_follows_the_duration_and_60_minutes_saves(make_app, store: Store, frozen) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2", "n")
        assert field(app, "start") == "2026-11-20 17:30"  # NOW is 18:00
        await pilot.press("tab", "ctrl+a", "ctrl+k", "6", "0")
        assert field(app, "start") == "2026-11-20 17:00"
        await pilot.press("ctrl+a", "ctrl+k", "1", "h", "3", "0")
        assert field(app, "start") == "2026-11-20 16:30"
        await pilot.press("ctrl+a", "ctrl+k", "6", "0")
        assert field(app, "start") == "2026-11-20 17:00"
        await pilot.click("#save")
        assert isinstance(app.screen, LogScreen)
    [saved] = store.sessions()
    assert saved.start == NOW - timedelta(minutes=60) and saved.end == NOW


async def test_a_start_the_person_typed_stays_when_the_duration_changes(
    make_app, store: Store, frozen
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2", "n", "ctrl+a", "ctrl+k", *"12:00", "tab", "ctrl+a", "ctrl+k", "4", "5")
        assert field(app, "start") == "12:00"
        await pilot.click("#save")
    [saved] = store.sessions()
    assert saved.start == NOW.replace(hour=12) and saved.duration == timedelta(minutes=45)


# -- a short recorded session ---------------------------------------------------------
async def test_a_short_recorded_session_shows_its_seconds_and_can_be_edited(
    make_app, store: Store, frozen
) -> None:
    start = NOW - timedelta(hours=2, seconds=23)
    short = session(0, 5, None, minutes=1, unit=BEURER).model_copy(
        update={"start": start, "end": start + timedelta(seconds=40), "source": "simulator",
                "intensity": (), "ratings": ()}
    )
    [stored] = store.add_sessions([short])  # its id
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2", "e")
        assert field(app, "duration") == "40s"
        assert field(app, "start") == "2026-11-20 15:59:37"
        app.screen.query_one("#before", Input).value = "6"
        await pilot.click("#save")
        assert isinstance(app.screen, LogScreen)
        assert app.screen.query_one(DataTable).get_row_at(0)[4] == "40 s"
    edited = store.get(stored)
    assert edited.duration == timedelta(seconds=40) and edited.start == start
    assert edited.before == 6


# -- the log follows what arrives; ratings name their session ---------------------------
async def test_the_cursor_follows_a_session_that_has_just_arrived(
    make_app, seeded: Store, frozen
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2", "down", "down", "1")
        [new] = seeded.add_sessions([session(0.1, 7, 5, minutes=20)])  # recorded meanwhile
        await pilot.press("2")
        table = app.screen.query_one(DataTable)
        assert table.cursor_row == 0 and app.screen.selected().id == new
        await pilot.press("down", "wait:450", "1", "wait:450", "2")  # nothing new: it stays
        assert table.cursor_row == 1


async def test_a_session_recorded_while_the_log_is_open_shows_up_under_the_cursor(
    make_app, seeded: Store, frozen
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2", "down", "down")
        [new] = seeded.add_sessions([session(0.1, 7, 5, minutes=20)])
        await wait_for(pilot, lambda: app.screen.query_one(DataTable).row_count == 10)
        assert app.screen.query_one(DataTable).cursor_row == 0
        assert app.screen.selected().id == new


async def test_rating_an_older_session_names_it_not_right_now(
    make_app, seeded: Store, frozen
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2", "down", "a")
        question = str(app.screen.query_one("#question", Static).render())
        assert question == "How strong was your pain after the session of 19 Nov 18:00?"
        await pilot.press("escape", "wait:450", "up", "a")
        question = str(app.screen.query_one("#question", Static).render())
        assert question == "How strong was your pain later, after the session of 20 Nov 13:12?"
        assert "now" not in question
        await pilot.press("4")
        assert str(app.screen.query_one("#status", Static).render()) == "Saved the later rating."


# -- smaller things -----------------------------------------------------------------
async def test_log_news_is_a_line_under_the_table_not_toasts(make_app, seeded: Store, frozen) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2", "d", "y", "wait:450", "u", "wait:450", "d", "y")
        assert list(app._notifications) == []
        assert str(app.screen.query_one("#status", Static).render()) == "Deleted — press u to undo."


async def test_the_command_palette_lists_quit_once(make_app, seeded: Store, frozen) -> None:
    from textual.command import CommandList, CommandPalette

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+p", *"quit")
        await pilot.pause(0.5)
        palette = app.screen
        assert isinstance(palette, CommandPalette)
        found = palette.query_one(CommandList)
        hits = [str(found.get_option_at_index(i).prompt).splitlines()[0]
                for i in range(found.option_count)]
        assert [h for h in hits if h.startswith("Quit")] == ["Quit"]


async def test_review_answer_first_and_says_when_rest_periods_lie_outside_the_range(
    make_app, seeded: Store, frozen
) -> None:
    older_rest = [session(40 + i, 6, 5, kind=SessionKind.REST) for i in range(6)]
    seeded.add_sessions(older_rest)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("3")
        await app.workers.wait_for_complete()  # the review works its summary out in a thread
        await pilot.pause()
        answer = app.screen.query_one("#answer", Static)
        note = app.screen.query_one("#hidden-range", Static)
        assert str(note.render()) == "Rest periods exist before these 30 days: press a for all time."
        assert answer.region.bottom <= 23 and note.region.bottom <= 23  # on screen, unscrolled
        await pilot.press("a")
        assert "all time" in str(app.screen.query_one("#filters", Static).render())
        await app.workers.wait_for_complete()
        await pilot.pause()
        text = str(answer.render())
        assert text.startswith("With TENS (6 rated sessions) the typical session brought a fall of")
        assert "Overall, TENS sessions did" in text
        assert not note.display
        assert answer.region.bottom <= 23


# -- the guard itself, on explicit times ------------------------------------------------
@given(st.floats(0, 1e6), st.floats(0, 0.39), st.floats(0.41, 100), st.integers(1, 20))
def test_the_guard_drops_repeats_and_held_keys_and_nothing_else(
    start: float, soon: float, later: float, held: int
) -> None:
    from tenslog.ui import key_guard as module

    guard = module.KeyGuard()
    fired_at = start + 0.05
    with patch.object(module, "get_time", return_value=fired_at):
        assert guard.allows("2", start)
        guard.fired()
    assert not guard.allows("2", start + 0.01)  # queued before the action ran (one read)
    assert not guard.allows("2", fired_at + soon)
    assert guard.allows("3", fired_at + soon)  # another key is never held back
    for i in range(held):  # auto-repeat: each repeat extends the time it is ignored
        assert not guard.allows("2", fired_at + soon + i * 0.3)
    assert guard.allows("2", fired_at + soon + (held - 1) * 0.3 + later)
