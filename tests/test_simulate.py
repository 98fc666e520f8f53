"""Monte Carlo (rmc_symbolic.simulate) against independent exact values.

Exact references are computed here, independently of the code under test: the
Wright–Fisher chain with integer arithmetic, the chi-squared law with mpmath, and for the
Poisson chain the registry's theorem2 (an exact formula). Every comparison is a 4-standard-
error check with a fixed seed (so it is deterministic); the standard error is that of the
exact value.
"""

from __future__ import annotations

import json
import math
from fractions import Fraction
from math import comb

import mpmath
import numpy as np
import pytest

from rmc_symbolic import get
from rmc_symbolic.cli import main
from rmc_symbolic.errors import InputError
from rmc_symbolic.evaluate import evaluate
from rmc_symbolic.simulate import (
    Z95,
    bernoulli_paths,
    gaussian_paths,
    mc_columns,
    mean_interval,
    poisson_paths,
    simulate_bernoulli,
    simulate_gaussian,
    simulate_poisson,
    simulate_unigram,
    t_quantile,
    unigram_paths,
    wilson,
)

# ----------------------------------------------------------------- independent references


def wf_distributions(n: int, start: list[Fraction], kmax: int) -> list[list[Fraction]]:
    """Exact laws of X_1..X_kmax of the Wright–Fisher chain X_{k+1} ~ Bin(n, X_k/n), from the
    law ``start`` of X_0 (integer arithmetic over the common denominator n^n)."""
    rows = [[comb(n, j) * i**j * (n - i) ** (n - j) for j in range(n + 1)] for i in range(n + 1)]
    den = n**n
    out, v = [], list(start)
    for _ in range(kmax):
        v = [sum(v[i] * rows[i][j] for i in range(n + 1)) / den for j in range(n + 1)]
        out.append(v)
    return out


def point(n: int, i0: int) -> list[Fraction]:
    return [Fraction(int(j == i0)) for j in range(n + 1)]


def within(est: float, exact: float, T: int, z: float = 4.0) -> bool:
    se = math.sqrt(max(exact * (1 - exact), 1e-12) / T)
    return abs(est - exact) <= z * se + 1e-12


# ----------------------------------------------------------------- Bernoulli


def test_bernoulli_matches_exact_wright_fisher_chain():
    n, i0, T = 12, 3, 20000
    ks = list(range(1, 16))
    laws = wf_distributions(n, point(n, i0), max(ks))
    res = simulate_bernoulli(n, Fraction(i0, n), ks, T, seed=11)
    for pos, k in enumerate(ks):
        law = laws[k - 1]
        alive = float(1 - law[0])
        transient = float(1 - law[0] - law[n])
        assert within(res["alive"][pos] / T, alive, T), (k, res["alive"][pos] / T, alive)
        assert within(res["transient"][pos] / T, transient, T), k
        assert within(res["one"][pos] / T, float(law[n]), T), k


def test_bernoulli_first_step_is_binomial_n_p0_when_n_p0_is_not_an_integer():
    # n P_1 ~ Binomial(n, p0): the law of X_1 is the binomial pmf, then the chain
    n, p0, T = 10, Fraction(1, 7), 20000
    x1 = [comb(n, j) * p0**j * (1 - p0) ** (n - j) for j in range(n + 1)]
    laws = [x1] + wf_distributions(n, x1, 5)
    res = simulate_bernoulli(n, p0, [1, 2, 4, 6], T, seed=3)
    for pos, k in enumerate([1, 2, 4, 6]):
        assert within(res["alive"][pos] / T, float(1 - laws[k - 1][0]), T), k


