"""The command line as a user types it: the installed `tenslog` script in a subprocess."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from support.warm_cli import run_tenslog
from tenslog import __version__
from tenslog.parsing import parse_duration, parse_options, parse_scale, parse_time
from tenslog.store import Store

TENSLOG = shutil.which("tenslog") or str(Path(sys.executable).with_name("tenslog"))


def run(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "100"}
    return run_tenslog(["--db", str(db), *args], env=env)


def count(db: Path) -> int:
    with Store.open(db) as store:
        return store.count()


def test_add_then_list_shows_the_session_and_the_file_is_owner_only(db_path: Path) -> None:
    added = run(db_path, "add", "--start", "2026-01-05 09:30", "--duration", "45", "--intensity", "7",
                "--scale", "level:20", "--unit", "Beurer EM49", "--before", "7", "--after", "4")
    assert added.returncode == 0, added.stderr
    assert "Saved session 1" in added.stdout
    listed = run(db_path, "list")
    assert listed.returncode == 0
    row = next(line for line in listed.stdout.splitlines() if "Beurer EM49" in line)
    for expected in ("05 Jan", "45m", "7/20", " 7 ", " 4 ", "-3", "complete"):
        assert expected in row, (expected, row)
    assert stat.S_IMODE(db_path.stat().st_mode) == 0o600


def test_a_rest_period_is_listed_as_rest(db_path: Path) -> None:
    assert run(db_path, "add", "--kind", "rest", "--duration", "20", "--before", "5", "--after", "5").returncode == 0
    assert "rest (no unit)" in run(db_path, "list").stdout


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (["--duration", "30", "--before", "11"], "--before"),
        (["--duration", "half an hour"], "--duration"),
        (["--duration", "0"], "--duration"),
        (["--duration", "30", "--start", "yesterday-ish"], "--start"),
        (["--duration", "30", "--start", "2099-01-01 10:00"], "start: is in the future"),
        (["--duration", "30", "--intensity", "-2", "--unit", "X"], "intensity:"),
        (["--duration", "30", "--intensity", "25", "--scale", "level:20"], "maximum of 20"),
        (["--duration", "30", "--scale", "volts"], "--scale"),
        (["--duration", "30", "--kind", "rest", "--intensity", "3"], "rest period"),
        (["--duration", "30", "--kind", "nap"], "--kind"),
    ],
)
def test_bad_flags_print_a_clear_error_and_write_nothing(db_path: Path, args: list[str], named: str) -> None:
    assert run(db_path, "add", "--duration", "10", "--before", "3").returncode == 0
    result = run(db_path, "add", *args)
    assert result.returncode != 0
    assert named in result.stderr
    assert count(db_path) == 1


def test_bad_flags_on_a_new_database_do_not_even_create_the_file(db_path: Path) -> None:
    refused = run(db_path, "add", "--duration", "30", "--before", "12")
    assert refused.returncode == 2
    assert "Invalid value for '--before': 12 is not in the range 0<=x<=10." in refused.stderr
    assert not db_path.exists()


def test_a_foreign_file_is_refused_with_a_message_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "diary.txt"
    path.write_text("not a database")
    result = run(path, "list")
    assert result.returncode == 1 and "not a tenslog database" in result.stderr
    assert path.read_text() == "not a database"


def test_rate_adds_a_missing_after_rating(db_path: Path) -> None:
    run(db_path, "add", "--duration", "30", "--before", "6")
    assert run(db_path, "rate", "last", "--after", "3").returncode == 0
    assert " -3 " in run(db_path, "list").stdout


def test_version() -> None:
    result = subprocess.run([TENSLOG, "--version"], capture_output=True, text=True)
    assert result.returncode == 0 and __version__ in result.stdout


def test_the_database_can_come_from_the_environment(db_path: Path) -> None:
    env = {**os.environ, "TENSLOG_DB": str(db_path)}
    run_tenslog(["add", "--duration", "30"], check=True, env=env)
    assert count(db_path) == 1


def test_settings_from_the_environment_change_what_summary_counts(db_path: Path) -> None:
    for before, after in [(6, 4)] * 3:
        run(db_path, "add", "--duration", "30", "--before", str(before), "--after", str(after))
    too_few = run(db_path, "summary")
    env = {**os.environ, "COLUMNS": "100", "TENSLOG_MIN_RATED_SESSIONS": "3"}
    enough = run_tenslog(["--db", str(db_path), "summary"], env=env)
    assert enough.returncode == 0, enough.stderr
    assert "3 more are needed before tenslog shows numbers" in too_few.stdout
    assert "pain fell by a median of 2 points" not in too_few.stdout
    # Three rated sessions are now enough to give numbers.
    assert "Over 3 rated TENS sessions, pain fell by a median of 2 points (from 6 to 4 out of 10)." in enough.stdout
    assert "Not enough data yet" not in enough.stdout
    assert "0 rated so far, 3 more needed" in enough.stdout  # rest periods: the same setting


def test_a_bad_setting_in_the_environment_is_named_and_nothing_is_opened(tmp_path: Path) -> None:
    db = tmp_path / "never.db"
    env = {**os.environ, "TENSLOG_GRACE_SECONDS": "two minutes"}
    result = run_tenslog(["--db", str(db), "list"], env=env)
    assert result.returncode == 2
    assert "TENSLOG_GRACE_SECONDS" in result.stderr and "'two minutes'" in result.stderr
    assert "Traceback" not in result.stderr
    assert not db.exists()


@given(st.text(max_size=20))
def test_parsers_refuse_garbage_with_valueerror_only(text: str) -> None:
    for parser in (parse_duration, parse_time, parse_scale):
        try:
            parser(text)
        except ValueError as exc:
            assert str(exc)
    try:
        parse_options((text,))
    except ValueError as exc:
        assert str(exc)


@given(hours=st.integers(0, 23), minutes=st.integers(0, 59))
def test_durations_in_hours_and_minutes_round_trip(hours: int, minutes: int) -> None:
    if hours == minutes == 0:
        return
    assert parse_duration(f"{hours}h{minutes}").total_seconds() == hours * 3600 + minutes * 60
    assert parse_duration(str(hours * 60 + minutes)).total_seconds() == hours * 3600 + minutes * 60


def test_a_unit_given_with_another_scale_is_refused_naming_the_unit(db_path: Path) -> None:
    assert run(db_path, "add", "--duration", "30", "--intensity", "7", "--scale", "level:20", "--unit", "EM49").returncode == 0
    result = run(db_path, "add", "--duration", "30", "--intensity", "7", "--scale", "mA", "--unit", "EM49")
    assert result.returncode == 1 and "'EM49' is already stored with scale level 1-20" in result.stderr
    assert count(db_path) == 1
