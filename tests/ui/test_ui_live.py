"""A whole live session as a person does it: choose the unit, one key before, watch, one key after."""

from __future__ import annotations

from textual.widgets import Digits, OptionList, Static
from ui_helpers import SIM_OPTIONS, wait_for

from tenslog.live.state import Phase
from tenslog.model import RatingMoment, SessionState
from tenslog.store import Store
from tenslog.ui.screens.confirm import ConfirmScreen
from tenslog.ui.screens.rating import RatingScreen
from tenslog.ui.screens.unit_form import UnitForm


def text(app, selector: str) -> str:  # type: ignore[no-untyped-def]
    return str(app.screen_stack[0].query_one(selector, Static).render())


async def test_simulated_session_is_recorded_with_both_ratings(make_app, store: Store) -> None:
    app = make_app("simulator", **SIM_OPTIONS)
    async with app.run_test(size=(80, 24)) as pilot:
        units = app.screen.query_one("#units", OptionList)
        await wait_for(pilot, lambda: units.option_count > 1)
        assert "Simulated TENS unit" in str(units.get_option_at_index(0).prompt)
        await pilot.press("enter")
        assert isinstance(app.screen, RatingScreen)
        await pilot.press("6")  # pain before: one key

        await wait_for(pilot, lambda: app.live.phase is Phase.RUNNING)
        digits = app.screen_stack[0].query_one("#intensity", Digits)
        await wait_for(pilot, lambda: digits.value.isdigit())  # noqa: PLW0108 - read anew each time
        assert "connected" in text(app, "#unit-line")
        assert "reports on/off and intensity" in text(app, "#reporting")
        assert "Pain before: 6" in text(app, "#status")
        first = app.screen_stack[0].query_one("#elapsed", Digits).value
        await wait_for(
            pilot, lambda: app.screen_stack[0].query_one("#elapsed", Digits).value != first
        )

        # The unit stops by itself; the rating after is asked with one key.
        await wait_for(pilot, lambda: isinstance(app.screen, RatingScreen), limit=20)
        await pilot.press("3")
        assert "Pain after: 3" in text(app, "#result")
        assert "This session: -3 points" in text(app, "#result")

    [saved] = store.sessions()
    assert (saved.before, saved.after, saved.state) == (6, 3, SessionState.COMPLETE)
    assert saved.source == "simulator" and saved.peak_intensity is not None
    assert not store.is_recording_holder  # the lock was released after the session


