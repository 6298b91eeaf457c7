"""Whatever text arrives, the importers answer with a result or ImportFailed, nothing else,
and nothing they store is invalid."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from tenslog.imports import ImportFailed, import_bytes
from tenslog.model import Session
from tenslog.settings import Settings
from tenslog.store.store import Store

SETTINGS = Settings(db="/nonexistent/never-opened.db")
COLUMNS = ["start", "date", "time", "duration_min", "end", "before", "after", "follow_up", "kind", "unit",
           "scale", "intensity", "state", "source", "id", "change"]  # fmt: skip
CELL = st.one_of(
    st.sampled_from(["", "6", "12", "-1", "0", "10", "tens", "rest", "level 1-10", "mA (max 80)", "30", "1e400",
                     "nan", "2025-03-03", "09:00", "2025-03-03T09:00+01:00", "9999-12-31T23:59", "2099-01-01"]),
    st.text(max_size=12),
)  # fmt: skip


def _check(store: Store, data: bytes, fmt: str) -> None:
    try:
        result = import_bytes(store, data, fmt, SETTINGS, skip_bad=True)  # type: ignore[arg-type]
    except ImportFailed as exc:
        assert exc.problems and all(str(p) for p in exc.problems)
        assert store.count() == 0, "refused: nothing written"
        return
    # Stored: exactly what the result says (what a valid file stores, value by value, is
    # checked in tests/faults/test_pinned_fuzz_exact.py).
    assert store.count() == result.imported == len(result.ids) >= 1
    for s in store.sessions():
        Session.model_validate(s.model_dump())  # everything stored still passes the model


@st.composite
def csv_files(draw: st.DrawFn) -> bytes:
    header = draw(st.lists(st.sampled_from(COLUMNS), min_size=1, max_size=8, unique=True))
    rows = draw(st.lists(st.lists(CELL, min_size=len(header), max_size=len(header)), max_size=4))
    sep = draw(st.sampled_from([",", ";"]))
    lines = [sep.join(header)] + [sep.join(c.replace(sep, " ").replace("\n", " ").replace('"', "") for c in r) for r in rows]
    return "\n".join(lines).encode()


def _run(data: bytes, fmt: str) -> None:
    with tempfile.TemporaryDirectory() as folder, Store.open(Path(folder) / "fuzz.db") as store:
        _check(store, data, fmt)


@hsettings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.one_of(st.binary(max_size=200), st.text(max_size=200).map(str.encode), csv_files()))
def test_csv_importer_never_raises_past_its_boundary(data: bytes) -> None:
    _run(data, "csv")


@hsettings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    data=st.one_of(
        st.binary(max_size=200),
        st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=8), lambda c: st.lists(c, max_size=3) | st.dictionaries(st.text(max_size=6), c, max_size=3), max_leaves=10)
        .map(lambda v: {"format": "tenslog", "version": 1, "sessions": [v]}).map(lambda d: __import__("json").dumps(d).encode()),
    )
)  # fmt: skip
def test_json_importer_never_raises_past_its_boundary(data: bytes) -> None:
    _run(data, "json")
