"""The Wright–Fisher and Galton–Watson chains of rmc_symbolic.markov against independent
computations: pure-Python Fraction / integer iteration, the eigen-equation checked exactly,
the registry's closed forms (absorption, wf_heterozygosity, theorem2)."""

from __future__ import annotations

import math
from fractions import Fraction

import pytest
import sympy as sp
from flint import arb, ctx, fmpq

from rmc_symbolic import get
from rmc_symbolic.errors import InputError
from rmc_symbolic.markov import (
    absorption_certified,
    absorption_exact,
    absorption_exact_values,
    absorption_float,
    certified_digits,
    eigenvalues,
    eventual_absorption,
    exact_cost,
    gw_extinction,
    spectrum,
    transition_matrix_int,
)
from rmc_symbolic.symbols import j as J
from rmc_symbolic.symbols import k as K
from rmc_symbolic.symbols import n as N
from rmc_symbolic.symbols import p0 as P0

# --------------------------------------------------------------------------- references


def fraction_iteration(n: int, i0: int, kmax: int):
    """Pure-Python Fraction iteration of T (independent of python-flint): for k = 0..kmax
    the tuple (Pr(X=0), Pr(X=n), transient mass, E[P(1-P)])."""
    T = [[Fraction(math.comb(n, j) * i**j * (n - i) ** (n - j), n**n) for j in range(n + 1)]
         for i in range(n + 1)]
    v = [Fraction(int(j == i0)) for j in range(n + 1)]
    out = []
    for _ in range(kmax + 1):
        out.append((v[0], v[n], sum(v[1:n], Fraction(0)),
                    sum(v[t] * Fraction(t * (n - t), n * n) for t in range(n + 1))))
        v = [sum(v[i] * T[i][j] for i in range(n + 1)) for j in range(n + 1)]
    return out


def integer_iteration(n: int, i0: int, kmax: int):
    """Python-int iteration of A = n^n T: (p0, pn, transient) at k = kmax as Fractions."""
    A = [[math.comb(n, j) * i**j * (n - i) ** (n - j) for j in range(n + 1)]
         for i in range(n + 1)]
    v = [int(j == i0) for j in range(n + 1)]
    for _ in range(kmax):
        v = [sum(v[i] * A[i][j] for i in range(n + 1)) for j in range(n + 1)]
    den = n ** (n * kmax)
    return Fraction(v[0], den), Fraction(v[n], den), Fraction(sum(v[1:n]), den)


def contains_exact(ball: arb, q: Fraction) -> bool:
    old = ctx.prec
    ctx.prec = max(4000, q.numerator.bit_length() + q.denominator.bit_length() + 64)
    try:
        return ball.contains(arb(fmpq(q.numerator, q.denominator)))
    finally:
        ctx.prec = old


def registry_value(result_id: str, part: str, **point) -> sp.Expr:
    sym = {"n": N, "p0": P0, "k": K, "j": J}
    e = get(result_id).parts[part].subs({sym[a]: sp.nsimplify(v) for a, v in point.items()})
    return sp.nsimplify(e.doit())


# --------------------------------------------------------------------------- exact mode


@pytest.mark.parametrize("route", ["spectral", "iterate"])
@pytest.mark.parametrize("n", [1, 2, 3, 5, 8])
def test_exact_equals_fraction_iteration(n, route):
    ks = list(range(13))
    for i0 in range(n + 1):
        ref = fraction_iteration(n, i0, 12)
        got = absorption_exact(n, i0, ks, het=True, route=route)
        for k in ks:
            assert (got["p_zero"][k], got["p_full"][k], got["p_alive"][k],
                    got["het"][k]) == ref[k], (n, i0, k, route)


def test_spectral_equals_iteration_larger_n():
    for n, i0 in ((17, 3), (24, 12), (31, 1)):
        ks = [1, 2, 3, 7, 20, 33, 34, 60]
        a = absorption_exact(n, i0, ks, het=True, route="spectral")
        b = absorption_exact(n, i0, ks, het=True, route="iterate")
        assert a == b


def test_results_are_fractions_in_lowest_terms_and_in_given_order():
    got = absorption_exact(12, 5, [9, 1, 9, 3])
    ref = {k: fraction_iteration(12, 5, 9)[k] for k in (1, 3, 9)}
    assert got["p_zero"] == [ref[9][0], ref[1][0], ref[9][0], ref[3][0]]
    for q in got["p_zero"] + got["p_full"] + got["p_alive"]:
        assert isinstance(q, Fraction)
        assert math.gcd(q.numerator, q.denominator) == 1  # normalised: == and hash work
        assert hash(q) == hash(Fraction(q.numerator, q.denominator))


