"""The dashboard writes the report: key e on the review (what the review shows), and the
command palette's entry (all time); the same default file as `tenslog export --format report`,
and a notification naming it."""

from __future__ import annotations

import asyncio
import stat
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from textual.pilot import Pilot

from support.report_diary import diary
from tenslog.settings import Settings
from tenslog.store import Store
from tenslog.ui.app import TenslogApp
from tenslog.ui.commands import commands
from tenslog.ui.screens.review import ReviewScreen


async def _until(pilot: Pilot, condition: Callable[[], bool], limit: float = 30.0) -> None:
    """Let the app run until ``condition`` holds; the limit only stops a hung test."""
    deadline = asyncio.get_running_loop().time() + limit
    while not condition():
        assert asyncio.get_running_loop().time() < deadline, "the app never got there"
        await pilot.pause(0.05)


@pytest.fixture
def documents(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "home" / ".config"))
    folder = tmp_path / "home" / "Documents"
    folder.mkdir(parents=True)
    return folder


async def test_key_e_on_the_review_writes_the_report_and_names_the_file(tmp_path: Path, documents: Path) -> None:
    db = tmp_path / "tenslog.db"
    with Store.open(db) as store:
        store.add_sessions(diary(40))
        app = TenslogApp(store=store, settings=Settings(db=db))
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("3")
            await _until(pilot, lambda: isinstance(app.screen, ReviewScreen))
            await pilot.press("a", "e")  # all time (the diary is from 2025), then the report
            written = documents / f"tenslog-report-{date.today().isoformat()}.html"
            said = lambda: [n.message for n in app._notifications if "Report written" in n.message]  # noqa: E731
            await _until(pilot, lambda: bool(said()))
    assert said() == [(f"Report written to {written} (40 sessions, readable by you only; open it in a "
                      "browser and print it on one A4 page).")]
    page = written.read_text(encoding="utf-8")
    assert "40 sessions" not in page and "30 TENS sessions, 10 rest periods" in page
    assert stat.S_IMODE(written.stat().st_mode) == 0o600


def test_the_command_palette_offers_the_report() -> None:
    assert ("Report for the doctor", "app.export_report",
            "one A4 page of all time, in your Documents folder (review: key e for what it shows)") in commands()
