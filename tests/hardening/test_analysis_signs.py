"""Issue 10: a positive median change below 1 printed as "±0.5" in the dose tables, hiding a
rise in pain (the formatter replaced the "+0" at the start of "+0.5"). Every median change now
goes through one formatter, words.signed, in the dose tables, the key numbers and the report."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from support.known_sessions import make_session
from tenslog.analysis import dose_response, summarize, words
from tenslog.exports.report import _fmt
from tenslog.settings import Settings

SETTINGS = Settings(db="/nonexistent/never-opened.db")
PROPERTY = settings(max_examples=300, deadline=None, derandomize=True, database=None)


def _sign(text: str) -> int:
    return 0 if text == "0" else 1 if text.startswith("+") else -1 if text.startswith("-") else 99


def test_a_rise_below_one_point_shows_as_a_rise_in_the_dose_table() -> None:
    sessions = [make_session(5, 5 + c, day=i) for i, c in enumerate([0, 1, 0, 1, 0, 1])]  # median +0.5
    table = dose_response(sessions, SETTINGS).tables()
    row = next(line for line in table.splitlines() if "30-44 min" in line)
    assert "+0.5" in row and "±" not in table


EXAMPLES = [(0.5, "+0.5"), (-0.5, "-0.5"), (0.0, "0"), (-0.0, "0"), (2.0, "+2"), (-10.0, "-10")]


@pytest.mark.parametrize(("value", "text"), EXAMPLES)
def test_signed_examples(value: float, text: str) -> None:
    assert words.signed(value) == text
    assert _fmt(value) == text


@PROPERTY
@given(st.floats(allow_nan=False))
def test_signed_keeps_the_sign_and_the_value_for_any_float(value: float) -> None:
    text = words.signed(value)
    assert _sign(text) == (value > 0) - (value < 0)
    assert float(text) == pytest.approx(value, rel=5e-6, abs=0)  # :g keeps 6 significant digits
    assert not math.isfinite(value) or "inf" not in text


@PROPERTY
@given(st.lists(st.integers(-5, 5), min_size=1, max_size=12))
def test_every_median_change_in_the_tables_has_its_sign(changes: list[int]) -> None:
    sessions = [make_session(5, 5 + c, day=i) for i, c in enumerate(changes)]
    median = float(np.median(changes))
    table = dose_response(sessions, SETTINGS).tables()
    cells = [line.split()[-2] for line in table.splitlines() if "30-44 min" in line or "morning" in line]
    assert cells and all(c == words.signed(median) and _sign(c) == np.sign(median) for c in cells)
    if len(changes) >= SETTINGS.min_rated_sessions:
        key = dict(summarize(sessions, SETTINGS).key_numbers())["median change (after - before)"]
        assert key == words.signed(median)