def test_probabilities_sum_to_one_and_move_monotonically():
    got = absorption_exact(20, 7, list(range(0, 40)))
    for z, f, a in zip(got["p_zero"], got["p_full"], got["p_alive"], strict=True):
        assert z + f + a == 1
    assert all(x <= y for x, y in zip(got["p_zero"], got["p_zero"][1:], strict=False))
    assert all(x >= y for x, y in zip(got["p_alive"], got["p_alive"][1:], strict=False))


def test_tiny_transient_mass_at_n10_k1000():
    """Pr(X_1000 not in {0, 10}) from X_0 = 1 is ~8.4e-47: exact, against Python-int
    iteration; a float difference 1 - p0 - pn cannot see it."""
    ex = absorption_exact(10, 1, [1000])
    p0, pn, alive = integer_iteration(10, 1, 1000)
    assert (ex["p_zero"][0], ex["p_full"][0], ex["p_alive"][0]) == (p0, pn, alive)
    assert 8.40e-47 < float(alive) < 8.41e-47
    diff = 1 - float(p0) - float(pn)
    assert abs(diff - float(alive)) > 1e20 * float(alive)  # catastrophic cancellation
    fl = absorption_float(10, 1, [1000]).values["p_alive"][0]
    assert abs(fl - float(alive)) <= 1e-10 * float(alive)  # float mode sums it directly


def test_transition_matrix_rows_sum_to_n_to_the_n():
    for n in (1, 2, 7, 30):
        A = transition_matrix_int(n)
        for i in range(n + 1):
            assert sum(A[i, j] for j in range(n + 1)) == n**n
        assert A[0, 0] == n**n and A[n, n] == n**n  # 0 and n absorb


# --------------------------------------------------------------------------- spectrum


@pytest.mark.parametrize("n", [2, 3, 6, 11, 16])
def test_spectrum_is_an_eigen_decomposition(n):
    """A psi_d = n^n lambda_d psi_d exactly; psi_d(n-x) = (-1)^d psi_d(x) (d != 1, used for
    Pr(X_k = n)); sum b_d psi_d is
    the indicator of 0; lambda_d is the registry's eigenvalue part."""
    spec = spectrum(n)
    A = transition_matrix_int(n)
    for d in range(n + 1):
        lam = spec.eigenvalue(d)
        assert lam == eigenvalues(n)[d]
        assert sp.Rational(lam.numerator, lam.denominator) == registry_value(
            "wf_heterozygosity", "eigenvalue", n=n, j=d)
        psi = [Fraction(int(spec.psi(d, x).p), int(spec.psi(d, x).q)) for x in range(n + 1)]
        for i in range(n + 1):
            lhs = sum(int(A[i, t]) * psi[t] for t in range(n + 1))
            assert lhs == n**n * lam * psi[i]
        if d != 1:  # psi_1 = x shares lambda = 1 with psi_0 = 1
            for x in range(n + 1):
                assert psi[n - x] == (-1) ** d * psi[x]
    for x in range(n + 1):
        tot = sum(spec.b_zero[d] * spec.psi(d, x) for d in range(n + 1))
        assert tot == (1 if x == 0 else 0)


# --------------------------------------------------------------------------- identities


def test_eventual_absorption_is_one_minus_p0_and_p0():
    for n in (1, 2, 5, 12):
        for i0 in range(n + 1):
            z, o = eventual_absorption(n, i0)
            assert z + o == 1
            assert o == Fraction(i0, n)
            assert sp.Rational(o.numerator, o.denominator) == registry_value(
                "absorption", "to_one", n=n, p0=Fraction(i0, n))


def test_heterozygosity_decays_as_the_registry_says():
    for n, i0 in ((5, 2), (9, 1), (16, 8)):
        ks = [1, 2, 5, 17]
        het = absorption_exact(n, i0, ks, het=True)["het"]
        for k, h in zip(ks, het, strict=True):
            assert sp.Rational(h.numerator, h.denominator) == registry_value(
                "wf_heterozygosity", "exact", n=n, p0=Fraction(i0, n), k=k)


# --------------------------------------------------------------------------- certified


@pytest.mark.parametrize("route", ["iterate", "spectral"])
def test_certified_balls_contain_the_exact_values(route):
    for n, i0 in ((5, 2), (10, 1), (13, 6)):
        ks = [0, 1, 2, 3, 10, 50, 200]
        c = absorption_certified(n, i0, ks, 25, het=True, route=route)
        e = absorption_exact(n, i0, ks, het=True)
        assert not c.uncertified
        for name in e:
            for b, q in zip(c.values[name], e[name], strict=True):
                assert contains_exact(b, q), (route, n, i0, name)
                assert q == 0 or certified_digits(b) >= 25


def test_certified_tiny_values_get_relative_digits():
    c = absorption_certified(10, 1, [1000], 30)
    b = c.values["p_alive"][0]
    assert certified_digits(b) >= 30 and contains_exact(b, absorption_exact(10, 1, [1000])
                                                         ["p_alive"][0])
    c = absorption_certified(200, 1, [1, 2], 20)  # Pr(X_1 = n) = 200^-200
    assert contains_exact(c.values["p_full"][0], Fraction(1, 200**200))
    assert certified_digits(c.values["p_full"][0]) >= 20


