"""The report prints on ONE A4 page, with 40 and with 400 sessions, each with everything a
page can hold: a patient, co-treatments used unevenly, five long notes for the doctor and a
personal trial. Printed by headless Chromium (Debian's package; `.ci/run` installs it), the
way a person's browser prints it; pages counted with pypdf."""

from __future__ import annotations

import os
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from support.report_diary import diary, trial_result
from tenslog.exports.report import build_report
from tenslog.exports.report_parts import Patient
from tenslog.settings import Settings

A4_POINTS = (595, 842)  # 210 x 297 mm


def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found:
        return found
    if os.environ.get("CI", "").lower() in ("1", "true"):
        pytest.fail("chromium is missing: .ci/run installs Debian's chromium package")
    pytest.skip("chromium is not installed (apt-get install chromium); CI always runs this")


def print_pages(html: Path, tmp_path: Path) -> list[tuple[int, int]]:
    """Print with headless Chromium; the size of each page in points."""
    pdf = tmp_path / "report.pdf"
    subprocess.run(
        [chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
         f"--user-data-dir={tmp_path / 'profile'}", f"--print-to-pdf={pdf}", html.as_uri()],
        check=True, capture_output=True, timeout=120,
    )
    return [(round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in PdfReader(pdf).pages]


@pytest.mark.parametrize("sessions", [40, 400])
def test_the_full_report_prints_on_one_a4_page(sessions: int, tmp_path: Path) -> None:
    patient = Patient.parse("Anne-Marie Example-Longname", "1961-04-23", date(2026, 1, 1))
    page = build_report(diary(sessions), Settings(db=tmp_path / "never.db"), patient=patient, trial=trial_result())
    assert "Notes for the doctor" in page and "Personal trial" in page and "Not like for like" in page
    html = tmp_path / "report.html"
    html.write_text(page, encoding="utf-8")
    assert print_pages(html, tmp_path) == [A4_POINTS]
