"""gaussian_exact: the exact Pr(Sigma_k > eps) by contour inversion, against independent
computations (chi-squared CDF, Bessel closed form, numerical convolution, Monte Carlo of
the actual sample-variance recursion), the bounds, and itself at two precisions."""

from __future__ import annotations

from fractions import Fraction

import mpmath
import numpy as np
import pytest
import sympy as sp

from rmc_symbolic import get
from rmc_symbolic.evaluate import evaluate
from rmc_symbolic.gaussian_exact import (
    optimal_markov,
    saddlepoint_approx,
    tail_probability,
)
from rmc_symbolic.symbols import eps, k, n, sigma0, t


def _q(v) -> mpmath.mpf:
    f = Fraction(v)
    return mpmath.mpf(f.numerator) / f.denominator


def _rel(a, b) -> mpmath.mpf:
    return abs(a - b) / abs(b)


K1_CASES = [(2, "12"), (2, "1e-20"), (2, "1"), (3, "0.001"), (10, "3"), (10, "4.2"),
            (10, "0.1"), (10, "0.4"), (100, "0.5"), (100, "1.6"), (1000, "1.4")]


@pytest.mark.parametrize("n_,e", K1_CASES)
def test_k1_against_chi2_cdf(n_, e):
    """k = 1: Pr(Sigma_1 > eps) = Pr(chi^2_m > m eps^2), m = n - 1 (sigma0 = 1), in both
    tails, to 15 digits relative to the small tail (down to 1e-200 and below)."""
    r = tail_probability(n_, 1, e, 1, 16)
    mm = n_ - 1
    with mpmath.workdps(60):
        xx = mm * _q(e) ** 2 / 2
        upper = mpmath.gammainc(mpmath.mpf(mm) / 2, xx, mpmath.inf, regularized=True)
        lower = mpmath.gammainc(mpmath.mpf(mm) / 2, 0, xx, regularized=True)
        small = upper if r.side == "upper" else lower
        assert _rel(r.tail, small) < mpmath.mpf(10) ** -15
        assert _rel(r.value, upper) < mpmath.mpf(10) ** -15
        assert r.error <= abs(r.value) * mpmath.mpf(10) ** -15


def test_tail_1e_minus_30_is_direct():
    """A 1e-30 upper tail (Gil-Pelaez's 1/2 - ... would cancel 30 digits)."""
    r = tail_probability(10, 1, "4.4", 1, 20)
    with mpmath.workdps(50):
        ref = mpmath.gammainc(mpmath.mpf(9) / 2, 9 * mpmath.mpf("4.4") ** 2 / 2, mpmath.inf,
                              regularized=True)
    assert mpmath.mpf(10) ** -34 < ref < mpmath.mpf(10) ** -28
    assert _rel(r.value, ref) < mpmath.mpf(10) ** -19


@pytest.mark.parametrize("tval", ["3", "50", "1200"])
def test_k2_m2_against_bessel_closed_form(tval):
    """m = 2 (n = 3): chi^2_2/2 is Exp(1) and Pr(U1 U2 > t) = 2 sqrt(t) K_1(2 sqrt(t));
    Sigma_2 > eps with sigma0 = 1 is U1 U2 > eps^2, so eps = sqrt(t)."""
    tt = int(tval)
    with mpmath.workdps(60):
        e_q = Fraction(mpmath.nstr(mpmath.sqrt(tt), 55))  # the exact eps we pass ...
        t_exact = _q(e_q) ** 2  # ... and its t
        ref = 2 * mpmath.sqrt(t_exact) * mpmath.besselk(1, 2 * mpmath.sqrt(t_exact))
    r = tail_probability(3, 1, e_q, 2, 16)
    assert _rel(r.value, ref) < mpmath.mpf(10) ** -15
    if tt == 1200:
        assert ref < mpmath.mpf(10) ** -28


@pytest.mark.parametrize("n_,e", [(10, "0.7"), (10, "1.9"), (10, "0.2"), (4, "0.05")])
def test_k2_against_numerical_convolution(n_, e):
    """Pr(X1 + X2 > c) = integral of f_X(x) Pr(X > c - x) dx, X = log(chi^2_m/m)."""
    mm = n_ - 1
    r = tail_probability(n_, 1, e, 2, 15)
    with mpmath.workdps(40):
        c = 2 * mpmath.log(_q(e))
        h = mpmath.mpf(mm) / 2

        def dens(xv):  # density of log(chi^2_m/m)
            u = mpmath.exp(xv)
            return mpmath.exp(h * mpmath.log(h * u) - h * u - mpmath.loggamma(h))

        def q_up(yv):
            return mpmath.gammainc(h, h * mpmath.exp(yv), mpmath.inf, regularized=True)

        def q_lo(yv):
            return mpmath.gammainc(h, 0, h * mpmath.exp(yv), regularized=True)

        if r.side == "upper":
            ref = mpmath.quad(lambda xv: dens(xv) * q_up(c - xv), [-40, -5, -1, 0, 1, c, 5])
            ref2 = r.value
        else:
            ref = mpmath.quad(lambda xv: dens(xv) * q_lo(c - xv),
                              [-60, c - 10, c - 3, c, -1, 0, 1, 5])
            ref2 = r.tail
    assert _rel(ref2, ref) < mpmath.mpf(10) ** -14


