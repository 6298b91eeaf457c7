"""The trial's statistics against independent, slower computations on the same data."""

from __future__ import annotations

import itertools

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from tenslog.trial.stats import (
    PRIOR_MU_SD,
    PRIOR_VAR_SCALE,
    PRIOR_VAR_SHAPE,
    mean_difference,
    prob_benefit,
    randomisation_p,
    smallest_p,
)


def brute_force_p(outcomes: list[tuple[float, float]], tens_first: list[bool]) -> float:
    """Every order the draw could have made: relabel each pair's two periods, recompute."""
    def mean_diff(firsts: tuple[bool, ...]) -> float:
        return float(np.mean([(a - b) if f else (b - a) for (a, b), f in zip(outcomes, firsts, strict=True)]))

    observed = abs(mean_diff(tuple(tens_first)))
    every = [abs(mean_diff(firsts)) for firsts in itertools.product((True, False), repeat=len(outcomes))]
    return sum(m >= observed - 1e-9 for m in every) / len(every)


halves = st.integers(-20, 20).map(lambda k: k / 2)


@given(st.lists(st.tuples(halves, halves), min_size=3, max_size=9), st.data())
def test_the_randomisation_test_equals_enumerating_every_order(outcomes, data) -> None:
    firsts = data.draw(st.lists(st.booleans(), min_size=len(outcomes), max_size=len(outcomes)))
    d = np.array([(a - b) if f else (b - a) for (a, b), f in zip(outcomes, firsts, strict=True)])
    assert randomisation_p(d) == brute_force_p(outcomes, firsts)


def test_six_pairs_all_favouring_tens_give_the_smallest_p() -> None:
    d = np.array([-3.0, -2.0, -4.0, -2.5, -3.5, -1.0])
    assert randomisation_p(d) == smallest_p(6) == 2 / 64
    assert smallest_p(3) == 0.25  # three pairs can never reach p < 0.05


def test_the_interval_is_the_t_interval() -> None:
    d = np.array([-2.0, -1.0, -3.0, 0.0, -2.0])
    m = mean_difference(d)
    ci = stats.ttest_1samp(d, 0).confidence_interval(0.95)
    assert (m.mean, round(m.low, 9), round(m.high, 9)) == (-1.6, round(ci.low, 9), round(ci.high, 9))


def grid_probability(d: np.ndarray, threshold: float) -> float:
    """P(mu <= -threshold) from the joint posterior of (mu, sigma) on a plain 2-D grid, with
    the likelihood written out (no integrating out)."""
    mu = np.linspace(-20, 20, 4001)
    sigma = np.linspace(0.02, 25, 2500)
    log_prior_mu = stats.norm.logpdf(mu, 0, PRIOR_MU_SD)
    # sigma^2 ~ InvGamma(a, b) -> density of sigma = 2 sigma * invgamma.pdf(sigma^2)
    log_prior_sigma = np.log(2 * sigma) + stats.invgamma.logpdf(sigma**2, PRIOR_VAR_SHAPE, scale=PRIOR_VAR_SCALE)
    squares = ((d[:, None] - mu[None, :]) ** 2).sum(axis=0)  # sum over pairs, for each mu
    # log of the product of Normal(d_i; mu, sigma) densities, up to a constant
    log_lik = -len(d) * np.log(sigma)[:, None] - squares[None, :] / (2 * sigma[:, None] ** 2)
    log_post = log_lik + log_prior_mu[None, :] + log_prior_sigma[:, None]
    w = np.exp(log_post - log_post.max())
    return float(w[:, mu <= -threshold].sum() / w.sum())


@settings(max_examples=6, deadline=None)
@given(st.lists(st.integers(-12, 6).map(lambda k: k / 2), min_size=3, max_size=8).filter(lambda x: np.std(x) > 0.3),
       st.sampled_from([2.0, 1.5]))
def test_the_probability_of_benefit_matches_a_numerical_grid(diffs, threshold) -> None:
    d = np.array(diffs)
    assert abs(prob_benefit(d, threshold) - grid_probability(d, threshold)) < 0.01


def test_identical_differences_still_give_a_proper_probability() -> None:
    d = np.array([-3.0, -3.0, -3.0, -3.0, -3.0, -3.0])
    p = prob_benefit(d, 2.0)
    assert 0.9 < p <= 1.0
    assert abs(p - grid_probability(d, 2.0)) < 0.01


def test_no_effect_gives_a_low_probability_of_a_clear_benefit() -> None:
    d = np.array([0.5, -0.5, 0.0, 1.0, -1.0, 0.0])
    assert prob_benefit(d, 2.0) < 0.01
