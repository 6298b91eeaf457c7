"""Fixtures for the dashboard tests: a real SQLite file per test, fixed sessions for
snapshots, local time pinned to UTC so dates read the same on every machine."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import time_machine
from ui_helpers import NOW, fixed_sessions

from tenslog.settings import Settings
from tenslog.store import Store
from tenslog.ui.app import TenslogApp


@pytest.fixture(autouse=True)
def utc_local_time(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "tenslog.db"


@pytest.fixture
def store(db: Path) -> Iterator[Store]:
    s = Store.open(db)
    yield s
    s.close()


@pytest.fixture
def settings(db: Path) -> Settings:
    return Settings(db=db)


@pytest.fixture
def frozen() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def seeded(store: Store) -> Store:
    with time_machine.travel(NOW, tick=False):
        store.add_sessions(fixed_sessions())
    return store


@pytest.fixture
def make_app(store: Store, settings: Settings) -> Callable[..., TenslogApp]:
    def make(driver: str | None = None, **options: str) -> TenslogApp:
        return TenslogApp(store=store, settings=settings, driver=driver, driver_options=options)

    return make
