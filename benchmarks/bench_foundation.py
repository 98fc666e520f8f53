"""Foundation figures: g_k by Arb iteration (k up to 10^7), evaluation of registry formulas,
and command start-up. Baselines (plain mpmath iteration) are measured in the same run.

Run: python benchmarks/bench_foundation.py [--quick]
"""

from __future__ import annotations

import platform
import subprocess
import sys
import time

import mpmath


def timed(fn, *args):
    t = time.perf_counter()
    out = fn(*args)
    return time.perf_counter() - t, out


def mpmath_iteration(k: int, dps: int):
    with mpmath.workdps(dps + 10):
        x = mpmath.mpf(1)
        for _ in range(k - 1):
            x = -mpmath.expm1(-x)
    return x


def main() -> None:
    quick = "--quick" in sys.argv
    from rmc_symbolic import iterated_map
    from rmc_symbolic.iterated_map import gk_values

    print(f"# machine: {platform.machine()}, {platform.python_implementation()} "
          f"{platform.python_version()}, {time.strftime('%Y-%m-%d')}")
    print("\n## g_k: Arb ball iteration (certified), Abel-function jump (default for large k),")
    print("## and plain mpmath iteration (baseline); cold caches")
    print(f"{'k':>14} {'dps':>5} {'arb iter s':>11} {'abel s':>8} {'mpmath s':>10} "
          f"{'speed-up':>9}")
    cases = [(10**5, 30), (10**6, 30), (10**7, 30), (10**5, 1000), (10**12, 30)]
    if quick:
        cases = [(10**5, 30), (10**6, 30)]
    for k, dps in cases:
        iterated_map._checkpoints.clear()  # cold start: no cached checkpoints
        iterated_map._ABEL_CACHE.clear()
        t_abel, va = timed(gk_values, [k], dps, "auto")
        iterated_map._checkpoints.clear()
        if k <= 10**7:
            t_rmc, v = timed(gk_values, [k], dps, "iterate")
            with mpmath.workdps(dps + 10):
                assert abs(va[0] - v[0]) <= abs(v[0]) * mpmath.mpf(10) ** (-dps)
        else:
            t_rmc, v = float("nan"), va
        base_k = min(k, 10**5)
        t_base, ref = timed(mpmath_iteration, base_k, dps)
        t_base_full = t_base * (k / base_k)
        est = "" if base_k == k else " (extrapolated from 1e5 steps)"
        best = min(t_rmc, t_abel) if t_rmc == t_rmc else t_abel
        print(f"{k:>14} {dps:>5} {t_rmc:>11.2f} {t_abel:>8.2f} {t_base_full:>10.2f} "
              f"{t_base_full / best:>8.0f}x{est}")
        if base_k == k:
            with mpmath.workdps(dps + 10):
                assert abs(v[0] - ref) <= abs(ref) * mpmath.mpf(10) ** (-dps + 1)

    print("\n## a k-list in one pass: g_k for k = 1..10^6 step 1000 at 30 digits")
    iterated_map._checkpoints.clear()
    t, _ = timed(gk_values, list(range(1, 10**6 + 1, 1000)), 30, "iterate")
    print(f"1000 values: {t:.2f} s")

    print("\n## evaluate(): registry formula at an exact point")
    from rmc_symbolic import get
    from rmc_symbolic.evaluate import evaluate

    e = get("theorem1").parts["upper"]
    for dps in (15, 100, 1000):
        evaluate(e, {"n": 100, "p0": "0.01", "k": 10}, dps)  # warm the caches
        n_rep = 50 if dps < 1000 else 5
        t, _ = timed(lambda d=dps, r=n_rep: [
            evaluate(e, {"n": 100, "p0": "0.01", "k": 10}, d) for _ in range(r)])
        print(f"theorem1.upper at dps={dps}: {1000 * t / n_rep:.2f} ms per evaluation")

    print("\n## command start-up (wall, fresh interpreter)")
    for args in (["--help"], ["gk", "--k", "1:10"], ["bernoulli", "--n", "100", "--p0",
                                                       "0.01", "--k", "1:50"]):
        t = time.perf_counter()
        subprocess.run([sys.executable, "-m", "rmc_symbolic", *args], check=True,
                       capture_output=True)
        print(f"rmc {' '.join(args)}: {time.perf_counter() - t:.2f} s")


if __name__ == "__main__":
    main()
