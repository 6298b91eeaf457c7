"""Import behaviour that mutation testing showed no fast test pinned (see docs/mutation.md).
CSV: numbers below 0 or not finite refused naming the column, 0 accepted, the note's escapes,
quote errors naming the line and the column. JSON: each session's line, every refusal word for
word, the trials. parse_csv / parse_json only: no database needed."""

from __future__ import annotations

import io
import json
from dataclasses import replace
from datetime import datetime, timedelta, timezone

import pytest

from support.trials import make_trial
from tenslog.imports import ImportFailed
from tenslog.imports.csv_import import parse_csv
from tenslog.imports.errors import Problem
from tenslog.imports.json_import import parse_json, parse_json_with_trials, session_lines
from tenslog.imports.limits import LIMITS, Limits
from tenslog.manual import unit_data
from tenslog.model import IntensityScale, Unit
from tenslog.settings import Settings
from tenslog.trial.exchange import trial_to_dict

SETTINGS = Settings(db="/nonexistent/never-opened.db")
HEAD = "start,duration_min,before,after,unit,intensity,note\n"
NINE = datetime(2025, 3, 3, 9, 0, tzinfo=timezone(timedelta(hours=1)))


def read(rows: str) -> tuple[list[tuple[int, dict]], list[str]]:
    good, problems = parse_csv((HEAD + rows).encode(), SETTINGS)
    return good, [str(p) for p in problems]


def test_negative_or_endless_numbers_are_refused_naming_the_column() -> None:
    good, problems = read(
        "2025-03-03T09:00+01:00,-5,6,4,,,\n2025-03-03T09:00+01:00,inf,6,4,,,\n"
        "2025-03-03T09:00+01:00,nan,6,4,,,\n2025-03-03T09:00+01:00,30,6,4,U,-1,\n"
    )
    assert good == []
    assert problems == [
        "line 2, field duration_min: must be a number of 0 or more (got '-5')",
        "line 3, field duration_min: must be a number of 0 or more (got 'inf')",
        "line 4, field duration_min: must be a number of 0 or more (got 'nan')",
        "line 5, field intensity: must be a number of 0 or more (got '-1')",
    ]


def test_zero_and_fractions_below_one_are_numbers() -> None:
    good, problems = read("2025-03-03T09:00+01:00,0.5,6,4,U,0,\n2025-03-03T09:00+01:00,30,6,4,U,0.5,\n")
    assert problems == []
    assert [(line, row["end"] - row["start"], row["intensity"]) for line, row in good] == [
        (2, timedelta(seconds=30), [{"at": NINE, "value": 0.0}]),
        (3, timedelta(minutes=30), [{"at": NINE, "value": 0.5}]),
    ]


def test_the_notes_escapes_are_read_back_and_other_backslashes_kept() -> None:
    [(_, row)], problems = read("2025-03-03T09:00+01:00,30,6,4,,,a\\nb\\tc\\\\d\\x\n")
    assert problems == [] and row["context"]["note"] == "a\nb\tc\\d\\x"


def test_quote_errors_name_the_line_and_the_column() -> None:
    good, problems = read(
        '2025-03-03T09:00+01:00,30,6,4,U,1,"open\n2025-03-03T09:00+01:00,30,6,4,U,1,a "b" c\n'
        '2025-03-03T09:00+01:00,30,6,4,U,1,x,"y\n'
    )
    assert good == []
    assert problems == [
        ('line 2, field note: a quote (") opens here and is not closed on this line; close it '
        "(a value cannot span lines)"),
        ('line 3, field note: a quote (") inside a value that does not start with one; put the '
        'whole value in quotes and double the quote inside, e.g. "5"" pads"'),
        # Past the header's last column: named by its number.
        ('line 4, field column 8: a quote (") opens here and is not closed on this line; close it '
        "(a value cannot span lines)"),
    ]


CONTEXT_HEAD = ("start,duration_min,before,after,follow_up,for_doctor,treatments,medications,"
                "regions,side_effects,extra_ratings\n")  # fmt: skip


