"""Wilson intervals, the two-proportion z-test and the Benjamini-Hochberg adjustment.

Expected numbers come from formulas other than the engine's: the Wilson bounds as the roots of
the quadratic (p̂ - p)² = z² p (1 - p) / n, the z-test through the 2x2 chi-square shortcut
N (ad - bc)² / (r1 r2 c1 c2) (z² is that chi-square), the adjusted p-values counted by hand.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from funnel.compare import ALPHA, benjamini_hochberg
from funnel.stats import Z95, two_proportion_p, wilson
from tests.strategies import counts, p_values, two_counts


def test_z95_is_the_two_sided_95_percent_quantile():
    # 1 - Phi(z) = erfc(z / sqrt 2) / 2 = 0.025
    assert math.erfc(Z95 / math.sqrt(2)) == pytest.approx(0.05, abs=1e-15)


# ---- Wilson ----------------------------------------------------------------------------------

# (successes, trials, low, high): the quadratic's roots, rounded to 6 places. 0/10 -> 0.2775 and
# 1/10 -> (0.0179, 0.4042) are the textbook figures.
WILSON = [
    (45, 100, 0.356145, 0.547554),
    (0, 10, 0.0, 0.277533),
    (1, 10, 0.017876, 0.404150),
    (5, 10, 0.236593, 0.763407),
    (10, 10, 0.722467, 1.0),
    (3, 7, 0.158220, 0.749542),
    (1, 1, 0.206549, 1.0),
]


@pytest.mark.parametrize(("k", "n", "low", "high"), WILSON)
def test_wilson_matches_the_quadratics_roots(k, n, low, high):
    lo, hi = wilson(k, n)
    assert float(lo) == pytest.approx(low, abs=1e-6)
    assert float(hi) == pytest.approx(high, abs=1e-6)


def test_wilson_works_on_arrays_element_by_element():
    k = np.array([45, 0, 1, 5])
    n = np.array([100, 10, 10, 10])
    lo, hi = wilson(k, n)
    assert lo.shape == hi.shape == (4,)
    assert lo.round(6).tolist() == [0.356145, 0.0, 0.017876, 0.236593]
    assert hi.round(6).tolist() == [0.547554, 0.277533, 0.40415, 0.763407]


def test_wilson_is_nan_where_there_are_no_trials():
    lo, hi = wilson(np.array([0, 3, 0]), np.array([0, 10, 0]))
    assert np.isnan(lo[[0, 2]]).all() and np.isnan(hi[[0, 2]]).all()
    assert lo[1] == pytest.approx(0.107791, abs=1e-6)
    assert hi[1] == pytest.approx(0.603222, abs=1e-6)


def test_a_wider_z_gives_a_wider_interval():
    lo95, hi95 = wilson(45, 100)
    lo99, hi99 = wilson(45, 100, z=2.5758293035489004)
    assert lo99 < lo95 and hi99 > hi95


@given(counts())
def test_wilson_lies_in_0_1_and_holds_the_point_estimate(kn):
    k, n = kn
    lo, hi = (float(x) for x in wilson(k, n))
    assert 0.0 <= lo <= hi <= 1.0
    assert lo <= k / n <= hi


def test_no_successes_give_a_lower_bound_of_exactly_zero_and_all_an_upper_of_one():
    n = np.arange(1, 2001)
    lo, _ = wilson(np.zeros_like(n), n)
    _, hi = wilson(n, n)
    assert n[lo != 0].tolist() == []
    assert n[hi != 1].tolist() == []


@given(counts())
def test_wilson_is_symmetric_in_successes_and_failures(kn):
    k, n = kn
    lo, hi = wilson(k, n)
    lo_f, hi_f = wilson(n - k, n)
    assert float(lo) == pytest.approx(1 - float(hi_f), abs=1e-12)
    assert float(hi) == pytest.approx(1 - float(lo_f), abs=1e-12)


@given(counts(), st.integers(2, 20))
def test_more_trials_at_the_same_rate_narrow_the_interval(kn, times):
    k, n = kn
    lo, hi = wilson(k, n)
    lo_m, hi_m = wilson(k * times, n * times)
    assert float(hi_m - lo_m) < float(hi - lo)


@given(counts())
def test_wilson_bounds_solve_the_quadratic(kn):
    k, n = kn
    ph = k / n
    for bound in (float(b) for b in wilson(k, n)):
        if 0.0 < bound < 1.0:
            assert (ph - bound) ** 2 == pytest.approx(
                Z95**2 * bound * (1 - bound) / n, rel=1e-9, abs=1e-15
            )


# ---- two-proportion z-test -------------------------------------------------------------------


def chi_square_p(k1: int, n1: int, k2: int, n2: int) -> float:
    """p of the 2x2 chi-square without continuity correction: the z-test's p, counted apart."""
    a, b, c, d = k1, n1 - k1, k2, n2 - k2
    total = a + b + c + d
    chi2 = total * (a * d - b * c) ** 2 / ((a + b) * (c + d) * (a + c) * (b + d))
    return math.erfc(math.sqrt(chi2 / 2))


