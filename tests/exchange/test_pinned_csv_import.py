"""CSV import, value by value (issue 17: these survived mutation). Each case is one small file
and the exact session it must store: pain 10 is a rating, `mA (max 80)` keeps its maximum, the
`end` column sets the end, one unit name with two scales is refused naming the line, blank
lines at the end and `REST` in capitals are fine, a decimal comma is a decimal point, the
source column is kept, and each rating and intensity gets the time it belongs to. A row with
fewer cells than the header reads the missing ones as empty (it raised a traceback)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from tenslog.imports import ImportFailed, import_bytes
from tenslog.model import IntensityScale, Session
from tenslog.settings import Settings
from tenslog.store.store import Store

pytestmark = pytest.mark.usefixtures("local_zone")  # times with an offset mean the same anywhere

CET = timezone(timedelta(hours=1))
NINE = datetime(2025, 3, 3, 9, 0, tzinfo=CET)
HEAD = "start,duration_min,before,after"


def imported(db, text: str, settings: Settings) -> list[Session]:
    with Store.open(db) as store:
        result = import_bytes(store, text.encode(), "csv", settings)
        sessions = store.sessions(newest_first=False)
    assert result.imported == len(sessions)
    return sessions


def refused(db, text: str, settings: Settings) -> list[str]:
    with Store.open(db) as store, pytest.raises(ImportFailed) as info:
        import_bytes(store, text.encode(), "csv", settings)
    with Store.open(db) as store:
        assert store.count() == 0, "a refused import changes nothing"
    return [str(p) for p in info.value.problems]


def ratings(s: Session) -> list[tuple[str, int, datetime]]:
    return [(r.moment.value, r.value, r.at) for r in s.ratings]


def test_pain_10_is_the_top_of_the_scale_not_an_error(db, settings) -> None:
    [s] = imported(db, f"{HEAD}\n2025-03-03T09:00+01:00,30,10,10\n", settings)
    assert (s.before, s.after, s.change) == (10, 10, 0)


def test_pain_11_is_refused_naming_line_and_column(db, settings) -> None:
    assert refused(db, f"{HEAD}\n2025-03-03T09:00+01:00,30,11,4\n", settings) == [
        "line 2, field before: pain is rated 0 to 10 (got 11)"
    ]


def test_ma_with_a_maximum_keeps_the_maximum(db, settings) -> None:
    [s] = imported(db, f"{HEAD},unit,scale,intensity\n2025-03-03T09:00+01:00,30,6,4,Clinic,mA (max 80),35.5\n", settings)
    assert s.unit is not None and (s.unit.name, s.unit.scale) == ("Clinic", IntensityScale(kind="mA", maximum=80))
    assert [(p.at, p.value) for p in s.intensity] == [(NINE, 35.5)]


def test_the_end_column_sets_the_end(db, settings) -> None:
    [s] = imported(db, "start,end,before,after\n2025-03-03T09:00+01:00,2025-03-03T09:47+01:00,6,4\n", settings)
    assert (s.start, s.end) == (NINE, NINE + timedelta(minutes=47))
    assert ratings(s) == [("before", 6, NINE), ("after", 4, NINE + timedelta(minutes=47))]


def test_the_end_column_wins_over_the_duration(db, settings) -> None:
    text = "start,end,duration_min,before,after\n2025-03-03T09:00+01:00,2025-03-03T09:47+01:00,30,6,4\n"
    [s] = imported(db, text, settings)
    assert s.end == NINE + timedelta(minutes=47)


def test_two_scales_under_one_unit_name_are_refused_naming_the_line(db, settings) -> None:
    text = (f"{HEAD},unit,scale,intensity\n2025-03-03T09:00+01:00,30,6,4,Unit A,level 1-10,5\n"
            "2025-03-04T09:00+01:00,30,6,4,Unit A,mA (max 80),30\n")  # fmt: skip
    assert refused(db, text, settings) == [
        "line 3, field unit: 'Unit A' is already given with scale level 1-10, not mA (max 80)"
    ]


def test_two_units_with_their_own_scales_are_two_units(db, settings) -> None:
    text = (f"{HEAD},unit,scale,intensity\n2025-03-03T09:00+01:00,30,6,4,Unit A,level 1-10,5\n"
            "2025-03-04T09:00+01:00,30,6,4,Unit B,mA (max 80),30\n")  # fmt: skip
    a, b = imported(db, text, settings)
    assert a.unit is not None and b.unit is not None
    assert (a.unit.name, a.unit.scale) == ("Unit A", IntensityScale(kind="level", maximum=10))
    assert (b.unit.name, b.unit.scale) == ("Unit B", IntensityScale(kind="mA", maximum=80))
    assert a.unit.identity != b.unit.identity


@pytest.mark.parametrize("ending", ["\n\n", "\n\n\n", "\r\n\r\n", "\n   \n", "\n,,,\n"])
def test_blank_lines_at_the_end_are_ignored(db, settings, ending: str) -> None:
    [s] = imported(db, f"{HEAD}\n2025-03-03T09:00+01:00,30,6,4{ending}", settings)
    assert (s.start, s.before, s.after) == (NINE, 6, 4)


@pytest.mark.parametrize("kind", ["REST", "Rest", " rest "])
def test_kind_is_read_whatever_its_case(db, settings, kind: str) -> None:
    [s] = imported(db, f"{HEAD},kind\n2025-03-03T09:00+01:00,30,6,5,{kind}\n", settings)
    assert (s.kind.value, s.unit, s.change) == ("rest", None, -1)


def test_decimal_comma_in_duration_and_intensity(db, settings) -> None:
    text = "start;duration_min;before;after;intensity;scale;unit\n2025-03-03T09:00+01:00;12,5;6;4;5,5;mA;X\n"
    [s] = imported(db, text, settings)
    assert s.end == NINE + timedelta(minutes=12, seconds=30)
    assert [p.value for p in s.intensity] == [5.5]


def test_the_source_column_is_kept(db, settings) -> None:
    [s] = imported(db, f"{HEAD},source\n2025-03-03T09:00+01:00,30,6,4,paper diary\n", settings)
    assert s.source == "paper diary"


def test_an_empty_source_is_manual(db, settings) -> None:
    [s] = imported(db, f"{HEAD},source\n2025-03-03T09:00+01:00,30,6,4,\n", settings)
    assert s.source == "manual"


def test_each_rating_and_the_intensity_get_their_own_time(db, settings) -> None:
    """Before at the start, after at the end, the follow-up its settings' minutes after the
    end; the intensity (a peak, no times in a diary) at the start."""
    text = f"{HEAD},follow_up,intensity,unit\n2025-03-03T09:00+01:00,30,6,4,3,7,U\n"
    [s] = imported(db, text, settings)
    end = NINE + timedelta(minutes=30)
    assert ratings(s) == [("before", 6, NINE), ("after", 4, end),
                          ("follow_up", 3, end + timedelta(minutes=settings.follow_up_minutes))]  # fmt: skip
    assert [(p.at, p.value) for p in s.intensity] == [(NINE, 7.0)]
    assert settings.follow_up_minutes == 30


def test_a_row_with_fewer_cells_than_the_header_reads_them_as_empty(db, settings) -> None:
    [s] = imported(db, f"{HEAD},follow_up\n2025-03-03T09:00+01:00,30,6,4\n", settings)
    assert ratings(s) == [("before", 6, NINE), ("after", 4, NINE + timedelta(minutes=30))]


def test_a_short_row_with_a_bad_start_is_refused_naming_it(db, settings) -> None:
    """The case the importer fuzz test found (a bare CR ends the header line)."""
    assert refused(db, "start,date,time,duration_min,end,before,after,followup\r0", settings) == [
        ("line 2, field start: not a date and time I can read (got '0'); "
         "use e.g. 2025-03-03 09:00 or 2025-03-03T09:00+01:00")
    ]
