"""The plan: the seeded order is pinned, balanced and reproducible; bad plans name the option."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from support.trials import START, make_trial
from tenslog.trial.plan import Arm, PlanError, TrialPlan, schedule_from_seed


def letters(seed: int, pairs: int) -> str:
    return "".join("T" if first is Arm.TENS else "R" for first, _ in schedule_from_seed(seed, pairs))


def test_the_order_from_a_seed_never_changes() -> None:
    # Pinned: if these change, every stored plan would re-derive to a different schedule.
    assert letters(0, 8) == "RRTTRTRT"
    assert letters(42, 8) == "RTTTRRRT"
    assert letters(20261201, 8) == "TRTTRTRT"


@given(st.integers(0, 2**63 - 1), st.integers(3, 16))
def test_every_pair_holds_one_tens_and_one_rest_period_and_the_seed_repeats_it(seed: int, pairs: int) -> None:
    order = schedule_from_seed(seed, pairs)
    assert len(order) == pairs
    assert all(sorted(pair) == [Arm.REST, Arm.TENS] for pair in order)
    assert schedule_from_seed(seed, pairs) == order
    # a longer plan from the same seed starts with the same pairs
    assert schedule_from_seed(seed, pairs + 1)[:pairs] == order


def test_both_orders_occur_across_seeds() -> None:
    firsts = [schedule_from_seed(seed, 1)[0][0] for seed in range(200)]
    assert 70 < firsts.count(Arm.TENS) < 130


def test_periods_follow_each_other_with_the_washout_between() -> None:
    trial = make_trial(pairs=3, period_days=2, washout_days=1, seed=0)
    periods = trial.plan.periods()
    assert [(p.pair, p.first_day, p.last_day) for p in periods] == [
        (1, START, START + timedelta(days=1)),
        (1, START + timedelta(days=3), START + timedelta(days=4)),
        (2, START + timedelta(days=6), START + timedelta(days=7)),
        (2, START + timedelta(days=9), START + timedelta(days=10)),
        (3, START + timedelta(days=12), START + timedelta(days=13)),
        (3, START + timedelta(days=15), START + timedelta(days=16)),
    ]
    assert [p.arm for p in periods[:2]] == [Arm.REST, Arm.TENS]  # seed 0 starts "R"
    assert trial.plan.last_day == date(2026, 1, 21)


@pytest.mark.parametrize(("given_", "message"), [
    ({"pairs": 0}, "--pairs: needs to be from 3 to 16 (got 0)"),
    ({"pairs": 2}, "--pairs: needs to be from 3 to 16 (got 2)"),
    ({"period_days": 0}, "--period-days: needs to be from 1 to 7 (got 0)"),
    ({"period_days": 8}, "--period-days: needs to be from 1 to 7 (got 8)"),
    ({"washout_days": -1}, "--washout-days: needs to be from 0 to 7 (got -1)"),
    ({"seed": -5}, "--seed: needs to be from 0 to"),
    ({"tens_means": "   "}, "--tens-means: is empty"),
    ({"rest_means": "sit\x1b[2J still"}, "--rest-means: contains a control character (U+001B)"),
])  # fmt: skip
def test_a_bad_plan_names_the_option(given_: dict, message: str) -> None:
    with pytest.raises(PlanError) as caught:
        TrialPlan.make(start=START, created=make_trial().plan.created, **given_)
    assert str(caught.value).startswith(message)


def test_a_plan_without_a_seed_draws_one_and_keeps_it() -> None:
    created = make_trial().plan.created
    a = TrialPlan.make(start=START, created=created)
    b = TrialPlan.make(start=START, created=created)
    assert a.seed != b.seed  # from the operating system
    assert a.pairs == 6 and a.period_days == 1 and a.washout_days == 0
    assert a.matches_seed() and a.order == schedule_from_seed(a.seed, 6)
