"""§5 Gaussian mixture: lemma5/lemma6 (joint ML, eq. 19), lemma7 (Algorithm 1) and its
facts, theorem4 against simulation, and the ``rmc gmm`` command."""

from __future__ import annotations

import json
import math
from fractions import Fraction

import mpmath
import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from rmc_symbolic import get
from rmc_symbolic.gmm import a, alpha, eta, m1, m2, mu, sigma
from rmc_symbolic.mixture_ml import (
    _summand,
    approx_ml,
    approx_ml_np,
    joint_ml,
    joint_ml_np,
    log_likelihood,
    sample_stats,
    simulate_sigma_exceeds,
)
from rmc_symbolic.symbols import n


def _samples(seed, size=10, mu_=1.0, sd=0.7, digits=6):
    rng = np.random.default_rng(seed)
    ys = (rng.integers(0, 2, size) * 2 - 1) * mu_ + sd * rng.standard_normal(size)
    return [Fraction(str(round(float(v), digits))) for v in ys]


def _direct_max(ys):
    """Maximise the mixture log-likelihood numerically (scipy, several starts)."""
    scipy_optimize = pytest.importorskip("scipy.optimize")  # a test-only dependency
    y = np.array([float(v) for v in ys])

    def negll(p):
        mu_, ls = p
        s = math.exp(ls)
        a1 = -((y - mu_) ** 2) / (2 * s * s)
        a2 = -((y + mu_) ** 2) / (2 * s * s)
        return -np.sum(np.logaddexp(a1, a2) - math.log(2 * s * math.sqrt(2 * math.pi)))

    best = None
    m2v = float(np.mean(y * y))
    for mu_start in np.linspace(0, math.sqrt(m2v), 6):
        for s_start in (0.1, 0.5, 1.0):
            r = scipy_optimize.minimize(negll, [mu_start, math.log(s_start * math.sqrt(m2v))],
                                        method="Nelder-Mead",
                                        options={"xatol": 1e-12, "fatol": 1e-14,
                                                 "maxiter": 20000})
            if best is None or r.fun < best.fun:
                best = r
    return abs(best.x[0]), math.exp(2 * best.x[1]), -best.fun


# --------------------------------------------------------------------------- lemma5/6


def test_lemma5_equations_are_the_stationarity_conditions():
    """d/dmu and d/dsigma of the registry's log-likelihood term give lemma5's equations."""
    term, Y = _summand(get("lemma5").parts["log_likelihood"])
    dmu = sp.diff(term, mu)
    dsig = sp.diff(term, sigma)
    # per sample: d/dmu = (Y tanh(mu Y/sigma^2) - mu)/sigma^2 ...
    want_mu = (Y * sp.tanh(mu * Y / sigma**2) - mu) / sigma**2
    # ... and d/dsigma = (Y^2 + mu^2 - 2 mu Y tanh(mu Y/sigma^2) - sigma^2)/sigma^3
    want_sig = (Y**2 + mu**2 - 2 * mu * Y * sp.tanh(mu * Y / sigma**2) - sigma**2) / sigma**3
    f = sp.lambdify((Y, mu, sigma), [dmu - want_mu, dsig - want_sig], "mpmath")
    rng = np.random.default_rng(0)
    with mpmath.workdps(30):
        for _ in range(20):
            yv, mv, sv = rng.normal(), abs(rng.normal()), 0.1 + abs(rng.normal())
            d1, d2 = f(mpmath.mpf(yv), mpmath.mpf(mv), mpmath.mpf(sv))
            assert abs(d1) < 1e-25 and abs(d2) < 1e-25
    # summing the second and using the first: sigma^2 = m2 - mu^2 (lemma5's second equation)


def test_eq19_rhs_stable_form_equals_rhs():
    l6 = get("lemma6")
    assert sp.simplify(l6.parts["rhs_stable"] - l6.parts["rhs"]) == 0


