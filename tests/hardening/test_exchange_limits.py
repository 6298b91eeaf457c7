"""Imports are read as bounded streams: over MAX_IMPORT_BYTES or MAX_IMPORT_ROWS is refused with
a message naming the limit, and nothing is stored. Before the fix a file of any size was read
whole into memory (a 2 GB file took 2 GB and more)."""

from __future__ import annotations

import json
import os
import subprocess
import threading
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from support.exchange import TENSLOG, diary, diary_row, fingerprint, tenslog
from tenslog.exports import to_json
from tenslog.imports import ImportFailed, check_sessions, import_bytes, import_file
from tenslog.imports.limits import MAX_IMPORT_BYTES, MAX_IMPORT_ROWS, Limits
from tenslog.store import Store


@pytest.mark.parametrize("name", ["huge.csv", "huge.json"])
def test_a_file_just_over_the_byte_limit_is_refused_from_its_size(tmp_path: Path, name: str) -> None:
    db = tmp_path / "tenslog.db"
    Store.open(db).close()
    huge = tmp_path / name
    with huge.open("wb") as handle:  # sparse: takes no disk and no time
        handle.truncate(MAX_IMPORT_BYTES + 1)
    result = tenslog(db, "import", str(huge))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "over the import limit of 64.0 MB (MAX_IMPORT_BYTES)" in result.stderr
    with Store.open(db) as store:
        assert store.count() == 0


def test_a_stream_without_end_is_refused_at_the_limit(tmp_path: Path, store: Store) -> None:
    """A pipe (or /dev/zero, or a file still growing) has no size to check first."""
    pipe = tmp_path / "diary.csv"
    os.mkfifo(pipe)

    def endless() -> None:
        try:
            with pipe.open("wb") as writer:
                writer.write(b"start,duration_min,before,after,unit\n2025-05-01 09:00,30,6,4,")
                while True:
                    writer.write(b"x" * 4096)  # one line that never ends
        except BrokenPipeError:
            pass

    feeder = threading.Thread(target=endless, daemon=True)
    feeder.start()
    with pytest.raises(ImportFailed, match=r"larger than the import limit of 100.0 kB \(MAX_IMPORT_BYTES\)"):
        import_file(store, pipe, limits=Limits(max_bytes=100 * 1024))
    feeder.join(timeout=30)
    assert store.count() == 0


def test_one_session_over_the_row_limit_is_refused(store: Store) -> None:
    limits = Limits(max_rows=5)
    rows = [diary_row(i) for i in range(6)]
    with pytest.raises(ImportFailed, match=r"line 7, field \(size\): the file has more sessions than the import limit of 5 \(MAX_IMPORT_ROWS\)"):  # fmt: skip
        import_bytes(store, diary(rows).encode(), "csv", limits=limits)
    good, _ = check_sessions(json.dumps(_document(5)).encode(), "json", limits=limits)
    assert len(good) == 5
    with pytest.raises(ImportFailed, match=r"more sessions than the import limit of 5"):
        import_bytes(store, json.dumps(_document(6)).encode(), "json", limits=limits)
    assert store.count() == 0
    assert import_bytes(store, diary(rows[:5]).encode(), "csv", limits=limits).imported == 5


def _document(count: int) -> dict:
    doc = json.loads(to_json([]))
    session = {"kind": "rest", "start": "2025-05-01T09:00+00:00", "end": "2025-05-01T09:30+00:00"}
    doc["sessions"] = [{**session, "start": f"2025-05-{1 + i:02d}T09:00+00:00", "end": f"2025-05-{1 + i:02d}T09:30+00:00"} for i in range(count)]
    return doc


def test_the_help_states_the_limits() -> None:
    shown = subprocess.run([TENSLOG, "import", "--help"], capture_output=True, text=True).stdout
    assert f"{MAX_IMPORT_BYTES >> 20} MB" in shown and f"{MAX_IMPORT_ROWS:,} sessions" in " ".join(shown.split())


# -- the whole class: any size against any limit ---------------------------------------------------
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    rows=st.integers(1, 30),
    max_rows=st.integers(1, 30),
    slack=st.integers(-300, 300),
    fmt=st.sampled_from(["csv", "json"]),
    streamed=st.booleans(),
)
def test_refused_exactly_when_over_a_limit_and_then_nothing_is_stored(
    store: Store, tmp_path: Path, rows: int, max_rows: int, slack: int, fmt: str, streamed: bool
) -> None:
    data = diary([diary_row(i) for i in range(rows)]).encode() if fmt == "csv" else json.dumps(_document(rows)).encode()
    limits = Limits(max_bytes=max(1, len(data) + slack), max_rows=max_rows)
    before = fingerprint(store)
    path = tmp_path / f"in.{fmt}"
    path.write_bytes(data)
    try:
        result = import_file(store, path, limits=limits) if streamed else import_bytes(store, data, fmt, limits=limits)  # type: ignore[arg-type]
    except ImportFailed as failed:
        assert len(data) > limits.max_bytes or rows > max_rows
        (problem,) = failed.problems
        assert problem.field == "(size)" and "MAX_IMPORT_" in problem.reason
        assert fingerprint(store) == before
        return
    assert len(data) <= limits.max_bytes and rows <= max_rows
    assert result.imported == rows
    for sid in result.ids:
        store.delete_session(sid)
