from __future__ import annotations

import base64
import re
import stat

import pytest

from tenslog.exports import export_text, write_private

# Each test runs in UTC and in a zone outside it (issue 17: the suite ran in UTC only).
pytestmark = pytest.mark.usefixtures("local_zone")


def test_report_is_self_contained_and_plain(sample, settings, tmp_path) -> None:
    page = export_text("report", sample, settings)
    assert page.startswith("<!DOCTYPE html>") and "@page { size: A4" in page
    assert "http://" not in page and "https://" not in page and "<script" not in page  # no network, nothing active
    (png,) = re.findall(r'src="data:image/png;base64,([^"]+)"', page)
    assert base64.b64decode(png).startswith(b"\x89PNG")
    # The answer first, in plain words (TENS against rest); statistics only in the key numbers.
    assert "<p>Pain fell by a median of 3 points after TENS sessions and 1 point after rest periods.</p>" in page
    assert "Compared with resting without the unit" in page
    assert "regression to the mean" in page
    assert "Week by week" in page and "<table>" in page
    path = write_private(tmp_path / "report.html", page)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_report_with_too_little_data_says_so(make_tens, settings) -> None:
    page = export_text("report", [make_tens(0, 6, 4)], settings)
    assert "Not enough data yet" in page and "Not enough rest periods" in page


def test_report_with_no_sessions_still_renders(settings) -> None:
    page = export_text("report", [], settings)
    assert "no sessions" in page and "No rated TENS sessions yet" not in page  # that text is in the PNG
