"""The importers' shared parts that mutation testing showed no fast test pinned (see
docs/mutation.md, "importers-shared"): problems and their summary word for word, the size
limits' wording, the bounded stream's exact edge, and the refusals for files that cannot be
read. No database unless the service is under test."""

from __future__ import annotations

import codecs
import io
import os
import pwd
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from support.trials import CET, make_trial
from tenslog.exports import to_json
from tenslog.imports.common import local, not_future, session_key, validate_session
from tenslog.imports.encoding import decode_utf8, sniff, text_lines
from tenslog.imports.errors import ImportFailed, Problem, file_problem
from tenslog.imports.limits import Limits, too_many_bytes, too_many_rows
from tenslog.imports.service import (
    ImportResult,
    check_sessions,
    guess_format,
    import_bytes,
    import_file,
)
from tenslog.imports.source import BoundedReader, bounded, from_bytes, open_source
from tenslog.manual import store_lookup
from tenslog.model import IntensityScale, Session, Unit
from tenslog.settings import Settings
from tenslog.store import Store
from tenslog.trial.plan import StoredTrial


def test_a_problem_names_its_line_and_field_and_the_summary_counts_them() -> None:
    assert str(Problem(3, "before", "not a number")) == "line 3, field before: not a number"
    assert str(Problem(None, "(file)", "the file is empty")) == "field (file): the file is empty"
    one = ImportFailed([Problem(2, "a", "x")])
    assert str(one) == "1 problem found; nothing was imported:\n  line 2, field a: x"
    assert one.headline == "nothing was imported" and one.problems == [Problem(2, "a", "x")]
    two = ImportFailed([Problem(2, "a", "x"), Problem(None, "b", "y")], "stop")
    assert two.describe() == "2 problems found; stop:\n  line 2, field a: x\n  field b: y"
    assert ImportFailed([], "nothing to do").describe() == "nothing to do"


def test_past_the_limit_the_rest_are_counted_not_listed() -> None:
    many = ImportFailed([Problem(n, "f", "r") for n in range(1, 54)])
    text = many.describe()
    assert text.splitlines()[0] == "53 problems found; nothing was imported:"
    assert text.splitlines()[50] == "  line 50, field f: r"
    assert text.splitlines()[-1] == "  ... and 3 more"
    assert len(text.splitlines()) == 52
    assert many.describe(limit=2).splitlines() == [
        "53 problems found; nothing was imported:", "  line 1, field f: r", "  line 2, field f: r",
        "  ... and 51 more",
    ]
    exactly = ImportFailed([Problem(n, "f", "r") for n in range(1, 51)])
    assert exactly.describe().splitlines()[-1] == "  line 50, field f: r"


def test_a_file_problem_is_about_the_whole_file_unless_told() -> None:
    assert file_problem("gone").problems == [Problem(None, "(file)", "gone")]
    assert file_problem("bad", field="(size)", line=4).problems == [Problem(4, "(size)", "bad")]


def test_the_size_refusals_give_the_size_and_the_limit_in_readable_units() -> None:
    limits = Limits(max_bytes=64 * 1024 * 1024, max_rows=50_000)
    assert too_many_bytes(limits, 3 * 1024**3).problems == [Problem(None, "(size)", (
        "the file is 3.0 GB, over the import limit of 64.0 MB (MAX_IMPORT_BYTES); "
        "import it in parts (e.g. export by --since/--until)"))]
    assert too_many_bytes(Limits(max_bytes=1024), 1536).problems[0].reason.startswith(
        "the file is 1.5 kB, over the import limit of 1.0 kB ")
    assert too_many_bytes(Limits(max_bytes=1023), 1023).problems[0].reason.startswith(
        "the file is 1023 bytes, over the import limit of 1023 bytes ")
    assert too_many_bytes(Limits(max_bytes=1 << 20)).problems[0].reason.startswith(
        "the file is larger than the import limit of 1.0 MB ")
    assert too_many_rows(limits, 7).problems == [Problem(7, "(size)", (
        "the file has more sessions than the import limit of 50,000 (MAX_IMPORT_ROWS); "
        "import it in parts (e.g. export by --since/--until)"))]
    assert too_many_rows(limits).problems[0].line is None