def test_bernoulli_mc_columns_shape_and_wilson_coverage_of_exact():
    n, i0, T = 8, 2, 4000
    ks = [1, 3, 7, 7, 20]  # repeats are allowed and answered in place
    out = mc_columns("bernoulli", {"n": n, "p0": Fraction(i0, n)}, ks, T, seed=5)
    assert set(out) == {"mc", "mc_lo", "mc_hi", "mc_transient", "mc_transient_lo",
                        "mc_transient_hi"}
    assert all(len(v) == len(ks) for v in out.values())
    assert out["mc"][2] == out["mc"][3]
    laws = wf_distributions(n, point(n, i0), 20)
    for pos, k in enumerate(ks):
        assert out["mc_lo"][pos] <= out["mc"][pos] <= out["mc_hi"][pos]
        exact = float(1 - laws[k - 1][0])
        # a 4-SE band around the estimate contains the exact value
        assert within(out["mc"][pos], exact, T), k


def test_theorem1_bounds_contain_the_simulation():
    # theorem1 [A]: 1 - e^{-n p0 g_k} <= Pr(P_k != 0) <= 1 - c_k e^{-n p0 g_k}
    n, p0, T = 100, Fraction(1, 100), 5000
    ks = [1, 2, 3, 5, 10, 20, 35, 50]
    out = mc_columns("bernoulli", {"n": n, "p0": p0}, ks, T, seed=2)
    t1 = get("theorem1")
    z = 4.0
    lo, hi = wilson([round(m * T) for m in out["mc"]], T, z=z)
    for pos, k in enumerate(ks):
        pt = {"n": n, "p0": p0, "k": k}
        lower = float(evaluate(t1.parts["lower"], pt))
        upper = float(evaluate(t1.parts["upper"], pt))
        assert hi[pos] >= lower and lo[pos] <= upper, (k, out["mc"][pos], lower, upper)


def test_bernoulli_large_n_is_the_binomial_recursion():
    # n = 10^4, p0 = 10^-3 (Fig. 3): after one step Pr(X_1 = 0) = (1 - p0)^n exactly
    n, p0, T = 10**4, Fraction(1, 1000), 20000
    res = simulate_bernoulli(n, p0, [1], T, seed=8)
    exact = 1 - float((1 - p0) ** n)
    assert within(res["alive"][0] / T, exact, T)


def test_bernoulli_paths():
    paths = bernoulli_paths(20, Fraction(1, 2), 30, 25, seed=1)
    assert paths.shape == (25, 31)
    assert np.all(paths[:, 0] == 0.5)
    assert np.all((paths >= 0) & (paths <= 1))
    # absorbed states stay absorbed
    for row in paths:
        for k in range(1, 30):
            if row[k] in (0.0, 1.0):
                assert row[k + 1] == row[k]
    # the values are multiples of 1/n
    assert np.allclose(paths * 20, np.round(paths * 20))


# ----------------------------------------------------------------- Poisson


@pytest.mark.parametrize("lam", [Fraction(1, 2), Fraction(1)])
def test_poisson_matches_theorem2_exact(lam):
    n, T = 10, 20000
    ks = [1, 2, 5, 20, 100, 300]
    out = mc_columns("poisson", {"n": n, "lambda0": lam}, ks, T, seed=4)
    t2 = get("theorem2")
    for pos, k in enumerate(ks):
        exact = float(evaluate(t2.parts["exact"], {"n": n, "lambda0": lam, "k": k}))
        assert within(out["mc"][pos], exact, T), (k, out["mc"][pos], exact)
        assert out["mc_lo"][pos] <= out["mc"][pos] <= out["mc_hi"][pos]


def test_poisson_first_generation_against_closed_form():
    # Pr(N_1 != 0) = 1 - e^{-n lambda0}, independent of the registry
    n, lam, T = 3, Fraction(1, 5), 20000
    res = simulate_poisson(n, lam, [1], T, seed=6)
    assert within(res["alive"][0] / T, 1 - math.exp(-0.6), T)
    paths = poisson_paths(n, lam, 10, 7, seed=1)
    assert paths.shape == (7, 11) and paths[0, 0] == pytest.approx(0.2)


# ----------------------------------------------------------------- Gaussian


