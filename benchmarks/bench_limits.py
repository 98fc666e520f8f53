"""Cost estimates against the work they estimate (issue 9 §2: every command estimates its
cost up front and refuses what does not fit in --max-seconds).

Prints, for a few sizes of each costly phase, the estimate, the measured time and their
ratio (estimate / actual). The estimates are meant to be within a factor ~2-3. Run on an
idle machine: ``python benchmarks/bench_limits.py [--quick]``.
"""

from __future__ import annotations

import sys
import time
from fractions import Fraction


def _timed(fn):
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def _line(name, est, act):
    print(f"{name:<58} estimate {est:9.3g} s  actual {act:9.3g} s  ratio {est / act:5.2f}",
          flush=True)


def bench_mc(quick: bool) -> None:
    from rmc_symbolic import simulate as sim

    cases = [
        ("bernoulli", {"n": 10, "p0": Fraction(1, 10)}, list(range(1, 51)), 200_000),
        ("bernoulli", {"n": 1000, "p0": Fraction(1, 2)}, list(range(1, 201)), 20_000),
        ("bernoulli", {"n": 100, "p0": Fraction(1, 100)}, list(range(1, 10001, 100)), 50_000),
        ("poisson", {"n": 10, "lambda0": 1}, list(range(1, 1001)), 20_000),
        ("poisson", {"n": 1, "lambda0": 1}, [10**5], 2000),
        ("gaussian", {"n": 10, "sigma0": 1, "eps": Fraction(1, 10)}, list(range(1, 201)),
         50_000),
        ("gmm", {"n": 10, "mu0": 1, "sigma0": 1, "eps": Fraction(1, 10)}, [50], 5000),
        ("gmm", {"n": 10, "mu0": 1, "sigma0": 1, "eps": Fraction(1, 10),
                 "estimator": "joint"}, [20], 2000),
        ("discrete", {"n": 1000, "pmf": [Fraction(1, 100)] * 100}, list(range(1, 51)), 200),
        ("discrete", {"n": 10_000, "pmf": [Fraction(1, 5000)] * 5000}, [1, 10, 100], 50),
    ]
    if quick:
        cases = cases[:3]
    for model, params, ks, T in cases:
        est, _ = sim.mc_cost(model, params, ks, T)
        sim.mc_columns(model, params, ks[:1], 2, seed=1)  # warm up (compiling, imports)
        act = _timed(lambda: sim.mc_columns(model, params, ks, T, seed=1))  # noqa: B023
        _line(f"mc {model} {params.get('n')} T={T} K={max(ks)} ({len(ks)} k)", est, act)


def main() -> None:
    quick = "--quick" in sys.argv
    bench_mc(quick)


if __name__ == "__main__":
    main()