def test_a_stream_is_read_whole_up_to_the_limit_and_refused_one_byte_past_it() -> None:
    assert bounded(io.BytesIO(b"abcdef"), Limits(max_bytes=6)).read() == b"abcdef"
    assert from_bytes(b"abcdef", Limits(max_bytes=6)).read() == b"abcdef"
    with pytest.raises(ImportFailed) as over:
        bounded(io.BytesIO(b"abcdefg"), Limits(max_bytes=6)).read()
    assert over.value.problems[0].reason.startswith("the file is larger than the import limit of 6 bytes ")
    with pytest.raises(ImportFailed) as known:
        from_bytes(b"abcdefg", Limits(max_bytes=6))
    assert known.value.problems[0].reason.startswith("the file is 7 bytes, over the import limit of 6 bytes ")


def test_small_reads_count_towards_the_limit_and_closing_closes_the_file() -> None:
    inner = io.BytesIO(b"abcdef")
    reader = BoundedReader(inner, Limits(max_bytes=6))
    assert reader.readable() is True
    buffer = bytearray(4)
    assert reader.readinto(buffer) == 4 and bytes(buffer) == b"abcd"
    assert reader.readinto(buffer) == 2 and bytes(buffer[:2]) == b"ef"
    assert reader.readinto(buffer) == 0
    reader.close()
    assert inner.closed and reader.closed
    over = BoundedReader(io.BytesIO(b"abcdefg"), Limits(max_bytes=6))
    assert over.readinto(buffer) == 4
    with pytest.raises(ImportFailed):
        over.readinto(buffer)  # reads one byte more than is left, to see the file go on


def test_a_file_that_cannot_be_opened_is_refused_saying_why(tmp_path: Path) -> None:
    def reason(path: Path) -> str:
        with pytest.raises(ImportFailed) as refused:
            open_source(path, Limits())
        (problem,) = refused.value.problems
        assert (problem.line, problem.field) == (None, "(file)")
        return problem.reason

    assert reason(tmp_path / "gone.csv") == f"{tmp_path / 'gone.csv'} does not exist"
    assert reason(tmp_path) == f"{tmp_path} is a folder, not a file"
    looped = tmp_path / "loop"
    looped.symlink_to(looped)
    assert reason(looped) == f"{looped} cannot be read (Too many levels of symbolic links)"


