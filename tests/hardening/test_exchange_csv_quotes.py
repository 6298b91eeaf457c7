"""CSV quotes are strict and one line is one row. Before the fix an unclosed quote swallowed the
lines after it into one unit name with line breaks, and the import reported success."""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from support.exchange import HEADER, diary, diary_row, filled_database, fingerprint, tenslog
from tenslog.imports import ImportFailed, check_sessions, import_bytes
from tenslog.store import Store

SWALLOWING = (
    "start,duration_min,before,after,unit\n"
    "2025-05-03 09:00,30,6,4,TENS 7000\n"
    '2025-05-04 09:00,30,6,4,"TENS 7000\n'  # the quote opens on line 3 and is never closed
    "2025-05-05 09:00,30,6,4,TENS 7000\n"
    "2025-05-06 09:00,30,6,4,TENS 7000\n"
)


def test_an_unclosed_quote_is_refused_naming_its_line(tmp_path: Path) -> None:
    db = filled_database(tmp_path / "tenslog.db")
    with Store.open(db) as store:
        before = fingerprint(store)
    (tmp_path / "diary.csv").write_text(SWALLOWING)
    result = tenslog(db, "import", str(tmp_path / "diary.csv"))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "1 problem found; nothing was imported" in result.stderr
    assert 'line 3, field unit: a quote (") opens here and is not closed on this line' in result.stderr
    with Store.open(db) as store:
        assert fingerprint(store) == before
    # With --skip-bad only that row is left out: the rows after it are not lost.
    result = tenslog(db, "import", str(tmp_path / "diary.csv"), "--skip-bad")
    assert result.returncode == 0 and "Imported 3 sessions." in result.stdout and "line 3, field unit" in result.stdout
    with Store.open(db) as store:
        assert {s.unit.name for s in store.sessions() if s.unit} == {"TENS 7000"}


@pytest.mark.parametrize(("line", "reason"), [
    ('2025-03-04 09:00,30,6,4,"TENS" 7000\n', "text after a closing quote"),
    ('2025-03-04 09:00,30,6,4,TENS 5" pads\n', "a quote (\") inside a value that does not start with one"),
    ('"2025-03-04 09:00,30,6,4,TENS\n', "a quote (\") opens here and is not closed"),
])  # fmt: skip
def test_other_broken_quotes_are_refused(store: Store, line: str, reason: str) -> None:
    data = f"start,duration_min,before,after,unit\n{line}2025-03-05 09:00,30,6,4,TENS\n".encode()
    with pytest.raises(ImportFailed) as failed:
        import_bytes(store, data, "csv")
    (problem,) = failed.value.problems
    assert problem.line == 2 and reason in problem.reason
    assert store.count() == 0


def test_a_broken_quote_in_the_header_is_refused(store: Store) -> None:
    with pytest.raises(ImportFailed, match=r"line 1, field \(file\): the header row cannot be read: a quote"):
        import_bytes(store, b'start,"duration_min,before,after\n2025-03-05 09:00,30,6,4\n', "csv")


# -- the whole class ---------------------------------------------------------------------------
@pytest.fixture(scope="module")
def quiet_store() -> Iterator[Store]:
    with tempfile.TemporaryDirectory() as top, Store.open(Path(top) / "tenslog.db") as store:
        yield store


def raw_cells(row: list[str], delimiter: str) -> list[str]:
    """Each cell as csv.writer writes it (quoted only when it must be)."""
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="").writerow(row)
    cells, cell, quoted = [], "", False
    for ch in out.getvalue():
        if ch == '"':
            quoted = not quoted
        if ch == delimiter and not quoted:
            cells.append(cell)
            cell = ""
        else:
            cell += ch
    cells.append(cell)
    assert len(cells) == len(row)
    return cells


def break_quote(cell: str, how: str, at: int) -> str:
    quoted = cell.startswith('"')
    if how == "unclosed":
        return cell[:-1] if quoted else f'"{cell}'
    if how == "after-close":
        return f"{cell}x" if quoted else f'"{cell}"x'
    body = cell[1:-1].replace('""', "'") if quoted else cell  # stray: a lone quote in an unquoted cell
    at = at % (len(body) + 1)
    return body[:at] + '"' + body[at:]


NAMES = st.text(st.sampled_from('abcXYZ 0123",;\''), min_size=1, max_size=12).map(str.strip).filter(bool)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    names=st.lists(NAMES, min_size=1, max_size=8),
    delimiter=st.sampled_from([",", ";", "\t"]),
    newline=st.sampled_from(["\n", "\r\n"]),
    broken=st.integers(0, 8),
    column=st.integers(0, len(HEADER) - 1),
    how=st.sampled_from(["unclosed", "after-close", "stray"]),
    at=st.integers(0, 40),
)
def test_a_broken_quote_on_any_line_is_refused_naming_that_line(
    quiet_store: Store, names: list[str], delimiter: str, newline: str, broken: int, column: int, how: str, at: int
) -> None:
    rows = [HEADER] + [diary_row(i, name) for i, name in enumerate(names)]
    index = broken % len(rows)  # 0 is the header
    lines = [delimiter.join(raw_cells(row, delimiter)) for row in rows]
    cells = raw_cells(rows[index], delimiter)
    cells[column] = break_quote(cells[column], how, at)
    lines[index] = delimiter.join(cells)
    data = newline.join(lines).encode() + newline.encode()
    before = quiet_store.count()
    with pytest.raises(ImportFailed) as failed:
        import_bytes(quiet_store, data, "csv")
    assert quiet_store.count() == before, "nothing stored"
    problem = failed.value.problems[0]
    assert problem.line == index + 1, str(failed.value)
    assert "quote" in problem.reason
    if index and len(names) > 1:  # a broken row: every other row is still read as it was written
        result = import_bytes(quiet_store, data, "csv", skip_bad=True, dry_run=True)
        assert result.valid == len(names) - 1 and [p.line for p in result.skipped] == [index + 1]


@settings(max_examples=150, deadline=None)
@given(names=st.lists(NAMES, min_size=1, max_size=6), delimiter=st.sampled_from([",", ";", "\t"]))
def test_quotes_written_right_are_read_back(names: list[str], delimiter: str) -> None:
    """Strict, not fussy: any name a spreadsheet quotes (quotes, commas, semicolons) reads back."""
    data = diary([diary_row(i, name) for i, name in enumerate(names)], delimiter).encode()
    good, problems = check_sessions(data, "csv")
    assert problems == []
    assert [s.unit.name for _, s in good] == names  # type: ignore[union-attr]
