"""The dashboard's side of the reminders: it marks itself open (the service then leaves the
asking to it), opens the rating a clicked notification asks for (tenslog --rate) and saves
only an answer, and shows a personal trial's reminder as a toast."""

from __future__ import annotations

from ui_helpers import wait_for

from tenslog.localtime import local_time
from tenslog.presence import dashboard_attached
from tenslog.settings import Settings
from tenslog.store import Store
from tenslog.trial.plan import TrialPlan
from tenslog.ui.app import TenslogApp
from tenslog.ui.screens.rating import RatingScreen
from tenslog.vocabulary import RatingMoment


def toasts(app: TenslogApp) -> list[str]:
    return [n.message for n in app._notifications]


def unrated(store: Store) -> int:
    """The interrupted session of the fixed ones: rated before, not after."""
    (found,) = [s for s in store.sessions() if s.after is None]
    assert found.id is not None and found.before == 6
    return found.id


async def test_a_clicked_reminder_opens_the_rating_and_only_an_answer_is_saved(
        seeded: Store, settings: Settings, frozen) -> None:
    session_id = unrated(seeded)
    app = TenslogApp(store=seeded, settings=settings, rate=(session_id, None))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, RatingScreen))
        assert app.screen.moment == "after"  # the first rating it lacks
        assert seeded.get(session_id).after is None  # asked, nothing saved yet
        await pilot.press("3")
        await wait_for(pilot, lambda: not isinstance(app.screen, RatingScreen))
        assert f"Saved the after rating of session {session_id}." in toasts(app)
    assert seeded.get(session_id).after == 3
    assert seeded.get(session_id).before == 6  # the rest as it was


async def test_escape_saves_nothing(
        seeded: Store, settings: Settings, frozen) -> None:
    session_id = unrated(seeded)
    app = TenslogApp(store=seeded, settings=settings, rate=(session_id, RatingMoment.AFTER))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, RatingScreen))
        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, RatingScreen))
    assert seeded.get(session_id).after is None


async def test_a_rating_already_given_is_never_replaced_nor_a_missing_session_asked(
        seeded: Store, settings: Settings, frozen) -> None:
    session_id = unrated(seeded)
    # A click on a reminder whose rating was given meanwhile (or a doubled click).
    again = TenslogApp(store=seeded, settings=settings, rate=(session_id, RatingMoment.BEFORE))
    async with again.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: bool(toasts(again)))
        assert not isinstance(again.screen, RatingScreen)
        assert toasts(again) == [f"Session {session_id} has its before rating already; change it in the log (2)."]
    assert seeded.get(session_id).before == 6
    missing = TenslogApp(store=seeded, settings=settings, rate=(999, None))
    async with missing.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: bool(toasts(missing)))
        assert toasts(missing) == ["Cannot ask for that rating: there is no session number 999."]
        assert not isinstance(missing.screen, RatingScreen)


async def test_the_open_dashboard_is_marked_and_shows_the_trials_reminder(store: Store, db) -> None:
    today = local_time().date()
    trial = store.add_trial(TrialPlan.make(start=today, created=local_time(), seed=7), today)
    arm = trial.plan.periods()[0].arm.label
    app = TenslogApp(store=store, settings=Settings(db=db, trial_reminder_time="00:00"))
    assert not dashboard_attached(db)
    async with app.run_test(size=(80, 24)) as pilot:
        assert dashboard_attached(db)  # the service leaves the reminders to this dashboard
        await wait_for(pilot, lambda: bool(toasts(app)))
        assert toasts(app) == [(f"Pair 1 of 6: {arm}, day 1 of 1. Today has no rated entry yet: "
                               "rate your pain before and after. Press 4 for the trial.")]
        app.reminders.look_at_trial(app)  # the next look, a minute later: once a day is enough
        assert len(toasts(app)) == 1
    assert not dashboard_attached(db)