def test_the_context_columns_are_read_item_by_item() -> None:
    rows = ("2025-03-03T09:00+01:00,30,6,4,3, Yes ,heat pad; ; stretching,tizanidine 2 mg; ibuprofen,"
            "Neck; Lower back,Drowsiness,stiffness/spasm before 6; stiffness/spasm follow_up 3\n"
            "2025-03-03T09:00+01:00,30,6,4,,no,,,,,\n")  # fmt: skip
    good, problems = parse_csv((CONTEXT_HEAD + rows).encode(), SETTINGS)
    assert problems == []
    assert [line for line, _ in good] == [2, 3]
    first, second = (row for _, row in good)
    follow_up_at = NINE + timedelta(minutes=30 + SETTINGS.follow_up_minutes)
    assert first["context"] == {
        "note": "",
        "for_doctor": True,
        "treatments": [{"name": "heat pad"}, {"name": "stretching"},
                       {"name": "tizanidine", "dose": "2 mg", "medication": True},
                       {"name": "ibuprofen", "medication": True}],
        "regions": ["neck", "lower back"],
        "side_effects": ["drowsiness"],
        "extra_ratings": [
            {"name": "stiffness/spasm", "moment": "before", "value": 6, "at": NINE},
            {"name": "stiffness/spasm", "moment": "follow_up", "value": 3, "at": follow_up_at},
        ],
    }
    assert second["context"] == {"note": "", "for_doctor": False, "treatments": [], "regions": [],
                                 "side_effects": [], "extra_ratings": []}  # fmt: skip


def test_a_bad_context_cell_is_refused_naming_its_column() -> None:
    rows = ("2025-03-03T09:00+01:00,30,6,4,,maybe,,,,,\n2025-03-03T09:00+01:00,30,6,4,,,,,,,stiffness 6\n"
            "2025-03-03T09:00+01:00,30,6,4,,,,,,,stiffness during 6\n"
            "2025-03-03T09:00+01:00,30,6,4,,,,,,,stiffness after 100\n")  # fmt: skip
    good, problems = parse_csv((CONTEXT_HEAD + rows).encode(), SETTINGS)
    assert good == []
    expected = "expected NAME before|after|follow_up 0-10"
    assert [str(p) for p in problems] == [
        "line 2, field for_doctor: expected 'yes' or empty (got 'maybe')",
        f"line 3, field extra_ratings: {expected} (got 'stiffness 6')",
        f"line 4, field extra_ratings: {expected} (got 'stiffness during 6')",
        f"line 5, field extra_ratings: {expected} (got 'stiffness after 100')",
    ]


def test_a_row_without_its_start_is_refused_saying_what_to_give() -> None:
    good, problems = read(",30,6,4,,,\n")
    assert good == []
    assert problems == ["line 2, field start: missing: give the start (or a date and a time)"]


def test_an_extra_rating_may_have_a_name_of_several_words() -> None:
    rows = "2025-03-03T09:00+01:00,30,6,4,,,,,,,lower back ache after 3\n"
    [(_, row)], problems = parse_csv((CONTEXT_HEAD + rows).encode(), SETTINGS)
    assert problems == []
    assert row["context"]["extra_ratings"] == [
        {"name": "lower back ache", "moment": "after", "value": 3, "at": NINE + timedelta(minutes=30)}
    ]


def test_a_quote_error_in_the_first_column_names_it() -> None:
    good, problems = read('"2025-03-03T09:00+01:00,30,6,4,,,\n')
    assert good == []
    assert problems == [
        ('line 2, field start: a quote (") opens here and is not closed on this line; close it '
        "(a value cannot span lines)")
    ]


def test_a_missing_or_bad_end_duration_or_time_is_refused_naming_it() -> None:
    text = ("date,time,end,duration_min,before,after\n2025-03-03,09:00,soon,,6,4\n"
            "2025-03-03,09:00,,,6,4\n2025-03-03,09:00,,1441,6,4\n2025-03-03,,,30,6,4\n")  # fmt: skip
    good, problems = parse_csv(text.encode(), SETTINGS)
    assert good == []
    assert [str(p) for p in problems] == [
        ("line 2, field end: not a date and time I can read (got 'soon'); "
        "use e.g. 2025-03-03 09:00 or 2025-03-03T09:00+01:00"),
        "line 3, field duration_min: missing: give the duration in minutes (or the end time)",
        "line 4, field duration_min: longer than a day (1441 minutes)",
        "line 5, field time: missing: give the time the session started, e.g. 09:00",
    ]


