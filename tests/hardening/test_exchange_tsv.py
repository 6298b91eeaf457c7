"""Tab-separated files (.tsv, or .txt as spreadsheets save "Text (Tab delimited)") import like
CSV. Before the fix `.tsv` was accepted by name and then refused: every column unknown."""

from __future__ import annotations

import subprocess
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from support.exchange import TENSLOG, diary, diary_row, tenslog
from tenslog.imports import check_sessions
from tenslog.store import Store


def test_a_tsv_file_imports(tmp_path: Path) -> None:
    db = tmp_path / "tenslog.db"
    (tmp_path / "diary.tsv").write_text(diary([diary_row(0), diary_row(1, "Mum's unit, the old one")], "\t"))
    result = tenslog(db, "import", str(tmp_path / "diary.tsv"))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "Imported 2 sessions."
    with Store.open(db) as store:
        assert sorted(s.unit.name for s in store.sessions()) == ["Mum's unit, the old one", "TENS 7000"]  # type: ignore[union-attr]


def test_the_help_says_tab_separated_files_are_read() -> None:
    shown = " ".join(subprocess.run([TENSLOG, "import", "--help"], capture_output=True, text=True).stdout.split())
    assert "comma, semicolon or tab separated" in shown and ".tsv" in shown


@settings(max_examples=100, deadline=None)
@given(
    rows=st.lists(st.integers(0, 300), min_size=1, max_size=6, unique=True),
    names=st.sampled_from(["TENS 7000", "Beurer, EM49", 'Mum\'s "backup"', "a;b"]),
)
def test_any_diary_reads_the_same_with_commas_semicolons_or_tabs(rows: list[int], names: str) -> None:
    read = {}
    for delimiter in (",", ";", "\t"):
        good, problems = check_sessions(diary([diary_row(day, names) for day in rows], delimiter).encode(), "csv")
        assert problems == []
        read[delimiter] = [s.model_dump() for _, s in good]
    assert read[","] == read[";"] == read["\t"] and len(read[","]) == len(rows)
