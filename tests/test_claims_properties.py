"""Property tests of the paper's lemmas at random points of their domains (Hypothesis),
evaluated rigorously at high precision (Arb balls at 256 bits, exact rational inputs):
a point where a statement is *certified* false would be a counterexample. Also the
one-variable certifier of proofs_check.claims: true-but-tight claims are PROVED, near
misses are FAILED with a counterexample that really fails."""

from __future__ import annotations

from fractions import Fraction

import mpmath
import pytest
import sympy as sp
from flint import ctx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from proofs_check import Status
from proofs_check.claims._tools import certify_positive
from rmc_symbolic import get
from rmc_symbolic.arb_eval import arb_lambdify
from rmc_symbolic.symbols import k, n, s, x

PROP = settings(max_examples=40, deadline=None,
                suppress_health_check=[HealthCheck.too_slow])

unit = st.fractions(min_value=0, max_value=1, max_denominator=10**12)
positive = st.fractions(min_value=Fraction(1, 10**9), max_value=10**6,
                        max_denominator=10**9)


def _margin(rel: sp.Basic, syms, point):
    """Arb enclosure of rhs - lhs (for <=) at the exact point, 256 bits."""
    d = rel.rhs - rel.lhs if isinstance(rel, (sp.LessThan, sp.StrictLessThan)) \
        else rel.lhs - rel.rhs
    old = ctx.prec
    ctx.prec = 256
    try:
        return arb_lambdify(d, syms)(*point)
    finally:
        ctx.prec = old


def assert_holds(rel, syms, point):
    m = _margin(rel, syms, point)
    assert m.is_finite(), (rel, point)
    assert not (m < 0), (rel, point, m)


@PROP
@given(nn=st.integers(1, 5000), xx=unit)
def test_lemma1(nn, xx):
    r = get("lemma1")
    for name in ("lower", "upper"):
        assert_holds(r.statements[name], [n, x], [nn, xx])


@PROP
@given(kk=st.integers(1, 20000))
def test_lemma2_and_sharp(kk):
    for rid in ("lemma2", "lemma2_sharp"):
        for name in ("lower", "upper"):
            assert_holds(get(rid).statements[name], [k], [kk])


@PROP
@given(nn=st.integers(1, 25), xx=unit, ss=st.fractions(0, 50, max_denominator=1000))
def test_lemma3_identity_at_50_digits(nn, xx, ss):
    st_ = get("lemma3").statements["identity"]
    lhs = st_.lhs.subs(n, nn).doit()
    with mpmath.workdps(50):
        pt = {x: sp.Rational(xx.numerator, xx.denominator),
              s: sp.Rational(ss.numerator, ss.denominator)}
        a = sp.N(lhs.subs(pt), 50)
        b = sp.N(st_.rhs.subs(n, nn).subs(pt), 50)
    assert abs(a - b) <= sp.Float(10) ** -45 * max(1, abs(b))


@PROP
@given(nn=st.integers(1, 2000), xx=unit, ss=st.fractions(0, 10**4, max_denominator=10**6))
def test_lemma3_and_lemma4_bounds(nn, xx, ss):
    for rid, names in (("lemma3", ("upper", "g_le_min")), ("lemma4", ("lower", "lower2"))):
        for name in names:
            assert_holds(get(rid).statements[name], [n, x, s], [nn, xx, ss])


@PROP
@given(xx=positive)
def test_eq15_gurland(xx):
    assert_holds(get("eq15").statements["gurland"], [x], [xx])


@PROP
@given(nn=st.integers(2, 10**6))
def test_eq15_chain_and_theorem3_rate(nn):
    r = get("eq15")
    for name in ("r_sqrt", "sqrt_exp"):
        assert_holds(r.statements[name], [n], [nn])
    # the rate of theorem3 per generation: r_n <= e^{-1/(4n-1)}
    t3 = get("theorem3").parts["upper"]
    from rmc_symbolic.symbols import eps, sigma0

    rate = t3.subs({sigma0: 1, eps: 1, k: 1})
    assert_holds(sp.Le(r.parts["r_n"], rate, evaluate=False), [n], [nn])


