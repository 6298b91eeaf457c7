"""The reminders' settings and the --rate option as parsers: what a person types is used or
refused with its name, never a traceback."""

from __future__ import annotations

from datetime import time
from pathlib import Path

import click
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tenslog.cli.main import rate_request
from tenslog.service.notify import dashboard_command, terminal_from
from tenslog.settings import SettingsError, load_settings
from tenslog.vocabulary import RatingMoment


def test_the_reminder_time_and_terminal_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TENSLOG_TRIAL_REMINDER_TIME", " 07:30 ")
    monkeypatch.setenv("TENSLOG_TERMINAL_COMMAND", "gnome-terminal --")
    s = load_settings()
    assert (s.trial_reminder_time, s.trial_reminder_at) == ("07:30", time(7, 30))
    assert terminal_from(s.terminal_command) == ["gnome-terminal", "--"]
    assert load_settings(trial_reminder_time=None, terminal_command=None).trial_reminder_time == "07:30"


def test_the_defaults() -> None:
    s = load_settings(db=Path("/x.db"))
    assert s.trial_reminder_at == time(19, 0)
    assert s.terminal_command == ""


@pytest.mark.parametrize("value", ["7pm", "25:00", "7:30", "19:00:00", "", "19.00", "１９:００"])
def test_a_bad_reminder_time_is_named_by_its_variable(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("TENSLOG_TRIAL_REMINDER_TIME", value)
    with pytest.raises(SettingsError) as caught:
        load_settings()
    assert str(caught.value) == f"TENSLOG_TRIAL_REMINDER_TIME: needs a time such as 19:00 (got {value!r})"


@given(st.text(max_size=8))
def test_any_reminder_time_text_is_used_as_hh_mm_or_refused(text: str) -> None:
    try:
        s = load_settings(db=Path("/x.db"), trial_reminder_time=text)
    except SettingsError as exc:
        assert exc.field == "trial_reminder_time"
        return
    assert s.trial_reminder_time == text.strip()
    assert s.trial_reminder_at.strftime("%H:%M") == text.strip()


@given(st.integers(0, 23), st.integers(0, 59))
def test_every_clock_time_is_taken(hour: int, minute: int) -> None:
    assert load_settings(db=Path("/x.db"), trial_reminder_time=f"{hour:02}:{minute:02}").trial_reminder_at == time(hour, minute)


@given(st.text(max_size=12))
def test_any_rate_text_is_a_session_and_moment_or_refused(text: str) -> None:
    try:
        number, moment = rate_request(text)
    except click.BadParameter as exc:
        assert exc.param_hint == "--rate"
        return
    head, _, tail = text.strip().partition(":")
    assert 1 <= number == int(head) < 2**63
    assert moment == (RatingMoment(tail) if tail else None)


def test_the_dashboard_command_names_the_database_and_the_rating(tmp_path: Path) -> None:
    words = dashboard_command(["term", "-e"], tmp_path / "t.db", 12, "after")
    assert words[:2] == ["term", "-e"]
    assert words[-4:] == ["--db", str(tmp_path / "t.db"), "--rate", "12:after"]
    assert dashboard_command(["term"], tmp_path / "t.db")[-2:] == ["--db", str(tmp_path / "t.db")]
