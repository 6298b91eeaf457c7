"""A still picture of the trial screen at 80x24 (a running trial, time frozen). Update after a
deliberate change: pytest tests/ui/test_ui_trial_snapshot.py --snapshot-update."""

from __future__ import annotations

from datetime import date

from trial_helpers import RUNNING_START, rate_periods, store_plan
from ui_helpers import session

from tenslog.store import Store


def test_trial_screen(snap_compare, make_app, store: Store, frozen) -> None:
    trial = store_plan(store, RUNNING_START)
    rate_periods(store, trial, until=date(2026, 11, 19), tens=-3, rest=0)
    store.add_session(session(0.25, 7, 4))  # today rated: no reminder toast over the picture
    assert snap_compare(make_app(), press=["4"], terminal_size=(80, 24))