def test_eq19_limits_per_sample():
    """The two limits behind lemma6's root-existence statement, per sample term."""
    Y = sp.Symbol("Y", positive=True)
    l6 = get("lemma6")
    h_term, Yr = _summand(l6.parts["h"])
    h_term = h_term.subs(Yr, Y)
    rhs = l6.parts["rhs"]
    # alpha -> oo: alpha^3 (|y| tanh(|y|/alpha) - y^2/alpha) -> -y^4/3, and
    # alpha^3 (rhs - m2/alpha) -> -m2^2; averaging gives m2^2 - m4/3
    assert sp.limit(alpha**3 * (h_term - Y**2 / alpha), alpha, sp.oo) == -(Y**4) / 3
    assert sp.simplify(sp.limit(alpha**3 * (rhs - m2 / alpha), alpha, sp.oo) + m2**2) == 0
    assert l6.parts["tail_coefficient"] == m2**2 - sp.Symbol("m_4", positive=True) / 3
    # alpha -> 0+: |y| tanh(|y|/alpha) -> |y| (mean: m1), rhs -> sqrt(m2)
    assert sp.limit(h_term, alpha, 0, "+") == Y
    assert sp.limit(rhs, alpha, 0, "+") == sp.sqrt(m2)


@pytest.mark.parametrize("seed", range(6))
def test_joint_ml_agrees_with_direct_maximisation(seed):
    ys = _samples(seed, size=8 + seed, sd=[0.3, 0.7, 1.0, 1.5, 0.5, 0.9][seed])
    j = joint_ml(ys, dps=30)
    mu_d, s2_d, ll_d = _direct_max(ys)
    assert j.status in ("finite_root", "no_finite_root")
    assert float(j.loglik) >= ll_d - 1e-9
    assert abs(float(j.mu) - mu_d) < 1e-5 * max(1, mu_d)
    assert abs(float(j.sigma2) - s2_d) < 1e-5 * max(1, s2_d)
    # and the loglik reported is the registry's log-likelihood at the estimate
    with mpmath.workdps(30):
        assert abs(log_likelihood(ys, j.mu, j.sigma2) - j.loglik) < 1e-20


def test_no_finite_root_case_gives_mu_zero():
    ys = [Fraction(v) for v in ("0.1", "-0.12", "0.08", "3.1", "-0.05", "0.02", "-0.09")]
    m1q, m2q, m4q = sample_stats(ys)
    assert 3 * m2q**2 <= m4q
    j = joint_ml(ys)
    assert j.status == "no_finite_root" and j.mu == 0
    assert abs(j.sigma2 - mpmath.mpf(m2q.numerator) / m2q.denominator) < 1e-14
    mu_d, s2_d, ll_d = _direct_max(ys)  # the likelihood is flat (quartic) near mu = 0
    assert mu_d < 1e-2 and abs(s2_d - float(m2q)) < 1e-4
    assert float(j.loglik) >= ll_d - 1e-9


@settings(max_examples=30, deadline=None)
@given(st.lists(st.integers(min_value=-50, max_value=50), min_size=2, max_size=9))
def test_a_finite_root_exists_when_3m2sq_exceeds_m4(vals):
    ys = [Fraction(v, 10) for v in vals]
    m1q, m2q, m4q = sample_stats(ys)
    if m2q == 0 or len({abs(v) for v in ys}) == 1:
        return
    j = joint_ml(ys, dps=20, grid=80)
    if 3 * m2q**2 > m4q:
        assert j.roots, (ys, j)
    # sigma^2 <= m2 always (lemma6)
    assert j.sigma2 <= mpmath.mpf(m2q.numerator) / m2q.denominator * (1 + mpmath.mpf(10) ** -15)


def test_unbounded_likelihood_when_all_abs_equal():
    ys = [Fraction(3, 2), Fraction(-3, 2), Fraction(3, 2)]
    j = joint_ml(ys)
    assert j.status == "unbounded" and j.mu == Fraction(3, 2) and j.sigma2 == 0
    with mpmath.workdps(30):
        lls = [log_likelihood(ys, mpmath.mpf(3) / 2, mpmath.mpf(10) ** -e) for e in (1, 3, 6)]
    assert lls[0] < lls[1] < lls[2]  # grows without bound as sigma -> 0
    # the statement: m1^2 = m2 exactly then
    m1q, m2q, _ = sample_stats(ys)
    assert m1q**2 == m2q
    assert joint_ml([0, 0]).status == "degenerate"


