"""Theil-Sen (the relief trend) without the n x n matrix of pairwise slopes.

scipy.stats.theilslopes builds every pairwise slope and sorts them: quadratic in the number of
weeks (about 0.3 s at fifty years, 2 s at a hundred). The trend's points are weekly medians of
whole-number pain changes (multiples of 0.5 from -10 to 10) at whole weeks, so the points fall
on a small grid (value x week). Every slope is (value step / week step), and how many pairs
have each (value step, week step) is the grid's autocorrelation: one 2-D FFT, O(W log W) for
W weeks. Each slope is then computed with the same float operations as scipy's, so the sorted
multiset of slopes is scipy's exactly, and so are its median and Sen's interval (tests compare
with scipy.stats.theilslopes for equality). Points off such a grid take scipy's pairwise route.
"""

from __future__ import annotations

import numpy as np
from scipy import fft

GRID_CELLS = 1 << 24  # the largest (value x week) grid counted by FFT; beyond it, pairwise


def _counted(x: np.ndarray, y: np.ndarray, always: bool) -> tuple[np.ndarray, np.ndarray] | None:
    """(slope of each grid step, pairs with that step), or None when the points are off a
    small grid of whole x and half-unit y, or (unless ``always``) so few that pairing them
    all is quicker."""
    twice = 2 * y
    if not (np.all(x == np.round(x)) and np.all(twice == np.round(twice))):
        return None
    if max(np.abs(x).max(), np.abs(twice).max()) >= 2**40:  # differences no longer exact
        return None
    cols = (x - x.min()).astype(np.int64)
    rows = (twice - twice.min()).astype(np.int64)
    height, width = int(rows.max()) + 1, int(cols.max()) + 1
    if height * width > GRID_CELLS or (not always and len(x) ** 2 <= 16 * height * width):
        return None
    grid = np.bincount(rows * width + cols, minlength=height * width).reshape(height, width).astype(float)
    # room for every lag without wrapping round, at lengths the FFT is quick for
    shape = (fft.next_fast_len(2 * height - 1, real=True), fft.next_fast_len(2 * width - 1, real=True))
    spectrum = fft.rfft2(grid, s=shape)
    # pairs[dv, dx]: points at (v, c) and (v + dv, c + dx), lags taken modulo the shape
    pairs = np.rint(fft.irfft2(np.conj(spectrum) * spectrum, s=shape)).astype(np.int64)
    steps = np.arange(shape[0])
    steps = np.where(steps < height, steps, steps - shape[0])  # row index -> dv (the rows between are 0)
    later = pairs[:, 1:width]  # dx > 0: the later point minus the earlier, as scipy takes it
    dy = (steps / 2.0)[:, None]  # exactly fl(y_later - y_earlier) for these half-units
    dx = np.arange(1, width, dtype=float)[None, :]
    slopes = np.broadcast_to(dy / dx, later.shape)
    present = later > 0
    return slopes[present], later[present]


def _pairwise(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    dx = x[:, np.newaxis] - x
    dy = y[:, np.newaxis] - y
    later = dx > 0
    with np.errstate(over="ignore"):  # a slope past the float range is inf, as in scipy
        return dy[later] / dx[later], np.ones(int(later.sum()), dtype=np.int64)


class SortedSlopes:
    """Every pairwise slope, in ascending order, held as distinct values with their counts."""

    def __init__(self, x: np.ndarray, y: np.ndarray, *, grid: bool = False) -> None:
        """``grid``: count on the grid whenever the points allow, however few (for tests)."""
        x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
        slopes, counts = _counted(x, y, grid) or _pairwise(x, y)
        values, where = np.unique(slopes, return_inverse=True)
        self.values = values
        self.ends = np.cumsum(np.bincount(where.ravel(), weights=counts, minlength=len(values))).astype(np.int64)
        self.n = int(self.ends[-1]) if len(self.ends) else 0

    def __getitem__(self, k: int) -> float:
        """The k-th smallest slope (from 0)."""
        return float(self.values[np.searchsorted(self.ends, k, side="right")])

    def median(self) -> float:
        half = self.n // 2
        return self[half] if self.n % 2 else (self[half - 1] + self[half]) / 2  # as np.median


def _repeat_term(values: np.ndarray) -> int:
    _, counts = np.unique(values, return_counts=True)
    return sum(int(k) * (int(k) - 1) * (2 * int(k) + 5) for k in counts if k > 1)


def theil_sen_slopes(x: np.ndarray, y: np.ndarray, z: float, *, grid: bool = False) -> tuple[float, float, float]:
    """Slope and Sen's (1968) interval, as scipy.stats.theilslopes computes them, for ``z`` the
    normal quantile scipy uses (norm.ppf(alpha / 2)). ``grid``: see SortedSlopes."""
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    slopes = SortedSlopes(x, y, grid=grid)
    if slopes.n == 0:
        raise ValueError("Theil-Sen needs two different x values")
    n = len(y)
    variance = 1 / 18.0 * (n * (n - 1) * (2 * n + 5) - _repeat_term(x) - _repeat_term(y))
    if not variance >= 0:  # many repeated x and y (never the case for weeks): no interval
        return slopes.median(), float("nan"), float("nan")
    sigma = np.sqrt(variance)
    upper = min(int(np.round((slopes.n - z * sigma) / 2.0)), slopes.n - 1)
    lower = max(int(np.round((slopes.n + z * sigma) / 2.0)) - 1, 0)
    return slopes.median(), slopes[lower], slopes[upper]
