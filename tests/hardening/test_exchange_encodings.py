"""A file that is not UTF-8 is refused naming what it seems to be. Before the fix a UTF-16 file
(as Excel's "Unicode text" and Windows Notepad save) was said to be Latin-1."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from support.exchange import diary, diary_row, tenslog
from tenslog.imports import ImportFailed, check_sessions
from tenslog.store import Store

TEXT = diary([diary_row(0, "Café unit"), diary_row(1)])


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_utf16_and_utf32_are_named(tmp_path: Path, encoding: str) -> None:
    db = tmp_path / "tenslog.db"
    Store.open(db).close()
    (tmp_path / "diary.csv").write_bytes(TEXT.encode(encoding))
    result = tenslog(db, "import", str(tmp_path / "diary.csv"))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    family = "UTF-32" if "32" in encoding else "UTF-16"
    assert f"line 1, field (encoding): the file is not UTF-8 text: it {'is' if encoding in ('utf-16', 'utf-32') else 'seems to be'} {family} text" in result.stderr  # fmt: skip
    assert "save it again as 'CSV UTF-8'" in result.stderr and "Latin-1" not in result.stderr
    with Store.open(db) as store:
        assert store.count() == 0


def test_latin1_is_still_called_an_older_encoding() -> None:
    with pytest.raises(ImportFailed, match=r"line 2, field \(encoding\): the file is not UTF-8 text \(byte 0xE9.*Latin-1"):
        check_sessions(TEXT.encode("latin-1"), "csv")


def test_a_binary_file_is_not_called_text() -> None:
    with pytest.raises(ImportFailed, match="NUL bytes, so it is not a text file"):
        check_sessions(b"PK\x03\x04\x14\x00\x06\x00" + bytes(range(256)), "csv")


@settings(max_examples=150, deadline=None)
@given(
    names=st.lists(st.text(st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Zl", "Zp")), min_size=1, max_size=10)
                   .map(lambda t: t.replace('"', "").strip()).filter(bool), min_size=1, max_size=4),
    encoding=st.sampled_from(["utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be"]),
    fmt=st.sampled_from(["csv", "json"]),
)  # fmt: skip
def test_any_utf16_or_utf32_file_is_named_never_latin1(names: list[str], encoding: str, fmt: str) -> None:
    text = diary([diary_row(i, name) for i, name in enumerate(names)]) if fmt == "csv" else '{"format": "tenslog"}'
    with pytest.raises(ImportFailed) as failed:
        check_sessions(text.encode(encoding), fmt)  # type: ignore[arg-type]
    (problem,) = failed.value.problems
    assert problem.line == 1 and problem.field == "(encoding)"
    assert ("UTF-32" if "32" in encoding else "UTF-16") in problem.reason and "Latin-1" not in problem.reason
