"""Benchmark of the verification engine (``proofs_check.verify`` / ``rmc verify --claim``).

Prints, for a set of user claims, the status, the wall time and the number of boxes, and
for the Gamma ratio of eq15 the baseline "plain bisection" (interval enclosures of
``rhs - lhs`` only) against the full engine (log form + Taylor forms) within a time cap.

Run: ``python benchmarks/bench_verify.py`` (from the repository root).
"""

from __future__ import annotations

import platform
import sys
import time
from fractions import Fraction

import sympy as sp


def main() -> None:
    sys.path.insert(0, ".")
    from proofs_check.enclosure import Var, prove_nonnegative, prove_relation
    from proofs_check.verify import verify

    print(f"# bench_verify  python {platform.python_version()}, {platform.machine()}, "
          f"{time.strftime('%Y-%m-%d')}")
    claims = [
        # one variable, positive margin
        ("exp(x) >= x + 0.9", {"x": "-1:2"}, {}),
        ("x*exp(-x) <= 0.37", {"x": "0:10"}, {}),
        ("sin(x) + cos(x) <= 1.415", {"x": "0:6.3"}, {}),
        ("log(x) <= x/2.7", {"x": "0.1:100"}, {}),
        ("gamma(x+1/2)/gamma(x) <= x/sqrt(x+1/4)", {"x": "0.01:1000"}, {}),
        # tight at a point
        ("2*x/(2+x) <= log(1+x)", {"x": "0:1000"}, {}),
        ("cosh(x) >= 1 + x**2/2", {"x": "-2:3"}, {}),
        ("atan(x) >= 3*x/(1 + 2*sqrt(1 + x**2))", {"x": "0:100"}, {}),
        ("exp(-n*x)*(1-n*x**2) <= (1-x)**n", {"x": "0:1"}, {"n": "1:200"}),
        ("g(k) <= 2/(k+1)", {}, {"k": "1:1000"}),
        # false near-misses
        ("x*(1-x) <= 0.249999", {"x": "0:1"}, {}),
        ("x*log(n) <= 3.92", {"x": "0:1"}, {"n": "1:200"}),
    ]
    print(f"{'claim':45s} {'domain':38s} {'status':8s} {'time':>7s}  method")
    for claim, vars_, ints in claims:
        t = time.perf_counter()
        r = verify(claim, vars=vars_, ints=ints, timeout=120)
        dt = time.perf_counter() - t
        print(f"{claim:45s} {r.domain:38s} {str(r.status):8s} {dt:6.2f}s  {r.method[:90]}")

    # baseline: plain bisection (interval enclosures only) vs the engine, eq15 in [0.01, 1000]
    x = sp.Symbol("x", real=True)
    lhs, rhs = sp.gamma(x + sp.Rational(1, 2)) / sp.gamma(x), x / sp.sqrt(x + sp.Rational(1, 4))
    var = [Var(x, Fraction(1, 100), Fraction(1000))]
    cap = 30.0
    t = time.perf_counter()
    base = prove_nonnegative(rhs - lhs, var, timeout=cap, methods=())
    tb = time.perf_counter() - t
    t = time.perf_counter()
    full = prove_relation(lhs, "<=", rhs, var, timeout=cap)
    tf = time.perf_counter() - t
    print(f"eq15 Gamma ratio on [0.01, 1000]: plain bisection {base.status} after "
          f"{base.boxes:,} boxes in {tb:.1f} s ({base.reason or 'done'}); engine "
          f"{full.status} with {full.boxes:,} boxes in {tf:.2f} s")


if __name__ == "__main__":
    main()
