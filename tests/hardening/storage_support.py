"""Helpers for the storage hardening tests: the real `tenslog` command in a subprocess, run as
an unprivileged user (file permissions bind it; root ignores them), inside a private mount
namespace where a folder is a read-only mount or a small tmpfs (a real EROFS / ENOSPC)."""

from __future__ import annotations

import functools
import hashlib
import os
import pwd
import shutil
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from support.warm_cli import run_tenslog

TENSLOG = shutil.which("tenslog") or str(Path(sys.executable).with_name("tenslog"))
UNPRIVILEGED = "nobody"


def run(db: Path | str, *args: str, prefix: list[str] | None = None, timeout: float = 30,
        input: str | None = "", env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """`tenslog --db DB ARGS` as a user types it. ``input`` "" is an empty stdin (no answers)."""
    environment = {**os.environ, "COLUMNS": "100", **(env or {})}
    if prefix:
        return subprocess.run([*prefix, TENSLOG, "--db", str(db), *args], capture_output=True,
                              text=True, env=environment, timeout=timeout, input=input)
    return run_tenslog(["--db", str(db), *args], env=environment, timeout=timeout, input=input)


def one_line_error(result: subprocess.CompletedProcess[str]) -> str:
    """The refusal: non-zero exit, a single line on stderr, no traceback."""
    assert result.returncode != 0, result.stdout
    assert "Traceback" not in result.stderr, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def digest(path: Path) -> str | None:
    """The bytes of a regular file (None for anything else), to show it was left untouched."""
    if not path.is_file():
        return None
    return hashlib.sha256(path.read_bytes()).hexdigest()


@functools.cache
def unprivileged_prefix() -> list[str] | None:
    """A command prefix that drops root, or [] when we are not root; None if it cannot."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        return None
    prefix = [setpriv, f"--reuid={UNPRIVILEGED}", f"--regid={pwd.getpwnam(UNPRIVILEGED).pw_gid}",
              "--clear-groups"]
    ok = subprocess.run([*prefix, TENSLOG, "--version"], capture_output=True, check=False)
    return prefix if ok.returncode == 0 else None


def need_unprivileged() -> list[str]:
    prefix = unprivileged_prefix()
    if prefix is None:
        why = "cannot run tenslog as an unprivileged user here (no setpriv, or it fails)"
        if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
            pytest.fail(why)  # CI runs as root with util-linux: these checks must really run
        pytest.skip(why)
    return prefix


def shared_folder() -> Path:
    """A folder the unprivileged user owns and can reach (pytest's tmp_path is root's 0700)."""
    folder = Path(tempfile.mkdtemp(prefix="tenslog-hardening-"))
    if os.geteuid() == 0:
        user = pwd.getpwnam(UNPRIVILEGED)
        os.chown(folder, user.pw_uid, user.pw_gid)
    folder.chmod(0o755)
    return folder


def give_to_unprivileged(*paths: Path) -> None:
    if os.geteuid() == 0:
        user = pwd.getpwnam(UNPRIVILEGED)
        for p in paths:
            os.chown(p, user.pw_uid, user.pw_gid, follow_symlinks=False)


def _unshare() -> list[str]:
    return ["unshare", "-m"] if os.geteuid() == 0 else ["unshare", "-rm"]


@functools.cache
def namespaces_work() -> bool:
    if shutil.which("unshare") is None:
        return False
    with tempfile.TemporaryDirectory() as folder:
        probe = subprocess.run([*_unshare(), "sh", "-c", f"mount -t tmpfs -o size=64k tmpfs {folder}"],
                               capture_output=True, check=False)
    return probe.returncode == 0


def need_namespaces() -> None:
    if not namespaces_work():
        pytest.skip("no private mount namespace here (unshare -m / -rm refused): "
                    "cannot make a real read-only mount or a full tmpfs")


def read_only_mount(folder: Path) -> list[str]:
    """A command prefix: run with ``folder`` bind-mounted read-only over itself (EROFS)."""
    need_namespaces()
    script = 'mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" && shift && exec "$@"'
    return [*_unshare(), "sh", "-c", script, "sh", str(folder)]


def in_namespace(script: str, *args: str) -> subprocess.CompletedProcess[str]:
    """Run a shell script in a private mount namespace (mounts vanish with it)."""
    need_namespaces()
    return subprocess.run([*_unshare(), "sh", "-c", script, "sh", *args], capture_output=True,
                          text=True, timeout=120, check=False)


def is_fifo(path: Path) -> bool:
    return stat.S_ISFIFO(os.lstat(path).st_mode)