def test_text_after_a_closing_quote_names_that_cells_column() -> None:
    # It named the row's last column (note) whatever cell was wrong: the loose re-read that
    # finds the column swallows the stray text into the cell and reads on to the line's end.
    good, problems = read(
        '2025-03-03T09:00+01:00,"30"x,6,4,U,1,fine\n2025-03-03T09:00+01:00,30,6,4,"U" 2,1,"a, b"\n'
        '2025-03-03T09:00+01:00,30,6,4,U,1,"a"b\n"2025-03-03T09:00+01:00"x,30,6,4,U,1,c\n'
        # A space before the quote, and a well-quoted cell before the wrong one.
        '2025-03-03T09:00+01:00,30,6,4, "U"x,1,c\n"2025-03-03T09:00+01:00","30"x,6,4,U,1,c\n'
    )
    assert good == []
    reason = ('text after a closing quote ("); put the whole value in quotes and double any '
              'quote inside, e.g. "5"" pads"')
    assert problems == [f"line 2, field duration_min: {reason}", f"line 3, field unit: {reason}",
                        f"line 4, field note: {reason}", f"line 5, field start: {reason}",
                        f"line 6, field unit: {reason}", f"line 7, field duration_min: {reason}"]
    # Semicolons (or tabs) separate the same way.
    text = 'start;duration_min;before;after;note\n2025-03-03T09:00+01:00;"30"x;6;4;a\n'
    assert [str(p) for p in parse_csv(text.encode(), SETTINGS)[1]] == [f"line 2, field duration_min: {reason}"]


# JSON import (tenslog.imports.json_import): where each session starts, and the refusals word
# for word. parse_json_with_trials only: no database needed.


def test_each_session_is_found_on_its_line_whatever_the_layout() -> None:
    text = ('\r\n {\n  "format": "tenslog",\n  "version": 2,\n  "sessions": [\n'
            '    {"a": [1, {"b": "]"}]},\n\n    {"c": "}\\n"}, {"d": 1}\n  ]\t,\n  "trials": []\n}\n')  # fmt: skip
    assert session_lines(text) == [6, 8, 8]
    assert session_lines('{"sessions":[{},{}]}') == [1, 1]
    assert session_lines('{"sessions" : [ ] }') == []
    assert session_lines('\n{"format":"tenslog","sessions":[{}],"trials":[]}') == [2]
    # Not the layout of an export: the problems then name no line.
    for odd in ('{"sessions": 3}', "{}", '[{"sessions": []}]', '{"sessions" [1]}', '{"sessions": [1,', '"x"', ""):
        assert session_lines(odd) is None, odd


def json_problems(data: bytes, limits: Limits = LIMITS) -> list[str]:
    with pytest.raises(ImportFailed) as caught:
        parse_json_with_trials(data, limits)
    return [str(p) for p in caught.value.problems]


def test_a_file_that_is_not_a_tenslog_export_is_refused_saying_why() -> None:
    export = '{"format": "tenslog", "version": 2, "sessions": [...]}'
    cases = {
        b'{"format": "tenslog",\n "version": 2, "sessions": [}': "line 2, field (file): not valid JSON: Expecting value (column 29)",
        b"[" * 100_000 + b"]" * 100_000: "field (file): not valid JSON: nested too deeply",
        b'{"version": 2, "sessions": [{}]}': f"field format: not a tenslog export: expected {export}",
        b'{"format": "Tenslog", "version": 2, "sessions": [{}]}': f"field format: not a tenslog export: expected {export}",
        b'[{"format": "tenslog"}]': f"field format: not a tenslog export: expected {export}",
        b'{"format": "tenslog", "version": "2", "sessions": [{}]}': "field version: expected a version number (got '2')",
        b'{"format": "tenslog", "version": true, "sessions": [{}]}': "field version: expected a version number (got True)",
        b'{"format": "tenslog", "version": 0, "sessions": [{}]}': "field version: expected a version number (got 0)",
        b'{"format": "tenslog", "sessions": [{}]}': "field version: expected a version number (got None)",
        b'{"format": "tenslog", "version": 3, "sessions": [{}]}': "field version: made by a newer tenslog (format version 3; this one reads 2): update tenslog",
        b'{"format": "tenslog", "version": 2}': "field sessions: expected a list of sessions",
        b'{"format": "tenslog", "version": 2, "sessions": {}}': "field sessions: expected a list of sessions",
        b'{"format": "tenslog", "version": 2, "sessions": []}': "field sessions: there are no sessions in the file",
    }  # fmt: skip
    assert {data: json_problems(data) for data in cases} == {data: [want] for data, want in cases.items()}