def test_joint_ml_vectorised_agrees():
    # mu = 1 with several spreads, and mu = 0 (where "no finite root" is common)
    rows = [_samples(100 + s, size=10, sd=[0.2, 0.6, 1.2][s % 3]) for s in range(12)]
    rows += [_samples(300 + s, size=10, mu_=0.0, sd=1.0) for s in range(12)]
    Y = np.array([[float(v) for v in r] for r in rows])
    mu_v, s2_v = joint_ml_np(Y)
    for i, r in enumerate(rows):
        j = joint_ml(r, dps=20, grid=80)
        assert abs(float(j.mu) - mu_v[i]) < 1e-8 * max(1, mu_v[i])
        assert abs(float(j.sigma2) - s2_v[i]) < 1e-8 * max(1, s2_v[i])


# --------------------------------------------------------------------------- lemma7


def test_lemma7_identities_symbolically():
    l7 = get("lemma7")
    inner = l7.parts["sigma_a2_inner"]
    s_s2 = l7.parts["sigma_s2"]
    # validity <=> sigma_a^2 <= m2:  m2 - inner = m2 (2 a m1^2 - (a - 2) m2)/(a m1^2 + 2 m2)
    diff = sp.factor(m2 - inner)
    assert sp.simplify(diff - m2 * (2 * a * m1**2 - (a - 2) * m2) / (a * m1**2 + 2 * m2)) == 0
    # and 2 a m1^2 - (a - 2) m2 >= 0  <=>  m2 <= 2a/(a - 2) m1^2  (a > 2)
    valid = l7.statements["validity"].args[0]
    assert sp.simplify((valid.rhs - valid.lhs) * (a - 2) - (2 * a * m1**2 - (a - 2) * m2)) == 0
    # shape: (a/2) sigma_s^2 - inner = a^2 m1^2 sigma_s^2 / (2 (a m1^2 + 2 m2)) >= 0
    gap = sp.factor(a / 2 * s_s2 - inner)
    assert sp.simplify(gap - a**2 * m1**2 * s_s2 / (2 * (a * m1**2 + 2 * m2))) == 0
    # moment: mu_a^2 + sigma_a^2 = m2 in both branches
    mu_a, s2a = l7.parts["mu_a"], l7.parts["sigma_a2"]
    for e, _c in s2a.args:
        assert sp.simplify(mu_a.subs(s2a, e) ** 2 + e - m2) == 0
    # branch condition: with a = a_of_kappa (first branch), validity <=> m2/m1^2 <= (1+k)/k
    kap = sp.Symbol("kappa", positive=True)
    # every exp(...) in a_of_kappa is 1 + kappa
    a_main = l7.parts["a"].args[0][0].replace(sp.exp, lambda *_: 1 + kap)
    lhs = sp.factor(sp.together(2 * a_main / (a_main - 2) * m1**2 - m2))
    want = m2 * ((1 + kap) * m1**2 - kap * m2) / (kap * m2 + (1 + kap) * m1**2)
    assert sp.simplify(lhs - want) == 0  # its denominator is positive


def test_lemma7_identities_numerically():
    rng = np.random.default_rng(1)
    l7 = get("lemma7")
    f = sp.lambdify((m1, m2, a), [l7.parts["sigma_a2_inner"], l7.parts["sigma_s2"]], "mpmath")
    with mpmath.workdps(30):
        for _ in range(200):
            ys = rng.normal(size=rng.integers(2, 20)) + rng.choice([-1, 1]) * rng.random() * 2
            mv1 = mpmath.mpf(np.mean(np.abs(ys)))
            mv2 = mpmath.mpf(np.mean(ys * ys))
            av = 2 + mpmath.mpf(rng.random() * 100)
            inner, ss2 = f(mv1, mv2, av)
            assert inner <= av / 2 * ss2 * (1 + mpmath.mpf(10) ** -25)
            assert (mv2 <= 2 * av / (av - 2) * mv1**2) == (inner <= mv2)


