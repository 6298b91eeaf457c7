"""Safe for shaky hands on the live screen (issue 12): a doubled s never ends the session it
started, also when both presses arrive in one terminal read; a session under the minimum is
ended only with a second, different key and never counts; the level is typed, or + and -
start from the level used last time with that unit."""

from __future__ import annotations

from textual._xterm_parser import XTermParser
from textual.pilot import Pilot
from textual.widgets import Digits, Input, OptionList, Static
from ui_helpers import wait_for

from tenslog.analysis import summarize
from tenslog.live.state import Phase
from tenslog.model import SessionState
from tenslog.settings import Settings
from tenslog.store import Store
from tenslog.ui.app import TenslogApp
from tenslog.ui.key_guard import SETTLE_SECONDS
from tenslog.ui.screens.level import LevelScreen
from tenslog.ui.screens.rating import RatingScreen


class Clock:
    """The time of a unit without connection, moved by the test."""

    def __init__(self) -> None:
        self.now = 2_000_000.0

    def __call__(self) -> float:
        return self.now


def text(app: TenslogApp, selector: str) -> str:
    return str(app.screen_stack[0].query_one(selector, Static).render())


def detail(app: TenslogApp) -> str:
    details = app.screen.query("#detail")
    return str(details.first(Static).render()) if details else ""


def level_shown(app: TenslogApp) -> str:
    return app.screen_stack[0].query_one("#intensity", Digits).value.strip()


async def start_manual_session(pilot: Pilot, app: TenslogApp, before: str = "5") -> None:
    """Choose the first unit without connection (a new one: default name, level 1-20, or the
    one used before), rate before, and wait for "press s"."""
    units = app.screen.query_one("#units", OptionList)
    await wait_for(pilot, lambda: not units.get_option_at_index(0).disabled)
    await pilot.press("enter")
    if not isinstance(app.screen, RatingScreen):
        await pilot.press("enter")  # the new-unit form, as suggested
    assert isinstance(app.screen, RatingScreen)
    await pilot.press(before)
    await wait_for(pilot, lambda: "press s" in text(app, "#status").lower())


async def test_s_pressed_twice_starts_the_session_and_the_second_press_does_not_end_it(
    make_app, store: Store
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await start_manual_session(pilot, app)
        await pilot.press("s", "s")  # a tremor: one press, then another 150 ms later
        assert app.live.phase is Phase.RUNNING and app.live.recording
        assert "s again so soon: the session goes on" in text(app, "#status")
        assert "press y to end it; under a minute it will not count" in text(app, "#status").lower()
        assert not isinstance(app.screen, RatingScreen)
        [saved] = store.sessions()
        assert saved.state is SessionState.RECORDING


async def test_both_presses_in_one_terminal_read_do_not_end_the_session(make_app, store: Store) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await start_manual_session(pilot, app)
        # What the terminal driver does with one read holding "ss" (over SSH, or auto-repeat).
        for event in XTermParser().feed("ss"):
            app._driver.process_message(event)
        await wait_for(pilot, lambda: "s again so soon" in text(app, "#status"))
        assert app.live.phase is Phase.RUNNING and app.live.recording
        assert app.current_mode == "live" and not isinstance(app.screen, RatingScreen)
        [saved] = store.sessions()
        assert saved.state is SessionState.RECORDING


async def test_an_early_switch_off_is_taken_with_y_and_the_short_session_never_counts(
    make_app, store: Store, settings: Settings
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await start_manual_session(pilot, app, before="6")
        await pilot.press("s", "s", "y")  # yes, it is off already
        await wait_for(pilot, lambda: isinstance(app.screen, RatingScreen))
        await pilot.press("4")
        assert "Pain after: 4.  This session: -2 points." in text(app, "#result")
        assert "average change" not in text(app, "#result")  # it is not part of any average
        await pilot.pause(SETTLE_SECONDS)  # mode keys wait a moment after a rating key
        await pilot.press("2")
        await wait_for(pilot, lambda: app.current_mode == "log" and "too short" in detail(app))
        assert "~ too short: counts in no analysis" in detail(app)  # easy to find and delete
    [saved] = store.sessions()
    assert (saved.state, saved.before, saved.after) == (SessionState.COMPLETE, 6, 4)
    assert summarize(store.sessions(), settings).sessions == 0


async def test_after_the_minimum_one_s_ends_the_session(make_app, store: Store) -> None:
    app = make_app()
    app.live.clock = clock = Clock()
    async with app.run_test(size=(80, 24)) as pilot:
        await start_manual_session(pilot, app)
        await pilot.press("s")
        clock.now += 61
        await pilot.press("s")
        await wait_for(pilot, lambda: isinstance(app.screen, RatingScreen))
        await pilot.press("escape")
    [saved] = store.sessions()
    assert saved.state is SessionState.COMPLETE and saved.duration is not None
    assert saved.duration.total_seconds() == 61


async def test_the_level_is_typed_then_enter_and_a_level_above_the_scale_is_refused(
    make_app, store: Store
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await start_manual_session(pilot, app)
        await pilot.press("s", "l")
        assert isinstance(app.screen, LevelScreen)
        await pilot.press("1", "2", "enter")
        assert not isinstance(app.screen, LevelScreen)
        await wait_for(pilot, lambda: level_shown(app) == "12")
        await pilot.press("l", "2", "5", "enter")  # the typed text replaces the level shown
        assert isinstance(app.screen, LevelScreen)
        error = str(app.screen.query_one("#level-error", Static).render())
        assert error == "25 is above your unit's highest level, 20."
        await pilot.press("escape")  # leaves it as it was
        assert app.live.state().intensity == 12
        await pilot.press("l", "x")  # a stray letter cannot be typed
        assert isinstance(app.screen, LevelScreen)
        assert app.screen.query_one("#level", Input).value == "12"  # starts from the level noted
        await pilot.press("enter")
        assert app.live.state().intensity == 12
        await pilot.press("q", "y")
    [saved] = store.sessions()
    assert [p.value for p in saved.intensity] == [12]


async def test_plus_starts_from_the_level_used_last_time_with_that_unit(make_app, store: Store) -> None:
    app = make_app()
    app.live.clock = clock = Clock()
    async with app.run_test(size=(80, 24)) as pilot:
        await start_manual_session(pilot, app)
        await pilot.press("s", "l", "1", "2", "enter")
        clock.now += 600
        await pilot.press("s")
        await wait_for(pilot, lambda: isinstance(app.screen, RatingScreen))
        await pilot.press("3", "n")  # rated after; a new session with the same unit
        await start_manual_session(pilot, app)
        await pilot.press("s")
        assert "+ / - from 12 (last time)" in text(app, "#intensity-label")
        await pilot.press("plus")
        await wait_for(pilot, lambda: level_shown(app) == "12")
        await pilot.press("plus")
        await wait_for(pilot, lambda: level_shown(app) == "13")
        await pilot.press("q", "y")
    latest = store.sessions()[0]
    assert [p.value for p in latest.intensity] == [12, 13]