@PROP
@given(a=st.fractions(Fraction(2001, 1000), 1000, max_denominator=1000),
       m1=st.fractions(0, 10, max_denominator=1000),
       extra=st.fractions(0, 10, max_denominator=1000))
def test_lemma7_facts(a, m1, extra):
    import rmc_symbolic.gmm as G

    r = get("lemma7")
    m2 = m1**2 + extra
    if m2 == 0:
        m2 = Fraction(1, 7)
    syms = [G.a, G.m1, G.m2]
    pt = [a, m1, m2]
    assert_holds(r.statements["shape"], syms, pt)
    valid, inner = r.statements["validity"].args
    old = ctx.prec
    ctx.prec = 256
    try:
        d1 = arb_lambdify(valid.rhs - valid.lhs, syms)(*pt)
        d2 = arb_lambdify(inner.rhs - inner.lhs, syms)(*pt)
    finally:
        ctx.prec = old
    # the two conditions agree wherever both signs are certified
    if (d1 > 0 or d1 < 0) and (d2 > 0 or d2 < 0):
        assert (d1 > 0) == (d2 > 0)


# ----------------------------------------------------------------- the certifier itself

_v = sp.Symbol("v", nonnegative=True)


@pytest.mark.parametrize("expr, lo, hi", [
    (sp.log(1 + _v) - 2 * _v / (2 + _v), 0, 1),        # tight (order 3) at 0
    (sp.exp(-_v) - (1 - _v), 0, 1),                     # tight (order 2) at 0
    ((1 - _v) * sp.exp(_v) - (1 - _v**2), 0, 1),        # tight at both ends
    (sp.exp(_v) - 1 - _v + sp.Rational(1, 1000), 0, 5),  # positive margin
])
def test_true_claims_are_proved(expr, lo, hi):
    c = certify_positive(expr, _v, lo, hi)
    assert c.status is Status.PROVED


@pytest.mark.parametrize("expr, lo, hi", [
    # a constant perturbed by 1e-6: fails next to 0 only
    (sp.exp(-_v) - (1 - _v) - sp.Rational(1, 10**6), 0, 1),
    # fails only near one end point (log(1+v) - 2v/(2+v) ~ v^3/12 < 1e-9 (1 - v))
    (sp.log(1 + _v) - 2 * _v / (2 + _v) - sp.Rational(1, 10**9) * (1 - _v), 0, 1),
    # fails only for v > 50
    (60 - _v + sp.Rational(1, 10) * sp.sin(_v) - 10, 0, 100),
])
def test_near_misses_fail_with_a_real_counterexample(expr, lo, hi):
    c = certify_positive(expr, _v, lo, hi)
    assert c.status is Status.FAILED
    with mpmath.workdps(60):
        val = sp.N(expr.subs(_v, sp.Rational(c.point.numerator, c.point.denominator)), 60)
    assert val <= 0
    assert lo <= c.point <= hi


@PROP
@given(ys=st.lists(st.fractions(-100, 100, max_denominator=1000), min_size=1, max_size=40))
def test_sample_moment_facts(ys):
    """lemma6.gap_nonpositive and lemma7.sample_ratio on random samples, exactly:
    m1^2 <= m2 <= n m1^2 (m1 = mean|y|, m2 = mean y^2)."""
    import rmc_symbolic.gmm as G

    nn = len(ys)
    m1 = sum(abs(v) for v in ys) / nn
    m2 = sum(v * v for v in ys) / nn
    st_gap = get("lemma6").statements["gap_nonpositive"]
    st_ratio = get("lemma7").statements["sample_ratio"]
    vals = {G.m1: sp.Rational(m1.numerator, m1.denominator),
            G.m2: sp.Rational(m2.numerator, m2.denominator), n: nn}
    if m2 == 0:
        return  # the registry assumes m2 > 0 (not every sample zero)
    assert bool(st_gap.subs(vals, simultaneous=True))
    assert bool(st_ratio.subs(vals, simultaneous=True))