def test_eta2_branch_unreachable_proof():
    """(1+kappa)/kappa > n for eta = 2 and all integers n >= 2 (so sigma_a^2 = m2 never
    happens, since m2/m1^2 <= n): kappa < 1/(n-1) <=> exponent < log(n/(n-1)); with
    log(1 + x) >= x/(1 + x) it suffices that exponent < 1/n, a polynomial inequality."""
    l7 = get("lemma7")
    kap2 = l7.parts["kappa"].subs(eta, 2)
    expo = sp.simplify(sp.expand_log(sp.log(sp.powsimp(kap2 + 1)), force=True))
    assert not expo.has(sp.exp, sp.log)
    # 1/n - exponent = P(n)/Q(n) with P = 3n^2 + 9n - 28 (up to a positive factor)
    num, den = sp.fraction(sp.together(1 / n - expo))
    poly = sp.Poly(sp.expand(num), n)
    assert all(sp.Poly(sp.expand(den), n).eval(v) > 0 for v in range(2, 50))
    roots = [r for r in sp.real_roots(poly)]
    assert all(r < 2 for r in roots) and poly.eval(2) > 0
    assert poly.LC() > 0  # positive beyond its largest real root
    # and numerically through the registry statement
    stmt = l7.statements["eta2_unreachable"]
    f = sp.lambdify(n, stmt.lhs - stmt.rhs, "mpmath")
    for nv in list(range(2, 200)) + [10**3, 10**6, 10**9]:
        assert f(mpmath.mpf(nv)) > 0
    cap = l7.statements["cap_valid_eta2"]
    g = sp.lambdify(n, cap.rhs - cap.lhs, "mpmath")
    assert all(g(mpmath.mpf(nv)) > 0 for nv in range(2, 200))


@settings(max_examples=50, deadline=None)
@given(st.lists(st.fractions(min_value=-100, max_value=100, max_denominator=1000),
                min_size=2, max_size=30))
def test_sample_ratio_at_most_n(ys):
    m1q, m2q, _ = sample_stats(ys)
    assert m2q <= len(ys) * m1q**2


def test_approx_ml_never_takes_the_m2_branch_with_eta2_but_can_with_large_eta():
    for seed in range(30):
        ap = approx_ml(_samples(seed, size=5 + seed % 7, sd=0.3 + seed / 10))
        assert ap.branch == "main"
    ys = [1] + [0] * 9  # m2/m1^2 = 10 = n
    assert approx_ml(ys, eta=2).branch == "main"
    ap = approx_ml(ys, eta=1000)
    assert ap.branch == "m2" and ap.mu == 0
    assert abs(ap.sigma2 - mpmath.mpf(1) / 10) < 1e-15
    # the threshold: (1 + kappa)/kappa at eta = 1000, n = 10 is below 10
    bt = get("lemma7").parts["branch_threshold"]
    assert sp.N(bt.subs({eta: 1000, n: 10})) < 10


def test_approx_ml_vectorised_agrees_and_uses_registry_formula():
    rows = [_samples(200 + s, size=10, sd=0.5) for s in range(8)]
    Y = np.array([[float(v) for v in r] for r in rows])
    mu_v, s2_v = approx_ml_np(Y)
    for i, r in enumerate(rows):
        ap = approx_ml(r)
        assert abs(float(ap.sigma2) - s2_v[i]) < 1e-12 * max(1, s2_v[i])
        assert abs(float(ap.mu) - mu_v[i]) < 1e-10
        # (mu_a, sigma_a^2) satisfy lemma7's moment statement
        m1q, m2q, _ = sample_stats(r)
        assert abs(ap.mu**2 + ap.sigma2 - mpmath.mpf(m2q.numerator) / m2q.denominator) < 1e-14


# --------------------------------------------------------------------------- theorem4


