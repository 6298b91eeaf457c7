from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tenslog.exports import to_csv
from tenslog.imports import ImportFailed, import_bytes, import_file
from tenslog.store.store import Store

# Each test runs in UTC and in a zone outside it (issue 17: the suite ran in UTC only).
pytestmark = pytest.mark.usefixtures("local_zone")

DIARY = """date,time,duration_min,intensity,scale,before,after,kind
2025-03-03,09:00,30,4,level 1-10,6,4,tens
2025-03-03,15:00,30,,,6,6,rest
2025-03-04,20:15,45,5,level 1-10,7,3,tens
"""


def run(db, text: str | bytes, settings, fmt="csv", **kw):
    data = text.encode() if isinstance(text, str) else text
    with Store.open(db) as store:
        return import_bytes(store, data, fmt, settings, **kw)


def failure(db, text: str | bytes, settings, fmt="csv") -> list[str]:
    with pytest.raises(ImportFailed) as info:
        run(db, text, settings, fmt)
    return [str(p) for p in info.value.problems]


def test_a_typed_up_diary_imports(db, settings) -> None:
    result = run(db, DIARY, settings)
    assert result.imported == 3
    with Store.open(db) as store:
        first, rest, third = store.sessions(newest_first=False)
    assert (first.before, first.after, first.peak_intensity) == (6, 4, 4)
    assert first.unit.scale.kind == "level" and first.unit.scale.maximum == 10
    assert first.duration == timedelta(minutes=30)
    local = datetime(2025, 3, 3, 9, 0).astimezone()  # no offset given: this computer's local time
    assert first.start == local and first.start.utcoffset() == local.utcoffset()
    assert rest.kind.value == "rest" and rest.unit is None and rest.change == 0
    assert third.duration == timedelta(minutes=45)


def test_semicolons_and_minimal_columns(db, settings) -> None:
    text = "Start;Duration;Pain before;Pain after\n2025-03-03T09:00+01:00;30;6;4\n"
    assert run(db, text, settings).imported == 1


def test_our_own_csv_imports_again(filled_db, tmp_path, settings) -> None:
    with Store.open(filled_db) as store:
        original = store.sessions(newest_first=False)
    fresh = tmp_path / "fresh.db"
    assert run(fresh, to_csv(original, settings), settings).imported == len(original)
    with Store.open(fresh) as store:
        again = store.sessions(newest_first=False)
    assert [(s.start, s.end, s.kind, s.before, s.after, s.peak_intensity, s.unit_name, s.state) for s in again] == [
        (s.start, s.end, s.kind, s.before, s.after, s.peak_intensity, s.unit_name, s.state) for s in original
    ]
    follow = [s for s in again if any(r.moment.value == "follow_up" for r in s.ratings)]
    assert len(follow) == 5


def test_wrong_and_missing_columns_are_named(filled_db, settings, fingerprint) -> None:
    before = fingerprint(filled_db)
    problems = failure(filled_db, "start,duration_min,befor,after,colour\n2025-03-03 09:00,30,6,4,red\n", settings)
    assert "line 1, field befor: unknown column 'befor'" in problems[0]
    assert "line 1, field colour: unknown column 'colour'" in problems[1]
    assert "line 1, field before: missing column" in problems
    assert fingerprint(filled_db) == before


def test_every_bad_row_is_reported_with_line_and_field(filled_db, settings, fingerprint) -> None:
    before = fingerprint(filled_db)
    text = (
        "date,time,duration_min,before,after\n"
        "2025-03-03,09:00,30,6,4\n"
        "2025-03-04,09:00,30,12,4\n"  # rating 12
        "2025-13-45,09:00,30,6,4\n"  # no such date
        "03/03/2025,09:00,30,6,4\n"  # day-first: ambiguous, refused
        "2025-03-05,9 o'clock,30,6,4\n"
        "2025-03-06,09:00,thirty,6,4\n"
        "2099-03-06,09:00,30,6,4\n"  # future
        "2025-03-07,09:00,30,6,4.5\n"
    )
    problems = failure(filled_db, text, settings)
    assert problems == [
        "line 3, field before: pain is rated 0 to 10 (got 12)",
        "line 4, field date: not a date I can read (got '2025-13-45'); use YYYY-MM-DD, e.g. 2025-03-03",
        "line 5, field date: not a date I can read (got '03/03/2025'); use YYYY-MM-DD, e.g. 2025-03-03",
        "line 6, field time: not a time I can read (got \"9 o'clock\"); use HH:MM, e.g. 09:00",
        "line 7, field duration_min: not a number (got 'thirty')",
        "line 8, field start: is in the future",
        "line 9, field after: pain is a whole number from 0 to 10 (got '4.5')",
    ]
    assert fingerprint(filled_db) == before


