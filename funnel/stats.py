"""Small statistics for proportions: Wilson intervals and the two-proportion z-test."""

from __future__ import annotations

import math

import numpy as np

Z95 = 1.959963984540054


def wilson(successes: np.ndarray | float, trials: np.ndarray | float, z: float = Z95):
    """Wilson score interval (low, high) for successes/trials; (nan, nan) where trials == 0.

    >>> lo, hi = wilson(np.array([45.0]), np.array([100.0]))
    >>> round(float(lo[0]), 3), round(float(hi[0]), 3)
    (0.356, 0.548)
    """
    k = np.asarray(successes, dtype=np.float64)
    n = np.asarray(trials, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = k / n
        z2 = z * z
        denom = 1 + z2 / n
        centre = (p + z2 / (2 * n)) / denom
        half = z * np.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / denom
        # The interval always holds the rate itself: at 0 or n successes centre - half and
        # centre + half miss 0 and 1 by a rounding error, which would read as "above zero".
        low = np.clip(np.minimum(centre - half, p), 0.0, 1.0)
        high = np.clip(np.maximum(centre + half, p), 0.0, 1.0)
    bad = ~(n > 0)
    return np.where(bad, np.nan, low), np.where(bad, np.nan, high)


def two_proportion_p(k1, n1, k2, n2) -> np.ndarray:
    """Two-sided p-value of the pooled two-proportion z-test; nan where either n is 0.

    >>> round(float(two_proportion_p(45, 100, 60, 100)), 4)
    0.0337
    """
    k1, n1, k2, n2 = (np.asarray(a, dtype=np.float64) for a in (k1, n1, k2, n2))
    with np.errstate(divide="ignore", invalid="ignore"):
        pooled = (k1 + k2) / (n1 + n2)
        se = np.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
        z = np.abs(k1 / n1 - k2 / n2) / se
        # otypes given: an empty input (no segment to test) gives an empty answer
        erfc = np.vectorize(
            lambda x: math.erfc(x / math.sqrt(2)) if x == x else math.nan, otypes=[np.float64]
        )
        p = erfc(z)
        # Identical proportions with zero spread are no evidence of a difference.
        p = np.where((se == 0) & (k1 / n1 == k2 / n2), 1.0, p)
    return np.where((n1 > 0) & (n2 > 0), p, np.nan)
