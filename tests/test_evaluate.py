"""Evaluation of registry formulas against independent computations."""

from __future__ import annotations

from fractions import Fraction

import mpmath
import pytest
import sympy as sp

from rmc_symbolic import all_results, get
from rmc_symbolic.errors import InputError
from rmc_symbolic.evaluate import evaluate
from rmc_symbolic.registry import Quantity


def plain_gk(k: int, dps: int = 60) -> mpmath.mpf:
    with mpmath.workdps(dps + 20):
        x = mpmath.mpf(1)
        for _ in range(k - 1):
            x = 1 - mpmath.exp(-x)
        return +x


def close(a, b, digits):
    with mpmath.workdps(digits + 20):
        return abs(a - b) <= abs(b) * mpmath.mpf(10) ** (-digits) or a == b


def test_theorem1_against_direct_formula():
    # an independent computation of Theorem 1's bounds at the paper's (n, p0) = (100, 0.01)
    n, k = 100, 10
    with mpmath.workdps(60):
        p0 = mpmath.mpf(1) / 100
        g = plain_gk(k)
        lower = 1 - mpmath.exp(-n * p0 * g)
        c = max(0, 1 - 3 * n * p0**2 - 3 * k * p0)
        upper = 1 - c * mpmath.exp(-n * p0 * g)
    pt = {"n": 100, "p0": "0.01", "k": 10}
    assert close(evaluate(get("theorem1").parts["lower"], pt, 40), lower, 39)
    assert close(evaluate(get("theorem1").parts["upper"], pt, 40), upper, 39)


def test_theorem2_against_direct_sum_over_the_galton_watson_chain():
    # Pr(N_k = 0 | N_0 = c) by summing the Poisson transition probabilities directly
    c, kmax, jmax = 2, 3, 70
    with mpmath.workdps(50):
        dist = [mpmath.mpf(0)] * (jmax + 1)
        dist[c] = mpmath.mpf(1)
        for k in range(1, kmax + 1):
            new = [mpmath.mpf(0)] * (jmax + 1)
            for i, pi in enumerate(dist):
                if pi == 0:
                    continue
                if i == 0:
                    new[0] += pi
                    continue
                for j in range(jmax + 1):
                    new[j] += pi * mpmath.exp(-i) * mpmath.mpf(i) ** j / mpmath.factorial(j)
            dist = new
            exact = evaluate(get("theorem2").parts["exact"], {"n": 1, "lambda0": c, "k": k}, 30)
            assert close(1 - dist[0], exact, 25)


def test_r_n_against_numerical_integration():
    # E[sqrt(chi2_m / m)] by quadrature of the chi-squared density; r_n with n = m + 1
    for m in (1, 2, 9, 50):
        with mpmath.workdps(40):
            def dens(x, m=m):
                return x ** (mpmath.mpf(m) / 2 - 1) * mpmath.exp(-x / 2) / (
                    2 ** (mpmath.mpf(m) / 2) * mpmath.gamma(mpmath.mpf(m) / 2))
            ref = mpmath.quad(lambda x, m=m: mpmath.sqrt(x / m) * dens(x), [0, m, mpmath.inf])
        assert close(evaluate(get("eq3").parts["r_n"], {"n": m + 1}, 30), ref, 28)


def test_r_n_stable_for_huge_n():
    # r_n -> 1 - 1/(4n) + ...; a Gamma ratio of huge arguments must not overflow
    v = evaluate(get("eq3").parts["r_n"], {"n": 10**9}, 30)
    with mpmath.workdps(40):
        assert abs((1 - v) * 4 * 10**9 - 1) < 1e-6


def test_corollary1_two_symbol_pmf_is_theorem1_twice():
    p = Fraction(3, 10)
    n, k = 20, 4
    pmf = [p, 1 - p]
    c1, t1 = get("corollary1"), get("theorem1")
    for side in ("lower", "upper"):
        both = evaluate(c1.parts[side], {"n": n, "k": k}, 30, pmf=pmf)
        a = evaluate(t1.parts[side], {"n": n, "p0": p, "k": k}, 30)
        b = evaluate(t1.parts[side], {"n": n, "p0": 1 - p, "k": k}, 30)
        with mpmath.workdps(40):
            assert close(both, a + b, 28)