def _chi2_tail(m: int, x):
    """Pr(chi^2_m > x), mpmath."""
    if isinstance(x, Fraction):
        x = mpmath.mpf(x.numerator) / x.denominator
    return mpmath.gammainc(mpmath.mpf(m) / 2, mpmath.mpf(x) / 2, mpmath.inf, regularized=True)


def gaussian_exact_k1(n: int, sigma0: Fraction, eps: Fraction) -> float:
    m = n - 1
    return float(_chi2_tail(m, m * (eps / sigma0) ** 2))


def gaussian_exact_k2(n: int, sigma0: Fraction, eps: Fraction) -> float:
    """Pr(Sigma_2 > eps) = E[Pr(chi^2_b/m > r / X)], X = chi^2_a/m, r = (eps/sigma0)^2."""
    m = n - 1
    q = (eps / sigma0) ** 2
    r = mpmath.mpf(q.numerator) / q.denominator
    half = mpmath.mpf(m) / 2

    def dens(x):  # density of X = chi^2_m / m
        return (half**half / mpmath.gamma(half)) * x ** (half - 1) * mpmath.exp(-half * x)

    return float(mpmath.quad(lambda x: dens(x) * _chi2_tail(m, m * r / x),
                             [0, 1, 3, mpmath.inf]))


def test_gaussian_matches_exact_chi_squared_probabilities():
    n, sigma0, eps, T = 10, Fraction(1), Fraction(4, 5), 20000
    out = mc_columns("gaussian", {"n": n, "sigma0": sigma0, "eps": eps}, [1, 2], T, seed=9)
    e1 = gaussian_exact_k1(n, sigma0, eps)
    e2 = gaussian_exact_k2(n, sigma0, eps)
    assert 0.05 < e2 < e1 < 0.95
    assert within(out["mc"][0], e1, T), (out["mc"][0], e1)
    assert within(out["mc"][1], e2, T), (out["mc"][1], e2)


def test_gaussian_matches_the_exact_inversion_for_larger_k():
    # gaussian_exact [+] (contour inversion, a second method) once it is available
    ge = pytest.importorskip("rmc_symbolic.gaussian_exact")
    n, sigma0, eps, T = 10, Fraction(1), Fraction(1, 2), 20000
    ks = [5, 20]
    out = mc_columns("gaussian", {"n": n, "sigma0": sigma0, "eps": eps}, ks, T, seed=10)
    for pos, k in enumerate(ks):
        exact = float(ge.tail_probability(n, sigma0, eps, k, 10).value)
        assert 0.01 < exact < 0.99
        assert within(out["mc"][pos], exact, T), (k, out["mc"][pos], exact)


def test_theorem3_bound_holds_for_the_simulation():
    # theorem3 [A]: Pr(Sigma_k > eps) <= (sigma0/eps) exp(-k/(4n-1))
    n, sigma0, eps, T = 10, Fraction(1), Fraction(1, 10), 5000
    ks = [1, 50, 100, 150, 200]
    out = mc_columns("gaussian", {"n": n, "sigma0": sigma0, "eps": eps}, ks, T, seed=1)
    t3 = get("theorem3")
    lo, _ = wilson([round(m * T) for m in out["mc"]], T, z=4.0)
    for pos, k in enumerate(ks):
        bound = float(evaluate(t3.parts["upper"], {"n": n, "sigma0": sigma0, "eps": eps,
                                                   "k": k}))
        assert lo[pos] <= bound, (k, out["mc"][pos], bound)


def test_gaussian_blocks_give_the_same_answer_as_one_block(monkeypatch):
    import rmc_symbolic.simulate as sim

    ks = [1, 5, 17, 40]
    a = simulate_gaussian(5, 1, Fraction(1, 2), ks, 300, seed=3)
    monkeypatch.setattr(sim, "_GAUSS_BLOCK", 300 * 3)  # 3 generations per block
    b = simulate_gaussian(5, 1, Fraction(1, 2), ks, 300, seed=3)
    assert a["exceeds"].tolist()[0] == b["exceeds"].tolist()[0]
    # same law (different draw order); Sigma_k collapses so late counts are small
    assert all(abs(x - y) <= 4 * math.sqrt(300) for x, y in
               zip(a["exceeds"], b["exceeds"], strict=True))


