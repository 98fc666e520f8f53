"""proofs_check.verify on the user's own claims: false near-misses must FAIL with a
counterexample that really fails (checked here independently: exact rationals, or mpmath at
100 digits); true but hard claims (tight at a point) must not fail, and are PROVED."""

from __future__ import annotations

import sys
from fractions import Fraction

import mpmath
import pytest
import sympy as sp

from proofs_check import Status
from proofs_check.claim_parser import parse_claim
from proofs_check.enclosure import Var, nice_point, prove_nonnegative, prove_relation
from proofs_check.sampling import arb_check_point, search
from rmc_symbolic.errors import InputError

verify = sys.modules["proofs_check.verify"].verify


def really_fails(claim: str, point: dict[str, str], real=(), ints=()) -> mpmath.mpf:
    """rhs - lhs of the violated relation at the exact point, by mpmath at 100 digits
    (independent of Arb), asserting that some relation is violated there."""
    c = parse_claim(claim, real=list(real), ints=list(ints))
    sub = {c.symbols[k]: sp.Rational(Fraction(v).numerator, Fraction(v).denominator)
           for k, v in point.items()}
    worst = None
    with mpmath.workdps(100):
        for lhs, op, rhs in c.relations:
            d = (rhs - lhs).xreplace(sub)
            val = mpmath.mpf(sp.N(d, 100)) if d != 0 else mpmath.mpf(0)
            bad = {"<=": val < 0, "<": val <= 0, ">=": val > 0, ">": val >= 0,
                   "==": val != 0}[op]
            if bad:
                worst = val
    assert worst is not None, f"{point} does not violate {claim}"
    return worst


NEAR_MISSES = [
    # a constant perturbed by 1e-6: max of x(1-x) is 1/4
    ("x*(1-x) <= 0.249999", {"x": "0:1"}, {}),
    # fails only within (1.7933.., 1.8] at the upper end
    ("exp(x) <= 1 + x + x**2", {"x": "0:1.8"}, {}),
    # fails only for n > 50 (log 50 = 3.912.., log 51 = 3.931..)
    ("x*log(n) <= 3.92", {"x": "0:1"}, {"n": "1:200"}),
    # a transcendental near-miss: sin reaches 1 at pi/2 only
    ("sin(x) <= 0.999999", {"x": "0:3"}, {}),
    # fails only near the lower end: 1e-6 too much at x = 0
    ("exp(x) >= 1 + x + x**2/2 + 0.000001", {"x": "0:1"}, {}),
]


@pytest.mark.parametrize("claim,vars_,ints", NEAR_MISSES, ids=[c for c, _, _ in NEAR_MISSES])
def test_near_misses_fail_with_real_counterexamples(claim, vars_, ints):
    r = verify(claim, vars=vars_, ints=ints, timeout=60)
    assert r.status is Status.FAILED, r
    assert r.counterexample is not None and r.margin is not None
    pt = r.counterexample
    assert set(pt) == set(vars_) | set(ints)
    for name, rng in {**vars_, **ints}.items():
        lo, hi = (Fraction(t) for t in rng.split(":"))
        assert lo <= Fraction(pt[name]) <= hi
    val = really_fails(claim, pt, vars_, ints)
    # the reported margin is rhs - lhs there (an Arb midpoint): same value
    assert abs(mpmath.mpf(r.margin) - val) <= abs(val) * mpmath.mpf(10) ** -8
    assert "Arb" in r.detail


def test_fails_only_for_large_n_counterexample_is_beyond_50():
    r = verify("x*log(n) <= 3.92", vars={"x": "0:1"}, ints={"n": "1:200"})
    assert int(r.counterexample["n"]) > 50


def test_endpoint_failure_is_at_the_end():
    r = verify("exp(x) <= 1 + x + x**2", vars={"x": "0:1.8"})
    assert Fraction(r.counterexample["x"]) > Fraction("1.79")


TRUE_HARD = [
    # tight at x = 0 (order 3), cancellation at tiny x
    ("2*x/(2+x) <= log(1+x)", {"x": "0:1000"}, {}),
    # lemma1 (lower side), tight at x = 0 for every n (the README example)
    ("exp(-n*x)*(1-n*x**2) <= (1-x)**n", {"x": "0:1"}, {"n": "1:200"}),
    # tight at the interior point 0, fourth order
    ("cosh(x) >= 1 + x**2/2", {"x": "-2:3"}, {}),
    # tight at x = 0, order 3
    ("sin(x) <= x", {"x": "0:10"}, {}),
    # tight at both ends
    ("x*(1-x) >= 0", {"x": "0:1"}, {}),
    # a Gamma ratio (eq15, Gurland), settled in log form
    ("gamma(x+1/2)/gamma(x) <= x/sqrt(x+1/4)", {"x": "1:100"}, {}),
    # tight at k = 1; g_k by the registry's Arb iteration
    ("g(k) <= 2/(k+1)", {}, {"k": "1:300"}),
]


@pytest.mark.parametrize("claim,vars_,ints", TRUE_HARD, ids=[c for c, _, _ in TRUE_HARD])
def test_true_hard_claims_are_proved(claim, vars_, ints):
    r = verify(claim, vars=vars_, ints=ints, timeout=60)
    assert r.status is not Status.FAILED
    assert r.status is Status.PROVED, r
    assert "Arb branch-and-bound" in r.method
    assert r.domain and all(name in r.domain for name in {**vars_, **ints})


def test_tight_point_method_is_reported():
    r = verify("2*x/(2+x) <= log(1+x)", vars={"x": "0:1000"})
    assert "tight point: Taylor order 3 in x at the lower end" in r.method


