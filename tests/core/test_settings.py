"""Settings from the environment: what a person sets is used, and a bad value is refused with
the variable's name, never a traceback."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tenslog.settings import Settings, SettingsError, load_settings


def test_the_environment_fills_in_what_is_not_given(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TENSLOG_GRACE_SECONDS", "45")
    monkeypatch.setenv("TENSLOG_MIN_RATED_SESSIONS", "10")
    monkeypatch.setenv("TENSLOG_DB", "/from/env.db")
    s = load_settings(db=Path("/given.db"))
    assert s.db == Path("/given.db")  # --db wins over TENSLOG_DB
    assert s.grace_seconds == 45.0 and s.min_rated_sessions == 10
    assert s.follow_up_minutes == 30  # untouched: the default


def test_unknown_tenslog_variables_are_ignored(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TENSLOG_FUZZ_EXAMPLES", "50000")  # the test suite's own knob
    assert load_settings() == load_settings()


@pytest.mark.parametrize(
    ("variable", "value", "words"),
    [
        ("TENSLOG_GRACE_SECONDS", "two minutes", "needs a number"),
        ("TENSLOG_GRACE_SECONDS", "-1", "at least 0"),
        ("TENSLOG_GRACE_SECONDS", "inf", "finite"),
        ("TENSLOG_GRACE_SECONDS", "nan", "finite"),
        ("TENSLOG_RESPONDER_POINTS", "2.5", "whole number"),
        ("TENSLOG_RESPONDER_POINTS", "11", "at most 10"),
        ("TENSLOG_RESPONDER_PERCENT", "0", "above 0"),
        ("TENSLOG_MIN_RATED_SESSIONS", "1", "at least 2"),
        ("TENSLOG_FOLLOW_UP_MINUTES", "", "whole number"),
        ("TENSLOG_DB", "  ", "file path"),
    ],
)
def test_a_bad_value_is_named_by_its_variable(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str, words: str
) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(SettingsError) as caught:
        load_settings()
    message = str(caught.value)
    assert message.startswith(f"{variable}: ") and words in message and repr(value) in message


def test_a_bad_value_given_directly_is_named_by_its_field() -> None:
    with pytest.raises(SettingsError, match=r"^grace_seconds: needs a number \(got 'x'\)$"):
        load_settings(grace_seconds="x")


def test_whole_numbers_written_as_decimals_are_accepted() -> None:
    s = Settings(responder_points="3", min_rated_sessions=8.0)  # type: ignore[arg-type]
    assert s.responder_points == 3 and isinstance(s.min_rated_sessions, int)


@given(
    name=st.sampled_from(["GRACE_SECONDS", "RESPONDER_POINTS", "RESPONDER_PERCENT",
                          "MIN_RATED_SESSIONS", "FOLLOW_UP_MINUTES"]),
    text=st.one_of(st.text(max_size=12), st.floats().map(str), st.integers(-5, 200).map(str)),
)
def test_any_text_gives_settings_within_bounds_or_a_named_error(name: str, text: str) -> None:
    import os

    key = f"TENSLOG_{name}"
    saved = os.environ.get(key)
    os.environ[key] = text.replace("\x00", "")
    try:
        s = load_settings()
    except SettingsError as exc:
        assert str(exc).startswith(f"{key}: ")
    else:
        value = getattr(s, name.lower())
        assert math.isfinite(value)
        assert s.grace_seconds >= 0 and 1 <= s.responder_points <= 10
        assert 0 < s.responder_percent <= 100 and s.min_rated_sessions >= 2 and s.follow_up_minutes >= 1
    finally:
        if saved is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = saved