def test_json_sessions_up_to_the_row_limit_are_read_and_one_more_refused() -> None:
    two = b'{"format": "tenslog", "version": 1, "sessions": [{}, {}]}'
    assert parse_json(two, Limits(max_rows=2)) == ([(1, {}), (1, {})], [])
    with pytest.raises(ImportFailed) as caught:
        parse_json(two, Limits(max_rows=1))
    assert [str(p) for p in caught.value.problems] == [
        ("field (size): the file has more sessions than the import limit of 1 (MAX_IMPORT_ROWS); "
         "import it in parts (e.g. export by --since/--until)")
    ]
    assert json_problems(two.replace(b"{}]", b"{}, {}]"), Limits(max_rows=2)) == [
        ("field (size): the file has more sessions than the import limit of 2 (MAX_IMPORT_ROWS); "
         "import it in parts (e.g. export by --since/--until)")
    ]


def test_json_sessions_keep_their_line_lose_their_id_and_bad_ones_are_named() -> None:
    text = ('{"format": "tenslog", "version": 2, "sessions": [\n{"id": 7, "kind": "rest"},\n3,\n'
            '{"state": "recording"},\n{"state": "complete", "id": 8}]}')  # fmt: skip
    rows, problems, trials = parse_json_with_trials(text.encode())
    assert rows == [(2, {"kind": "rest"}), (5, {"state": "complete"})]
    assert [str(p) for p in problems] == [
        "line 3, field session: expected an object { ... }",
        "line 4, field state: a session still recording cannot be imported",
    ]
    assert trials == []


def test_the_files_trials_are_read_and_bad_ones_named_by_their_place() -> None:
    trial = make_trial(pairs=3, period_days=2, washout_days=1, seed=9)
    good = json.dumps(trial_to_dict(trial))
    head = '{"format": "tenslog", "version": 2, "sessions": [{}], "trials": '
    rows, problems, trials = parse_json_with_trials(f"{head}[{good}, {{}}, 3]}}".encode())
    assert rows == [(1, {})] and trials == [replace(trial, id=0)]  # the database numbers it
    assert [str(p) for p in problems] == [
        'field trials[1]: order: expected a list of "tens-first" / "rest-first"',
        "field trials[2]: trial: expected an object { ... }",
    ]
    assert parse_json_with_trials(f"{head}{{}}}}".encode())[1:] == (
        [Problem(None, "trials", "expected a list of trials")], [])
    # parse_json gives the sessions' problems only (a file without trials here), from an opened file too.
    assert parse_json(io.BytesIO(b'{"format": "tenslog", "version": 2, "sessions": [{}, 3]}')) == (
        [(1, {})], [Problem(1, "session", "expected an object { ... }")])



def test_a_date_without_a_time_column_is_refused_asking_for_the_time() -> None:
    # No time column at all (the header needs only a date), or a short row that ends before it.
    text = "date,duration_min,before,after\n2025-03-03,30,6,4\n2025-03-03T09:00+01:00,30,6,4\n"
    good, problems = parse_csv(text.encode(), SETTINGS)
    assert [str(p) for p in problems] == [
        "line 2, field time: missing: give the time the session started, e.g. 09:00"]
    assert [(line, row["start"]) for line, row in good] == [(3, NINE)]
    good, problems = parse_csv(b"date,duration_min,before,after,time\n2025-03-03,30,6,4\n", SETTINGS)
    assert good == [] and [str(p) for p in problems] == [
        "line 2, field time: missing: give the time the session started, e.g. 09:00"]


def csv_refusal(text: str, limits: Limits = LIMITS) -> tuple[str, list[str]]:
    with pytest.raises(ImportFailed) as caught:
        parse_csv(text.encode(), SETTINGS, limits)
    return caught.value.headline, [str(p) for p in caught.value.problems]