def test_certified_raises_precision_or_names_what_it_could_not_certify():
    # the spectral sum cancels heavily at k = 1 (Pr(X_1 = 40 | X_0 = 1) = 40^-40)
    c = absorption_certified(40, 1, [1, 2, 50], 20, route="spectral")
    assert len(c.runs) >= 2 and not c.uncertified
    assert contains_exact(c.values["p_full"][0], Fraction(1, 40**40))
    capped = absorption_certified(40, 1, [1, 2, 50], 20, route="spectral", max_prec=100)
    assert ("p_full", 1, 0) in capped.uncertified


# --------------------------------------------------------------------------- float mode


def test_float_mode_error_against_exact():
    ks = [1, 10, 100, 1000]
    fl = absorption_float(10, 1, ks, het=True)
    ex = absorption_exact(10, 1, ks, het=True)
    worst = 0.0
    for name in ex:
        for x, q in zip(fl.values[name], ex[name], strict=True):
            worst = max(worst, abs(Fraction(x) - q) / q)
    assert worst < 1e-11
    assert not fl.notes or all("underflow" not in s for s in fl.notes)


def test_float_mode_notes_underflow():
    fl = absorption_float(300, 1, [1])
    assert fl.values["p_full"][0] == 0.0  # 300^-300 is below the float64 range
    assert any("underflow" in s for s in fl.notes)


# --------------------------------------------------------------------------- limits


def test_bad_inputs_raise_input_error():
    for args in ((0, 0, [1]), (5, 6, [1]), (5, -1, [1]), (5, 1, []), (5, 1, [-1]),
                 (5, 1, [1.5])):
        with pytest.raises(InputError):
            absorption_exact(*args)
    with pytest.raises(InputError):
        absorption_certified(5, 1, [1], digits=0)
    with pytest.raises(InputError):
        absorption_exact(5, 1, [1], route="magic")


def test_exact_mode_refuses_with_a_pointer_to_certified_mode():
    with pytest.raises(InputError, match="certified"):
        absorption_exact(200, 1, list(range(1, 5001)))
    secs, nbytes, route = exact_cost(100, list(range(1, 1001)))
    assert route == "spectral" and 1 < secs < 120 and nbytes < 2**30
    with pytest.raises(InputError, match="certified"):
        absorption_exact(60, 1, list(range(1, 400)), max_seconds=0.001)


# --------------------------------------------------------------------------- Galton-Watson


def _theorem2_extinct(c: int, k: int) -> arb:
    from rmc_symbolic.arb_eval import arb_lambdify
    from rmc_symbolic.symbols import lambda0

    f = arb_lambdify(1 - get("theorem2").parts["exact"], [N, lambda0, K])
    return f(c, 1, k)


def test_truncated_galton_watson_encloses_theorem2():
    res = gw_extinction(3, [1, 2, 5, 20], digits=15)
    assert res.met
    old = ctx.prec
    ctx.prec = res.prec
    try:
        for i, k in enumerate(res.ks):
            assert float(res.bound[i].upper()) <= 1e-15
            assert res.enclosure(i).contains(_theorem2_extinct(3, k))
    finally:
        ctx.prec = old


def test_truncation_bound_is_honoured_when_the_truncation_is_coarse():
    """With too few states the bound is large, and the enclosure still holds."""
    res = gw_extinction(10, [5, 30], digits=15, max_states=40)
    assert not res.met and res.states == 40
    old = ctx.prec
    ctx.prec = res.prec
    try:
        for i, k in enumerate(res.ks):
            ex = _theorem2_extinct(10, k)
            assert res.enclosure(i).contains(ex)
            # the truncated chain alone undershoots by more than rounding: the bound matters
            assert (ex - res.lower[i]) > 0
            assert (ex - res.lower[i]) <= res.bound_upper(i)
    finally:
        ctx.prec = old


def test_galton_watson_bad_input():
    for kw in ({"count": -1, "ks": [1]}, {"count": 3, "ks": []},
               {"count": 3, "ks": [1], "max_states": 0},
               {"count": 50, "ks": [1], "max_states": 20}):
        with pytest.raises(InputError):
            gw_extinction(**kw)


def test_exact_values_parts_are_lowest_terms():
    ev = absorption_exact_values(18, 4, [1, 5, 30])
    for name in ("p_zero", "p_full", "p_alive"):
        for idx in range(3):
            num, den = ev.parts(name, idx)
            assert math.gcd(int(num), int(den)) == 1
            raw_num, raw_den = ev.raw(name, idx)
            assert Fraction(int(raw_num), int(raw_den)) == Fraction(int(num), int(den))