# (k1, n1, k2, n2, p): chi-square 4.5113, 20, 12.5 and 2.381 by hand.
Z_TESTS = [
    (45, 100, 60, 100, 0.033672069),
    (10, 10, 0, 10, 7.7442164e-06),
    (30, 100, 30, 50, 0.00040695202),
    (12, 100, 20, 100, 0.12282265),
]


@pytest.mark.parametrize(("k1", "n1", "k2", "n2", "p"), Z_TESTS)
def test_two_proportion_p_by_hand(k1, n1, k2, n2, p):
    assert float(two_proportion_p(k1, n1, k2, n2)) == pytest.approx(p, rel=1e-6)


def test_two_proportion_p_on_arrays():
    k1, n1, k2, n2 = (np.array(col) for col in zip(*(row[:4] for row in Z_TESTS), strict=True))
    out = two_proportion_p(k1, n1, k2, n2)
    assert out == pytest.approx([row[4] for row in Z_TESTS], rel=1e-6)


@pytest.mark.parametrize(
    ("k1", "n1", "k2", "n2"),
    [
        (0, 10, 0, 20),  # nobody converts on either side: no spread, no evidence
        (10, 10, 5, 5),  # everybody converts on both sides
        (3, 9, 1, 3),  # the same rate, with spread
    ],
)
def test_equal_rates_give_p_one(k1, n1, k2, n2):
    assert float(two_proportion_p(k1, n1, k2, n2)) == 1.0


@pytest.mark.parametrize(("n1", "n2"), [(0, 10), (10, 0), (0, 0)])
def test_no_trials_on_a_side_gives_nan(n1, n2):
    assert np.isnan(two_proportion_p(0, n1, 0, n2))


@settings(max_examples=200)
@given(two_counts())
def test_two_proportion_p_is_the_chi_square_p(sides):
    (k1, n1), (k2, n2) = sides
    p = float(two_proportion_p(k1, n1, k2, n2))
    assert 0.0 <= p <= 1.0
    if 0 < k1 + k2 < n1 + n2:  # both columns of the 2x2 table non-empty
        assert p == pytest.approx(chi_square_p(k1, n1, k2, n2), rel=1e-9, abs=1e-300)
    else:
        assert p == 1.0


@given(two_counts())
def test_two_proportion_p_does_not_care_which_side_is_first(sides):
    (k1, n1), (k2, n2) = sides
    assert two_proportion_p(k1, n1, k2, n2) == two_proportion_p(k2, n2, k1, n1)


# ---- Benjamini-Hochberg ----------------------------------------------------------------------

# Benjamini & Hochberg (1995), section 4: 15 p-values; at q = 0.05 the first four are rejected.
# Adjusted by hand: p(i) * 15 / i, then the running minimum from the largest down.
BH_1995 = [0.0001, 0.0004, 0.0019, 0.0095, 0.0201, 0.0278, 0.0298, 0.0344, 0.0459]
BH_1995 += [0.3240, 0.4262, 0.5719, 0.6528, 0.7590, 1.0]
BH_1995_ADJUSTED = [0.0015, 0.003, 0.0095, 0.035625, 0.0603, 0.063857, 0.063857, 0.0645, 0.0765]
BH_1995_ADJUSTED += [0.486, 0.581182, 0.714875, 0.753231, 0.813214, 1.0]


