"""``tenslog trial`` as typed: plan, status, stop, result; bad input changes nothing."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path

import pytest
import time_machine
from click.testing import CliRunner, Result

from support.trials import CET
from tenslog.cli.main import cli
from tenslog.store import Store

NOON = datetime(2026, 1, 5, 12, 0, tzinfo=CET)


def run(db: Path, *args: str, at: datetime = NOON, answer: str | None = None) -> Result:
    with time_machine.travel(at, tick=False):
        return CliRunner().invoke(cli, ["--db", str(db), *args], input=answer)


def dump(db: Path) -> str:
    conn = sqlite3.connect(db)
    try:
        return "\n".join(conn.iterdump())
    finally:
        conn.close()


@pytest.fixture
def planned(db_path: Path) -> Path:
    result = run(db_path, "trial", "plan", "--pairs", "3", "--seed", "0", "--period-days", "2",
                 "--tens-means", "30 minutes of TENS when pain rises", "--rest-means", "30 minutes lying down")
    assert result.exit_code == 0, result.output
    return db_path


def test_plan_prints_the_schedule_and_stores_plan_and_seed(planned: Path) -> None:
    with Store.open(planned) as store:
        (trial,) = store.trials()
    assert trial.plan.seed == 0 and trial.plan.pairs == 3 and trial.plan.period_days == 2
    assert trial.plan.start.isoformat() == "2026-01-05" and trial.plan.matches_seed()
    out = run(planned, "trial", "status").output.splitlines()
    assert out[:2] == ["Pair 1 of 3: rest period, day 1 of 2", "What to do: 30 minutes lying down."]


def test_plan_output(db_path: Path) -> None:
    result = run(db_path, "trial", "plan", "--seed", "42")
    lines = result.output.splitlines()
    assert lines[0] == "Trial 1: 6 pairs of 1-day periods, no washout, from 2026-01-05 to 2026-01-16."
    assert lines[1] == "Seed 42 (recorded: the same seed always gives the same order)."
    assert lines[5] == "  pair 1: rest period from Mon 05 Jan, then TENS period from Tue 06 Jan"


@pytest.mark.parametrize(("args", "message"), [
    (["--pairs", "0"], "Error: --pairs: needs to be from 3 to 16 (got 0); nothing was changed"),
    (["--period-days", "0"], "Error: --period-days: needs to be from 1 to 7 (got 0); nothing was changed"),
    (["--start", "2026-01-01"], "2026-01-01 is in the past: a trial is planned before it begins"),
    (["--tens-means", "a\tb"], "Error: --tens-means: contains a tab (U+0009)"),
])  # fmt: skip
def test_a_bad_plan_is_refused_and_changes_nothing(planned: Path, args: list[str], message: str) -> None:
    before = dump(planned)
    result = run(planned, "trial", "plan", *args)
    assert result.exit_code != 0 and message in result.output
    assert "Traceback" not in result.output
    assert dump(planned) == before


def test_a_plan_over_a_running_one_is_refused_and_changes_nothing(planned: Path) -> None:
    before = dump(planned)
    result = run(planned, "trial", "plan", "--seed", "5")
    assert result.exit_code == 1
    assert result.output.startswith("Error: a trial is already planned or running (trial 1, until 2026-01-16)")
    assert "nothing was changed" in result.output
    assert dump(planned) == before


def test_stop_asks_records_the_reason_and_then_a_new_plan_is_allowed(planned: Path) -> None:
    before = dump(planned)
    refused = run(planned, "trial", "stop", "--reason", "moved house", answer="n\n")
    assert refused.exit_code == 1 and dump(planned) == before
    stopped = run(planned, "trial", "stop", "--reason", "moved house", answer="y\n")
    assert stopped.exit_code == 0, stopped.output
    assert "Stopped trial 1; recorded as a deviation with your reason." in stopped.output
    with Store.open(planned) as store:
        (trial,) = store.trials()
    assert trial.stopped is not None and [(d.kind, d.reason) for d in trial.deviations] == [("stopped", "moved house")]
    assert trial.plan.pairs == 3  # the plan itself is untouched
    result = run(planned, "trial", "result")
    assert "Trial stopped early (0 of 3 pairs)" in result.output
    assert "With 3 pairs the randomisation test cannot go below p = 0.250." in result.output
    assert 'because: moved house' in result.output
    assert run(planned, "trial", "plan", "--seed", "1").exit_code == 0


def test_stop_without_a_trial_is_an_error(db_path: Path) -> None:
    result = run(db_path, "trial", "stop", "--reason", "x", "--yes")
    assert result.exit_code == 1 and "no trial is planned or running; nothing was changed" in result.output


def test_result_after_the_trial_lists_the_pairs(planned: Path) -> None:
    # seed 0: pairs R-T, R-T, T-R; two days each; TENS days fall by 4, rest days by 1
    days = {"rest": ["05", "06", "09", "10", "15", "16"], "tens": ["07", "08", "11", "12", "13", "14"]}
    for kind, dates in days.items():
        for d in dates:
            fall = "3" if kind == "tens" else "6"
            added = run(planned, "add", "--kind", kind, "--start", f"2026-01-{d} 09:00", "--duration", "30",
                        *(["--unit", "Pads", "--scale", "level:10", "--intensity", "4"] if kind == "tens" else []),
                        "--before", "7", "--after", fall, at=datetime(2026, 1, 20, 12, tzinfo=CET))
            assert added.exit_code == 0, added.output
    result = run(planned, "trial", "result", at=datetime(2026, 1, 20, 12, tzinfo=CET))
    out = result.output
    assert result.exit_code == 0, out
    assert out.startswith("Your trial shows no clear difference between the TENS and the rest periods.")
    assert "As planned: TENS minus rest, mean change -3.0 points" in out
    assert "TENS did better in 3 of 3 pairs; randomisation test p = 0.250" in out
    assert "With 3 pairs the randomisation test cannot go below p = 0.250." in out
    assert "   1  rest first    -4.0    -1.0       -3.0      -3.0" in out


def test_changing_the_plan_ends_the_old_one_with_a_recorded_deviation(planned: Path) -> None:
    changed = run(planned, "trial", "plan", "--seed", "3", "--period-days", "3",
                  "--change-reason", "one day is too short to tell")
    assert changed.exit_code == 0, changed.output
    assert changed.output.startswith("Trial 2: 6 pairs of 3-day periods")
    with Store.open(planned) as store:
        old, new = store.trials()
    assert [(d.kind, d.reason) for d in old.deviations] == [("changed", "one day is too short to tell")]
    assert old.plan.period_days == 2 and old.stopped is not None  # kept as it was, ended
    assert new.stopped is None and new.plan.seed == 3
    assert run(planned, "trial", "status").output.startswith("Pair 1 of 6: ")


def test_a_change_reason_without_a_running_trial_changes_nothing(db_path: Path) -> None:
    run(db_path, "list")  # creates the database
    before = dump(db_path)
    result = run(db_path, "trial", "plan", "--change-reason", "x")
    assert result.exit_code == 1 and "there is no running trial to change; nothing was changed" in result.output
    assert dump(db_path) == before


def test_text_edited_into_the_database_is_shown_inert(planned: Path) -> None:
    conn = sqlite3.connect(planned)
    with conn:
        conn.execute("UPDATE trial_plans SET rest_means = ?", ("lie down\x1b[31m\u202e",))
    conn.close()
    out = run(planned, "trial", "status").output
    assert "What to do: lie down\\x1b[31m\\u202e." in out
    assert "\x1b" not in out and "\u202e" not in out
