"""Issue 17: after a refused write the store's connection is outside any transaction, nothing
of the refused write is visible, and the next write on the same open Store (the dashboard
keeps one) succeeds. Real refusals: a full database, a read-only connection, a unit stored
with another scale, a rating of a missing session, a constraint, a lock held elsewhere."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tenslog.model import IntensityScale, PainRating, RatingMoment, Session, Unit
from tenslog.store import DatabaseReadOnly, DiskFull, Store, StoreError

NOW = datetime.now(UTC).replace(microsecond=0)
UNIT = Unit(driver="manual", identity="em49", name="Beurer EM49", scale=IntensityScale(kind="level", maximum=20))


def a_session(minutes_ago: int = 60, unit: Unit | None = UNIT, points: int = 1) -> Session:
    start = NOW - timedelta(minutes=minutes_ago)
    return Session(unit=unit, start=start, end=start + timedelta(minutes=30),
                   intensity=[{"at": start + timedelta(seconds=i), "value": 5} for i in range(points)] if unit else [],
                   ratings=[{"moment": "before", "value": 6, "at": start}])


def full(store: Store) -> Callable[[], None]:
    pages = store.conn.execute("PRAGMA page_count").fetchone()[0]
    store.conn.execute(f"PRAGMA max_page_count = {pages}")  # SQLITE_FULL, as on a full disk

    def undo() -> None:
        store.conn.execute("PRAGMA max_page_count = 1073741823")

    return undo


def refuse_full(store: Store) -> None:
    undo = full(store)
    try:
        with pytest.raises(DiskFull):
            store.add_sessions([a_session(points=200) for _ in range(50)])
    finally:
        undo()


def refuse_read_only(store: Store) -> None:
    store.conn.execute("PRAGMA query_only = ON")
    try:
        with pytest.raises(DatabaseReadOnly):
            store.add_session(a_session())
    finally:
        store.conn.execute("PRAGMA query_only = OFF")


def refuse_other_scale(store: Store) -> None:
    other = UNIT.model_copy(update={"scale": IntensityScale(kind="mA", maximum=None)})
    with pytest.raises(StoreError, match="already stored with scale"):
        store.add_sessions([a_session(unit=None), a_session(), a_session(unit=other)])


def refuse_missing_session(store: Store) -> None:
    with pytest.raises(StoreError, match="no session"), store.transaction():
        store.add_session(a_session(unit=None))
        store.set_rating(10_000, PainRating(moment=RatingMoment.AFTER, value=3, at=NOW))


def refuse_constraint(store: Store) -> None:
    """A row SQLite's own CHECK refuses (a negative intensity), after a good row in one batch."""
    with pytest.raises(StoreError), store.transaction():
        sid = store.add_session(a_session()).id
        assert sid is not None
        store.add_intensity(sid, NOW.timestamp(), -1)


HOLD_WRITE_LOCK = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN EXCLUSIVE")
print("locked", flush=True)
sys.stdin.readline()
"""


def refuse_locked(store: Store) -> None:
    other = subprocess.Popen([sys.executable, "-c", HOLD_WRITE_LOCK, str(store.path)],
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert other.stdout is not None and other.stdout.readline().strip() == "locked"
        store.conn.execute("PRAGMA busy_timeout = 50")
        with pytest.raises(StoreError, match="locked by another program"):
            store.add_session(a_session())
    finally:
        assert other.stdin is not None
        other.stdin.close()
        other.wait()
        store.conn.execute("PRAGMA busy_timeout = 5000")


REFUSALS: dict[str, Callable[[Store], None]] = {
    "full": refuse_full,
    "read-only": refuse_read_only,
    "other scale": refuse_other_scale,
    "missing session": refuse_missing_session,
    "constraint": refuse_constraint,
    "locked": refuse_locked,
}


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(tmp_path / "tenslog.db") as opened:
        yield opened


def _contents(store: Store) -> list[tuple]:
    return [(s.start, s.unit, len(s.intensity), s.before, s.after) for s in store.sessions()]


@pytest.mark.parametrize("refusal", list(REFUSALS))
def test_after_a_refused_write_the_next_save_on_the_same_store_works(store: Store, refusal: str) -> None:
    store.add_session(a_session(minutes_ago=300))
    before = _contents(store)
    REFUSALS[refusal](store)
    assert not store.conn.in_transaction, "the refused write left a transaction open"
    assert _contents(store) == before, "something of the refused write is visible"
    saved = store.add_session(a_session(minutes_ago=10))  # the dashboard's next save
    assert saved.id is not None and store.get(saved.id).before == 6
    store.set_rating(saved.id, PainRating(moment=RatingMoment.AFTER, value=2, at=NOW))
    assert store.get(saved.id).after == 2


@settings(max_examples=25, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(st.sampled_from([*sorted(set(REFUSALS) - {"locked"}), "good"]), min_size=1, max_size=6))
def test_any_sequence_of_refusals_and_saves_keeps_exactly_the_saves(tmp_path_factory, steps: list[str]) -> None:
    """The class: whatever refusals come in whatever order, each good save lands, nothing of a
    refused one does, and the connection is never left inside a transaction."""
    with Store.open(tmp_path_factory.mktemp("tx") / "tenslog.db") as store:
        expected = 0
        for step in steps:
            if step == "good":
                store.add_session(a_session(minutes_ago=100 + expected))
                expected += 1
            else:
                REFUSALS[step](store)
            assert not store.conn.in_transaction
            assert store.count() == expected
        assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_a_transaction_left_open_by_anyone_does_not_block_the_next_save(store: Store) -> None:
    """Belt and braces: should anything leave the connection inside a transaction, the next
    save starts clean instead of failing with "cannot start a transaction within a transaction"."""
    store.conn.execute("BEGIN")
    store.conn.execute("DELETE FROM sessions")
    saved = store.add_session(a_session())
    assert store.count() == 1 and saved.id is not None and not store.conn.in_transaction
