"""Shared fixtures for every test folder: a fresh database file per test, the local time
zone a test runs in, and the Hypothesis profiles."""

from __future__ import annotations

import os
import random
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import Phase, settings

from tenslog.store import Store

# UTC, and a zone west of it with no daylight saving since 2019 (always -03:00): a time stored
# or shown with the wrong offset is three hours off, and the date often changes too.
ZONES = ["UTC", "America/Sao_Paulo"]

# Property tests are reproducible. "ci" (CI=1/true, or .ci/run) draws the same examples on every
# run and prints a @reproduce_failure blob when one fails. "dev" (the default) draws new
# examples each run; a failure prints the falsifying example and the seed to replay it with
# `pytest --hypothesis-seed=N`, and the example database replays it first next time anyway.
# "mutation" (tools/mutation.py) is "ci" without the example database, so each mutant meets
# exactly the same inputs. Choose one with `pytest --hypothesis-profile=NAME`.
settings.register_profile("ci", derandomize=True, print_blob=True, database=None)
settings.register_profile("dev", print_blob=True)
settings.register_profile("mutation", derandomize=True, database=None, print_blob=False,
                          phases=[Phase.explicit, Phase.reuse, Phase.generate])
settings.load_profile("ci" if os.environ.get("CI", "").lower() in {"1", "true", "yes"} else "dev")
SEED_VARIABLE = "TENSLOG_HYPOTHESIS_SEED"  # set by the first process; xdist workers inherit it


@pytest.hookimpl(trylast=True)  # after Hypothesis' own plugin has read --hypothesis-profile/-seed
def pytest_configure(config: pytest.Config) -> None:
    """Under "dev", draw one seed for the whole run so a failure can be replayed exactly."""
    from hypothesis import core

    if config.getoption("hypothesis_seed", None) is not None:
        return
    if settings.get_current_profile_name() != "dev":
        return
    seed = os.environ.setdefault(SEED_VARIABLE, str(random.randrange(2**32)))
    core.global_force_seed = int(seed)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter, exitstatus: int) -> None:
    seed = os.environ.get(SEED_VARIABLE)
    if seed and exitstatus == pytest.ExitCode.TESTS_FAILED:
        terminalreporter.write_line(f"Hypothesis seed of this run: {seed} "
                                    f"(replay: pytest --hypothesis-seed={seed} ...)")


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
