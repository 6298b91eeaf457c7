"""What else was going on (issue 12), on the dashboard: one key each to tick the person's other
treatments, where it hurts and side effects in the step after a session; the same key again
unticks; a doubled press is one press; nothing is saved until the step is confirmed."""

from __future__ import annotations

from textual import events
from textual.pilot import Pilot
from textual.widgets import Static
from ui_helpers import NOW, SIM_OPTIONS, session, wait_for

from tenslog.live.state import Phase
from tenslog.model import SessionContext, Treatment
from tenslog.store import Store
from tenslog.ui.context_toggles import toggles
from tenslog.ui.screens.after_rating import AfterRatingScreen
from tenslog.ui.screens.rating import RatingScreen
from tenslog.vocabulary import BodyRegion, RatingMoment, SideEffect

HEAT_PAD = Treatment(name="heat pad")


async def one_read(pilot: Pilot, *keys: str) -> None:
    """Keys as one terminal read delivers them: all queued before the first is handled."""
    for key in keys:
        event = events.Key(key, key)
        event.set_sender(pilot.app)
        pilot.app.post_message(event)
    await pilot.pause()
    await pilot.pause()


async def open_after_step(pilot: Pilot) -> None:
    """The log, the interrupted session of yesterday (no rating after), a: the after step."""
    await pilot.press("2", "down", "a")
    assert isinstance(pilot.app.screen, AfterRatingScreen)


def yesterdays(store: Store):  # type: ignore[no-untyped-def]
    return store.sessions()[1]


def test_every_item_has_its_own_letter_and_never_a_rating_or_quit_key(store: Store) -> None:
    found = [(t.group, t.label, t.key) for t in toggles(store.treatment_choices(), SessionContext())]
    assert found == [
        (0, "heat pad", "h"), (0, "pain-relief patch", "p"), (0, "stretching", "s"), (0, "rest", "r"),
        (0, "medication", "m"),
        (1, "neck", "n"), (1, "upper back", "u"), (1, "lower back", "l"), (1, "shoulders", "o"),
        (1, "arms", "a"), (1, "hips", "i"), (1, "legs", "e"), (1, "other", "b"),
        (2, "skin irritation", "k"), (2, "drowsiness", "d"), (2, "more spasm", "c"), (2, "other", "f"),
    ]  # fmt: skip
    letters = [key for _, _, key in found]
    assert len(set(letters)) == 17 and not set(letters) & set("qt0123456789")


async def test_ticks_in_the_after_step_are_saved_with_the_rating(make_app, seeded: Store, frozen) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_after_step(pilot)
        await pilot.press("h", "n", "l", "d")
        assert "[x] h heat pad" in str(app.screen.query_one("#toggles Static").render())
        assert yesterdays(seeded).context == SessionContext()  # nothing saved before the rating
        await pilot.press("4")
        assert str(app.screen.query_one("#status", Static).render()) == "Saved the rating after."
    saved = yesterdays(seeded)
    assert saved.after == 4
    assert saved.context.treatments == (HEAT_PAD,)
    assert saved.context.regions == (BodyRegion.NECK, BodyRegion.LOWER_BACK)
    assert saved.context.side_effects == (SideEffect.DROWSINESS,)


async def test_a_doubled_tick_pressed_twice_in_the_guard_window_ticks_once(make_app, seeded: Store, frozen) -> None:
    app = make_app()
    app.key_guard.window = 60  # Pilot's presses are seconds apart on a loaded machine
    async with app.run_test(size=(80, 24)) as pilot:
        await open_after_step(pilot)
        await pilot.press("h", "h", "5")
    assert yesterdays(seeded).context.treatments == (HEAT_PAD,)
    assert yesterdays(seeded).after == 5


async def test_a_doubled_tick_in_one_read_ticks_once(make_app, seeded: Store, frozen) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_after_step(pilot)
        await one_read(pilot, "n", "n")
        await pilot.press("enter")  # the ticks without a rating
        assert str(app.screen.query_one("#status", Static).render()) == "Saved what else was going on."
    assert yesterdays(seeded).context.regions == (BodyRegion.NECK,)
    assert yesterdays(seeded).after is None


