"""One way to build a manual session (tenslog.manual): one scale syntax, one unit per name."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from support.warm_cli import run_tenslog
from tenslog.imports import import_bytes
from tenslog.manual import parse_scale
from tenslog.model import IntensityScale
from tenslog.store import Store


def tenslog(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_tenslog(["--db", str(db), *args], timeout=120)


@pytest.mark.parametrize(("text", "scale"), [
    ("level", IntensityScale()), ("level:20", IntensityScale(maximum=20)),
    ("level 1-20", IntensityScale(maximum=20)), ("mA", IntensityScale(kind="mA")),
    ("mA:80", IntensityScale(kind="mA", maximum=80)), ("mA (max 80)", IntensityScale(kind="mA", maximum=80)),
    ("level:7,5", IntensityScale(maximum=7.5)),
])
def test_one_scale_syntax(text: str, scale: IntensityScale) -> None:
    assert parse_scale(text) == scale


def test_a_unit_typed_twice_and_imported_is_one_unit(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    first = tenslog(db, "add", "--unit", "My unit", "--scale", "level:20", "--duration", "30",
                    "--intensity", "12,5", "--before", "6", "--after", "4", "--start", "2026-01-05 09:00")
    assert first.returncode == 0, first.stderr
    second = tenslog(db, "add", "--unit", "my unit ", "--duration", "10", "--before", "5", "--after", "3")
    assert second.returncode == 0, second.stderr
    with Store.open(db) as store:
        import_bytes(store, b"start,duration_min,before,after,unit,intensity\n"
                            b"2026-01-06 09:00,30,6,4,My unit,\"7,5\"\n", "csv")
        units = store.units()
        sessions = store.sessions(newest_first=False)
    assert [(u.name, u.scale) for u in units] == [("My unit", IntensityScale(maximum=20))]
    assert [s.peak_intensity for s in sessions] == [12.5, 7.5, None]  # by start: the second is now
    assert {s.unit.name for s in sessions} == {"My unit"}


def test_the_same_input_gives_the_same_session_from_the_cli_the_form_and_the_csv(tmp_path: Path) -> None:
    from tenslog.manual import store_lookup
    from tenslog.ui.entry import build_session
    from tenslog.vocabulary import SessionKind

    cli_db, csv_db = tmp_path / "cli.db", tmp_path / "csv.db"
    done = tenslog(cli_db, "add", "--unit", "Beurer", "--scale", "level 1-20", "--duration", "30",
                   "--intensity", "7,5", "--before", "6", "--after", "4", "--start", "2026-01-05 09:00")
    assert done.returncode == 0, done.stderr
    with Store.open(csv_db) as store:
        import_bytes(store, b"start,duration_min,before,after,unit,scale,intensity\n"
                            b"2026-01-05 09:00,30,6,4,Beurer,level:20,\"7,5\"\n", "csv")
        [from_csv] = store.sessions()
        form = build_session({"start": "2026-01-05 09:00", "duration": "30", "intensity": "7,5",
                              "scale": "level 1-20", "unit": "Beurer", "before": "6", "after": "4"},
                             SessionKind.TENS, lookup=store_lookup(store)).session
    with Store.open(cli_db) as store:
        [from_cli] = store.sessions()
    assert form is not None
    same = ("kind", "source", "unit", "start", "end", "intensity", "ratings")
    assert [getattr(from_cli, f) for f in same] == [getattr(from_csv, f) for f in same] == [getattr(form, f) for f in same]
