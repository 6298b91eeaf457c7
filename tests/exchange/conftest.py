"""Fixtures for export/import tests: a real database file, hand-made sessions, and a CLI."""

from __future__ import annotations

import hashlib
import importlib
import sys
import types
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from support.exchange_sessions import MA_UNIT, rest, tens
from tenslog.model import (
    Session,
    SessionState,
)  # fmt: skip
from tenslog.settings import Settings
from tenslog.store.store import Store


@pytest.fixture
def settings() -> Settings:
    return Settings(db="/nonexistent/never-opened.db")


@pytest.fixture
def sample() -> list[Session]:
    out = [tens(i, 6 + i % 3, 3 + i % 4, hour=8 + (i * 5) % 14, follow_up=4 if i % 2 else None) for i in range(10)]
    out.append(tens(10, 0, 0, unit=MA_UNIT, state=SessionState.INTERRUPTED))
    out.append(tens(11, 5, None))
    out += [rest(i, 6, 5 + i % 2) for i in range(7)]
    return out


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "tenslog.db"
    Store.open(path).close()
    return path


@pytest.fixture
def filled_db(db: Path, sample: list[Session]) -> Path:
    with Store.open(db) as store:
        store.add_sessions(sample)
    return db


def db_fingerprint(path: Path) -> tuple[int, str]:
    """Row count and a digest of every session as loaded: equal before and after = unchanged."""
    with Store.open(path) as store:
        sessions = store.sessions(newest_first=False)
        text = "".join(s.model_dump_json() for s in sessions)
    return len(sessions), hashlib.sha256(text.encode()).hexdigest()


def canonical(s: Session) -> Session:
    """Sessions compared field by field, ignoring the id and the order ratings come back in."""
    order = {"before": 0, "after": 1, "follow_up": 2}
    return s.model_copy(update={"id": None, "ratings": tuple(sorted(s.ratings, key=lambda r: order[r.moment.value]))})


def _fallback_cli() -> click.Group:
    """Until the lead's tenslog.cli.main exists: a group with the same --db global option."""
    from tenslog.cli.exchange import export_command, import_command, summary_command

    @click.group()
    @click.option("--db", type=click.Path(path_type=Path), required=True)
    @click.pass_context
    def cli(ctx: click.Context, db: Path) -> None:
        ctx.obj = {"db": db}

    for command in (export_command, import_command, summary_command):
        cli.add_command(command)
    return cli


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch) -> click.Group:
    try:
        return importlib.import_module("tenslog.cli.main").cli
    except ImportError:
        pass
    fake = types.ModuleType("tenslog.cli.context")

    def open_store(ctx: click.Context) -> Store:
        store = Store.open(ctx.find_root().obj["db"])
        ctx.call_on_close(store.close)
        return store

    fake.open_store = open_store  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "tenslog.cli.context", fake)
    return _fallback_cli()


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture(name="fingerprint")
def fingerprint_fixture():
    return db_fingerprint


@pytest.fixture(name="canonical")
def canonical_fixture():
    return canonical


@pytest.fixture(name="make_tens")
def make_tens_fixture():
    return tens


@pytest.fixture(name="make_rest")
def make_rest_fixture():
    return rest
