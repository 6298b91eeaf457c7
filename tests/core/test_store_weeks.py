"""Issue 11 item 8: weekly bucketing has one home (tenslog.analysis.weeks), and the store is
split into modules a newcomer can read in one sitting, with the public Store API unchanged."""

from __future__ import annotations

import inspect
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from statistics import median

from hypothesis import given, settings
from hypothesis import strategies as st

import tenslog.store as store_package
from tenslog.analysis import dose_response
from tenslog.analysis.weeks import by_week, week_of
from tenslog.model import SessionFigures, SessionKind
from tenslog.store import Store

ZONES = st.integers(min_value=-14 * 4, max_value=14 * 4).map(
    lambda quarters: timezone(timedelta(minutes=15 * quarters))
)
STARTS = st.builds(
    lambda day, seconds, tz: datetime.combine(day, datetime.min.time(), tz)
    + timedelta(seconds=seconds),
    st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 12, 31)),
    st.integers(min_value=0, max_value=86399),
    ZONES,
)
PAIN = st.integers(min_value=0, max_value=10)
FIGURES = st.builds(
    lambda i, start, before, after: SessionFigures(
        i, SessionKind.TENS, start, 30.0, None, None, before, after
    ),
    st.integers(min_value=1), STARTS, st.none() | PAIN, st.none() | PAIN,
)


@given(st.dates())
def test_a_week_starts_on_the_monday_on_or_before_the_day(day: date) -> None:
    monday = week_of(day)
    assert monday.weekday() == 0
    assert monday <= day < monday + timedelta(days=7)


@settings(max_examples=200)
@given(st.lists(FIGURES, max_size=40))
def test_every_record_lands_once_in_the_week_of_its_local_start_day(
    records: list[SessionFigures],
) -> None:
    weeks = by_week(records)
    assert list(weeks) == sorted(weeks), "oldest week first"
    assert sorted(r.id for rs in weeks.values() for r in rs) == sorted(r.id for r in records)
    for monday, members in weeks.items():
        assert members, "no empty weeks"
        for r in members:
            # The local day (the start's own offset), not the UTC day: a Monday 00:30 at +02:00
            # is in the week that Monday begins.
            assert week_of(r.start.date()) == monday
        assert members == [r for r in records if week_of(r.local_day) == monday], "order kept"


@settings(max_examples=100)
@given(st.lists(FIGURES, max_size=40))
def test_the_relief_trend_is_bucketed_by_the_shared_weeks(records: list[SessionFigures]) -> None:
    trend = dose_response(records).trend
    expected = by_week(r for r in records if r.rated)
    assert [w.starts for w in trend.weeks] == list(expected)
    assert [w.rated for w in trend.weeks] == [len(rs) for rs in expected.values()]
    assert [w.median_change for w in trend.weeks] == [
        float(median(r.change for r in rs)) for rs in expected.values()  # type: ignore[type-var]
    ]


def test_no_store_module_is_over_350_lines_unless_it_says_why() -> None:
    folder = Path(store_package.__file__).parent
    for module in folder.glob("*.py"):
        text = module.read_text(encoding="utf-8")
        if text.count("\n") > 350:
            head = text.split('"""')[1].lower()
            assert "lines" in head, f"{module.name} is long and does not say why at its top"


def test_the_store_keeps_its_public_api() -> None:
    public = {name for name, _ in inspect.getmembers(Store) if not name.startswith("_")}
    assert public >= {
        "open", "close", "read_only", "transaction", "acquire_recording", "release_recording",
        "is_recording_holder", "try_recover", "ensure_unit", "unit", "units", "stored_units",
        "delete_unit", "scrub", "add_session", "add_sessions", "replace_session", "delete_session",
        "restore_session", "set_rating", "begin_session", "add_intensity",
        "heartbeat", "open_gap", "close_gap", "drop_last_gap", "end_session", "close_interrupted",
        "get", "sessions", "figures", "count", "last_heartbeat",
    }