def test_gaussian_paths_law():
    means, sigmas = gaussian_paths(10, 0, 1, 3, 20000, seed=2)
    assert means.shape == sigmas.shape == (20000, 4)
    # E[Sigma_1^2] = sigma0^2 (unbiased variance), Var(M_1) = sigma0^2/n
    assert abs((sigmas[:, 1] ** 2).mean() - 1) < 4 * math.sqrt(2 / 9 / 20000)
    assert abs(means[:, 1].var() - 0.1) < 0.01
    # Pr(Sigma_1 > 0.8) by the chi-squared law
    e1 = gaussian_exact_k1(10, Fraction(1), Fraction(4, 5))
    assert within(float((sigmas[:, 1] > 0.8).mean()), e1, 20000)


# ----------------------------------------------------------------- discrete / unigram


def test_unigram_multinomial_matches_per_symbol_wright_fisher_chains():
    # each symbol's count is a Wright-Fisher chain started at n p_i (corollary1's argument):
    # E[uniq_k] = sum_i Pr(X_k^{(i)} != 0), exactly
    n = 10
    counts = [1, 2, 3, 4]
    pmf = [Fraction(c, n) for c in counts]
    ks = [1, 2, 4, 8]
    exact = []
    laws = {c: wf_distributions(n, point(n, c), max(ks)) for c in counts}
    for k in ks:
        exact.append(float(sum(1 - laws[c][k - 1][0] for c in counts)))
    T = 20000
    res = simulate_unigram(pmf, n, ks, T, seed=12)
    u = res["uniq"]
    assert u.shape == (T, len(ks)) and res["m"] == 4
    for pos in range(len(ks)):
        se = u[:, pos].std(ddof=1) / math.sqrt(T)
        assert abs(u[:, pos].mean() - exact[pos]) <= 4 * se, (ks[pos], exact[pos])


def test_unigram_poisson_sampling_matches_corollary2():
    n = 200
    pmf = [Fraction(1, 2), Fraction(1, 4), Fraction(1, 8), Fraction(1, 16), Fraction(1, 32),
           Fraction(1, 64), Fraction(1, 128), Fraction(1, 128)]
    ks = [1, 3, 10, 30]
    T = 4000
    out = mc_columns("discrete", {"n": n, "pmf": pmf, "sampling": "poisson"}, ks, T, seed=1)
    c2 = get("corollary2")
    res = simulate_unigram(pmf, n, ks, T, seed=1, sampling="poisson")
    for pos, k in enumerate(ks):
        exact = float(evaluate(c2.parts["exact"], {"n": n, "k": k}, pmf=pmf))
        se = res["uniq"][:, pos].std(ddof=1) / math.sqrt(T)
        assert abs(out["mc"][pos] - exact) <= 4 * se + 1e-9, (k, out["mc"][pos], exact)
        assert out["mc_lo"][pos] <= out["mc"][pos] <= out["mc_hi"][pos]
        assert out["mc_fraction"][pos] == pytest.approx(out["mc"][pos] / len(pmf))


def test_corollary1_bounds_contain_the_multinomial_simulation():
    from rmc_symbolic.corpus import zipf_mandelbrot

    n, m = 300, 300
    pmf = zipf_mandelbrot(Fraction(1), Fraction(27, 10), m, dps=20)
    ks = [1, 2, 5, 10]
    T = 300
    res = simulate_unigram(pmf, n, ks, T, seed=4)
    c1 = get("corollary1")
    for pos, k in enumerate(ks):
        lower = float(evaluate(c1.parts["lower"], {"n": n, "k": k}, pmf=pmf))
        upper = float(evaluate(c1.parts["upper"], {"n": n, "k": k}, pmf=pmf))
        mean = res["uniq"][:, pos].mean()
        se = res["uniq"][:, pos].std(ddof=1) / math.sqrt(T)
        assert lower - 4 * se <= mean <= upper + 4 * se, (k, lower, mean, upper)


