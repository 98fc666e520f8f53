"""§4 Gaussian model: the Gamma-ratio identities (gamma_moment, eq3), Gurland's chain (eq15),
theorem3, the optimised Markov bound, and the ``rmc gaussian`` command."""

from __future__ import annotations

import json
from fractions import Fraction

import mpmath
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from rmc_symbolic import get
from rmc_symbolic.evaluate import evaluate
from rmc_symbolic.gaussian import chi2_density, derive_chi2_moment
from rmc_symbolic.gaussian_exact import optimal_markov
from rmc_symbolic.symbols import m, s, x


def test_chi2_moment_is_derived_from_the_density():
    derived = derive_chi2_moment()
    registry = get("gamma_moment").parts["chi2_moment"]
    ratio = sp.gammasimp(derived / registry)
    assert sp.simplify(sp.expand_log(sp.log(ratio), force=True)) == 0
    # and the density integrates to 1
    total = sp.gammasimp(sp.integrate(chi2_density, (x, 0, sp.oo), conds="none"))
    assert sp.simplify(sp.expand_log(sp.log(total), force=True)) == 0


@pytest.mark.parametrize("mm,ss", [(1, "0.35"), (3, "0.5"), (9, "1.7"), (40, "0.01")])
def test_chi2_moment_against_quadrature(mm, ss):
    expr = get("gamma_moment").parts["chi2_moment"]
    v = evaluate(expr, {"m": mm, "s": ss}, 20)
    with mpmath.workdps(30):
        sv = mpmath.mpf(Fraction(ss).numerator) / Fraction(ss).denominator
        dens = sp.lambdify((m, x), chi2_density, "mpmath")
        ref = mpmath.quad(lambda u: (u / mm) ** sv * dens(mpmath.mpf(mm), u),
                          [0, 1, mm, 4 * mm, mpmath.inf])
    assert abs(v - ref) <= abs(ref) * mpmath.mpf(10) ** -18


@pytest.mark.parametrize("n", [2, 3, 10, 101])
def test_r_n_against_integration_of_sqrt_chi2_density(n):
    """r_n = E[sqrt(chi^2_{n-1}/(n-1))], by quadrature of the chi^2 density."""
    v = evaluate(get("eq3").parts["r_n"], {"n": n}, 25)
    mm = n - 1
    with mpmath.workdps(40):
        dens = sp.lambdify((m, x), chi2_density, "mpmath")
        ref = mpmath.quad(lambda u: mpmath.sqrt(u / mm) * dens(mpmath.mpf(mm), u),
                          [0, 1, mm, 4 * mm + 10, mpmath.inf])
    assert abs(v - ref) <= ref * mpmath.mpf(10) ** -23
    assert v < 1


def _r_series(mm):
    # Gamma(x + 1/2)/Gamma(x) = sqrt(x) (1 - 1/(8x) + 1/(128x^2) + 5/(1024x^3)
    # - 21/(32768x^4) + ...), x = m/2; checked against mpmath below
    xx = mpmath.mpf(mm) / 2
    return (1 - 1 / (8 * xx) + 1 / (128 * xx**2) + 5 / (1024 * xx**3)
            - 21 / (32768 * xx**4))


def test_r_n_stable_up_to_1e9_and_beyond():
    with mpmath.workdps(60):
        for mm in (2000, 10**4):
            lg = mpmath.exp(mpmath.loggamma(mpmath.mpf(mm + 1) / 2)
                            - mpmath.loggamma(mpmath.mpf(mm) / 2)) * mpmath.sqrt(2 / mpmath.mpf(mm))
            assert abs(lg - _r_series(mm)) < mpmath.mpf(mm) ** -4.5  # the series is right
    for n in (10**6, 10**9, 10**15):
        v = evaluate(get("eq3").parts["r_n"], {"n": n}, 30)
        with mpmath.workdps(60):
            ref = _r_series(n - 1)
            assert abs(v - ref) <= mpmath.mpf(10) ** -29
        # and M_n(s) for a non-half s, against log-gamma differences at high precision
        mv = evaluate(get("gamma_moment").parts["M_n"], {"n": n, "s": "0.35"}, 25)
        with mpmath.workdps(80):
            xx = mpmath.mpf(n - 1) / 2
            sv = mpmath.mpf(35) / 100
            ref = mpmath.exp(mpmath.loggamma(xx + sv) - mpmath.loggamma(xx) - sv * mpmath.log(xx))
            assert abs(mv - ref) <= mpmath.mpf(10) ** -24


@settings(max_examples=40, deadline=None)
@given(st.fractions(min_value=Fraction(1, 10**6), max_value=Fraction(10**6)))
def test_eq15_gurland_at_random_x(xv):
    e15 = get("eq15")
    lhs = evaluate(e15.parts["lhs"], {"x": xv}, 30)
    rhs = evaluate(e15.parts["rhs"], {"x": xv}, 30)
    assert lhs <= rhs


@settings(max_examples=25, deadline=None)
@given(st.integers(min_value=2, max_value=10**12))
def test_eq15_chain_for_r_n(n):
    e15 = get("eq15")
    r = evaluate(e15.parts["r_n"], {"n": n}, 30)
    sq = evaluate(e15.parts["r_sqrt_bound"], {"n": n}, 30)
    ex = evaluate(e15.parts["r_exp_bound"], {"n": n}, 30)
    assert r <= sq <= ex < 1