def test_duplicates_in_the_file_and_in_the_database(filled_db, settings, fingerprint) -> None:
    before = fingerprint(filled_db)
    text = (
        "start,duration_min,before,after,unit,scale,intensity\n"
        "2025-03-20T09:00+01:00,30,6,4,TENS 7000,level 1-10,3\n"
        "2025-03-20T09:00+01:00,30,6,4,TENS 7000,level 1-10,3\n"  # the same row again
        "2025-03-03T08:00+01:00,40,6,3,TENS 7000,level 1-10,5\n"  # already stored (sample day 0)
    )
    problems = failure(filled_db, text, settings)
    assert problems[0] == "line 3, field start: duplicate of line 2 (same start, kind and unit)"
    assert problems[1].startswith("line 4, field start: already in the database as session 1")
    assert fingerprint(filled_db) == before


def test_not_utf8_says_how_to_fix_it(filled_db, settings, fingerprint) -> None:
    before = fingerprint(filled_db)
    text = "start,duration_min,before,after,unit\n2025-03-03 09:00,30,6,4,Caf\xe9 unit\n".encode("latin-1")
    (problem,) = failure(filled_db, text, settings)
    assert problem.startswith("line 2, field (encoding): the file is not UTF-8 text (byte 0xE9")
    assert "save it again as 'CSV UTF-8'" in problem
    assert fingerprint(filled_db) == before


@pytest.mark.parametrize(("text", "expected"), [
    (b"", "field (file): the file is empty"),
    (b"\n  \n", "field (file): the file is empty"),
    (b"start,duration_min,before,after\n", "line 1, field (file): there are no sessions in the file, only a header"),
])  # fmt: skip
def test_empty_files(filled_db, settings, fingerprint, text, expected) -> None:
    before = fingerprint(filled_db)
    assert failure(filled_db, text, settings) == [expected]
    assert fingerprint(filled_db) == before


def test_skip_bad_imports_only_the_good_rows(db, settings) -> None:
    text = "date,time,duration_min,before,after\n2025-03-03,09:00,30,6,4\n2025-03-04,09:00,30,12,4\n2025-03-05,09:00,30,5,3\n"
    result = run(db, text, settings, skip_bad=True)
    assert result.imported == 2 and [str(p) for p in result.skipped] == ["line 3, field before: pain is rated 0 to 10 (got 12)"]
    assert "Imported 2 sessions" in result.plain_words() and "line 3" in result.plain_words()
    with Store.open(db) as store:
        assert store.count() == 2


def test_dry_run_writes_nothing(db, settings, fingerprint) -> None:
    before = fingerprint(db)
    result = run(db, DIARY, settings, dry_run=True)
    assert (result.valid, result.imported) == (3, 0) and "would be imported" in result.plain_words()
    assert fingerprint(db) == before


def test_rest_with_intensity_and_bad_scale(db, settings) -> None:
    text = "start,duration_min,before,after,kind,intensity,scale\n2025-03-03 09:00,30,6,4,rest,3,\n2025-03-04 09:00,30,6,4,tens,3,volts\n2025-03-05 09:00,30,6,4,nap,,\n"
    assert failure(db, text, settings) == [
        "line 2, field intensity: a rest period is without the unit; leave unit and intensity empty",
        "line 3, field scale: 'volts' is not a scale; use level, level:20, level 1-20, mA or mA:80",
        "line 4, field kind: expected 'tens' or 'rest' (got 'nap')",
    ]


def test_intensity_above_the_scale_is_caught_by_the_model(db, settings) -> None:
    text = "start,duration_min,before,after,intensity,scale\n2025-03-03 09:00,30,6,4,15,level 1-10\n"
    assert failure(db, text, settings) == ["line 2, field intensity: above the unit's maximum of 10"]


def test_missing_file_and_unknown_suffix(db, tmp_path, settings) -> None:
    with Store.open(db) as store:
        with pytest.raises(ImportFailed, match="does not exist"):
            import_file(store, tmp_path / "nope.csv", settings=settings)
        (tmp_path / "diary.xlsx").write_bytes(b"PK")
        with pytest.raises(ImportFailed, match="give --format csv or --format json"):
            import_file(store, tmp_path / "diary.xlsx", settings=settings)


def test_time_zone_of_the_row_is_kept(db, settings) -> None:
    run(db, "start,duration_min,before,after\n2025-03-03T09:00+09:00,30,6,4\n", settings)
    with Store.open(db) as store:
        (s,) = store.sessions()
    assert s.start.utcoffset() == timedelta(hours=9) and s.start.hour == 9
    assert s.start == datetime(2025, 3, 3, 0, 0, tzinfo=UTC)
