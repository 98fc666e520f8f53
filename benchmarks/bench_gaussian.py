"""Benchmarks of the Gaussian / Gaussian-mixture pieces (README section "gaussian").

Run: python benchmarks/bench_gaussian.py
Prints wall-clock times (best of 3 after one warm-up that compiles the formulas) and, as the
baseline measured in the same run, Gil-Pelaez's formula on the real axis
(``gaussian_exact.statements["gil_pelaez"]`` with mpmath.quad) at the same working precision.
"""

from __future__ import annotations

import platform
import time
from fractions import Fraction

import mpmath
import sympy as sp


def best_of(fn, reps=3):
    fn()  # warm-up
    best = float("inf")
    out = None
    for _ in range(reps):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return best, out


def naive_gil_pelaez(n_, e, k_, dps):
    from rmc_symbolic import get
    from rmc_symbolic.symbols import eps, k, n, sigma0, t

    st = get("gaussian_exact").statements["gil_pelaez"]
    integral = st.rhs.atoms(sp.Integral).pop()
    f = sp.lambdify((t, n, k, sigma0, eps), integral.function, "mpmath")
    with mpmath.workdps(dps):
        ev = mpmath.mpf(Fraction(e).numerator) / Fraction(e).denominator
        val = mpmath.mpf(1) / 2 + mpmath.quad(lambda tv: f(tv, n_, k_, 1, ev),
                                              [0, 0.5, 1, 2, 4, 8, mpmath.inf]) / mpmath.pi
    return val


def main() -> None:
    import numpy as np

    from rmc_symbolic import get
    from rmc_symbolic.collapse_time import gaussian_times
    from rmc_symbolic.evaluate import evaluate
    from rmc_symbolic.gaussian_exact import optimal_markov, tail_probability
    from rmc_symbolic.mixture_ml import joint_ml_np, simulate_sigma_exceeds

    print(f"# bench_gaussian  python {platform.python_version()}  {platform.machine()}")
    t0 = time.perf_counter()
    tail_probability(10, 1, "0.1", 5, 15)
    print(f"first call (lambdify the registry formulas): {time.perf_counter() - t0:.2f} s")

    sec, r = best_of(lambda: tail_probability(10, 1, "0.1", 200, 20))
    print(f"exact Pr(Sigma_200 > 0.1), n=10, 20 digits: {sec:.3f} s  value "
          f"{mpmath.nstr(r.value, 20)}  error estimate {mpmath.nstr(r.error, 3)}  "
          f"(working dps {r.working_dps})")
    sec_n, v_n = best_of(lambda: naive_gil_pelaez(10, "0.1", 200, 20 + 10))
    print(f"  baseline Gil-Pelaez on the real axis, 30 working digits: {sec_n:.3f} s  value "
          f"{mpmath.nstr(v_n, 20)}")
    for dps in (15, 50, 100):
        sec, r = best_of(lambda dps=dps: tail_probability(10, 1, "0.1", 200, dps), reps=1)
        print(f"exact (10, 200) at {dps} digits: {sec:.3f} s")
    # a 1e-30 tail: direct vs the textbook formula
    sec, r = best_of(lambda: tail_probability(10, 1, "4.4", 1, 20))
    with mpmath.workdps(50):
        ref = mpmath.gammainc(mpmath.mpf(9) / 2, 9 * mpmath.mpf("4.4") ** 2 / 2, mpmath.inf,
                              regularized=True)
    v_n = naive_gil_pelaez(10, "4.4", 1, 30)
    print(f"tail 8.07e-33 (n=10, k=1, eps=4.4): contour {sec:.3f} s, rel. error "
          f"{mpmath.nstr(abs(r.value / ref - 1), 3)}; real-axis Gil-Pelaez at 30 digits gives "
          f"{mpmath.nstr(v_n, 5)}")
    sec, r = best_of(lambda: tail_probability(10**9, 1, "0.9999", 100, 15))
    print(f"exact n=10^9, k=100, 15 digits: {sec:.3f} s  value {mpmath.nstr(r.value, 15)}")
    sec, (b, s_opt) = best_of(lambda: optimal_markov(10, 1, "0.1", 200, 20))
    print(f"optimised Markov bound (10, 200), 20 digits: {sec:.3f} s  bound "
          f"{mpmath.nstr(b, 15)}  s_opt {mpmath.nstr(s_opt, 15)}")
    sec, v = best_of(lambda: evaluate(get("eq3").parts["r_n"], {"n": 10**9}, 30))
    print(f"r_n at n=10^9, 30 digits: {sec * 1e3:.1f} ms  {mpmath.nstr(v, 30)}")
    sec, tt = best_of(lambda: gaussian_times(100, 1, "0.1", "0.5"), reps=1)
    print(f"collapse-time gaussian n=100, eps=0.1, delta=0.5: {sec:.2f} s  {tt}")
    rng = np.random.default_rng(1)
    Y = (rng.integers(0, 2, (1000, 10)) * 2 - 1) + 0.5 * rng.standard_normal((1000, 10))
    sec, _ = best_of(lambda: joint_ml_np(Y))
    print(f"joint ML (vectorised), 1000 sample sets of n=10: {sec * 1e3:.1f} ms")
    for est in ("approx", "joint"):
        sec, res = best_of(lambda est=est: simulate_sigma_exceeds(
            10, 1, 1, Fraction(1, 10), [200], 1000, seed=1, estimator=est), reps=1)
        print(f"gmm simulation {est}: 1000 trajectories x 200 generations: {sec:.2f} s  "
              f"Pr(Sigma_200 > 0.1) ~ {res['mc'][0]:.4f} [{res['mc_lo'][0]:.4f}, "
              f"{res['mc_hi'][0]:.4f}]")


if __name__ == "__main__":
    main()