@pytest.mark.slow
def test_gurland_up_to_a_million_and_lemma1_to_1000():
    r = verify("gamma(x+1/2)/gamma(x) <= x/sqrt(x+1/4)", vars={"x": "0.001:1000000"},
               timeout=600)
    assert r.status is Status.PROVED, r
    r = verify("exp(-n*x)*(1-n*x**2) <= (1-x)**n", vars={"x": "0:1"}, ints={"n": "1:1000"},
               timeout=600)
    assert r.status is Status.PROVED, r


def test_cancellation_is_no_false_alarm():
    # 2x/(2+x) <= log(1+x) is true; at x = 1e-25 the margin is ~ x^3/12 ~ 1e-76
    c = parse_claim("2*x/(2+x) <= log(1+x)", real=["x"])
    x = c.symbols["x"]
    assert arb_check_point(c.relations, {x: Fraction(1, 10**25)}) is None
    r = verify("2*x/(2+x) <= log(1+x)", vars={"x": "1e-30:1e-20"})
    assert r.status is Status.PROVED
    # the sampler evaluates near-end and log-scale points down to 1e-60 without alarms
    res = search(c.relations, [Var(x, Fraction(0), Fraction(1, 10**20))], max_examples=60)
    assert res.point is None and res.tested >= 60


def test_sampling_finds_and_confirms_a_counterexample():
    c = parse_claim("x*(1-x) <= 0.249999", real=["x"])
    x = c.symbols["x"]
    res = search(c.relations, [Var(x, Fraction(0), Fraction(1))], max_examples=300)
    assert res.point is not None and res.check is not None
    q = res.point[x]
    assert q * (1 - q) > Fraction(249999, 10**6)  # exact rational check
    assert res.check.ball < 0


def test_strict_relations():
    r = verify("sin(x) < x", vars={"x": "0:1"})
    assert r.status is Status.FAILED and r.counterexample == {"x": "0"}
    assert r.margin == "0" and "exactly 0" in r.detail
    r = verify("sin(x) < x", vars={"x": "0.001:1"})
    assert r.status is Status.PROVED


def test_equalities():
    assert verify("cosh(x)**2 - sinh(x)**2 == 1", vars={"x": "-5:5"}).status is Status.EXACT
    r = verify("exp(x) == 1 + x", vars={"x": "0:1"}, timeout=30)
    assert r.status is Status.FAILED
    really_fails("exp(x) == 1 + x", r.counterexample, ["x"])
    r = verify("atan(x) + atan(1/x) == pi/2", vars={"x": "0.1:10"}, timeout=30)
    assert r.status in (Status.EXACT, Status.CHECKED)
    if r.status is Status.CHECKED:
        assert "no counterexample" in r.detail


def test_sampled_only_is_checked_not_proved():
    # tight at 0 with an infinite derivative there: no enclosure settles [0, tiny]
    r = verify("sqrt(x) >= x", vars={"x": "0:1"}, timeout=20)
    assert r.status is Status.CHECKED
    assert r.method.startswith("sampling")
    assert "not proved" in r.detail


def test_proved_margin_is_a_certified_lower_bound():
    r = verify("exp(x) >= x + 0.9", vars={"x": "-1:2"})
    assert r.status is Status.PROVED
    m = Fraction(r.margin)
    assert 0 < m <= Fraction(1, 10)  # the true minimum of e^x - x - 0.9 is 0.1 at x = 0


def test_chained_claims():
    r = verify("0 <= x*exp(-x) <= 0.37", vars={"x": "0:10"})
    assert r.status is Status.PROVED  # max is 1/e = 0.3678..
    r = verify("0 <= x*exp(-x) <= 0.367", vars={"x": "0:10"})
    assert r.status is Status.FAILED
    really_fails("0 <= x*exp(-x) <= 0.367", r.counterexample, ["x"])


@pytest.mark.parametrize("kwargs,match", [
    ({"vars": {"x": "1:0"}}, "empty range"),
    ({"vars": {"x": "0:1:2"}}, "lo:hi"),
    ({"vars": {"x": "a:1"}}, "not a number"),
    ({"vars": {"x": "0:1"}, "ints": {"n": "1.5:3"}}, "integers"),
    ({"vars": {"y": "0:1"}}, "unknown name 'x'"),
])
def test_bad_input(kwargs, match):
    with pytest.raises(InputError, match=match):
        verify("x <= 2", **kwargs)


def test_undefined_claims_are_input_errors():
    with pytest.raises(InputError, match="not defined"):
        verify("log(x) <= x - 1", vars={"x": "0:2"})
    with pytest.raises(InputError, match="k >= 1"):
        verify("g(k-1) <= 1", ints={"k": "1:5"})


def test_negative_and_decimal_bounds():
    r = verify("log(1+x) <= x", vars={"x": "-0.99:1000"})
    assert r.status is Status.PROVED
    assert r.domain == "x in [-0.99, 1000]"


def test_engine_api_directly():
    x = sp.Symbol("x", real=True)
    out = prove_nonnegative(sp.exp(x) - 1 - x, [Var(x, Fraction(-2), Fraction(2))])
    assert out.status == "proved" and out.lower_bound is not None and out.lower_bound <= 0
    out = prove_relation(x**2, "<=", sp.Rational(1, 2), [Var(x, Fraction(0), Fraction(1))])
    assert out.status == "failed" and out.point[x] ** 2 > Fraction(1, 2)
    assert out.value < 0
    assert nice_point(Fraction(0), Fraction(1)) == 0
    assert nice_point(Fraction("0.12"), Fraction("0.18")) == Fraction("0.15")