def test_the_header_names_each_wrong_or_missing_column_on_its_line() -> None:
    known = ("after, before, date, duration_min, end, extra_ratings, follow_up, for_doctor, intensity, "
             "kind, medications, note, regions, scale, side_effects, source, start, state, time, treatments, unit")  # fmt: skip
    assert csv_refusal("Start, Pain  Before ,after,duration,befor,AFTER,id,,Change\n") == (
        "the columns are not right, so nothing was imported",
        [f"line 1, field befor: unknown column 'befor'; expected some of: {known}",
         "line 1, field AFTER: column 'AFTER' appears twice (as after)"])
    assert csv_refusal("\n\nnote\n") == ("the columns are not right, so nothing was imported", [
        "line 3, field start (or date and time): missing column",
        "line 3, field duration_min (or end): missing column",
        "line 3, field before: missing column", "line 3, field after: missing column"])
    assert csv_refusal(' \n"start,duration_min,before,after\n') == ("nothing was imported", [
        ('line 2, field (file): the header row cannot be read: a quote (") opens here and is not '
        "closed on this line; close it (a value cannot span lines)")])


def test_ignored_and_unnamed_columns_are_skipped_and_spacing_in_names_is_an_underscore() -> None:
    text = "Start, Pain  Before ,after,duration,id,,Change\n2025-03-03T09:00+01:00,6,4,30,17,x,9\n"
    [(line, row)], problems = parse_csv(text.encode(), SETTINGS)
    assert problems == [] and line == 2
    assert (row["start"], row["end"], row["ratings"]) == (NINE, NINE + timedelta(minutes=30), [
        {"moment": "before", "value": 6, "at": NINE},
        {"moment": "after", "value": 4, "at": NINE + timedelta(minutes=30)}])


def test_tabs_separate_when_the_header_has_most_of_them() -> None:
    text = "start\tduration_min\tbefore\tafter\tnote\n2025-03-03T09:00+01:00\t30\t6\t4\ta, b; c\n"
    [(line, row)], problems = parse_csv(text.encode(), SETTINGS)
    assert problems == [] and line == 2 and (row["end"], row["context"]["note"]) == (NINE + timedelta(minutes=30), "a, b; c")


def test_the_row_limit_counts_sessions_not_blank_lines_and_names_the_line() -> None:
    row = "2025-03-03T09:00+01:00,30,6,4\n"
    text = "start,duration_min,before,after\n" + row + "\n" + row.replace("09:", "10:")
    assert [line for line, _ in parse_csv(text.encode(), SETTINGS, Limits(max_rows=2))[0]] == [2, 4]
    assert csv_refusal(text + row.replace("09:", "11:"), Limits(max_rows=2)) == ("nothing was imported", [
        ("line 5, field (size): the file has more sessions than the import limit of 2 (MAX_IMPORT_ROWS); "
        "import it in parts (e.g. export by --since/--until)")])


def test_empty_rows_are_skipped_long_ones_refused_short_ones_read() -> None:
    text = ("start,duration_min,before,after\n,,,\n  \n2025-03-03T09:00+01:00,30,6,4,\n"
            "9999-12-31T23:00+00:00,120,6,4\n2025-03-03T10:00+01:00,30\n")  # fmt: skip
    good, problems = parse_csv(text.encode(), SETTINGS)
    assert [str(p) for p in problems] == ["line 4, field row: has 5 cells but the header has 4 columns",
                                          "line 5, field row: cannot be read (date value out of range)"]
    ten = NINE + timedelta(hours=1)
    assert [(line, row["start"], row["end"], row["ratings"]) for line, row in good] == [
        (6, ten, ten + timedelta(minutes=30), [])]


def test_an_end_column_left_empty_asks_for_the_duration_or_the_end() -> None:
    text = ("start,end,before,after\n2025-03-03T09:00+01:00,,6,4\n2025-03-03T09:00+01:00\n"
            "2025-03-03T09:00+01:00,2025-03-03T09:30+01:00,6,4\n")  # fmt: skip
    good, problems = parse_csv(text.encode(), SETTINGS)
    missing = "field duration_min: missing: give the duration in minutes (or the end time)"
    assert [str(p) for p in problems] == [f"line 2, {missing}", f"line 3, {missing}"]
    assert [(line, row["end"]) for line, row in good] == [(4, NINE + timedelta(minutes=30))]


