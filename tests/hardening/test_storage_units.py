"""Privacy: a unit (its name, and a Bluetooth unit's address) can be deleted with all its
sessions, after a question saying how many go; afterwards neither the database file nor its
-wal holds the name or the address. CLI with a real database; the dashboard via run_test."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from textual.widgets import OptionList

from hardening.storage_support import one_line_error, run
from support.sessions import rated_session
from tenslog.model import IntensityScale, Session, SessionKind, Unit
from tenslog.settings import Settings
from tenslog.store import Store
from tenslog.ui.app import TenslogApp
from tenslog.ui.screens.confirm import ConfirmScreen
from tenslog.ui.screens.units import UnitsScreen

NOW = datetime.now(UTC).replace(microsecond=0)
BLE_ADDRESS = "C4:7C:8D:6A:55:0F"
BLE = Unit(driver="ble-profile", identity=BLE_ADDRESS, name="Secret Brand TENS",
           scale=IntensityScale(kind="level", maximum=20))
KEPT = Unit(driver="manual", identity="beurer-em49", name="Beurer EM49",
            scale=IntensityScale(kind="level", maximum=20))


def _sessions(unit: Unit, count: int, offset: int = 0) -> list[Session]:
    return [rated_session(NOW - timedelta(hours=5 * i + offset + 1), 30, 6, 4, unit=unit, level=8)
            for i in range(count)]


def _raw(db: Path) -> bytes:
    """Every byte tenslog keeps for this database: the file and any -wal beside it."""
    return b"".join(p.read_bytes() for p in (db, Path(f"{db}-wal")) if p.exists())


def _filled(db: Path, *, ble: int = 3, kept: int = 2) -> None:
    with Store.open(db) as store:
        store.add_sessions([*_sessions(BLE, ble), *_sessions(KEPT, kept, offset=2)])
        store.add_session(rated_session(NOW - timedelta(hours=40), 20, 5, 5, kind=SessionKind.REST))


# -- the store ------------------------------------------------------------------------------
def test_a_unit_with_no_sessions_left_is_still_listed_and_can_be_deleted(tmp_path: Path) -> None:
    db = tmp_path / "tenslog.db"
    _filled(db, ble=1)
    with Store.open(db) as store:
        (only,) = [s for s in store.sessions() if s.unit == BLE]
        store.delete_session(only.id or 0)
        (listed,) = [u for u in store.stored_units() if u.unit.identity == BLE_ADDRESS]
        assert listed.sessions == 0
        assert store.delete_unit(listed.id) == 0
        assert [u.unit for u in store.stored_units()] == [KEPT]
    assert BLE_ADDRESS.encode() not in _raw(db) and BLE.name.encode() not in _raw(db)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(counts=st.lists(st.integers(0, 4), min_size=1, max_size=4), data=st.data())
def test_deleting_any_unit_takes_exactly_its_sessions_and_leaves_no_trace(tmp_path_factory, counts, data) -> None:
    """The class: any number of units with any number of sessions (rest periods too); the
    chosen unit's sessions go, every other session stays as it was, and its name and address
    are in neither the database nor its -wal, even while the store stays open."""
    db = tmp_path_factory.mktemp("units") / "tenslog.db"
    units = [Unit(driver="ble-profile", identity=f"AA:BB:CC:00:00:{i:02X}", name=f"Unit-{i}-name")
             for i in range(len(counts))]
    with Store.open(db) as store:
        for i, (unit, count) in enumerate(zip(units, counts, strict=True)):
            store.add_sessions(_sessions(unit, count, offset=i))
            store.ensure_unit(unit, update=False)  # a unit with 0 sessions exists too
        store.add_session(rated_session(NOW - timedelta(days=3), 20, 5, 5, kind=SessionKind.REST))
        victim = data.draw(st.sampled_from(store.stored_units()))
        others = [(s.id, s.unit, s.start) for s in store.sessions() if s.unit != victim.unit]
        assert victim.sessions == counts[units.index(victim.unit)]
        assert store.delete_unit(victim.id) == victim.sessions
        assert [(s.id, s.unit, s.start) for s in store.sessions()] == others
        raw = _raw(db)  # the dashboard keeps the store open: no clean close has happened
        assert victim.unit.identity.encode() not in raw and victim.unit.name.encode() not in raw
        for other in units:
            if other != victim.unit:
                assert store.unit(other.driver, other.identity) == other
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    assert conn.execute("SELECT count(*) FROM intensity WHERE session_id NOT IN (SELECT id FROM sessions)").fetchone() == (0,)
    conn.close()


# -- the command line -----------------------------------------------------------------------
def test_cli_units_lists_and_deletes_after_a_question_with_the_count(tmp_path: Path) -> None:
    db = tmp_path / "tenslog.db"
    _filled(db)
    listed = run(db, "units")
    assert listed.returncode == 0 and "Secret Brand TENS" in listed.stdout and "Beurer EM49" in listed.stdout
    no = run(db, "units", "delete", BLE.name, input="n\n")
    assert no.returncode != 0 and "3 sessions" in no.stdout
    assert BLE_ADDRESS.encode() in _raw(db)  # asked, said no: nothing deleted
    silent = run(db, "units", "delete", BLE.name, input="")  # no answer (a script) is a no
    assert silent.returncode != 0 and BLE_ADDRESS.encode() in _raw(db)
    yes = run(db, "units", "delete", BLE.name, input="y\n")
    assert yes.returncode == 0, yes.stderr
    assert "Deleted unit 'Secret Brand TENS' and 3 sessions" in yes.stdout
    raw = _raw(db)
    assert BLE_ADDRESS.encode() not in raw and BLE.name.encode() not in raw
    with Store.open(db) as store:
        assert sorted(s.unit_name for s in store.sessions()) == ["Beurer EM49", "Beurer EM49", "rest (no unit)"]


def test_cli_units_delete_yes_for_scripts_and_clear_errors(tmp_path: Path) -> None:
    db = tmp_path / "tenslog.db"
    _filled(db)
    with Store.open(db) as store:
        number = next(u.id for u in store.stored_units() if u.unit == KEPT)
    assert run(db, "units", "delete", str(number), "--yes").returncode == 0
    assert b"Beurer EM49" not in _raw(db)
    missing = run(db, "units", "delete", "No such unit", "--yes")
    assert missing.returncode != 0 and "there is no unit 'No such unit'" in missing.stderr
    assert "Traceback" not in missing.stderr


def test_cli_two_units_of_one_name_ask_for_the_number(tmp_path: Path) -> None:
    db = tmp_path / "tenslog.db"
    twin = BLE.model_copy(update={"identity": "11:22:33:44:55:66"})
    with Store.open(db) as store:
        store.add_sessions([*_sessions(BLE, 1), *_sessions(twin, 1, offset=3)])
    result = run(db, "units", "delete", BLE.name, "--yes")
    assert result.returncode != 0 and "2 units are named" in result.stderr
    assert BLE_ADDRESS.encode() in _raw(db)


def test_cli_deleting_a_unit_on_a_read_only_store_says_read_only(tmp_path: Path) -> None:
    from hardening.storage_support import read_only_mount

    db = tmp_path / "tenslog.db"
    _filled(db)
    line = one_line_error(run(db, "units", "delete", BLE.name, "--yes", prefix=read_only_mount(tmp_path)))
    assert "read-only" in line


# -- the dashboard ----------------------------------------------------------------------------
@pytest.fixture
def app_store(tmp_path: Path):  # type: ignore[no-untyped-def]
    db = tmp_path / "tenslog.db"
    _filled(db)
    store = Store.open(db)
    yield store
    store.close()


async def test_dashboard_deletes_a_unit_after_a_dialog_naming_it_and_its_sessions(app_store: Store) -> None:
    app = TenslogApp(store=app_store, settings=Settings(db=app_store.path))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2")
        assert any(b.key == "m" and b.show for b in app.screen.BINDINGS)  # in the footer
        await pilot.press("m")
        assert isinstance(app.screen, UnitsScreen)
        names = [str(o.prompt) for o in app.screen.query_one(OptionList).options]
        assert names == ["Beurer EM49  ·  2 sessions", "Secret Brand TENS  ·  3 sessions"]
        await pilot.press("down", "d")
        assert isinstance(app.screen, ConfirmScreen)
        question = str(app.screen.question)
        assert "Secret Brand TENS" in question and "3 sessions" in question
        await pilot.press("n")  # keep: nothing happens
        assert isinstance(app.screen, UnitsScreen) and len(app_store.stored_units()) == 2
        await pilot.press("d", "y")
        await pilot.pause()
        assert [str(o.prompt) for o in app.screen.query_one(OptionList).options] == ["Beurer EM49  ·  2 sessions"]
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen.query_one("DataTable").row_count == 3  # the log reloaded
    assert [u.unit for u in app_store.stored_units()] == [KEPT]
    raw = _raw(app_store.path)
    assert BLE_ADDRESS.encode() not in raw and BLE.name.encode() not in raw


async def test_dashboard_enter_on_a_unit_also_asks_first(app_store: Store) -> None:
    app = TenslogApp(store=app_store, settings=Settings(db=app_store.path))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2", "m", "enter")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("escape")
        assert len(app_store.stored_units()) == 2
