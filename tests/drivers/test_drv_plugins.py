"""Drivers are plugins: a third-party driver installed from its own tiny package (its own
entry point, nothing changed in src/ or drivers/) is listed and records a session; a plugin
that fails to import is listed with its error and breaks nothing."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tenslog.store import Store

TENSLOG = shutil.which("tenslog") or str(Path(sys.executable).with_name("tenslog"))

ACME_DRIVER = '''
import asyncio, time
from pydantic import Field
from tenslog.driver import Driver, DriverOptions, FoundUnit
from tenslog.driver.events import Connected, IntensityChanged, StimulationStarted, StimulationStopped, UnitInfo
from tenslog.model import Capabilities, IntensityScale


class AcmeDriver(Driver):
    name = "acme"
    title = "ACME Pocket TENS"
    transport = "other"
    capabilities = Capabilities(reports_on_off=True, reports_intensity=True)
    scale = IntensityScale(kind="level", maximum=9)

    class Options(DriverOptions):
        first: int = Field(3, ge=1, le=4, description="the level it starts at")

    async def discover(self, timeout=5.0):
        return [FoundUnit(self.name, "acme-1", "ACME Pocket TENS")]

    async def events(self, identity=None):
        unit = UnitInfo(self.name, "acme-1", "ACME Pocket TENS", self.scale, self.capabilities)
        yield Connected(time.time(), unit)
        yield StimulationStarted(time.time(), self.options.first)
        await asyncio.sleep(0.3)
        yield IntensityChanged(time.time(), 5)
        await asyncio.sleep(0.3)
        yield StimulationStopped(time.time())
'''


BARE_DRIVER = '''
import asyncio, time
from tenslog.driver import Driver, StimulationStarted, StimulationStopped
from tenslog.model import Capabilities, IntensityScale


class BareDriver(Driver):
    # Says only when the unit is on: never Connected.
    name = "bare"
    title = "Bare Pocket TENS"
    transport = "other"
    capabilities = Capabilities(reports_on_off=True)
    scale = IntensityScale(kind="level", maximum=7)

    async def discover(self, timeout=5.0):
        return []

    async def events(self, identity=None):
        yield StimulationStarted(time.time())
        await asyncio.sleep(0.3)
        yield StimulationStopped(time.time())
'''


def make_package(root: Path, name: str, entry_points: dict[str, str], code: dict[str, str]) -> Path:
    pkg = root / name
    (pkg / name).mkdir(parents=True)
    for module, text in code.items():
        (pkg / name / f"{module}.py").write_text(text)
    eps = "\n".join(f'{k} = "{v}"' for k, v in entry_points.items())
    (pkg / "pyproject.toml").write_text(textwrap.dedent(f"""\
        [build-system]
        requires = ["hatchling"]
        build-backend = "hatchling.build"

        [project]
        name = "{name}"
        version = "1.0"

        [project.entry-points."tenslog.drivers"]
        """) + eps + "\n")
    return pkg


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A folder the third-party packages are pip-installed into, put on the path of tenslog."""
    site = tmp_path / "site"
    acme = make_package(tmp_path, "acme_tens", {"acme": "acme_tens.driver:AcmeDriver",
                                                "bare": "acme_tens.bare:BareDriver"},
                        {"__init__": "", "driver": ACME_DRIVER, "bare": BARE_DRIVER})
    broken = make_package(tmp_path, "broken_tens", {"broken": "broken_tens.driver:Driver"},
                          {"__init__": "", "driver": "import a_module_that_is_not_installed\n"})
    for package in (acme, broken):
        subprocess.run(
            [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--no-build-isolation",
             "--no-index", "--target", str(site), str(package)],
            check=True, capture_output=True,
        )
    return site


def tenslog(site: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(site)}
    return subprocess.run([TENSLOG, *args], capture_output=True, text=True, env=env, timeout=60)


def test_an_installed_third_party_driver_is_listed_and_records(site: Path, tmp_path: Path) -> None:
    listed = tenslog(site, "drivers")
    assert listed.returncode == 0, listed.stderr
    line = next(line for line in listed.stdout.splitlines() if line.startswith("acme "))
    assert "ACME Pocket TENS" in line and "level 1-9" in line and "[acme_tens]" in line
    # Its options are declared the way the built-in drivers declare theirs.
    described = tenslog(site, "drivers", "acme")
    assert described.returncode == 0, described.stderr
    assert described.stdout.splitlines()[-1].split() == [
        "first", "whole", "number", "from", "1", "to", "4", "3", "the", "level", "it", "starts", "at"]
    db = tmp_path / "t.db"
    refused = tenslog(site, "--db", str(db), "record", "--driver", "acme", "--option", "first=5")
    assert refused.returncode == 1 and not db.exists()
    assert refused.stderr.strip() == (
        "Error: driver 'acme': option 'first' must be a whole number from 1 to 4, not '5'. "
        "Valid options: first (whole number from 1 to 4). Details: tenslog drivers acme"
    )
    recorded = tenslog(site, "--db", str(db), "record", "--driver", "acme", "--option", "first=4")
    assert recorded.returncode == 0, recorded.stderr
    with Store.open(db) as store:
        (session,) = store.sessions()
    assert session.source == "acme" and [p.value for p in session.intensity] == [4, 5]
    assert session.unit is not None and session.unit.scale.maximum == 9


def test_a_plugin_that_never_says_connected_records_with_its_own_source_and_unit(
    site: Path, tmp_path: Path
) -> None:
    db = tmp_path / "t.db"
    described = tenslog(site, "drivers", "bare")
    assert described.stdout.splitlines()[-1] == "Options: none."  # it declares none
    recorded = tenslog(site, "--db", str(db), "record", "--driver", "bare")
    assert recorded.returncode == 0, recorded.stderr
    with Store.open(db) as store:
        (session,) = store.sessions()
    assert session.source == "bare" and session.state.value == "complete"  # before: 'manual'
    assert session.unit is not None and session.unit.name == "Bare Pocket TENS"
    assert session.unit.scale.maximum == 7


def test_a_plugin_that_fails_to_import_is_listed_with_its_error(site: Path) -> None:
    listed = tenslog(site, "drivers")
    assert listed.returncode == 0
    line = next(line for line in listed.stdout.splitlines() if line.startswith("broken "))
    assert "BROKEN" in line and "a_module_that_is_not_installed" in line
    assert any(line.startswith("simulator ") for line in listed.stdout.splitlines())
    used = tenslog(site, "record", "--driver", "broken")
    assert used.returncode == 1 and "could not be loaded" in used.stderr and "Traceback" not in used.stderr


def test_record_with_the_simulator_records_a_session_headless(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    result = subprocess.run([TENSLOG, "--db", str(db), "record", "--driver", "simulator", "--option", "speed=max",
                             "--option", "sessions=2"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "session 1 started" in result.stdout and "session 2 ended (complete)" in result.stdout
    with Store.open(db) as store:
        sessions = store.sessions()
    assert len(sessions) == 2 and all(s.source == "simulator" and s.intensity for s in sessions)