def test_blank_kind_state_and_source_cells_take_their_defaults_and_a_day_is_the_longest() -> None:
    # Quoted: a space after a comma is skipped (skipinitialspace), a quoted one is kept.
    text = ('start,duration_min,before,after,kind,state,source\n2025-03-03T09:00+01:00,1440,6,4," "," "," "\n'
            '2025-03-03T09:00+01:00,30,6,4,tens,INTERRUPTED,\n2025-03-03T09:00+01:00,30,6,4,,paused,\n')  # fmt: skip
    good, problems = parse_csv(text.encode(), SETTINGS)
    assert [(line, row["kind"], row["state"], row["source"], row["end"] - row["start"]) for line, row in good] == [
        (2, "tens", "complete", "manual", timedelta(days=1)),
        (3, "tens", "interrupted", "manual", timedelta(minutes=30))]
    assert [str(p) for p in problems] == ["line 4, field state: expected 'complete' or 'interrupted' (got 'paused')"]


def test_a_unit_is_made_from_any_of_its_name_scale_or_intensity_and_a_rest_refuses_it() -> None:
    text = ("start,duration_min,before,after,kind,unit,scale,intensity\n2025-03-03T09:00+01:00,30,6,4,,,,\n"
            "2025-03-03T09:00+01:00,30,6,4,,,level 1-20,\n2025-03-03T09:00+01:00,30,6,4,,Clinic,,\n"
            "2025-03-03T09:00+01:00,30,6,4,,,,3\n2025-03-03T09:00+01:00,30,6,4,rest,Clinic,,\n")  # fmt: skip
    good, problems = parse_csv(text.encode(), SETTINGS)
    mine = {"driver": "manual", "identity": "my-tens-unit", "name": "My TENS unit"}
    assert [(line, row["unit"], row["intensity"]) for line, row in good] == [
        (2, None, []),
        (3, {**mine, "scale": {"kind": "level", "maximum": 20.0}}, []),
        (4, {"driver": "manual", "identity": "clinic", "name": "Clinic", "scale": {"kind": "level", "maximum": None}}, []),
        (5, {**mine, "scale": {"kind": "level", "maximum": None}}, [{"at": NINE, "value": 3.0}])]
    assert [str(p) for p in problems] == [
        "line 6, field unit: a rest period is without the unit; leave unit and intensity empty"]


def test_a_unit_named_without_a_scale_keeps_its_stored_scale() -> None:
    clinic = Unit(**unit_data("Clinic", IntensityScale(kind="mA", maximum=80), None))
    text = ("start,duration_min,before,after,unit,scale\n2025-03-03T09:00+01:00,30,6,4, clinic ,\n"
            "2025-03-03T09:00+01:00,30,6,4,Clinic,mA\n")  # fmt: skip
    good, problems = parse_csv(text.encode(), SETTINGS, lookup=lambda name: clinic if name.lower() == "clinic" else None)
    assert problems == []
    assert [row["unit"]["scale"] for _, row in good] == [{"kind": "mA", "maximum": 80.0}, {"kind": "mA", "maximum": None}]


def test_an_opened_file_is_read_too_and_the_follow_up_is_rated_when_the_settings_say() -> None:
    text = b"start,duration_min,before,after,follow_up\n2025-03-03T09:00+01:00,30,6,4,3\n"
    [(line, row)], problems = parse_csv(io.BytesIO(text), Settings(db="/nonexistent/x.db", follow_up_minutes=90))
    assert problems == [] and line == 2
    assert row["ratings"][2] == {"moment": "follow_up", "value": 3, "at": NINE + timedelta(minutes=120)}


def test_a_quoted_value_may_follow_spaces_and_keeps_its_own() -> None:
    [(_, row)], problems = read('2025-03-03T09:00+01:00, 30,6,4,  "U, 2",1, "  a, ""b"""\n')
    assert problems == []
    assert (row["end"], row["unit"]["name"], row["context"]["note"]) == (
        NINE + timedelta(minutes=30), "U, 2", '  a, "b"')


def test_an_extra_rating_may_be_typed_with_more_than_one_space_or_a_tab() -> None:
    # It was refused ("stiffness after  3" split into "stiffness after", "", "3").
    rows = '2025-03-03T09:00+01:00,30,6,4,,,,,,,"stiffness  after   3; lower back\tbefore 2"\n'
    [(_, row)], problems = parse_csv((CONTEXT_HEAD + rows).encode(), SETTINGS)
    assert problems == []
    assert row["context"]["extra_ratings"] == [
        {"name": "stiffness", "moment": "after", "value": 3, "at": NINE + timedelta(minutes=30)},
        {"name": "lower back", "moment": "before", "value": 2, "at": NINE},
    ]