def test_log_convexity_statement():
    stmt = get("gamma_moment").statements["log_convex"]
    f = sp.lambdify((m, s), stmt.lhs, "mpmath")
    for mm in (1, 2, 9, 1000):
        for sv in ("0.01", "0.5", "3", "40"):
            assert f(mpmath.mpf(mm), mpmath.mpf(sv)) > 0


@pytest.mark.parametrize("n,eps,k", [(10, "0.1", 100), (10, "0.1", 200), (3, "0.5", 7),
                                     (50, "0.2", 400), (10, "2", 300)])
def test_optimized_bound_is_the_minimum(n, eps, k):
    bound, s_opt = optimal_markov(n, 1, eps, k, 20)
    expr = get("eq3").parts["markov_s_bound"]
    pt = {"n": n, "sigma0": 1, "eps": eps, "k": k}
    assert s_opt > 0
    for sv in (s_opt * mpmath.mpf("0.999"), s_opt * mpmath.mpf("1.001"), "0.35", "0.5"):
        assert bound <= evaluate(expr, {**pt, "s": sv}, 20) * (1 + mpmath.mpf(10) ** -18)
    # the Markov bound is the member s = 1/2 of the family
    assert bound <= evaluate(get("eq3").parts["markov_bound"], pt, 20)


def test_optimized_bound_trivial_when_slope_nonnegative():
    bound, s_opt = optimal_markov(10, 1, "0.5", 1, 15)
    assert s_opt == 0 and bound == 1


def test_bound_ordering_markov_gurland_theorem3():
    for n in (2, 3, 10, 1000):
        for k in (1, 10, 1000):
            pt = {"n": n, "sigma0": 1, "eps": "0.1", "k": k}
            mk = evaluate(get("eq3").parts["markov_bound"], pt, 20)
            gu = evaluate(get("theorem3").parts["gurland_bound"], pt, 20)
            t3 = evaluate(get("theorem3").parts["upper"], pt, 20)
            assert mk <= gu <= t3


# --------------------------------------------------------------------------- CLI


def _run(capsys, argv):
    from rmc_symbolic.cli import main

    code = main(argv)
    out = capsys.readouterr()
    return code, out.out, out.err


def test_cli_gaussian_json_shape(capsys):
    code, out, _ = _run(capsys, ["gaussian", "--n", "10", "--sigma0", "1", "--eps", "0.1",
                                 "--k", "1,200", "--json", "--error"])
    assert code == 0
    obj = json.loads(out)
    assert obj["command"] == "gaussian"
    assert obj["params"] == {"n": 10, "sigma0": "1", "eps": "1/10"}
    assert [r["k"] for r in obj["rows"]] == [1, 200]
    assert set(obj["rows"][0]) == {"k", "expected_sigma", "markov_bound", "theorem3",
                                   "gurland_bound", "optimized_bound", "s_opt", "exact",
                                   "exact_error"}
    r = obj["rows"][1]
    assert r["exact"].startswith("0.00403832943719")
    assert float(r["exact"]) <= float(r["optimized_bound"]) <= float(r["markov_bound"])


def test_cli_gaussian_no_exact_and_s(capsys):
    code, out, _ = _run(capsys, ["gaussian", "--n", "10", "--sigma0", "1", "--eps", "0.1",
                                 "--k", "5", "--json", "--no-exact", "--s", "0.35"])
    assert code == 0
    row = json.loads(out)["rows"][0]
    assert "exact" not in row and "markov_s_bound" in row


@pytest.mark.parametrize("argv,word", [
    (["--n", "1", "--sigma0", "1", "--eps", "0.1"], "n = 1"),
    (["--n", "10", "--sigma0", "0", "--eps", "0.1"], "sigma0 = 0"),
    (["--n", "10", "--sigma0", "-2", "--eps", "0.1"], "sigma0 = -2"),
    (["--n", "10", "--sigma0", "1", "--eps", "0"], "eps = 0"),
    (["--n", "10", "--sigma0", "1", "--eps", "-1"], "eps = -1"),
    (["--n", "10", "--sigma0", "1", "--eps", "abc"], "eps"),
])
def test_cli_gaussian_bad_input(capsys, argv, word):
    with pytest.raises(SystemExit) as exc:
        _run(capsys, ["gaussian", *argv, "--k", "1"])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert word in err and len(err.strip().splitlines()) == 1


def test_cli_gaussian_mc_columns(capsys):
    pytest.importorskip("rmc_symbolic.simulate")
    code, out, _ = _run(capsys, ["gaussian", "--n", "10", "--sigma0", "1", "--eps", "0.1",
                                 "--k", "100", "--json", "--mc", "2000", "--seed", "1"])
    assert code == 0
    row = json.loads(out)["rows"][0]
    assert float(row["mc_lo"]) <= float(row["mc"]) <= float(row["mc_hi"])
    # the exact value is inside a (generous) interval around the simulation
    assert abs(float(row["mc"]) - float(row["exact"])) < 0.03
