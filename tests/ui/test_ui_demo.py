"""`tenslog demo` (issue 12): the simulated unit plays one whole session of about a minute into a
demo database of its own (a folder named demo in tenslog's data folder), never the diary."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from ui_helpers import wait_for

from tenslog.cli.context import AppContext
from tenslog.cli.demo import DEMO_OPTIONS, demo_context
from tenslog.cli.main import cli
from tenslog.settings import Settings, default_db_path
from tenslog.store import Store
from tenslog.ui.app import TenslogApp
from tenslog.ui.screens.after_rating import AfterRatingScreen


@pytest.fixture
def data_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.delenv("TENSLOG_DB", raising=False)
    return tmp_path / "data"


def test_the_demo_plays_one_session_of_about_a_minute_in_real_time(data_home: Path) -> None:
    demo = demo_context(AppContext(settings=Settings()))
    assert demo.settings.db == data_home / "tenslog" / "demo" / "tenslog-demo.db"
    assert demo.settings.db != default_db_path() == data_home / "tenslog" / "tenslog.db"
    assert (demo.driver, demo.driver_options) == ("simulator", DEMO_OPTIONS)
    seconds = float(DEMO_OPTIONS["session_minutes"]) * 60 / float(DEMO_OPTIONS["speed"])
    assert 60 <= seconds <= 90  # counts (the minimum is 60 s) and is over in about a minute


async def test_the_demo_records_into_its_own_database_and_never_the_diary(data_home: Path) -> None:
    demo = demo_context(AppContext(settings=Settings()))
    options = {**demo.driver_options, "speed": "60", "idle_seconds": "0"}  # the same session, faster
    with Store.open(demo.settings.db) as store:
        app = TenslogApp(store=store, settings=demo.settings, driver=demo.driver, driver_options=options)
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_for(pilot, lambda: len(app.screen.choices) > 0)
            await pilot.press("enter", "5")
            await wait_for(pilot, lambda: isinstance(app.screen, AfterRatingScreen), limit=20)
            await pilot.press("3")
        [played] = store.sessions()
    assert (played.source, played.before, played.after) == ("simulator", 5, 3)
    assert not default_db_path().exists()


def test_the_demo_command_without_a_terminal_says_so_and_creates_no_diary(data_home: Path) -> None:
    result = CliRunner().invoke(cli, ["demo"])
    assert result.exit_code == 1
    assert "the dashboard needs a terminal" in result.output
    assert not default_db_path().exists()


def test_the_demo_refuses_a_diary_kept_in_the_demos_own_file(data_home: Path) -> None:
    demo_file = data_home / "tenslog" / "demo" / "tenslog-demo.db"
    result = CliRunner().invoke(cli, ["--db", str(demo_file), "demo"])
    assert result.exit_code == 2
    assert f"your diary is {demo_file}, the demo's own file" in result.output