async def test_unit_without_connection_is_switched_with_s_and_remembered(
    make_app, store: Store
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        units = app.screen.query_one("#units", OptionList)
        await wait_for(
            pilot, lambda: units.option_count >= 1 and not units.get_option_at_index(0).disabled
        )
        await pilot.press("enter")  # "No connection — I'll press a key"
        assert isinstance(app.screen, UnitForm)
        await pilot.press(*"Beurer EM49", "tab")  # typing replaces the suggested name
        await pilot.press("ctrl+a", "ctrl+k", *"level:20", "enter")
        assert isinstance(app.screen, RatingScreen)
        await pilot.press("t")  # t is 10
        assert "press s" in text(app, "#status").lower()
        await pilot.press("s")
        assert app.live.phase is Phase.RUNNING
        assert "no connection" in text(app, "#unit-line")
        await pilot.press("s")  # off within the first minute: taken only with y
        assert app.live.phase is Phase.RUNNING
        await pilot.press("y")
        await wait_for(pilot, lambda: isinstance(app.screen, RatingScreen))
        await pilot.press("7")

    [saved] = store.sessions()
    assert (saved.unit_name, saved.before, saved.after) == ("Beurer EM49", 10, 7)
    assert saved.unit is not None and saved.unit.scale.maximum == 20

    again = make_app()
    async with again.run_test(size=(80, 24)) as pilot:
        units = again.screen.query_one("#units", OptionList)
        await wait_for(pilot, lambda: units.option_count >= 2)
        assert "Beurer EM49" in str(units.get_option_at_index(0).prompt)


async def test_second_recorder_is_refused_with_a_clear_message(make_app, db) -> None:
    other = Store.open(db)
    other.acquire_recording()
    try:
        app = make_app()
        async with app.run_test(size=(80, 24)) as pilot:
            units = app.screen.query_one("#units", OptionList)
            await wait_for(pilot, lambda: not units.get_option_at_index(0).disabled)
            await pilot.press("enter", "enter", "enter")  # new unit, default name and scale
            assert "another tenslog is already recording" in text(app, "#chooser-problem")
            assert not isinstance(app.screen, RatingScreen)
    finally:
        other.close()


async def test_quitting_mid_session_asks_and_keeps_the_session(make_app, store: Store) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        units = app.screen.query_one("#units", OptionList)
        await wait_for(pilot, lambda: not units.get_option_at_index(0).disabled)
        await pilot.press("enter", "enter", "enter", "5", "s")
        assert app.live.recording
        await pilot.press("q")
        assert isinstance(app.screen, ConfirmScreen)
        assert any("kept either way" in str(w.render()) for w in app.screen.query(Static))
        await pilot.press("n")  # keep recording
        assert app.live.recording
        await pilot.press("q", "y")
    [saved] = store.sessions()
    assert saved.state is SessionState.INTERRUPTED and saved.before == 5
    assert not store.is_recording_holder


async def test_follow_up_reminder_asks_again_and_saves(make_app, store: Store) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        units = app.screen.query_one("#units", OptionList)
        await wait_for(pilot, lambda: not units.get_option_at_index(0).disabled)
        await pilot.press("enter", "enter", "enter", "6", "s", "s", "y")
        await wait_for(pilot, lambda: isinstance(app.screen, RatingScreen))
        await pilot.press("4")
        assert "remind me to rate again in 30 minutes" in text(app, "#result")
        sid = app.live.session_id
        await pilot.press("f")
        assert sid in app.follow_ups  # a timer, 30 minutes from now
        assert "rate again at" in text(app, "#result")
        app.follow_ups[sid].stop()
        app.ask_follow_up(sid)  # what the timer does when it fires
        await wait_for(pilot, lambda: isinstance(app.screen, RatingScreen))
        await pilot.press("2")
    assert store.get(sid).rating(RatingMoment.FOLLOW_UP) == 2


async def test_a_broken_driver_is_explained_and_manual_entry_still_works(make_app) -> None:
    app = make_app("simulator", colour="blue")  # an option the simulator does not take
    async with app.run_test(size=(80, 24)) as pilot:
        units = app.screen.query_one("#units", OptionList)
        await wait_for(pilot, lambda: not units.get_option_at_index(0).disabled)
        assert "colour" in text(app, "#chooser-problem")
        assert units.option_count == 1
        assert "No connection" in str(units.get_option_at_index(0).prompt)


async def test_a_link_loss_shows_reconnecting_and_the_session_goes_on(
    make_app, store: Store
) -> None:
    # A third of the usual speed: the gap lasts long enough (0.4-2 s) to be painted on a busy machine.
    app = make_app("simulator", **{**SIM_OPTIONS, "link_loss": "1", "speed": "10"})
    async with app.run_test(size=(80, 24)) as pilot:
        units = app.screen.query_one("#units", OptionList)
        await wait_for(pilot, lambda: units.option_count > 1)
        await pilot.press("enter", "5")
        await wait_for(pilot, lambda: "reconnecting — lost for" in text(app, "#unit-line"))
        await wait_for(pilot, lambda: "● connected" in text(app, "#unit-line"))
        assert app.live.phase is Phase.RUNNING
        await wait_for(pilot, lambda: isinstance(app.screen, RatingScreen), limit=20)
        await pilot.press("4")
    [saved] = store.sessions()
    assert saved.state is SessionState.COMPLETE and len(saved.gaps) == 1


async def test_a_double_press_on_a_rating_does_not_switch_screens(make_app, store: Store) -> None:
    app = make_app()
    app.key_guard.window = 60  # Pilot's presses are seconds apart on a loaded machine
    async with app.run_test(size=(80, 24)) as pilot:
        units = app.screen.query_one("#units", OptionList)
        await wait_for(pilot, lambda: not units.get_option_at_index(0).disabled)
        await pilot.press("enter", "enter", "2", "2")  # a tremor: "2" twice
        assert app.current_mode == "live" and app.live.before == 2


async def test_a_unit_that_vanishes_mid_session_leaves_an_interrupted_session(
    make_app, store: Store
) -> None:
    app = make_app("simulator", **{**SIM_OPTIONS, "vanish": "20"})  # gone 19 s into the session
    async with app.run_test(size=(80, 24)) as pilot:
        units = app.screen.query_one("#units", OptionList)
        await wait_for(pilot, lambda: units.option_count > 1)
        await pilot.press("enter", "6")
        await wait_for(pilot, lambda: isinstance(app.screen, RatingScreen), limit=20)
        await pilot.press("5")
        assert "interrupted" in text(app, "#live-problem")
    [saved] = store.sessions()
    assert saved.state is SessionState.INTERRUPTED and (saved.before, saved.after) == (6, 5)
    assert not store.is_recording_holder


async def test_without_a_driver_named_every_installed_driver_searches_and_the_simulator_records(
    make_app, store: Store
) -> None:
    """`tenslog` alone: the chooser offers "No connection" first, then what each installed
    driver finds (here the simulator); a driver that cannot search is a quiet note, not a crash."""
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        units = app.screen.query_one("#units", OptionList)
        await wait_for(pilot, lambda: any("Simulated TENS unit" in str(units.get_option_at_index(i).prompt)
                                          for i in range(units.option_count)), limit=15)
        assert "No connection" in str(units.get_option_at_index(0).prompt)
        simulator = next(i for i in range(units.option_count)
                         if "Simulated TENS unit" in str(units.get_option_at_index(i).prompt))
        units.highlighted = simulator
        await pilot.press("enter", "5")  # choose it; pain before 5
        await wait_for(pilot, lambda: app.live.recording, limit=15)  # the unit switched on
        await pilot.press("q", "y")
    (session,) = store.sessions()
    assert session.source == "simulator" and session.before == 5 and session.intensity