def test_gil_pelaez_statement_numerically():
    """The registry's Gil-Pelaez formula, integrated on the real axis where it is well
    conditioned (a central probability), agrees with the contour inversion."""
    st = get("gaussian_exact").statements["gil_pelaez"]
    integral = st.rhs.atoms(sp.Integral).pop()
    f = sp.lambdify((t, n, k, sigma0, eps), integral.function, "mpmath")
    with mpmath.workdps(30):
        val = mpmath.mpf(1) / 2 + mpmath.quad(
            lambda tv: f(tv, 10, 5, 1, mpmath.mpf("0.8")), [0, 1, 3, 10, mpmath.inf]) / mpmath.pi
    r = tail_probability(10, 1, "0.8", 5, 20)
    assert _rel(r.value, val) < mpmath.mpf(10) ** -15


@pytest.mark.parametrize("n_,e,k_", [(10, "0.1", 200), (10, "0.1", 37), (2, "0.3", 9),
                                     (1000, "0.9", 500), (10, "2", 40)])
def test_two_precisions_agree(n_, e, k_):
    a = tail_probability(n_, 1, e, k_, 15)
    b = tail_probability(n_, 1, e, k_, 30)
    assert _rel(a.value, b.value) < mpmath.mpf(10) ** -15
    assert _rel(a.tail, b.tail) < mpmath.mpf(10) ** -15


@pytest.mark.parametrize("n_", [10**5, 10**6])
def test_large_n_k1_against_chi2_cdf(n_):
    r = tail_probability(n_, 1, "1.001", 1, 15)
    with mpmath.workdps(60):
        mm = n_ - 1
        ref = mpmath.gammainc(mpmath.mpf(mm) / 2, mm * mpmath.mpf("1.001") ** 2 / 2,
                              mpmath.inf, regularized=True)
    assert _rel(r.value, ref) < mpmath.mpf(10) ** -15


def test_huge_n_two_precisions():
    """n = 10^9 (log-gamma of 5e8 cancels ~10 digits: guard digits cover it)."""
    a = tail_probability(10**9, 1, "0.9999", 100, 15)
    b = tail_probability(10**9, 1, "0.9999", 100, 25)
    assert _rel(a.value, b.value) < mpmath.mpf(10) ** -15
    assert 0.1 < a.value < 0.9


@pytest.mark.parametrize("n_,e,ks", [(10, "0.1", [1, 20, 60, 120, 200]),
                                     (3, "0.5", [1, 3, 10, 40]),
                                     (100, "0.3", [10, 300, 1000]),
                                     (10, "1.5", [1, 5, 30])])
def test_exact_below_every_bound(n_, e, ks):
    eq3, t3 = get("eq3"), get("theorem3")
    for k_ in ks:
        pt = {"n": n_, "sigma0": 1, "eps": e, "k": k_}
        ex = tail_probability(n_, 1, e, k_, 15).value
        opt, _ = optimal_markov(n_, 1, e, k_, 15)
        for bound in (opt, evaluate(eq3.parts["markov_bound"], pt, 15),
                      evaluate(eq3.parts["markov_s_bound"], {**pt, "s": "0.35"}, 15),
                      evaluate(t3.parts["gurland_bound"], pt, 15),
                      evaluate(t3.parts["upper"], pt, 15)):
            assert ex <= bound


def test_saddlepoint_guide_is_close():
    for n_, e, k_ in [(10, "0.1", 50), (10, "0.1", 200), (30, "0.5", 100)]:
        ex = tail_probability(n_, 1, e, k_, 15).value
        assert abs(saddlepoint_approx(n_, 1, e, k_) / float(ex) - 1) < 0.02


def _mc_recursion(n_, sigma0_, e, k_, trajectories, seed):
    """Monte Carlo of the actual recursion: n normal draws, sample mean and unbiased
    sample variance, k times (independent of the chi-squared reduction)."""
    rng = np.random.default_rng(seed)
    mu = np.zeros(trajectories)
    sd = np.full(trajectories, float(sigma0_))
    block = 50_000
    for _ in range(k_):
        for lo in range(0, trajectories, block):
            sl = slice(lo, min(lo + block, trajectories))
            x = mu[sl, None] + sd[sl, None] * rng.standard_normal((sl.stop - sl.start, n_))
            mu[sl] = x.mean(axis=1)
            sd[sl] = x.std(axis=1, ddof=1)
    return np.count_nonzero(sd > float(Fraction(e)))


def _within_4se(count, trajectories, p):
    p = float(p)
    se = np.sqrt(p * (1 - p) / trajectories)
    return abs(count / trajectories - p) <= 4 * se


def test_exact_against_monte_carlo_of_the_recursion():
    T = 100_000
    for n_, e, k_, seed in [(5, "0.5", 6, 11), (10, "0.6", 20, 12)]:
        p = tail_probability(n_, 1, e, k_, 15).value
        assert 0.05 < p < 0.95
        c = _mc_recursion(n_, 1, e, k_, T, seed)
        assert _within_4se(c, T, p), (n_, e, k_, c / T, p)


@pytest.mark.slow
def test_exact_against_monte_carlo_1e6_paths():
    """10^6 paths of log Sigma_k = 1/2 sum log(chi^2_m/m) (n = 10, eps = 0.1, Fig. 5)."""
    T = 10**6
    rng = np.random.default_rng(2025)
    m_ = 9
    logs = np.zeros(T)
    ks = [50, 100, 150, 200]
    counts = {}
    for k_ in range(1, 201):
        logs += 0.5 * np.log(rng.chisquare(m_, size=T) / m_)
        if k_ in ks:
            counts[k_] = np.count_nonzero(logs > np.log(0.1))
    for k_ in ks:
        p = tail_probability(10, 1, "0.1", k_, 15).value
        assert _within_4se(counts[k_], T, p), (k_, counts[k_] / T, p)
    # and the recursion itself at one k
    c = _mc_recursion(10, 1, "0.1", 100, T, 7)
    assert _within_4se(c, T, tail_probability(10, 1, "0.1", 100, 15).value)
