"""The CSV export streams (issue 16): rows made from the store's lean rows, read a chunk at a
time and written as they are made. It must still write the very bytes the export wrote from
whole sessions before (data/csv_export*.csv, see support/csv_cases.py), and a failed write
must leave no partial file and name the problem, as the JSON export does."""

from __future__ import annotations

import os
import resource
import signal
import stat
import sys
import time
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from support.csv_cases import DATA, GOLDEN, build_csv_history
from support.sessions import rated_session
from tenslog.exports import csv_chunks, to_csv
from tenslog.exports import csv_export as csv_module
from tenslog.model import SessionContext
from tenslog.settings import Settings
from tenslog.store import Store
from tenslog.store import exported as lean_rows

in_both_zones = pytest.mark.usefixtures("local_zone")  # stored times come back in their own offsets


@pytest.fixture
def utc() -> Iterator[None]:
    """Local time is UTC: opening the database for the CLI ends the session left "recording",
    at the local offset of that moment."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TZ", "UTC")
        time.tzset()
        yield
    time.tzset()


@pytest.fixture
def history(tmp_path: Path) -> Path:
    db = tmp_path / "t.db"
    build_csv_history(db)
    return db


@pytest.mark.usefixtures("utc")
def test_the_cli_writes_the_bytes_the_unstreamed_export_wrote(history: Path, tmp_path: Path, cli, runner,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    monkeypatch.setattr(lean_rows, "CHUNK", 3)  # several chunks from the store: none lost, none out of order
    monkeypatch.setattr(csv_module, "BATCH", 2)  # several pieces written
    counts = {"csv_export.csv": 14, "csv_export_rest.csv": 3, "csv_export_unit.csv": 4, "csv_export_strict.csv": 14}
    for name, (args, env) in GOLDEN.items():
        out = tmp_path / name
        result = runner.invoke(cli, ["--db", str(history), "export", *args, "-o", str(out)], env=env)
        assert result.exit_code == 0, result.output
        assert result.output == f"Wrote {counts[name]} sessions to {out} (readable by you only).\n"
        assert out.read_bytes() == (DATA / name).read_bytes(), name
        assert stat.S_IMODE(out.stat().st_mode) == 0o600
        printed = runner.invoke(cli, ["--db", str(history), "export", *args], env=env)
        assert printed.exit_code == 0 and printed.stdout_bytes == (DATA / name).read_bytes(), name


@in_both_zones
def test_lean_rows_and_whole_sessions_give_the_same_csv(history: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    golden = (DATA / "csv_export_store.csv").read_text(encoding="utf-8")  # one session still recording
    monkeypatch.setattr(lean_rows, "CHUNK", 4)
    with Store.open(history) as store:
        assert to_csv(store.exported()) == golden
        assert to_csv(store.sessions(newest_first=False), Settings()) == golden
        pieces = list(csv_chunks(store.exported(kind=None)))
    assert len(pieces) == 2 and "".join(pieces) == golden  # the header, then the rows (BATCH 256)
    assert to_csv([]) == golden.splitlines(keepends=True)[0]  # no session: the header alone


def _export_with_a_size_limit(db: Path, out: Path, limit: int) -> dict[str, object]:
    """`tenslog export -o out` in a forked child that may write at most ``limit`` bytes to any
    file (as a full disk stops a write: with an error); its exit status and error output."""
    err = out.parent.parent / "stderr.txt"
    pid = os.fork()
    if pid == 0:
        code = 70
        try:
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # the write fails instead of killing us
            resource.setrlimit(resource.RLIMIT_FSIZE, (limit, resource.getrlimit(resource.RLIMIT_FSIZE)[1]))
            sys.stderr = err.open("w", encoding="utf-8")
            from tenslog.cli.main import cli

            try:
                cli.main(["--db", str(db), "export", "--format", "csv", "-o", str(out)], prog_name="tenslog")
                code = 0
            except SystemExit as stop:
                code = stop.code if isinstance(stop.code, int) else 1
        finally:
            sys.stderr.flush()
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    return {"status": os.waitstatus_to_exitcode(status), "stderr": err.read_text(encoding="utf-8")}


def test_a_write_that_fails_midway_leaves_the_old_file_and_names_the_problem(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    day = datetime(2025, 1, 1, 9, tzinfo=timezone(timedelta(hours=1)))
    with Store.open(db) as store:  # about 150 kB of CSV, many times the file buffer: written in many pieces
        store.add_sessions(rated_session(day + timedelta(days=i), 30, 6, 3).model_copy(
            update={"context": SessionContext(note=f"session {i} " + "x" * 300)}) for i in range(400))
    folder = tmp_path / "out"
    folder.mkdir()
    out = folder / "sessions.csv"
    out.write_text("the export of last week\n")
    # 64 kB: room for the database's own files, not for the whole export.
    assert _export_with_a_size_limit(db, out, 64 * 1024) == {
        "status": 1, "stderr": f"Error: could not write {out}: File too large; nothing was written\n"}
    assert out.read_text() == "the export of last week\n"
    assert [p.name for p in folder.iterdir()] == ["sessions.csv"]  # no temporary file left beside it


@given(st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2200, 1, 1),
                    timezones=st.integers(-86399, 86399).map(lambda s: timezone(timedelta(seconds=s)))))
def test_a_time_is_written_to_the_nearest_second_as_before(at: datetime) -> None:
    """Half a second up and the rest cut off: what the export wrote before it streamed."""
    assert csv_module._time(at) == (at + timedelta(microseconds=500_000)).replace(microsecond=0).isoformat()