def test_discrete_both_samplings_and_paths():
    pmf = [Fraction(1, 3)] * 3
    out = mc_columns("discrete", {"n": 6, "pmf": pmf, "sampling": "both"}, [1, 2], 50, seed=1)
    assert {"mc", "mc_fraction", "mc_poisson", "mc_poisson_lo", "mc_poisson_fraction_hi"} <= \
        set(out)
    paths = unigram_paths(pmf, 6, 5, 4, seed=1)
    assert paths.shape == (4, 6) and np.all(paths[:, 0] == 3)
    assert np.all(np.diff(paths, axis=1) <= 0)  # a forgotten symbol never comes back


def test_unigram_blocks_of_trajectories(monkeypatch):
    import rmc_symbolic.simulate as sim

    monkeypatch.setattr(sim, "_UNIGRAM_BLOCK", 10)  # 10 // m = 2 trajectories per block
    pmf = [Fraction(1, 5)] * 5
    res = simulate_unigram(pmf, 5, [1, 3], 7, seed=1)
    assert res["uniq"].shape == (7, 2)
    assert np.all((res["uniq"] >= 1) & (res["uniq"] <= 5))


def test_mean_interval_single_trajectory_has_no_interval():
    out = mc_columns("discrete", {"n": 10, "pmf": [Fraction(1, 2)] * 2}, [1], 1, seed=1)
    assert out["mc_lo"] == [None] and out["mc_hi"] == [None]
    mean, lo, hi = mean_interval(np.array([[1.0, 2.0], [3.0, 2.0]]))
    assert mean.tolist() == [2.0, 2.0] and hi[1] == lo[1] == 2.0


# ----------------------------------------------------------------- statistics helpers


def test_wilson_interval_known_values():
    lo, hi = wilson(np.array([0, 5, 10]), 10)
    # Wilson 95% for 0/10, 5/10 and 10/10 (standard tables)
    assert lo[0] == 0 and hi[0] == pytest.approx(0.27753, abs=1e-5)
    assert lo[1] == pytest.approx(0.23659, abs=1e-5) and hi[1] == pytest.approx(0.76341,
                                                                                   abs=1e-5)
    assert hi[2] == 1 and lo[2] == pytest.approx(0.72247, abs=1e-5)
    assert Z95 == pytest.approx(float(mpmath.sqrt(2) * mpmath.erfinv(0.95)), rel=1e-15)


def test_t_quantiles():
    assert t_quantile(1) == pytest.approx(12.7062047, rel=1e-7)
    assert t_quantile(10) == pytest.approx(2.2281389, rel=1e-7)
    assert t_quantile(10**6) == pytest.approx(Z95, rel=1e-5)


# ----------------------------------------------------------------- seeds and bad input


@pytest.mark.parametrize("model,params", [
    ("bernoulli", {"n": 50, "p0": Fraction(1, 10)}),
    ("poisson", {"n": 5, "lambda0": 1}),
    ("gaussian", {"n": 5, "sigma0": 1, "eps": Fraction(1, 2)}),
    ("discrete", {"n": 20, "pmf": [Fraction(1, 4)] * 4}),
])
def test_reproducible_from_seed(model, params):
    a = mc_columns(model, params, [1, 5, 10], 300, seed=123)
    b = mc_columns(model, params, [1, 5, 10], 300, seed=123)
    c = mc_columns(model, params, [1, 5, 10], 300, seed=124)
    assert a == b
    assert a != c


@pytest.mark.parametrize("kwargs,msg", [
    ({"trajectories": 0}, "allowed range [1, 1000000000000000]"),
    ({"trajectories": -3}, "allowed range [1, 1000000000000000]"),
    ({"seed": -1}, "seed = -1 is outside the allowed range [0, inf)"),
    ({"seed": 1.5}, "not an integer"),
])
def test_bad_simulation_input(kwargs, msg):
    args = {"model": "bernoulli", "params": {"n": 10, "p0": Fraction(1, 2)}, "ks": [1],
            "trajectories": 10, "seed": 1} | kwargs
    import re

    with pytest.raises(InputError, match=re.escape(msg)):
        mc_columns(**args)