def test_bh_on_the_papers_example():
    adjusted = benjamini_hochberg(np.array(BH_1995))
    assert adjusted.round(6).tolist() == BH_1995_ADJUSTED
    assert int((adjusted <= 0.05).sum()) == 4


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # sorted .005 .01 .03 .04 -> .02 .02 .04 .04, back in the given order
        ([0.01, 0.04, 0.03, 0.005], [0.02, 0.04, 0.04, 0.02]),
        # p * 5 / rank is 0.05 for each
        ([0.01, 0.02, 0.03, 0.04, 0.05], [0.05] * 5),
        # a single test is not adjusted
        ([0.2], [0.2]),
        # 0.9 * 2 = 1.8 is capped at 1
        ([0.9, 0.95], [0.95, 0.95]),
        ([0.6, 0.9], [0.9, 0.9]),
    ],
)
def test_bh_by_hand(raw, expected):
    assert benjamini_hochberg(np.array(raw)).round(9).tolist() == expected


def test_bh_ignores_nan_and_keeps_the_shape():
    raw = np.array([[0.01, np.nan], [0.04, 0.03]])
    adjusted = benjamini_hochberg(raw)
    assert adjusted.shape == (2, 2)
    assert np.isnan(adjusted[0, 1])
    # three tests, not four: .01 * 3 = .03, .03 * 3/2 = .045, .04
    assert adjusted[0, 0] == pytest.approx(0.03)
    assert adjusted[1, 1] == pytest.approx(0.04)
    assert adjusted[1, 0] == pytest.approx(0.04)


def test_bh_of_nothing_but_nan_is_nan():
    assert np.isnan(benjamini_hochberg(np.array([np.nan, np.nan]))).all()
    assert benjamini_hochberg(np.array([])).shape == (0,)


@given(p_values())
def test_bh_is_at_least_raw_at_most_one_and_keeps_the_order(raw):
    adjusted = benjamini_hochberg(raw)
    ok = ~np.isnan(raw)
    assert np.array_equal(np.isnan(adjusted), ~ok)
    p, q = raw[ok], adjusted[ok]
    assert (q >= p).all() and (q <= 1.0).all()
    order = np.argsort(p, kind="stable")
    assert (np.diff(q[order]) >= 0).all()


@given(p_values(), st.randoms(use_true_random=False))
def test_bh_does_not_depend_on_the_order_of_the_tests(raw, rnd):
    perm = list(range(len(raw)))
    rnd.shuffle(perm)
    assert np.array_equal(
        benjamini_hochberg(raw)[perm], benjamini_hochberg(raw[perm]), equal_nan=True
    )


@given(p_values(), st.sampled_from([ALPHA, 0.01, 0.1]))
def test_bh_rejects_what_the_step_up_procedure_rejects(raw, q):
    """Reject the k smallest, k the largest rank with p(k) <= k q / m (the paper's definition)."""
    p = raw[~np.isnan(raw)]
    m = len(p)
    ranked = np.sort(p)
    below = [k for k in range(1, m + 1) if ranked[k - 1] <= k * q / m]
    cut = ranked[max(below) - 1] if below else -1.0
    # a p-value sitting exactly on k q / m can land one ulp either side once multiplied back
    assume(not np.isclose(ranked, q * np.arange(1, m + 1) / m, rtol=1e-9, atol=0).any())
    assert np.array_equal(benjamini_hochberg(p) <= q, p <= cut)


def test_two_proportion_p_of_nothing_is_nothing():
    """No segment to test (every one filtered away) is an empty answer, not an error."""
    empty = np.array([], dtype=float)
    assert two_proportion_p(empty, empty, empty, empty).shape == (0,)
