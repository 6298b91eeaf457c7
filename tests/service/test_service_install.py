"""`tenslog service install`: a systemd user unit that systemd itself accepts, written where
systemd looks for the user's units, and removed again by `uninstall`."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from support.service_proc import TENSLOG, service_env
from support.warm_cli import run_tenslog

ANALYZE = shutil.which("systemd-analyze")


def tenslog(db: Path, config: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = service_env(XDG_CONFIG_HOME=str(config))
    return run_tenslog(["--db", str(db), "service", *args], env=env, timeout=60)


def verify(unit: Path, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """systemd's own check of the unit as a user unit: every line parsed, ExecStart runnable."""
    runtime = tmp_path / "runtime"
    runtime.mkdir(mode=0o700, exist_ok=True)
    return subprocess.run([ANALYZE or "systemd-analyze", "--user", "verify", str(unit)], capture_output=True,
                          text=True, env={**service_env(), "XDG_RUNTIME_DIR": str(runtime)}, timeout=60)


def test_print_shows_the_unit_and_writes_nothing(tmp_path: Path) -> None:
    db, config = tmp_path / "my data" / "100% tenslog.db", tmp_path / "config"
    shown = tenslog(db, config, "install", "--print", "--driver", "simulator", "--option", "speed=2")
    assert shown.returncode == 0, shown.stderr
    lines = shown.stdout.splitlines()
    # Absolute paths; % doubled and a space quoted, as systemd reads them back.
    assert f'ExecStart={TENSLOG} --db "{tmp_path}/my data/100%% tenslog.db" service --driver simulator --option speed=2' in lines
    assert "Environment=TENSLOG_GRACE_SECONDS=2" in lines  # a setting in force now stays in force
    for line in ("Restart=on-failure", "RestrictAddressFamilies=AF_UNIX AF_BLUETOOTH", "WantedBy=default.target",
                 "RestartPreventExitStatus=2"):
        assert line in lines
    assert not config.exists()


@pytest.mark.skipif(ANALYZE is None, reason="systemd-analyze is not installed (Debian: apt-get install systemd)")
def test_install_writes_a_unit_systemd_accepts_and_says_how_to_enable_it(tmp_path: Path) -> None:
    db, config = tmp_path / "my data" / "100% tenslog.db", tmp_path / "config"
    done = tenslog(db, config, "install")
    unit = config / "systemd" / "user" / "tenslog.service"
    assert done.returncode == 0, done.stderr
    assert done.stdout == f"Wrote {unit}. To start it now and at every login: systemctl --user enable --now tenslog.service\n"
    assert unit.read_text() == tenslog(db, config, "install", "--print").stdout
    checked = verify(unit, tmp_path)
    assert (checked.returncode, checked.stdout, checked.stderr) == (0, "", "")  # no line ignored


@pytest.mark.skipif(ANALYZE is None, reason="systemd-analyze is not installed (Debian: apt-get install systemd)")
def test_verify_would_catch_a_unit_systemd_cannot_use(tmp_path: Path) -> None:
    """The check above is not vacuous: systemd-analyze names an unknown setting value."""
    unit = tmp_path / "units" / "tenslog.service"
    unit.parent.mkdir()
    unit.write_text("[Service]\nExecStart=/bin/true\nRestrictAddressFamilies=AF_NOPE\n")
    assert "AF_NOPE" in verify(unit, tmp_path).stderr


def test_uninstall_removes_it_but_not_while_it_is_enabled(tmp_path: Path) -> None:
    db, config = tmp_path / "tenslog.db", tmp_path / "config"
    unit = config / "systemd" / "user" / "tenslog.service"
    assert tenslog(db, config, "install").returncode == 0
    wants = unit.parent / "default.target.wants" / "tenslog.service"
    wants.parent.mkdir()
    wants.symlink_to(unit)  # what `systemctl --user enable` makes
    still = tenslog(db, config, "uninstall")
    assert (still.returncode, still.stderr) == (
        1, "Error: tenslog.service is still enabled; first run: systemctl --user disable --now tenslog.service\n")
    assert unit.exists()
    wants.unlink()
    gone = tenslog(db, config, "uninstall")
    assert (gone.returncode, gone.stdout) == (0, f"Removed {unit}. Then: systemctl --user daemon-reload\n")
    assert not unit.exists()
    again = tenslog(db, config, "uninstall")
    assert again.stdout == f"Nothing to remove: {unit} is not there.\n"