def test_bad_model_and_params():
    with pytest.raises(InputError, match="no simulation"):
        mc_columns("cauchy", {}, [1], 10, seed=1)
    with pytest.raises(InputError, match="missing parameter 'p0'"):
        mc_columns("bernoulli", {"n": 10}, [1], 10, seed=1)
    with pytest.raises(InputError, match="p0 = 3/2"):
        mc_columns("bernoulli", {"n": 10, "p0": Fraction(3, 2)}, [1], 10, seed=1)
    with pytest.raises(InputError, match="k"):
        mc_columns("poisson", {"n": 10, "lambda0": 1}, [0], 10, seed=1)
    with pytest.raises(InputError, match="pmf"):
        mc_columns("discrete", {"n": 10}, [1], 10, seed=1)
    with pytest.raises(InputError, match="sampling"):
        mc_columns("discrete", {"n": 10, "pmf": [1], "sampling": "bogus"}, [1], 10, seed=1)
    with pytest.raises(InputError, match="eps"):
        mc_columns("gaussian", {"n": 10, "sigma0": 1, "eps": 0}, [1], 10, seed=1)


def test_gmm_delegates_to_mixture_ml(monkeypatch):
    import sys
    import types

    calls = {}

    def fake(n, mu0, sigma0, eps, ks, trajectories, seed, estimator, progress):
        calls.update(n=n, mu0=mu0, estimator=estimator, ks=ks, T=trajectories, seed=seed)
        return {"mc": [0.5] * len(ks), "mc_lo": [0.4] * len(ks), "mc_hi": [0.6] * len(ks)}

    mod = types.ModuleType("rmc_symbolic.mixture_ml")
    mod.simulate_sigma_exceeds = fake
    monkeypatch.setitem(sys.modules, "rmc_symbolic.mixture_ml", mod)
    import rmc_symbolic

    monkeypatch.setattr(rmc_symbolic, "mixture_ml", mod, raising=False)
    out = mc_columns("gmm", {"n": 10, "mu0": 1, "sigma0": 1, "eps": Fraction(1, 10)},
                     [1, 2], 30, seed=7)
    assert out["mc"] == [0.5, 0.5]
    assert calls == {"n": 10, "mu0": 1, "estimator": "approx", "ks": [1, 2], "T": 30, "seed": 7}


# ----------------------------------------------------------------- command line


def test_cli_json_has_mc_columns(capsys):
    assert main(["bernoulli", "--n", "20", "--p0", "0.1", "--k", "1,5", "--mc", "500",
                 "--seed", "3", "--json"]) == 0
    obj = json.loads(capsys.readouterr().out)
    row = obj["rows"][1]
    for c in ("mc", "mc_lo", "mc_hi", "mc_transient"):
        assert c in row
    assert float(row["mc_lo"]) <= float(row["mc"]) <= float(row["mc_hi"])


def test_cli_same_seed_same_output(capsys):
    argv = ["poisson", "--n", "10", "--lambda0", "1", "--k", "1,10", "--mc", "300",
            "--seed", "5", "--json"]
    main(argv)
    first = capsys.readouterr().out
    main(argv)
    assert capsys.readouterr().out == first


@pytest.mark.parametrize("argv,fragment", [
    (["--mc", "0"], "mc (trajectories) = 0 is outside the allowed range [1, 1000000000000000]"),
    (["--mc", "-2"], "mc (trajectories) = -2"),
    (["--mc", "10", "--seed", "-1"], "seed = -1 is outside the allowed range [0, inf)"),
    (["--mc", "ten"], "is not a number"),
])
def test_cli_bad_mc_input_is_one_line_exit_2(argv, fragment, capsys):
    with pytest.raises(SystemExit) as e:
        main(["bernoulli", "--n", "10", "--p0", "0.5", "--k", "1", *argv])
    assert e.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and fragment in err


