"""`tenslog export --format report`: the patient's name and date of birth on the page, checked
at input (a bad one is named and nothing is written), and the default file when -o is left out."""

from __future__ import annotations

import stat
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from support.report_diary import diary
from tenslog.cli.main import cli
from tenslog.store.store import Store


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "tenslog.db"
    with Store.open(path) as store:
        store.add_sessions(diary(40))
    return path


@pytest.fixture
def home(tmp_path: Path) -> dict[str, str]:
    """A home folder of our own: the default report goes to its Documents folder."""
    folder = tmp_path / "home"
    folder.mkdir()
    return {"HOME": str(folder), "XDG_CONFIG_HOME": str(folder / ".config")}


def export(db: Path, *args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(cli, ["--db", str(db), "export", "--format", "report", *args], env=env)


def test_the_patient_goes_on_the_page(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    result = export(db, "--patient-name", "Anne <Example>", "--date-of-birth", "1961-04-23", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert '<div class="patient">Anne &lt;Example&gt; · born 23 Apr 1961</div>' in out.read_text()
    assert f"Wrote 40 sessions to {out} (readable by you only)." in result.output


@pytest.mark.parametrize(("args", "message"), [
    (["--patient-name", "Anne\x1b[2J"], "Invalid value for --patient-name: the patient name contains a control character (U+001B)"),
    (["--patient-name", "Anne", "--date-of-birth", "1961-23-04"], "Invalid value for --date-of-birth: the date of birth '1961-23-04' is not a date: use YYYY-MM-DD"),
    (["--patient-name", "Anne", "--date-of-birth", "2999-01-01"], "Invalid value for --date-of-birth: the date of birth 2999-01-01 is in the future"),
    (["--date-of-birth", "1961-04-23"], "--date-of-birth needs --patient-name"),
])  # fmt: skip
def test_a_bad_patient_is_named_and_nothing_is_written(db: Path, tmp_path: Path, args: list[str], message: str) -> None:
    out = tmp_path / "report.html"
    result = export(db, *args, "-o", str(out))
    assert result.exit_code == 2 and message in result.output and "Traceback" not in result.output
    assert not out.exists()


def test_the_patient_options_belong_to_the_report_only(db: Path) -> None:
    result = CliRunner().invoke(cli, ["--db", str(db), "export", "--format", "csv", "--patient-name", "Anne"])
    assert result.exit_code == 2 and "--patient-name is for --format report only" in result.output


def test_without_output_the_report_goes_to_the_documents_folder(db: Path, home: dict[str, str]) -> None:
    documents = Path(home["HOME"]) / "Documents"
    documents.mkdir()
    result = export(db, env=home)
    assert result.exit_code == 0, result.output
    written = documents / f"tenslog-report-{date.today().isoformat()}.html"
    assert f"to {written} (readable by you only)" in result.output
    assert stat.S_IMODE(written.stat().st_mode) == 0o600 and "<h1>" in written.read_text()


def test_without_a_documents_folder_it_goes_to_the_home_folder(db: Path, home: dict[str, str]) -> None:
    result = export(db, env=home)
    written = Path(home["HOME"]) / f"tenslog-report-{date.today().isoformat()}.html"
    assert result.exit_code == 0 and written.exists(), result.output