def test_theorem4_against_simulation_small():
    ks = [100, 150, 200]
    res = simulate_sigma_exceeds(10, 1, 1, Fraction(1, 10), ks, 600, seed=4,
                                 estimator="approx")
    from rmc_symbolic.evaluate import evaluate

    for k_, lo, mc, hi in zip(ks, res["mc_lo"], res["mc"], res["mc_hi"], strict=True):
        bound = evaluate(get("theorem4").parts["upper"],
                         {"n": 10, "sigma0": 1, "eps": "0.1", "k": k_}, 15)
        assert lo <= mc <= hi
        assert lo <= bound  # the bound is not contradicted by the 95% interval


def test_simulation_reproducible_and_joint_runs():
    a1 = simulate_sigma_exceeds(6, 1, 1, "0.5", [1, 5], 300, seed=9, estimator="joint")
    a2 = simulate_sigma_exceeds(6, 1, 1, "0.5", [1, 5], 300, seed=9, estimator="joint")
    assert a1 == a2 and set(a1) == {"mc", "mc_lo", "mc_hi"}


@pytest.mark.slow
def test_theorem4_against_simulation_large():
    ks = [50, 100, 150, 200]
    from rmc_symbolic.evaluate import evaluate

    res = simulate_sigma_exceeds(10, 1, 1, Fraction(1, 10), ks, 20000, seed=5,
                                 estimator="approx")
    for k_, lo in zip(ks, res["mc_lo"], strict=True):
        bound = evaluate(get("theorem4").parts["upper"],
                         {"n": 10, "sigma0": 1, "eps": "0.1", "k": k_}, 15)
        assert lo <= bound


# --------------------------------------------------------------------------- CLI


def _run(capsys, argv):
    from rmc_symbolic.cli import main

    code = main(argv)
    out = capsys.readouterr()
    return code, out.out, out.err


def test_cli_gmm_json(capsys):
    code, out, _ = _run(capsys, ["gmm", "--n", "10", "--mu0", "1", "--sigma0", "1", "--eps",
                                 "0.1", "--k", "1,20", "--mc", "50", "--seed", "1", "--json"])
    assert code == 0
    obj = json.loads(out)
    assert obj["command"] == "gmm"
    assert set(obj["rows"][0]) == {"k", "theorem4", "mc", "mc_lo", "mc_hi", "mc_joint",
                                   "mc_joint_lo", "mc_joint_hi"}


def test_cli_gmm_fit(capsys, tmp_path):
    f = tmp_path / "s.txt"
    f.write_text("1.2 -0.8\n0.9, -1.1  # comment\n1.05 -0.3\n")
    code, out, _ = _run(capsys, ["gmm", "fit", "--samples", str(f), "--json"])
    assert code == 0
    obj = json.loads(out)
    assert [r["estimator"] for r in obj["rows"]] == ["joint_ml", "approx_ml"]
    assert obj["params"]["n"] == 6


@pytest.mark.parametrize("content,word", [("1 2 x\n", "'x' on line 1"), ("1\n", "at least 2"),
                                          ("", "at least 2")])
def test_cli_gmm_fit_bad_files(capsys, tmp_path, content, word):
    f = tmp_path / "s.txt"
    f.write_text(content)
    code, _, err = _run(capsys, ["gmm", "fit", "--samples", str(f)])
    assert code == 2 and word in err and len(err.strip().splitlines()) == 1


def test_cli_gmm_bad_input(capsys, tmp_path):
    code, _, err = _run(capsys, ["gmm", "fit", "--samples", str(tmp_path / "missing.txt")])
    assert code == 2 and "does not exist" in err
    for argv in (["--n", "1"], ["--sigma0", "0"], ["--eps", "0"], ["--mu0", "-1"]):
        base = {"--n": "10", "--mu0": "1", "--sigma0": "1", "--eps": "0.1"}
        base[argv[0]] = argv[1]
        args = [x for kv in base.items() for x in kv]
        with pytest.raises(SystemExit) as exc:
            _run(capsys, ["gmm", *args, "--k", "1"])
        assert exc.value.code == 2
        assert len(capsys.readouterr().err.strip().splitlines()) == 1
    code, _, err = _run(capsys, ["gmm", "--n", "10", "--k", "1"])
    assert code == 2 and "missing" in err