def test_cli_progress_is_silent_when_not_a_tty():
    import subprocess
    import sys

    r = subprocess.run([sys.executable, "-m", "rmc_symbolic", "gaussian" if False else
                        "poisson", "--n", "10", "--lambda0", "1", "--k", "1,2000",
                        "--mc", "20000", "--seed", "1"], capture_output=True, text=True,
                       timeout=120)
    assert r.returncode == 0, r.stderr
    assert r.stderr == ""
    assert "mc_hi" in r.stdout


def test_progress_bar_is_drawn_for_long_runs(capsys, monkeypatch):
    import rmc_symbolic.simulate as sim

    ticks = []

    class FakeBar:
        def __init__(self, total, enabled, desc):
            ticks.append(("open", total, enabled))

        def update(self, n=1):
            ticks.append(n)

        def close(self):
            ticks.append("close")

    monkeypatch.setattr(sim, "_Progress", FakeBar)
    sim.simulate_poisson(10, 1, [1, 50], 100, seed=1, progress=True)
    assert ticks[0] == ("open", 49, True) and ticks[-1] == "close"
    assert sum(t for t in ticks if isinstance(t, int)) == 49
    # the real bar (tqdm, delayed one second) does not print for a short run
    monkeypatch.undo()
    sim.simulate_poisson(10, 1, [1, 50], 100, seed=1, progress=True)
    assert capsys.readouterr().err == ""


def test_progress_bar_shows_on_a_terminal_after_one_second():
    import fcntl
    import os
    import pty
    import select
    import struct
    import subprocess
    import sys
    import termios

    code = ("import time; from rmc_symbolic.simulate import _Progress\n"
            "b = _Progress(20, True, 'bernoulli')\n"
            "for _ in range(20):\n    time.sleep(0.08); b.update()\nb.close()\n"
            "q = _Progress(20, True, 'quick')\nq.update(20); q.close()\n")
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.DEVNULL,
                            stderr=slave)
    os.close(slave)
    out = b""
    while True:
        ready, _, _ = select.select([master], [], [], 30)
        if not ready:
            break
        try:
            chunk = os.read(master, 4096)
        except OSError:
            break
        if not chunk:
            break
        out += chunk
    proc.wait(timeout=30)
    os.close(master)
    text = out.decode(errors="replace")
    assert proc.returncode == 0
    assert "bernoulli:" in text and "gen" in text  # drawn once the run passed one second
    assert "quick" not in text  # a run shorter than a second stays silent


def test_cli_discrete_corpus_mc_columns(tmp_path, capsys):
    # a generated corpus: 12 word types with counts 1..12 (n = 78 tokens)
    words = " ".join(" ".join([f"w{i}"] * i) for i in range(1, 13))
    f = tmp_path / "corpus.txt"
    f.write_text(words + "\n", encoding="utf-8")
    assert main(["discrete", "--corpus", str(f), "--k", "1,3", "--mc", "2000", "--seed", "1",
                 "--json"]) == 0
    obj = json.loads(capsys.readouterr().out)
    for row in obj["rows"]:
        lo, hi = float(row["corollary1_lower"]), float(row["corollary1_upper"])
        mc, mc_lo, mc_hi = (float(row[c]) for c in ("mc", "mc_lo", "mc_hi"))
        assert mc_lo <= mc <= mc_hi
        assert mc_hi >= lo - 0.05 and mc_lo <= hi + 0.05
        assert float(row["mc_fraction"]) == pytest.approx(mc / 12, rel=1e-9)


def test_doctests_of_simulation_and_plot_modules():
    import doctest

    import rmc_symbolic.plot
    import rmc_symbolic.simulate

    for mod in (rmc_symbolic.simulate, rmc_symbolic.plot):
        res = doctest.testmod(mod)
        assert res.attempted > 0 and res.failed == 0, mod.__name__