def test_tiny_probability_without_cancellation():
    # 1 - e^{-x} at x = 1e-30 must keep its relative accuracy
    v = evaluate(get("theorem2").parts["exact"], {"n": 1, "lambda0": "1e-30", "k": 1}, 20)
    with mpmath.workdps(60):
        ref = -mpmath.expm1(-mpmath.mpf(10) ** -30)
    assert close(v, ref, 19)


def test_parameters_are_exact_not_doubles():
    e = get("theorem1").parts["upper"]
    exact = evaluate(e, {"n": 100, "p0": "0.01", "k": 10}, 30)
    via_double = evaluate(e, {"n": 100, "p0": Fraction(0.01), "k": 10}, 30)
    assert exact != via_double
    assert close(exact, via_double, 14)
    with pytest.raises(TypeError):
        evaluate(e, {"n": 100, "p0": 0.01, "k": 10}, 30)


def _closed_parts():
    from rmc_symbolic.symbols import PARAMS

    for r in all_results():
        given = {PARAMS[k] for k in r.sample if k in PARAMS}
        for name, e in r.parts.items():
            if isinstance(e, Quantity) or e.has(sp.Indexed) or e.has(sp.oo) or e.has(sp.I):
                continue
            if e.free_symbols - given or not e.free_symbols:
                continue  # not determined by the sample point
            yield r, name, e


CLOSED = list(_closed_parts())


@pytest.mark.parametrize("r,name,e", CLOSED, ids=[f"{r.id}.{n}" for r, n, _ in CLOSED])
def test_every_closed_part_at_dps_D_and_2D(r, name, e):
    pt = {k: v for k, v in r.sample.items() if k != "zipf"}
    a = evaluate(e, pt, 30)
    b = evaluate(e, pt, 60)
    assert close(a, b, 29), (r.id, name, a, b)


def test_thousand_digits():
    e = get("lemma2_sharp").parts["lower"]
    a = evaluate(e, {"k": 10}, 1000)
    with mpmath.workdps(1100):
        ref = 2 / (11 + mpmath.log(10) / 3)
        assert abs(a - ref) <= ref * mpmath.mpf(10) ** -999


def test_missing_and_unknown_parameters():
    with pytest.raises(InputError, match="missing parameter"):
        evaluate(get("theorem1").parts["lower"], {"n": 10}, 15)
    with pytest.raises(InputError, match="unknown parameter"):
        evaluate(get("theorem1").parts["lower"], {"q": 1}, 15)
    with pytest.raises(InputError, match="integer k >= 1"):
        evaluate(get("lemma2").parts["value"], {"k": "1/2"}, 15)


@pytest.mark.parametrize("r,name,e", CLOSED, ids=[f"{r.id}.{n}" for r, n, _ in CLOSED])
def test_certified_arb_path_agrees_with_mpmath_path(r, name, e):
    pt = {k: v for k, v in r.sample.items() if k != "zipf"}
    a = evaluate(e, pt, 25, certified=True)
    b = evaluate(e, pt, 25, certified=False)
    assert close(a, b, 24), (r.id, name, a, b)


def test_certified_path_is_used_for_registry_bounds():
    from rmc_symbolic.evaluate import _eval_arb

    env = {get("theorem1").params["n"]: Fraction(100), get("theorem1").params["p0"]:
           Fraction(1, 100), get("theorem1").params["k"]: Fraction(10)}
    v = _eval_arb(get("theorem1").parts["upper"], env, None, 30)
    assert v is not None  # settled by Arb, not by the fallback
    assert close(v, evaluate(get("theorem1").parts["upper"], {"n": 100, "p0": "0.01", "k": 10},
                             30, certified=False), 29)
