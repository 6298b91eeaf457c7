"""The environment tenslog runs in: no terminal, a Latin-1 or C locale, a permissive umask, an
over-long name. Each gets a clear refusal or works; none gets a traceback or a hang."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hardening.storage_support import TENSLOG, run
from tenslog.store import Store


# -- no terminal ------------------------------------------------------------------------------
@pytest.mark.parametrize("stdin_tty", [False, True], ids=["stdin-dev-null", "stdin-a-tty"])
def test_the_dashboard_without_a_terminal_says_so_and_exits(tmp_path: Path, stdin_tty: bool) -> None:
    """`tenslog </dev/null >file` (or a terminal's input but output to a file) used to wait for
    keys for ever and write escape codes into the file."""
    db, out = tmp_path / "tenslog.db", tmp_path / "out.txt"
    if stdin_tty:
        import pty

        parent, child = pty.openpty()
        stdin = child
    else:
        stdin = subprocess.DEVNULL
    with out.open("wb") as sink:
        try:
            result = subprocess.run([TENSLOG, "--db", str(db)], stdin=stdin, stdout=sink,
                                    stderr=subprocess.PIPE, text=True, timeout=30)
        except subprocess.TimeoutExpired:
            pytest.fail("the dashboard waited for a terminal that is not there")
        finally:
            if stdin_tty:
                os.close(parent)
                os.close(child)
    assert result.returncode != 0
    assert b"\x1b" not in out.read_bytes()
    (line,) = result.stderr.strip().splitlines()
    assert "needs a terminal" in line and "tenslog list" in line
    assert not db.exists()  # said before touching any data


# -- locales ----------------------------------------------------------------------------------
NAMES = ["Müller's TENS", "Łódź ☃ unit", "ÆØÅ—«»"]


@pytest.fixture(scope="module")
def latin1(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """A real ISO-8859-1 locale, compiled once for this module (the system has only C.UTF-8)."""
    tmp_path = tmp_path_factory.mktemp("locale")
    localedef = shutil.which("localedef")
    if localedef is None:
        pytest.skip("no localedef: cannot make an ISO-8859-1 locale (the PYTHONIOENCODING case still runs)")
    target = tmp_path / "locales"
    target.mkdir()
    made = subprocess.run([localedef, "-i", "en_US", "-f", "ISO-8859-1", str(target / "en_US.ISO-8859-1")],
                          capture_output=True)
    if not (target / "en_US.ISO-8859-1").exists():
        pytest.skip(f"localedef could not build en_US.ISO-8859-1: {made.stderr[-200:]!r}")
    return {"LOCPATH": str(target), "LC_ALL": "en_US.ISO-8859-1", "LANG": "en_US.ISO-8859-1"}


def _run_bytes(db: Path, args: list[bytes], env: dict[str, str]) -> subprocess.CompletedProcess[bytes]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "LANG", "PYTHONIO", "PYTHONUTF8"))}
    return subprocess.run([TENSLOG.encode(), b"--db", bytes(db), *args], capture_output=True,
                          env={**environment, "COLUMNS": "100", **env}, timeout=30)


@pytest.mark.parametrize("how", ["locale", "PYTHONIOENCODING", "ascii"])
def test_names_the_terminal_cannot_show_are_replaced_not_a_traceback(tmp_path: Path, how: str,
                                                                     request: pytest.FixtureRequest) -> None:
    db = tmp_path / "tenslog.db"
    with Store.open(db):
        pass
    for name in NAMES:
        assert run(db, "add", "--duration", "20", "--unit", name).returncode == 0
    env = {"locale": lambda: request.getfixturevalue("latin1"),
           "PYTHONIOENCODING": lambda: {"PYTHONIOENCODING": "iso-8859-1"},
           "ascii": lambda: {"PYTHONIOENCODING": "ascii"}}[how]()
    for command in ([b"list"], [b"units"], [b"export", b"--format", b"csv"]):
        result = _run_bytes(db, command, env)
        assert result.returncode == 0 and b"Traceback" not in result.stderr, (command, result.stderr)
    listed = _run_bytes(db, [b"list"], env).stdout
    encoding = "ascii" if how == "ascii" else "latin-1"
    assert "Müller's TENS".encode(encoding, "replace") in listed


def test_a_name_typed_in_latin_1_is_stored_as_typed(tmp_path: Path, latin1: dict[str, str]) -> None:
    env = latin1
    db = tmp_path / "tenslog.db"
    added = _run_bytes(db, [b"add", b"--duration", b"20", b"--unit", "Müller".encode("latin-1")], env)
    assert added.returncode == 0, added.stderr
    with Store.open(db) as store:
        assert [u.name for u in store.units()] == ["Müller"]


@pytest.mark.parametrize("locale_env", [{"LC_ALL": "C"}, {"LC_ALL": "C.UTF-8"}, {"LC_ALL": "POSIX"}])
def test_bytes_the_locale_cannot_decode_are_refused_with_the_reason(tmp_path: Path, locale_env) -> None:
    db = tmp_path / "tenslog.db"
    result = _run_bytes(db, [b"add", b"--duration", b"20", b"--unit", b"M\xfcller"], locale_env)
    assert result.returncode == 2 and b"Traceback" not in result.stderr, result.stderr
    error = [line for line in result.stderr.decode("utf-8", "replace").splitlines() if line.startswith("Error")]
    assert len(error) == 1 and "not valid text in this terminal's encoding" in error[0]
    assert not db.exists() or Store.open(db).count() == 0


# -- names over the limit ---------------------------------------------------------------------
@pytest.mark.parametrize("length", [81, 200, 5000])
def test_a_unit_name_over_80_characters_is_a_usage_error(tmp_path: Path, length: int) -> None:
    db = tmp_path / "tenslog.db"
    result = run(db, "add", "--duration", "20", "--unit", "x" * length)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    (error,) = [line for line in result.stderr.splitlines() if line.startswith("Error")]
    assert "--unit" in error and "80 characters" in error
    assert run(db, "add", "--duration", "20", "--unit", "x" * 80).returncode == 0


# -- folders we create ------------------------------------------------------------------------
def _modes_below(root: Path, db: Path) -> list[int]:
    modes, folder = [], db.parent
    while folder != root:
        modes.append(stat.S_IMODE(folder.stat().st_mode))
        folder = folder.parent
    return modes


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(umask=st.sampled_from([0o000, 0o002, 0o022, 0o027, 0o077, 0o007]), depth=st.integers(1, 4))
def test_every_folder_tenslog_creates_is_0700_whatever_the_umask(tmp_path_factory, umask: int, depth: int) -> None:
    root = tmp_path_factory.mktemp("umask")
    db = root.joinpath(*[f"level{i}" for i in range(depth)], "tenslog.db")
    old = os.umask(umask)
    try:
        Store.open(db).close()
    finally:
        os.umask(old)
    assert _modes_below(root, db) == [0o700] * depth
    assert stat.S_IMODE(db.stat().st_mode) == 0o600


def test_the_command_under_umask_000_leaves_no_folder_open_to_others(tmp_path: Path) -> None:
    db = tmp_path / "a" / "b" / "c" / "tenslog.db"
    result = subprocess.run(["sh", "-c", f'umask 000; exec "{TENSLOG}" --db "{db}" list'],
                            capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, result.stderr
    assert _modes_below(tmp_path, db) == [0o700] * 3
    assert stat.S_IMODE(db.stat().st_mode) == 0o600
