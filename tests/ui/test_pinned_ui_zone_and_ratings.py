"""The dashboard outside UTC, re-rating, and a refused save followed by a good one (issue 17).

- In America/Sao_Paulo (-03:00) a session typed in the form or recorded live from the simulator
  is stored with -03:00 on every time (not UTC's offset 0) and listed in local wall time.
- Rating a session again (``a`` on a session that has its after and follow-up ratings) stores
  the new value in place of the old one.
- The dashboard keeps one store open: after one refused write the next save works.
- A unit that vanishes while its link is lost (its event stream ends) leaves a session that
  ends where the unit was last heard, not when the dashboard noticed."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from test_ui_log import fill
from textual.widgets import DataTable, OptionList, Static
from ui_helpers import SIM_OPTIONS, SteadyDriver, wait_for

from tenslog.driver.events import (
    Connected,
    DeviceEvent,
    IntensityChanged,
    LinkLost,
    StimulationStarted,
    UnitInfo,
)
from tenslog.model import PainRating, RatingMoment, SessionState
from tenslog.store import Store
from tenslog.ui.screens.rating import RatingScreen

SAO_PAULO = -3 * 3600
REFUSE_RATINGS = """CREATE TEMP TRIGGER refuse_ratings BEFORE INSERT ON ratings
                    BEGIN SELECT RAISE(ABORT, 'refused for this test'); END"""


async def test_a_session_typed_outside_utc_is_local_time(make_app, store: Store, db: Path, frozen, sao_paulo) -> None:
    """14:00 typed in Sao Paulo is 17:00 UTC, stored with -03:00 and listed as 14:00."""
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2", "n")
        await fill(pilot, start="2026-11-20 14:00", duration="30", scale="level:20", unit="Beurer EM49",
                   intensity="12", before="7", after="4")
        await pilot.press("ctrl+s")
        assert app.screen.query_one(DataTable).get_row_at(0)[1] == "20 Nov 14:00"
    raw = sqlite3.connect(db).execute("SELECT start, utc_offset, end_offset FROM sessions").fetchall()
    assert raw == [(datetime(2026, 11, 20, 17, 0, tzinfo=UTC).timestamp(), SAO_PAULO, SAO_PAULO)]
    [saved] = store.sessions()
    assert saved.start.isoformat() == "2026-11-20T14:00:00-03:00"


async def test_a_session_recorded_live_outside_utc_keeps_the_local_offset(
    make_app, store: Store, db: Path, sao_paulo
) -> None:
    app = make_app("simulator", **SIM_OPTIONS)
    async with app.run_test(size=(80, 24)) as pilot:
        units = app.screen.query_one("#units", OptionList)
        await wait_for(pilot, lambda: units.option_count > 1)
        await pilot.press("enter", "6")
        await wait_for(pilot, lambda: isinstance(app.screen, RatingScreen), limit=20)
        await pilot.press("3")
    [saved] = store.sessions()
    assert (saved.before, saved.after, saved.state) == (6, 3, SessionState.COMPLETE)
    raw = sqlite3.connect(db)
    assert raw.execute("SELECT utc_offset, end_offset FROM sessions").fetchall() == [(SAO_PAULO, SAO_PAULO)]
    offsets = {r[0] for r in raw.execute("SELECT utc_offset FROM intensity UNION SELECT utc_offset FROM ratings")}
    assert offsets == {SAO_PAULO}
    assert saved.start.isoformat().endswith("-03:00")


async def test_rating_again_in_the_log_replaces_the_follow_up(make_app, seeded: Store, frozen) -> None:
    newest = seeded.sessions(limit=1)[0]
    assert newest.id is not None and newest.after == 4
    seeded.set_rating(newest.id, PainRating(moment=RatingMoment.FOLLOW_UP, value=5, at=newest.end))
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2", "a")  # after and follow-up given: it asks the follow-up again
        assert isinstance(app.screen, RatingScreen)
        await pilot.press("2")
        await wait_for(pilot, lambda: not isinstance(app.screen, RatingScreen))
    again = seeded.get(newest.id)
    assert (again.before, again.after, again.rating(RatingMoment.FOLLOW_UP)) == (6, 4, 2)
    assert [r.moment for r in again.ratings].count(RatingMoment.FOLLOW_UP) == 1


async def test_after_a_refused_rating_the_next_one_is_saved(make_app, seeded: Store, frozen) -> None:
    interrupted = next(s for s in seeded.sessions() if s.state is SessionState.INTERRUPTED)
    assert interrupted.id is not None and interrupted.after is None
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        # SQLite refuses the write inside its transaction (as a constraint would), for a moment.
        seeded.conn.execute(REFUSE_RATINGS)
        await pilot.press("2", "down", "a", "4")
        assert seeded.get(interrupted.id).after is None
        assert not seeded.conn.in_transaction
        # On the log the refusal is its news line, not a toast over the rows.
        status = app.screen.query_one("#status", Static)
        await wait_for(pilot, lambda: "refused for this test" in str(status.render()))
        seeded.conn.execute("DROP TRIGGER refuse_ratings")  # ... and then accepts them again
        await pilot.press("a", "4")
        assert str(app.screen.query_one(DataTable).get_row_at(1)[7]) == "4"
    assert seeded.get(interrupted.id).after == 4


class VanishingDriver(SteadyDriver):
    """On at level 6, then 8; the link is lost 30 s ago (within the grace); then the unit is
    gone for good: the stream ends."""

    lost_at = 0.0

    async def events(self, identity: str | None = None) -> AsyncIterator[DeviceEvent]:
        start = time.time() - 60
        VanishingDriver.lost_at = start + 30
        yield Connected(start, UnitInfo(self.name, "steady-1", "Test unit", self.scale, self.capabilities))
        yield StimulationStarted(start, 6)
        yield IntensityChanged(start + 10, 8)
        yield LinkLost(self.lost_at, "out of range")


async def test_a_unit_vanishing_during_a_link_loss_ends_the_session_where_it_was_last_heard(
    make_app, store: Store
) -> None:
    app = make_app("steady")
    app.live.driver = VanishingDriver()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: len(app.screen.choices) > 0)
        await pilot.press("enter", "6")
        await wait_for(pilot, lambda: store.sessions() and store.sessions()[0].state is not SessionState.RECORDING)
    [session] = store.sessions()
    assert session.state is SessionState.INTERRUPTED and session.before == 6
    [gap] = session.gaps
    assert session.end == gap.lost_at and gap.restored_at is None
    assert session.end is not None and session.end.timestamp() == pytest.approx(VanishingDriver.lost_at, abs=1e-6)
    assert [p.value for p in session.intensity] == [6, 8]
