"""The manual-entry form's context (issue 12): a multi-line note, "for the doctor", a medicine with
its dose, the extra ratings switched on, and one letter each for the ticks once Tab reaches them.
Nothing is saved until the form is; Esc after a tick asks first."""

from __future__ import annotations

from textual.pilot import Pilot
from textual.widgets import Input, Static, TextArea
from ui_helpers import session

from tenslog.model import ExtraRating, SessionContext, Treatment
from tenslog.store import Store
from tenslog.ui.context_toggles import ContextToggles
from tenslog.ui.screens.confirm import ConfirmScreen
from tenslog.ui.screens.entry_form import EntryForm
from tenslog.vocabulary import BodyRegion, RatingMoment

HEAT_PAD = Treatment(name="heat pad")


async def to_the_ticks(pilot: Pilot) -> None:
    """From the medicine field, Tab by Tab: the note, the doctor's mark, then the ticks."""
    pilot.app.screen.query_one("#medicine", Input).focus()
    await pilot.press("tab", "tab", "tab")
    assert isinstance(pilot.app.focused, ContextToggles)


async def test_the_forms_context_is_saved_with_the_session(make_app, seeded: Store, frozen) -> None:
    seeded.set_rating_scale("stiffness/spasm", asked=True)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2", "e")
        assert isinstance(app.screen, EntryForm)
        app.screen.query_one("#extra-0-before", Input).focus()
        await pilot.press("6", "tab", "3", "tab", *"tizanidine 2 mg", "tab")
        assert isinstance(app.focused, TextArea)
        await pilot.press(*"Slept badly", "enter", *"second line", "tab", "space", "tab")
        assert isinstance(app.focused, ContextToggles)
        await pilot.press("h", "n", "ctrl+s")
        assert not isinstance(app.screen, EntryForm)
    context = seeded.sessions(limit=1)[0].context
    assert context.note == "Slept badly\nsecond line" and context.for_doctor
    assert context.treatments == (HEAT_PAD, Treatment(name="tizanidine", dose="2 mg", medication=True))
    assert context.regions == (BodyRegion.NECK,)
    assert (context.extra("stiffness/spasm", RatingMoment.BEFORE), context.extra("stiffness/spasm", RatingMoment.AFTER)) == (6, 3)


async def test_a_doubled_tick_in_the_form_is_one_tick(make_app, seeded: Store, frozen) -> None:
    app = make_app()
    app.key_guard.window = 60  # Pilot's presses are seconds apart on a loaded machine
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2", "e")
        await to_the_ticks(pilot)
        await pilot.press("h", "h", "ctrl+s")
    assert seeded.sessions(limit=1)[0].context.treatments == (HEAT_PAD,)


async def test_bad_context_is_explained_beside_its_field_and_nothing_is_saved(make_app, seeded: Store, frozen) -> None:
    seeded.set_rating_scale("stiffness/spasm", asked=True)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2", "e")
        app.screen.query_one("#extra-0-after", Input).value = "11"
        app.screen.query_one("#medicine", Input).value = "heat pad 2 mg"
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, EntryForm)
        assert str(app.screen.query_one("#extra-0-after-note", Static).render()) == "✕ use a whole number 0-10 (got '11')"
        assert str(app.screen.query_one("#medicine-note", Static).render()) == (
            "✕ 'heat pad' is not a medication, so it takes no dose")
        assert app.focused is app.screen.query_one("#medicine", Input)
    assert seeded.sessions(limit=1)[0].context == SessionContext()


async def test_esc_after_a_tick_asks_before_throwing_it_away(make_app, seeded: Store, frozen) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2", "e")
        await to_the_ticks(pilot)
        await pilot.press("h", "escape")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        assert not isinstance(app.screen, EntryForm)
    assert seeded.sessions(limit=1)[0].context == SessionContext()


async def test_an_unchanged_edit_keeps_the_context_exactly(make_app, store: Store, frozen) -> None:
    s = session(1, 6, 4)
    context = SessionContext(note="one\ntwo", treatments=(HEAT_PAD,), extra_ratings=(
        ExtraRating(name="stiffness/spasm", moment=RatingMoment.BEFORE, value=5, at=s.start),))
    store.add_sessions([s.model_copy(update={"context": context})])
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2", "e")
        assert app.screen.query_one("#extra-0-before", Input).value == "5"  # off, yet shown: it has one
        await pilot.press("ctrl+s")
        assert not isinstance(app.screen, EntryForm)
    [kept] = store.sessions()
    assert kept.context == context


async def test_a_doubled_space_on_for_the_doctor_marks_it_once(make_app, seeded: Store, frozen) -> None:
    app = make_app()
    app.key_guard.window = 60  # Pilot's presses are seconds apart: the note avoids e, the edit key
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2", "e")
        app.screen.query_one("#note", TextArea).focus()
        await pilot.press(*"Ask about a dosing plan", "tab", "space", "space", "ctrl+s")
        assert not isinstance(app.screen, EntryForm)
    context = seeded.sessions(limit=1)[0].context
    assert (context.note, context.for_doctor) == ("Ask about a dosing plan", True)


async def test_a_stray_letter_on_the_ticks_does_nothing_not_even_q(make_app, seeded: Store, frozen) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2", "e")
        await to_the_ticks(pilot)
        await pilot.press("q", "1", "h")
        assert isinstance(app.screen, EntryForm) and app.is_running
        assert app.screen.query_one(ContextToggles).context.treatments == (HEAT_PAD,)
