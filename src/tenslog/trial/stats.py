"""The statistics of a personal trial, on the pair differences d_i = (TENS period's mean change)
- (rest period's mean change); negative = pain fell more with TENS. See docs/trial.md.

- Mean difference with a 95 % t-interval (n - 1 degrees of freedom).
- Exact randomisation test: the order inside each pair was drawn at random, so under "TENS
  makes no difference" each of the 2**n orders was as likely as the one drawn, and swapping a
  pair's order flips the sign of its difference. The two-sided p-value is the share of all
  2**n sign patterns whose |mean| is at least the observed |mean|. It holds however pain
  drifts over the weeks, since the drift is the same whichever order was drawn.
- Probability that TENS beats rest by at least ``threshold`` points, P(mu <= -threshold | d),
  under d_i ~ Normal(mu, sigma^2), mu ~ Normal(0, 5^2), sigma^2 ~ Inverse-Gamma(2, 2).
  mu is integrated out exactly for each sigma; sigma on a fine grid (log scale)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import stats

PRIOR_MU_SD = 5.0  # pair differences on a 0-10 scale: a true effect beyond +-10 is impossible
PRIOR_VAR_SHAPE = 2.0  # sigma^2 ~ Inverse-Gamma(shape, scale): weakly informative, and zero
PRIOR_VAR_SCALE = 2.0  # density at sigma = 0, so identical differences still give a posterior
_LOG_SIGMA = np.linspace(np.log(0.01), np.log(60.0), 4001)
CONFIDENCE = 0.95


@dataclass(frozen=True, slots=True)
class MeanDifference:
    mean: float
    low: float
    high: float


def mean_difference(d: np.ndarray) -> MeanDifference:
    mean = float(np.mean(d))
    if len(d) < 2 or np.all(d == d[0]):
        return MeanDifference(mean, mean, mean)
    half = stats.t.ppf(0.5 + CONFIDENCE / 2, len(d) - 1) * stats.sem(d)
    return MeanDifference(mean, mean - float(half), mean + float(half))


def sign_patterns(n: int) -> np.ndarray:
    """All 2**n rows of +1/-1 (row k: bit i of k set -> -1 for pair i)."""
    k = np.arange(2**n)[:, None]
    return 1 - 2 * ((k >> np.arange(n)) & 1)


def randomisation_p(d: np.ndarray) -> float:
    """Exact two-sided p-value over all 2**n orders (see the module text)."""
    observed = abs(float(np.mean(d)))
    means = np.abs(sign_patterns(len(d)) @ d) / len(d)
    # A tolerance, so equal sums computed in another order still count as "at least".
    return float(np.mean(means >= observed - 1e-9))


def smallest_p(pairs: int) -> float:
    """The smallest two-sided p-value the test can give with this many pairs."""
    return 2 / 2**pairs


def _log_var_prior(sigma: np.ndarray) -> np.ndarray:
    """log density of sigma (not sigma^2) when sigma^2 ~ Inverse-Gamma(a, b)."""
    var = sigma**2
    return (-(PRIOR_VAR_SHAPE + 1) * np.log(var) - PRIOR_VAR_SCALE / var) + np.log(2 * sigma)


def prob_benefit(d: np.ndarray, threshold: float) -> float:
    """P(mu <= -threshold | d): the chance that TENS lowers pain by at least ``threshold``
    points more than rest, under the model in the module text."""
    n = len(d)
    ybar = float(np.mean(d))
    ss = float(np.sum((d - ybar) ** 2))
    sigma = np.exp(_LOG_SIGMA)
    var = sigma**2
    # log p(d | sigma) with mu integrated out: the spread around the mean, times the density
    # of the mean under mu's prior plus its sampling variance.
    log_lik = (-(n - 1) * np.log(sigma) - ss / (2 * var) - 0.5 * np.log(n)
               + stats.norm.logpdf(ybar, 0.0, np.sqrt(PRIOR_MU_SD**2 + var / n)))
    # Weights on the log-sigma grid: the Jacobian d(sigma) = sigma d(log sigma).
    log_w = log_lik + _log_var_prior(sigma) + np.log(sigma)
    w = np.exp(log_w - log_w.max())
    precision = 1 / PRIOR_MU_SD**2 + n / var
    post_mean = (n * ybar / var) / precision
    post_sd = np.sqrt(1 / precision)
    below = stats.norm.cdf(-threshold, post_mean, post_sd)
    return float(np.trapezoid(w * below, _LOG_SIGMA) / np.trapezoid(w, _LOG_SIGMA))
