"""Shared fixtures for every test folder: a fresh database file per test, and the local time
zone a test runs in."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tenslog.store import Store

# UTC, and a zone west of it with no daylight saving since 2019 (always -03:00): a time stored
# or shown with the wrong offset is three hours off, and the date often changes too.
ZONES = ["UTC", "America/Sao_Paulo"]


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "tenslog.db"


@pytest.fixture
def store(db_path: Path) -> Iterator[Store]:
    with Store.open(db_path) as opened:
        yield opened


def set_local_zone(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    """The process's local zone (and every subprocess's, through the environment)."""
    monkeypatch.setenv("TZ", name)
    time.tzset()


@pytest.fixture(params=ZONES)
def local_zone(request: pytest.FixtureRequest) -> Iterator[str]:
    """Runs the test once per zone in ZONES (use it with pytest.mark.usefixtures)."""
    with pytest.MonkeyPatch.context() as patch:
        set_local_zone(patch, request.param)
        yield request.param
    time.tzset()


@pytest.fixture
def sao_paulo() -> Iterator[str]:
    """Local time is America/Sao_Paulo (-03:00) for this test only."""
    with pytest.MonkeyPatch.context() as patch:
        set_local_zone(patch, "America/Sao_Paulo")
        yield "America/Sao_Paulo"
    time.tzset()
