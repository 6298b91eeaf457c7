"""Issue 10: `tenslog summary --unit X` and the report filtered by unit dropped every rest period
(rest periods have no unit) and then said there were none to compare with; the dashboard's
review did the same. A unit filter now picks that unit's TENS sessions and rest periods by date
alone (tenslog.store.selection). An unknown --unit is named as a mistake, with the units there
are, instead of "0 sessions"."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from support.known_sessions import BASE, UNIT, make_session
from support.warm_cli import run_tenslog
from tenslog.model import IntensityScale, SessionKind, Unit
from tenslog.settings import Settings
from tenslog.store import Store
from tenslog.store.selection import with_rest_by_date
from tenslog.ui.review_filter import ReviewFilter

TENSLOG = shutil.which("tenslog") or str(Path(sys.executable).with_name("tenslog"))
OTHER = Unit(driver="manual", identity="other", name="Beurer EM49", scale=IntensityScale(kind="level", maximum=20))
REST = SessionKind.REST
NO_REST = "Not enough rest periods to compare with yet: 0 rated so far"


def run(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_tenslog(["--db", str(db), *args], env={**os.environ, "COLUMNS": "100"})


@pytest.fixture
def diary(db_path: Path) -> Path:
    """Two units and rest periods on the same days, in a real database file."""
    sessions = [make_session(7, 4 + i % 2, day=i) for i in range(8)]
    sessions += [make_session(6, 6, day=i, unit=OTHER, hour=12) for i in range(8)]
    sessions += [make_session(7, 6 + i % 2, day=i, kind=REST, hour=16) for i in range(8)]
    with Store.open(db_path) as store:
        store.add_sessions(sessions)
    return db_path


def test_summary_for_one_unit_compares_with_the_rest_periods(diary: Path) -> None:
    result = run(diary, "summary", "--unit", UNIT.name)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Over 8 rated TENS sessions" in out  # only this unit's sessions
    assert NO_REST not in out
    assert "resting without it (8 rated periods)" in out
    assert "TENS sessions did 2 points better than rest" in out


def test_summary_of_rest_periods_for_a_unit_keeps_them(diary: Path) -> None:
    result = run(diary, "summary", "--unit", UNIT.name, "--kind", "rest")
    assert result.returncode == 0 and "Over 8 rated rest periods" in result.stdout


def test_summary_for_one_unit_filters_rest_periods_by_date(diary: Path) -> None:
    first = BASE.date()
    last = first + timedelta(days=5)
    result = run(diary, "summary", "--unit", UNIT.name, "--since", str(first), "--until", str(last))
    assert result.returncode == 0 and "resting without it (6 rated periods)" in result.stdout


def test_report_for_one_unit_compares_with_the_rest_periods(diary: Path, tmp_path: Path) -> None:
    page = tmp_path / "report.html"
    result = run(diary, "export", "--format", "report", "--unit", UNIT.name, "-o", str(page))
    assert result.returncode == 0, result.stderr
    html = page.read_text()
    assert "8 TENS sessions, 8 rest periods" in html and NO_REST not in html
    assert "TENS sessions did 2 points better than rest" in html


def test_csv_export_for_one_unit_is_unchanged(diary: Path) -> None:
    result = run(diary, "export", "--unit", UNIT.name)
    assert result.returncode == 0 and len(result.stdout.strip().splitlines()) == 1 + 8


@pytest.mark.parametrize("command", [("summary",), ("export",)])
def test_an_unknown_unit_is_named_with_the_units_there_are(diary: Path, command: tuple[str, ...]) -> None:
    result = run(diary, *command, "--unit", "TENS 700")
    assert result.returncode != 0 and result.stdout == ""
    assert result.stderr.strip().splitlines() == [
        "Error: no unit named 'TENS 700'; the units are 'Beurer EM49', 'TENS 7000'"
    ]


def test_an_unknown_unit_in_an_empty_diary(db_path: Path) -> None:
    Store.open(db_path).close()
    result = run(db_path, "summary", "--unit", "Mine")
    assert result.returncode == 1 and result.stderr.strip() == "Error: no unit named 'Mine'; there are no units yet"


async def test_dashboard_review_for_one_unit_compares_with_rest(diary: Path) -> None:
    from textual.widgets import Static

    from tenslog.ui.app import TenslogApp

    with Store.open(diary) as store:
        app = TenslogApp(store=store, settings=Settings(db=diary), driver=None, driver_options={})
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("3", "d", "d")  # last 30 days -> 90 -> all time
            await pilot.press("u", "u")  # all -> Beurer EM49 -> TENS 7000
            assert f"Unit: {UNIT.name}" in str(app.screen.query_one("#filters", Static).render())
            words = "\n".join(  # the answer (TENS against rest) first, then the figures
                str(app.screen.query_one(f"#{name}", Static).render()) for name in ("answer", "summary")
            )
    assert "Over 8 rated TENS sessions" in words and NO_REST not in words
    assert "resting without it (8 rated periods)" in words


# The class: for any diary and any unit filter, a unit picks exactly its own TENS sessions and
# every rest period in the dates, oldest first, in the CLI's reads and the dashboard's alike.
UNITS = (UNIT, OTHER, None)
entry = st.tuples(st.sampled_from(UNITS), st.integers(0, 20), st.integers(0, 23))
PROPERTY = settings(max_examples=40, deadline=None, derandomize=True, database=None)


@PROPERTY
@given(st.lists(entry, max_size=25), st.sampled_from([UNIT.name, OTHER.name]),
       st.sampled_from([None, SessionKind.TENS, REST]), st.integers(0, 20), st.integers(0, 20))  # fmt: skip
def test_a_unit_filter_keeps_rest_periods_by_date(entries, name, kind, a, b) -> None:
    since, until = BASE + timedelta(days=min(a, b)), BASE + timedelta(days=max(a, b))
    sessions = [make_session(5, 4, day=d, hour=h, unit=u, kind=REST if u is None else SessionKind.TENS)
                for u, d, h in entries]  # fmt: skip
    with tempfile.TemporaryDirectory() as tmp, Store.open(Path(tmp) / "t.db") as store:
        store.add_sessions(sessions)
        everything = store.sessions(newest_first=False)

        def wanted(s) -> bool:
            in_dates = since <= s.start < until
            mine = s.kind is REST or (s.unit is not None and s.unit.name == name)
            return in_dates and mine and (kind is None or s.kind is kind)

        expected = [s.id for s in everything if wanted(s)]
        for read in (store.figures, partial(store.sessions, newest_first=False)):
            got = with_rest_by_date(read, since=since, until=until, kind=kind, unit_name=name)
            assert sorted(s.id for s in got) == sorted(expected)
            assert [s.start for s in got] == sorted(s.start for s in got)
        now = datetime.now(UTC)
        review = ReviewFilter(days=None, kind=kind, unit=name).figures(store, now)
        mine = [s for s in everything if s.kind is REST or (s.unit and s.unit.name == name)]
        assert sorted(s.id for s in review) == sorted(s.id for s in mine if kind in (None, s.kind))


@settings(max_examples=60, deadline=None, derandomize=True, database=None)
@given(st.text(min_size=1, max_size=30))
def test_any_unknown_unit_is_one_inert_line_and_changes_nothing(name: str) -> None:
    """Whatever is typed after --unit: a known name runs, anything else is one line naming it
    (control characters shown escaped), exit 1, nothing on stdout."""
    from click.testing import CliRunner

    from tenslog.cli.main import cli

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "t.db"
        with Store.open(db) as store:
            store.add_sessions([make_session(6, 4, day=0), make_session(6, 6, day=0, kind=REST)])
        result = CliRunner().invoke(cli, ["--db", str(db), "summary", "--unit", name])
        if name == UNIT.name:
            assert result.exit_code == 0
            return
        assert result.exit_code == 1 and result.stdout == ""
        lines = result.stderr.splitlines()
        assert lines == [f"Error: no unit named {name!r}; the units are {UNIT.name!r}"]
        assert lines[0].isprintable()
