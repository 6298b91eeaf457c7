"""Stored and reported text reaches the terminal inert and literally: `tenslog list` (a rich
table, where names were read as markup) and `tenslog scan` (what a nearby device advertises)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rich.cells import cell_len

from support.warm_cli import run_tenslog
from tenslog.cli.main import cli
from tenslog.driver import Driver, FoundUnit, discovery
from tenslog.model import Capabilities, IntensityScale
from tenslog.text import shown

from .text_data import HOSTILE_NAMES, MARKUP_NAMES, inert, store_names

TENSLOG = shutil.which("tenslog") or str(Path(sys.executable).with_name("tenslog"))


def run_list(db: Path) -> subprocess.CompletedProcess[str]:
    return run_tenslog(["--db", str(db), "list"], env={**os.environ, "COLUMNS": "100"})


def test_list_shows_markup_in_names_literally(db_path: Path) -> None:
    """`TENS x[/bold]` crashed `list`; `Mum's unit [backup]` lost its "[backup]"."""
    store_names(db_path, MARKUP_NAMES)
    done = run_list(db_path)
    assert done.returncode == 0, done.stderr
    assert "TENS x[/bold]" in done.stdout
    assert "Mum's unit [backu…" in done.stdout  # the column is 18 wide: cut, but literal


def test_list_shows_control_and_direction_characters_written_out(db_path: Path) -> None:
    store_names(db_path, HOSTILE_NAMES)
    done = run_list(db_path)
    assert done.returncode == 0, done.stderr
    assert inert(done.stdout) and inert(done.stderr)
    for visible in ("evil\\x1b]0;pwned\\…", "nul\\x00here", "right\\u202eto left", "two\\x0alines",
                    "iso\\u2066late", "tab\\x09bed", "c1\\x9b31m", "del\\x7f"):
        assert visible in done.stdout


def list_output(db: Path) -> str:
    result = CliRunner().invoke(cli, ["--db", str(db), "list"], env={"COLUMNS": "100"})
    assert result.exit_code == 0, result.output
    return result.output


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(names=st.lists(st.text(min_size=1), min_size=1, max_size=6))
def test_any_stored_name_is_listed_inert_and_literally(tmp_path_factory, names: list[str]) -> None:
    """The whole class: whatever an old database holds as names, `list` prints each one as it
    is shown everywhere (shown()), cut to the column only, and nothing acts on the terminal."""
    db = tmp_path_factory.mktemp("db") / "tenslog.db"
    store_names(db, names)
    output = list_output(db)
    assert inert(output)
    for name in names:
        visible = shown(name)
        if cell_len(visible) <= 18 and visible == visible.strip() and visible.isprintable():
            assert visible in output


# -- scan ----------------------------------------------------------------------------------------
ADVERTISED = "EM49 [/dim]\x1b]0;pwned\x07\u202eexe.txt"


class AdvertisingDriver(Driver):
    """A BLE-like driver that found a device advertising a hostile name matching its profile."""

    name = "advertising"
    title = "Test BLE"
    transport = "ble"
    capabilities = Capabilities(reports_on_off=True, reports_intensity=True)
    scale = IntensityScale(kind="level", maximum=20)

    async def discover(self, timeout: float = 5.0) -> list[FoundUnit]:
        return [FoundUnit(self.name, "em49@AA:BB", ADVERTISED, f"{ADVERTISED} AA:BB, RSSI -60")]

    def events(self, identity=None):  # type: ignore[no-untyped-def]
        raise NotImplementedError


class FailingDriver(AdvertisingDriver):
    transport = "other"  # a BLE driver's OSError is "Bluetooth is not available", said once

    async def discover(self, timeout: float = 5.0) -> list[FoundUnit]:
        raise OSError(f"adapter said {ADVERTISED}")


def test_scan_prints_what_a_device_advertises_inert(monkeypatch: pytest.MonkeyPatch) -> None:
    class Entry:
        def __init__(self, name: str) -> None:
            self.name, self.distribution = name, "test"

    # The installed drivers are the collaborator here: two test drivers stand in for them.
    monkeypatch.setattr(discovery, "inspect_drivers", lambda: [
        (Entry("advertising"), AdvertisingDriver, None), (Entry("failing"), FailingDriver, None)])
    result = CliRunner().invoke(cli, ["scan", "--timeout", "0.5"])
    assert result.exit_code == 0, result.output
    assert inert(result.output)
    assert "EM49 [/dim]\\x1b]0;pwned\\x07\\u202eexe.txt" in result.output
    assert "cannot scan (OSError: adapter said EM49 [/dim]\\x1b" in result.output
