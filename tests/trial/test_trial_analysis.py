"""Simulated trials give the right verdict, both analyses are shown when the plan was not
followed, and an unfinished trial never gets a verdict."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import numpy as np

from support.trials import CET, START, entry, make_trial, simulate
from tenslog.model import SessionKind
from tenslog.settings import Settings
from tenslog.trial.analysis import analyse_trial
from tenslog.trial.plan import Arm, Deviation, StoredTrial
from tenslog.trial.status import trial_status

SETTINGS = Settings()


def after(trial: StoredTrial) -> date:
    return trial.plan.last_day + timedelta(days=1)


def tens_helps(p, _day) -> float:
    return -3.5 if p.arm is Arm.TENS else -0.5


def test_a_trial_where_tens_helps_says_so_with_the_numbers() -> None:
    for sim in range(10):
        trial = make_trial(pairs=6, period_days=3, seed=sim)
        figures = simulate(trial, tens_helps, rng=np.random.default_rng(sim))
        result = analyse_trial(trial, figures, SETTINGS, after(trial))
        assert result.verdict == "TENS better", sim
        assert result.planned.n == 6 and result.planned.p_value == 2 / 64
        assert -4 < result.planned.mean.mean < -2  # type: ignore[union-attr]
        assert result.planned.prob_benefit > 0.6  # type: ignore[operator]
        assert result.deviations == []
    lines = result.lines()
    assert lines[0].startswith("In your trial, pain fell more in the TENS periods than in the rest periods")
    assert any(line.startswith("As planned: TENS minus rest, mean change -3.") for line in lines)
    assert "Open label: you knew which period it was" in "\n".join(lines)
    assert "there was no washout between periods" in "\n".join(lines)
    assert "TENS works" not in "\n".join(lines)


def test_pain_drifting_down_with_no_effect_of_tens_gives_no_false_verdict() -> None:
    # Relief grows over the weeks (by 2.5 points over the trial) whatever is done.
    def drift(_p, day: int) -> float:
        return -0.03 * day

    verdicts = []
    for sim in range(30):
        trial = make_trial(pairs=6, period_days=7, seed=100 + sim)
        result = analyse_trial(trial, simulate(trial, drift, rng=np.random.default_rng(sim)), SETTINGS, after(trial))
        verdicts.append(result.verdict)
        assert result.planned.prob_benefit < 0.05  # type: ignore[operator]
    # The randomisation test is exact: at most 1 in 32 such trials may call it by chance.
    assert verdicts.count("TENS better") + verdicts.count("rest better") <= 2
    assert verdicts.count("no clear difference") >= 28


def test_deviations_show_both_analyses_and_as_planned_is_diluted() -> None:
    trial = make_trial(pairs=6, period_days=2, seed=3)
    rest_periods = [p for p in trial.plan.periods() if p.arm is Arm.REST]
    used_unit_in = {rest_periods[1], rest_periods[3]}  # TENS used in two rest periods

    def done(p) -> SessionKind:
        return SessionKind.TENS if p.arm is Arm.TENS or p in used_unit_in else SessionKind.REST

    def change(p, _day) -> float:
        return -3.5 if done(p) is SessionKind.TENS else -0.5

    figures = simulate(trial, change, rng=np.random.default_rng(5), kind_done=done)
    # and one TENS period with only a rest period rated in it
    skipped = next(p for p in trial.plan.periods() if p.arm is Arm.TENS and p.pair == 5)
    figures = [f for f in figures if not skipped.holds(f.local_day)]
    figures += [entry(skipped.first_day, SessionKind.REST, 7, 6), entry(skipped.last_day, SessionKind.REST, 7, 7)]
    result = analyse_trial(trial, figures, SETTINGS, after(trial))
    planned, as_done = result.planned, result.done
    assert planned.n == 6 and as_done.n == 3  # as done, pairs 2, 4 lack a rest, pair 5 a TENS entry
    assert planned.mean is not None and as_done.mean is not None
    assert planned.mean.mean > as_done.mean.mean + 1.0  # diluted towards 0 as planned
    assert planned.mean.mean > -2.5 and as_done.mean.mean < -2.5
    text = "\n".join(result.lines())
    assert "As planned: TENS minus rest" in text and "As done: TENS minus rest" in text
    for p in sorted(used_unit_in, key=lambda p: p.pair):
        assert f"pair {p.pair}, rest period ({p.first_day.strftime('%d %b')}): 2 TENS sessions" in text
    assert f"pair 5, TENS period ({skipped.first_day.strftime('%d %b')}): no TENS session" in text


def test_an_unfinished_trial_gets_no_verdict_and_says_how_far_it_is() -> None:
    trial = make_trial(pairs=6, period_days=1, seed=1)
    figures = simulate(trial, tens_helps, rng=np.random.default_rng(1))
    today = trial.plan.periods()[6].first_day  # the first day of pair 4
    result = analyse_trial(trial, [f for f in figures if f.local_day < today], SETTINGS, today)
    assert result.verdict == "not finished" and result.pairs_over == 3
    lines = result.lines()
    assert lines[0] == "Trial not finished (3 of 6 pairs): no verdict yet; the numbers below are only so far."
    assert "With 3 pairs the randomisation test cannot go below p = 0.250." in lines
    assert not any("pain fell more in the TENS periods" in line for line in lines)
    assert [r.over for r in result.rows] == [True] * 3 + [False] * 3


def test_a_stopped_trial_says_so_with_the_reason() -> None:
    stop = datetime.combine(START + timedelta(days=5), datetime.min.time(), CET).replace(hour=12)
    trial = make_trial(pairs=4, seed=2, stopped=stop)
    trial = StoredTrial(trial.id, trial.plan, stop, (Deviation(stop, "stopped", "skin rash under the pads"),))
    figures = simulate(trial, tens_helps, rng=np.random.default_rng(2))
    result = analyse_trial(trial, figures, SETTINGS, START + timedelta(days=20))
    assert result.verdict == "not finished" and result.pairs_over == 2
    text = "\n".join(result.lines())
    assert text.startswith("Trial stopped early (2 of 4 pairs): no verdict from a stopped trial")
    assert f'stopped on {stop.date().isoformat()} because: skin rash under the pads' in text


def test_status_names_the_pair_the_period_and_what_to_do() -> None:
    trial = make_trial(pairs=6, period_days=1, seed=20261201)  # order TRTTRT...
    periods = trial.plan.periods()
    today = periods[4].first_day  # pair 3, first period: T
    figures = simulate(trial, tens_helps, rng=np.random.default_rng(0))
    kept = [f for f in figures if f.local_day < today and f.local_day != periods[1].first_day]
    status = trial_status(trial, kept, today)
    assert status.lines() == [
        "Pair 3 of 6: TENS period, day 1 of 1",
        "What to do: use the unit when pain rises, rate pain before and after.",
        "Today: not rated yet (rate your pain before and after).",
        ("Missing ratings: 1 earlier day of the trial had no rated session of the planned kind "
         f"({periods[1].first_day.strftime('%a %d %b')})."),
    ]
    status = trial_status(trial, [*kept, entry(today, SessionKind.TENS, 6, 3)], today)
    assert "Today: rated." in status.lines()


def test_status_on_a_washout_day_and_before_the_start() -> None:
    trial = make_trial(pairs=3, period_days=1, washout_days=2, seed=0)  # R first
    assert trial_status(trial, [], START - timedelta(days=1)).lines() == [
        "Trial 1 starts on 2026-01-05 with a rest period.",
        "Then: rest the same way without the unit, rate pain before and after.",
    ]
    washout = trial_status(trial, [], START + timedelta(days=1)).lines()
    assert washout[0] == "Washout day: no TENS, no ratings needed. Next: pair 1 of 3, TENS period, from 2026-01-08."