async def test_the_same_key_again_later_unticks(make_app, seeded: Store, frozen) -> None:
    app = make_app()
    app.key_guard.window = 0  # every press is deliberate here
    async with app.run_test(size=(80, 24)) as pilot:
        await open_after_step(pilot)
        await pilot.press("h", "h", "k", "3")
    assert yesterdays(seeded).context.treatments == ()
    assert yesterdays(seeded).context.side_effects == (SideEffect.SKIN_IRRITATION,)


async def test_esc_throws_the_ticks_away(make_app, seeded: Store, frozen) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_after_step(pilot)
        await pilot.press("h", "n", "escape")
        assert not isinstance(app.screen, AfterRatingScreen)
    assert yesterdays(seeded).context == SessionContext()
    assert yesterdays(seeded).after is None


async def test_live_session_asks_extra_ratings_and_the_ticks(make_app, store: Store) -> None:
    store.set_rating_scale("stiffness/spasm", asked=True)
    app = make_app("simulator", **{**SIM_OPTIONS, "session_minutes": "0.5", "idle_seconds": "0"})
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: len(app.screen.choices) > 0)
        await pilot.press("enter", "6")
        await wait_for(pilot, lambda: isinstance(app.screen, RatingScreen) and app.screen.scale != "")
        question = str(app.screen.query_one("#question", Static).render())
        assert question == "Your stiffness/spasm, 0-10, before the session?"
        await pilot.press("7")
        await wait_for(pilot, lambda: isinstance(app.screen, AfterRatingScreen), limit=20)
        await pilot.press("h", "2")
        await wait_for(pilot, lambda: isinstance(app.screen, RatingScreen) and app.screen.moment == "after")
        assert "stiffness/spasm" in str(app.screen.query_one("#question", Static).render())
        await pilot.press("4")
        await wait_for(pilot, lambda: app.live.phase is Phase.ENDED and len(app.screen_stack) == 1)
    [saved] = store.sessions()
    assert (saved.before, saved.after) == (6, 2)
    assert saved.context.treatments == (HEAT_PAD,)
    assert saved.context.extra("stiffness/spasm", RatingMoment.BEFORE) == 7
    assert saved.context.extra("stiffness/spasm", RatingMoment.AFTER) == 4


async def test_the_log_shows_the_notes_first_line_inert_and_a_mark(make_app, store: Store, frozen) -> None:
    noted = session(1, 6, 4).model_copy(update={"context": SessionContext(
        note="[b]Slept[/b] badly\nsecond line", for_doctor=True, treatments=(HEAT_PAD,),
        regions=(BodyRegion.NECK,))})
    store.add_sessions([noted, session(0.5, 5, 3)])
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2", "down")
        detail = str(app.screen.query_one("#detail", Static).render())
        assert detail.splitlines()[-1] == "with heat pad · where: neck · ✎ for the doctor [b]Slept[/b] badly"
        assert "second line" not in detail
        table = app.screen.query_one("DataTable")
        assert [str(table.get_row_at(i)[0]) for i in (0, 1)] == [" ", " ✎"]
    assert NOW  # the sessions are placed against the frozen moment


def test_after_step_snapshot(snap_compare, make_app, seeded, frozen) -> None:
    """The after step at 80x24: the rating keys, the ticks with their letters, what confirms."""

    async def ticked(pilot: Pilot) -> None:
        await open_after_step(pilot)
        await pilot.press("h", "n")

    assert snap_compare(make_app(), run_before=ticked, terminal_size=(80, 24))


async def test_names_from_the_list_show_as_typed_never_as_markup(make_app, seeded: Store, frozen) -> None:
    seeded.add_treatment_choice(Treatment(name="[red]gel[/red]"))
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_after_step(pilot)
        column = str(app.screen.query("#toggles Static").first().render())
        assert column.splitlines()[-1] == "[ ] e [red]gel[/red]"  # its first free letter