def test_a_regular_file_over_the_limit_is_refused_by_its_size_and_closed(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    path.write_bytes(b"x" * 7)
    with pytest.raises(ImportFailed) as refused:
        open_source(path, Limits(max_bytes=6))
    assert refused.value.problems[0].reason.startswith("the file is 7 bytes, over the import limit of 6 bytes ")
    with open_source(path, Limits(max_bytes=7)) as source:
        assert source.read() == b"x" * 7


SAVE = "save it again as 'CSV UTF-8' (or 'UTF-8 text') and import that."
BINARY = f"the file has NUL bytes, so it is not a text file (a spreadsheet's own format such as .xlsx or .ods?): {SAVE}"


def _sniffed(head: bytes) -> Problem | None:
    refusal = sniff(head)
    if refusal is None:
        return None
    (problem,) = refusal.problems
    return problem


def _pairs(nul_first: int, nul_second: int, reverse: bool = False) -> bytes:
    """Ten two-byte units with that many NULs in their first and second bytes."""
    units = [(b"\x00" if i < nul_first else b"a") + (b"\x00" if i < nul_second else b"b") for i in range(10)]
    return b"".join(u[::-1] for u in units) if reverse else b"".join(units)


def test_each_byte_order_mark_is_named_word_for_word() -> None:
    marks = ((codecs.BOM_UTF16_LE, "UTF-16"), (codecs.BOM_UTF16_BE, "UTF-16"),
             (codecs.BOM_UTF32_LE, "UTF-32"), (codecs.BOM_UTF32_BE, "UTF-32"))
    for mark, name in marks:
        assert _sniffed(mark + b"a\x00") == Problem(1, "(encoding)", (
            f"the file is not UTF-8 text: it is {name} text (it starts with a {name} byte-order mark); {SAVE}"))
    assert _sniffed(b"\xef\xbb\xbfstart,duration_min\n") is None
    assert _sniffed(b"plain text\n") is None


def test_nul_bytes_between_letters_name_utf16_or_utf32_and_otherwise_binary() -> None:
    def guessed(name: str) -> Problem:
        return Problem(1, "(encoding)", f"the file is not UTF-8 text: it seems to be {name} text "
                       f"(letters are separated by NUL bytes); {SAVE}")

    for head in ("ab".encode("utf-16-le"), "ab".encode("utf-16-be")):
        assert _sniffed(head) == guessed("UTF-16")
    for head in ("ab".encode("utf-32-le"), "ab".encode("utf-32-be")):
        assert _sniffed(head) == guessed("UTF-32")
    # Under a fifth of NULs where the letter is, over four fifths elsewhere: both edges.
    for reverse in (False, True):
        assert _sniffed(_pairs(1, 9, reverse)) == guessed("UTF-16")
        assert _sniffed(_pairs(2, 10, reverse)) == Problem(1, "(encoding)", BINARY)
        assert _sniffed(_pairs(0, 8, reverse)) == Problem(1, "(encoding)", BINARY)
    assert _sniffed(b"a,b\nc,d\ne\x00f") == Problem(3, "(encoding)", BINARY)


def test_empty_or_blank_files_and_bad_bytes_are_refused_naming_the_line() -> None:
    for blank in (b"", b" \n\r\n\t"):
        with pytest.raises(ImportFailed) as empty:
            decode_utf8(blank)
        assert empty.value.problems == [Problem(None, "(file)", "the file is empty")]
    assert decode_utf8("\ufeffcafé\n".encode()) == "café\n"
    latin = Problem(2, "(encoding)", (
        "the file is not UTF-8 text (byte 0xE9 cannot be read). It was probably saved in an older "
        f"encoding such as Latin-1 or Windows-1252: {SAVE}"))
    with pytest.raises(ImportFailed) as bad:
        decode_utf8("a\ncafé\n".encode("latin-1"))
    assert bad.value.problems == [latin]
    with pytest.raises(ImportFailed) as streamed:
        list(text_lines(io.BytesIO("a\ncafé\n".encode("latin-1"))))
    assert streamed.value.problems == [latin]
    with pytest.raises(ImportFailed) as sniffed:
        decode_utf8(codecs.BOM_UTF16_LE + "a".encode("utf-16-le"))
    assert "it is UTF-16 text" in sniffed.value.problems[0].reason


def test_lines_keep_their_endings_and_a_late_nul_names_its_line() -> None:
    data = b"\xef\xbb\xbfa,b\r\nc\rd\ne"
    assert list(text_lines(io.BytesIO(data))) == [(1, "a,b\r\n"), (2, "c\r"), (3, "d\n"), (4, "e")]
    assert list(text_lines(io.BufferedReader(io.BytesIO(b"x\n")))) == [(1, "x\n")]  # type: ignore[arg-type]
    late = b"a\n" * 2100 + b"b\x00c\n"  # past the 4096 bytes looked at first
    with pytest.raises(ImportFailed) as refused:
        list(text_lines(io.BytesIO(late)))
    assert refused.value.problems == [Problem(2101, "(encoding)", f"a NUL byte, so the file is not plain text: {SAVE}")]
    with pytest.raises(ImportFailed) as early:
        list(text_lines(io.BytesIO("ab\n".encode("utf-16-le"))))
    assert "it seems to be UTF-16 text" in early.value.problems[0].reason


def test_the_result_in_plain_words_singular_and_plural() -> None:
    assert ImportResult(1, 1).plain_words() == "Imported 1 session."
    assert ImportResult(0, 0).plain_words() == "Imported 0 sessions."
    assert ImportResult(0, 1, dry_run=True).plain_words() == "Dry run: 1 session would be imported; nothing was written."
    assert ImportResult(0, 3, dry_run=True, trials=1).plain_words() == (
        "Dry run: 3 sessions would be imported; nothing was written. With it: 1 personal trial plan.")
    assert ImportResult(2, 2, trials=2).plain_words() == "Imported 2 sessions. With them: 2 personal trial plans."
    skipped = [Problem(3, "before", "bad"), Problem(None, "(file)", "worse")]
    assert ImportResult(2, 2, skipped).plain_words() == (
        "Imported 2 sessions.\nLeft out because of problems (2):\n  line 3, field before: bad\n  field (file): worse")


def test_the_format_is_told_from_the_name_or_refused_naming_the_name() -> None:
    for name in ("a.json", "b.JSON"):
        assert guess_format(Path(name)) == "json"
    for name in ("a.csv", "b.TXT", "c.tsv"):
        assert guess_format(Path(name)) == "csv"
    with pytest.raises(ImportFailed) as refused:
        guess_format(Path("/x/diary.xlsx"))
    assert refused.value.problems == [Problem(None, "format", (
        "cannot tell the format from the name 'diary.xlsx'; give --format csv or --format json"))]


ROWS = "start,duration_min,before,after,unit,scale,intensity\n"
DAY = "2025-03-03T09:00+01:00,30,6,4,TENS 7000,level 1-10,3\n"


def test_every_problem_of_the_file_and_the_database_in_line_order(tmp_path: Path) -> None:
    with Store.open(tmp_path / "t.db") as store:
        import_bytes(store, (ROWS + DAY).encode(), "csv")
        text = (ROWS + "2025-03-04T09:00+01:00,30,6,4,TENS 7000,level 1-20,3\n" + DAY
                + "2025-03-05T09:00+01:00,30,11,4,,,\n")
        with pytest.raises(ImportFailed) as refused:
            import_bytes(store, text.encode(), "csv")
        assert refused.value.headline == (
            "nothing was imported (fix them, or use --skip-bad to import only the good rows)")
        assert [str(p) for p in refused.value.problems] == [
            "line 2, field unit: 'TENS 7000' is already given with scale level 1-10, not level 1-20",
            "line 3, field start: already in the database as session 1 (same start, kind and unit)",
            "line 4, field before: pain is rated 0 to 10 (got 11)",
        ]
        with pytest.raises(ImportFailed) as none_good:
            import_bytes(store, (ROWS + DAY).encode(), "csv", skip_bad=True)
        assert none_good.value.headline == "no good rows, so nothing was imported"
        assert store.count() == 1
        dry = import_bytes(store, (ROWS + DAY + DAY.replace("03T", "06T")).encode(), "csv", skip_bad=True, dry_run=True)
        assert (dry.imported, dry.valid, dry.ids, dry.dry_run, [p.line for p in dry.skipped]) == (0, 1, [], True, [2])
        assert store.count() == 1
        done = import_bytes(store, (ROWS + DAY + DAY.replace("03T", "06T")).encode(), "csv", skip_bad=True)
        assert (done.imported, done.valid, done.ids, done.dry_run, done.trials) == (1, 1, [2], False, 0)
        assert store.count() == 2


def test_a_file_that_fails_while_being_read_is_refused_saying_why(tmp_path: Path) -> None:
    class Failing(io.RawIOBase):
        def readable(self) -> bool:
            return True

        def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
            raise OSError(5, "Input/output error")

    with Store.open(tmp_path / "t.db") as store:
        for fmt in ("csv", "json"):
            with pytest.raises(ImportFailed) as refused:
                import_bytes(store, io.BufferedReader(Failing()), fmt)  # type: ignore[arg-type]
            assert refused.value.problems == [Problem(None, "(file)", "the file cannot be read (Input/output error)")]


FUTURE = datetime(2999, 1, 1, 9, tzinfo=UTC)


def _problems(data: dict, columns: dict[str, str] | None = None) -> list[str]:
    session, problems = validate_session(data, 7, columns)
    assert session is None
    return [str(p) for p in problems]


def test_a_start_in_the_future_is_said_once_in_the_files_own_column() -> None:
    later = {"start": FUTURE, "end": FUTURE + timedelta(minutes=30),
             "ratings": [{"moment": "after", "value": 3, "at": FUTURE + timedelta(minutes=40)}]}
    assert _problems(later) == ["line 7, field start: is in the future"]
    assert _problems(later, {"start": "date", "end": "stop"}) == ["line 7, field date: is in the future"]
    # Another kind of problem is still said, under its own column.
    eleven = {**later, "ratings": [{"moment": "after", "value": 11, "at": FUTURE + timedelta(minutes=40)}]}
    assert _problems(eleven, {"start": "date"}) == [
        "line 7, field date: is in the future",
        "line 7, field pain rating: input should be less than or equal to 10 (got 11)",
    ]
    # A start before 1970 does not hide a rating time in the future.
    old = datetime(1960, 1, 1, tzinfo=UTC)
    early = {"start": old, "end": old + timedelta(minutes=30), "ratings": [{"moment": "after", "value": 3, "at": FUTURE}]}
    assert _problems(early, {"start": "date"}) == [
        "line 7, field date: is before 1970; check the year", "line 7, field rating time: is in the future"]
    good, none = validate_session({"start": NOW, "end": NOW + timedelta(minutes=5)}, 7)
    assert none == [] and good is not None and good.start == NOW


NOW = datetime(2025, 3, 3, 9, tzinfo=UTC)
TENS_UNIT = Unit(driver="manual", identity="import:U", name="U", scale=IntensityScale(kind="level", maximum=10))


def test_duplicates_are_the_same_start_to_the_millisecond_kind_and_unit() -> None:
    def key(start: datetime, unit: Unit | None = TENS_UNIT) -> tuple[float, str, str | None]:
        return session_key(Session(start=start, end=start + timedelta(minutes=30), unit=unit))

    assert key(NOW) == (NOW.timestamp(), "tens", "U")
    assert key(NOW, None) == (NOW.timestamp(), "tens", None)
    assert key(NOW + timedelta(microseconds=1234)) == (round(NOW.timestamp() + 0.001, 3), "tens", "U")
    assert key(NOW + timedelta(microseconds=400)) == key(NOW)
    assert key(NOW + timedelta(microseconds=400_000)) != key(NOW)


def test_a_time_past_now_becomes_now_in_its_own_offset(sao_paulo: str) -> None:
    assert not_future(NOW) == NOW
    plus_one = timezone(timedelta(hours=1))
    clamped = not_future(FUTURE.astimezone(plus_one))
    assert clamped.utcoffset() == timedelta(hours=1)
    assert abs(clamped - datetime.now(UTC)) < timedelta(minutes=5)
    assert local(datetime(2025, 3, 3, 9)) == datetime(2025, 3, 3, 12, tzinfo=UTC)
    assert local(NOW) is NOW


def test_a_file_this_user_may_not_read_is_refused_saying_so(tmp_path: Path) -> None:
    path = tmp_path / "diary.csv"
    path.write_bytes(ROWS.encode())
    path.chmod(0)
    expected = f"{path} cannot be read (permission denied)"
    if os.geteuid() != 0:
        with pytest.raises(ImportFailed) as refused:
            open_source(path, Limits())
        assert refused.value.problems == [Problem(None, "(file)", expected)]
        return
    with open_source(path, Limits()) as source:  # root reads any file ...
        assert source.read() == ROWS.encode()
    read, write = os.pipe()
    child = os.fork()
    if child == 0:  # ... so a child that is not root tries
        try:
            nobody = pwd.getpwnam("nobody")
            os.setgid(nobody.pw_gid)
            os.setuid(nobody.pw_uid)
            try:
                open_source(path, Limits())
                os.write(write, b"opened")
            except ImportFailed as failed:
                os.write(write, str(failed.problems[0]).encode())
        finally:
            os._exit(0)
    os.close(write)
    os.waitpid(child, 0)
    with os.fdopen(read, "rb") as said:
        assert said.read().decode() == f"field (file): {expected}"


def test_the_first_4096_bytes_are_looked_at_whole_and_a_nul_after_them_on_its_line() -> None:
    assert _sniffed(b"a\x00") == Problem(1, "(encoding)", (
        f"the file is not UTF-8 text: it seems to be UTF-16 text (letters are separated by NUL bytes); {SAVE}"))
    just_past = b"a\n" * 2048 + b"\x00\n"  # the NUL is byte 4097
    with pytest.raises(ImportFailed) as refused:
        list(text_lines(io.BytesIO(just_past)))
    assert refused.value.problems == [Problem(2049, "(encoding)", f"a NUL byte, so the file is not plain text: {SAVE}")]
    assert decode_utf8(just_past) == "a\n" * 2048 + "\x00\n"  # the JSON reader refuses it, naming the line
    with pytest.raises(ImportFailed) as within:
        decode_utf8(b"a\n" * 2047 + b"a\x00\n")
    assert within.value.problems == [Problem(2048, "(encoding)", BINARY)]


def test_the_line_named_counts_the_line_breaks_before_the_bad_byte_only() -> None:
    with pytest.raises(ImportFailed) as bad:
        decode_utf8("\nb\ncafé\nx\ny\nz\n".encode("latin-1"))
    assert [p.line for p in bad.value.problems] == [3]
    assert _sniffed(b"\na,b\nc\x00d\ne\x00f\n") == Problem(3, "(encoding)", BINARY)


def test_importing_a_file_passes_on_the_settings_skip_bad_and_dry_run(tmp_path: Path) -> None:
    path = tmp_path / "diary.csv"
    path.write_text("start,duration_min,before,after,follow_up\n2025-03-03T09:00+01:00,30,6,4,3\n"
                    "2025-03-04T09:00+01:00,30,16,4,\n")
    with Store.open(tmp_path / "t.db") as store:
        dry = import_file(store, path, skip_bad=True, dry_run=True)
        assert (dry.dry_run, dry.valid, dry.imported, [p.line for p in dry.skipped]) == (True, 1, 0, [3])
        assert store.count() == 0
        done = import_file(store, path, None, Settings(db=tmp_path / "t.db", follow_up_minutes=90), skip_bad=True)
        assert (done.dry_run, done.imported) == (False, 1)
        (session,) = store.sessions()
        follow_up = next(r for r in session.ratings if r.moment.value == "follow_up")
        assert follow_up.at - session.end == timedelta(minutes=90)


def test_the_settings_reach_the_csv_reader_and_the_trials_of_a_json_file_are_counted(tmp_path: Path) -> None:
    text = b"start,duration_min,before,after,follow_up\n2025-03-03T09:00+01:00,30,6,4,3\n"

    def follow_up_after_end(found: list[tuple[int | None, Session]]) -> timedelta:
        ((_, session),) = found
        assert session.end is not None
        return next(r.at for r in session.ratings if r.moment.value == "follow_up") - session.end

    assert follow_up_after_end(check_sessions(text, "csv")[0]) == timedelta(minutes=30)
    later = Settings(db=tmp_path / "t.db", follow_up_minutes=90)
    assert follow_up_after_end(check_sessions(text, "csv", later)[0]) == timedelta(minutes=90)
    trial = make_trial(pairs=4, period_days=2, washout_days=1, seed=9)
    start = datetime(2026, 1, 5, 9, tzinfo=CET)
    rest = Session(kind="rest", start=start, end=start + timedelta(minutes=30))
    exported = to_json([rest], [StoredTrial(1, trial.plan, None, ())]).encode()
    with Store.open(tmp_path / "t.db") as store:
        with_settings = import_bytes(store, text, "csv", later, dry_run=True)
        assert with_settings.valid == 1
        dry = import_bytes(store, exported, "json", dry_run=True)
        assert (dry.trials, store.trials()) == (1, [])
        done = import_bytes(store, exported, "json")
        assert (done.imported, done.trials, done.dry_run) == (1, 1, False)
        assert [t.plan for t in store.trials()] == [trial.plan]


def test_a_unit_named_without_its_scale_takes_the_stored_units_scale(tmp_path: Path) -> None:
    named = b"start,duration_min,before,after,unit,intensity\n2025-03-04T09:00+01:00,30,6,4,TENS 7000,15\n"
    with Store.open(tmp_path / "t.db") as store:
        import_bytes(store, (ROWS + DAY.replace("level 1-10", "level 1-20")).encode(), "csv")
        ((_, session),), problems = check_sessions(named, "csv", lookup=store_lookup(store))
        assert problems == [] and session.unit is not None and session.unit.scale.maximum == 20
        assert import_bytes(store, named, "csv").imported == 1
        assert {s.unit.scale.maximum for s in store.sessions() if s.unit is not None} == {20}
