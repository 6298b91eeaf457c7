"""Any TZ value gives `tenslog list` correct output or a one-line error, never a traceback
(issue 10: TZ=UTC+24 crashed it: the C library accepts offsets up to 24:59:59, Python's
datetime refuses a day or more)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from support.sessions import rated_session
from support.warm_cli import run_tenslog
from tenslog.store import Store

TENSLOG = str(Path(sys.executable).with_name("tenslog"))
START = datetime(2026, 1, 10, 12, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("tz") / "data" / "tenslog.db"
    with Store.open(path) as store:
        store.add_session(rated_session(START, 30, 6, 4))
    return path


def list_in(tz: str, db: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "TZ": tz, "COLUMNS": "100"}
    return run_tenslog(["--db", str(db), "list"], env=env, timeout=60)


def expected_when(tz: str) -> str | None:
    """The start as `list` should show it in ``tz``, or None if datetime cannot show it."""
    old = os.environ.get("TZ")
    os.environ["TZ"] = tz
    time.tzset()
    try:
        offset = time.localtime(START.timestamp()).tm_gmtoff
        if abs(offset) >= 86400:
            return None
        return f"{START.astimezone(timezone(timedelta(seconds=offset))):%d %b %H:%M}"
    finally:
        if old is None:
            del os.environ["TZ"]
        else:
            os.environ["TZ"] = old
        time.tzset()


def assert_sound(tz: str, done: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in done.stderr + done.stdout
    when = expected_when(tz)
    if done.returncode == 0:
        assert when is not None and when in done.stdout, (tz, done.stdout)
    else:
        lines = done.stderr.strip().splitlines()
        assert done.returncode == 1 and len(lines) == 1, (tz, done.stderr)
        assert lines[0].startswith("Error: TZ=") and "24 h" in lines[0]
        assert done.stdout == ""


@pytest.mark.parametrize("tz", ["UTC+24", "UTC-24", "UTC+24:59:59", "<XXX>-23<YYY>-24:30,M3.2.0,M10.5.0"])
def test_extreme_tz_is_a_one_line_error(tz: str, db: Path) -> None:
    done = list_in(tz, db)
    assert done.returncode == 1
    assert_sound(tz, done)


@pytest.mark.parametrize("tz", ["UTC+23:59", "Europe/Berlin", "Pacific/Kiritimati", "no/such/zone", ""])
def test_usable_tz_lists(tz: str, db: Path) -> None:
    done = list_in(tz, db)
    assert done.returncode == 0
    assert_sound(tz, done)


def _hours() -> st.SearchStrategy[str]:
    return st.builds(
        lambda sign, h, m, s: f"{sign}{h}" + (f":{m:02d}" if m is not None else "") + (f":{s:02d}" if s is not None and m is not None else ""),
        st.sampled_from(["", "+", "-"]), st.integers(0, 26), st.none() | st.integers(0, 59), st.none() | st.integers(0, 59),
    )


tz_values = st.one_of(
    st.builds(lambda name, off: f"{name}{off}", st.sampled_from(["UTC", "ABC", "<+0130>", "X"]), _hours()),
    st.builds(lambda off, dst, rule: f"<STD>{off}<DST>{dst},{rule}", _hours(), _hours(),
              st.sampled_from(["M3.2.0,M11.1.0", "J60/1,J61/23", "M10.1.0,M4.1.0/3"])),
    st.sampled_from(["Europe/Berlin", "America/St_Johns", "Asia/Kathmandu", "Etc/GMT+12", "Etc/GMT-14", ":UTC"]),
    st.text(st.characters(min_codepoint=33, max_codepoint=126), max_size=12),
)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(tz=tz_values)
def test_any_tz_gives_output_or_one_line(tz: str, db: Path) -> None:
    assert_sound(tz, list_in(tz, db))
