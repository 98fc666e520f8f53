"""g_k (eq2) against plain mpmath iteration, its bounds, and precision (D vs 2D)."""

from __future__ import annotations

import mpmath
import pytest
import sympy as sp

from rmc_symbolic import get
from rmc_symbolic.evaluate import evaluate
from rmc_symbolic.iterated_map import g_iterate_mp, gk, gk_arb, gk_values


def plain_gk(k: int, dps: int) -> mpmath.mpf:
    """An independent computation: mpmath iteration at generous precision."""
    with mpmath.workdps(dps + 20 + len(str(k))):
        x = mpmath.mpf(1)
        for _ in range(k - 1):
            x = 1 - mpmath.exp(-x)
        return +x


@pytest.mark.parametrize("k", [1, 2, 3, 10, 97, 500])
def test_gk_against_plain_iteration(k):
    v = gk_values([k], 50)[0]
    ref = plain_gk(k, 50)
    with mpmath.workdps(80):
        assert abs(v - ref) <= abs(ref) * mpmath.mpf(10) ** -49


def test_known_values():
    assert gk_values([1], 30)[0] == 1
    with mpmath.workdps(40):
        assert abs(gk_values([2], 30)[0] - (1 - mpmath.exp(-1))) < mpmath.mpf(10) ** -30


@pytest.mark.parametrize("dps", [15, 50, 200, 1000])
@pytest.mark.parametrize("k", [2, 7, 300])
def test_precision_D_vs_2D(dps, k):
    a = gk_values([k], dps)[0]
    b = gk_values([k], 2 * dps)[0]
    with mpmath.workdps(3 * dps):
        assert abs(a - b) <= abs(b) * mpmath.mpf(10) ** (-dps)


def test_arb_ball_contains_reference():
    from flint import arb

    ball = gk_arb(1000, 200)
    ref = plain_gk(1000, 80)
    # the reference, as a ball of radius 1e-70, must overlap the certified enclosure
    assert ball.overlaps(arb(mpmath.nstr(ref, 75), 1e-70))
    assert not ball.overlaps(arb(mpmath.nstr(ref * (1 + mpmath.mpf(10) ** -40), 75), 1e-70))
    assert float(ball.rad()) < 1e-40


def test_many_ks_in_one_pass_match_single_calls():
    ks = [5, 1, 300, 42]
    many = gk_values(ks, 30)
    with mpmath.workdps(60):
        for k, v in zip(ks, many, strict=True):
            assert abs(v - gk_values([k], 30)[0]) <= abs(v) * mpmath.mpf(10) ** -30


def test_lemma2_and_sharp_hold_for_first_2000_k():
    ks = list(range(1, 2001))
    vals = gk_values(ks, 20)
    lo2, up2 = get("lemma2").parts["lower"], get("lemma2").parts["upper"]
    los, ups = get("lemma2_sharp").parts["lower"], get("lemma2_sharp").parts["upper"]
    for k in (1, 2, 3, 10, 100, 1999):
        v = vals[k - 1]
        assert evaluate(lo2, {"k": k}, 20) <= v <= evaluate(up2, {"k": k}, 20)
        assert evaluate(los, {"k": k}, 20) <= v * (1 + mpmath.mpf(10) ** -18)
        assert v <= evaluate(ups, {"k": k}, 20) * (1 + mpmath.mpf(10) ** -18)
    for k, v in zip(ks, vals, strict=True):
        assert 1 / mpmath.mpf(k) <= v <= 3 / mpmath.mpf(k)


def test_kolmogorov_asymptotics():
    # 2/g_k = k + (1/3) ln k + 0.798... + o(1) (RESULTS.md, lemma2_sharp background)
    k = 20000
    v = gk_values([k], 30)[0]
    c = 2 / v - k - mpmath.log(k) / 3
    assert 0.79 < c < 0.81


def test_sympy_function():
    k = sp.Symbol("k", integer=True, positive=True)
    assert gk(1) == 1
    assert gk(k).is_positive
    assert abs(float(gk(3).evalf(30)) - float(plain_gk(3, 30))) < 1e-15
    assert sp.latex(gk(k)) == "g_{k}"
    with pytest.raises(ValueError):
        gk(0)


def test_g_iterate_from_infinity_is_gk():
    with mpmath.workdps(40):
        assert abs(g_iterate_mp(mpmath.inf, 5) - plain_gk(5, 40)) < mpmath.mpf(10) ** -38
        # from a finite start: g(g(1)) by hand
        assert abs(g_iterate_mp(1, 2) - (1 - mpmath.exp(-(1 - mpmath.exp(-1))))) < 1e-38


def test_abel_coefficients_satisfy_the_functional_equation():
    # alpha(g(x)) - alpha(x) = 1 up to the truncation order, at x = 1/1000 (mpmath, 80 digits)
    from rmc_symbolic.iterated_map import _abel, abel_coefficients

    c, a = abel_coefficients(20)
    with mpmath.workdps(80):
        x = mpmath.mpf(1) / 1000
        gx = -mpmath.expm1(-x)
        assert abs(_abel(gx, c, a) - _abel(x, c, a) - 1) < mpmath.mpf(10) ** -60


@pytest.mark.parametrize("dps", [15, 40])
def test_abel_jump_agrees_with_iteration(dps):
    k = 300_000
    fast = gk_values([k], dps, method="auto")[0]
    slow = gk_values([k], dps, method="iterate")[0]
    with mpmath.workdps(2 * dps):
        assert abs(fast - slow) <= abs(slow) * mpmath.mpf(10) ** (-dps)


def test_gk_at_a_trillion():
    # 2/g_k = k + (1/3) ln k + C + o(1): at k = 10^12 the o(1) is negligible
    k = 10**12
    v = gk_values([k], 30)[0]
    c_small = 2 / gk_values([20000], 30)[0] - 20000 - mpmath.log(20000) / 3
    with mpmath.workdps(40):
        c_big = 2 / v - k - mpmath.log(k) / 3
        assert abs(c_big - c_small) < 1e-4
