"""Benchmark of the trust fixes of ``rmc verify`` (issue 9): what the killable phases cost,
and how long the issue's reproducers take now.

Prints (1) the overhead of running a check in a forked child (``verify(...,
isolate=True)``, the default, against ``isolate=False``) and of one killable call
(:func:`proofs_check.deadline.run_killable`) on a trivial function; (2) the SymPy symbolic
step of a typical identity in-process and in a killable child; (3) every reproducer of the
issue with its status and wall time (``--timeout`` where the issue gives one).

Run: ``python benchmarks/bench_trust.py`` (from the repository root).
"""

from __future__ import annotations

import os
import platform
import statistics
import sys
import time


def _median_time(fn, repeat: int = 15) -> float:
    out = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
    return statistics.median(out)


def main() -> None:
    sys.path.insert(0, ".")
    import sympy as sp

    from proofs_check import deadline as dl
    from proofs_check.verify import _simplify_to_zero, verify

    print(f"# bench_trust  python {platform.python_version()}, {platform.machine()}, "
          f"{os.cpu_count()} cores, load {os.getloadavg()[0]:.2f}, "
          f"{time.strftime('%Y-%m-%d')}")

    # (1) isolation overhead
    claim, vars_ = "exp(x) >= x + 0.9", {"x": "-1:2"}
    verify(claim, vars=vars_, isolate=False)  # warm caches
    t_in = _median_time(lambda: verify(claim, vars=vars_, isolate=False))
    t_iso = _median_time(lambda: verify(claim, vars=vars_))
    t_fork = _median_time(lambda: dl.run_killable(int, ("1",), 5))
    print(f"verify '{claim}': in-process {1e3 * t_in:.1f} ms, isolated (default) "
          f"{1e3 * t_iso:.1f} ms; one run_killable of a trivial call {1e3 * t_fork:.1f} ms")

    # (2) the symbolic step of an identity
    x = sp.Symbol("x", real=True)
    ds = [sp.cosh(x) ** 2 - sp.sinh(x) ** 2 - 1]
    t_sym = _median_time(lambda: _simplify_to_zero(ds), 5)
    t_symk = _median_time(lambda: dl.run_killable(_simplify_to_zero, (ds,), 10), 5)
    print(f"symbolic step of cosh(x)**2 - sinh(x)**2 - 1: in-process {1e3 * t_sym:.0f} ms, "
          f"killable child {1e3 * t_symk:.0f} ms")

    # (3) the reproducers
    C = "(log(1 + 1/10**20) - 1/10**20 + 1/(2*10**40))"
    poly = "+".join(f"x**{i}" for i in range(31))
    cases = [
        (f"x >= 0 >= {C}*x", {"x": "1:2"}, {}, None),
        (f"x >= 0 >= {C}*exp(x)", {"x": "0:1"}, {}, None),
        ("2 >= -sqrt(x) <= (1/10**20 - 1/(2*10**40) - log(1 + 1/10**20))*exp(x)",
         {"x": "0:1"}, {}, None),
        (f"{C}*({poly}) <= 0", {"x": "1:2"}, {}, None),
        ("-sqrt(x) <= x*(1 + x)*(7 - x)**2", {"x": "0:10"}, {}, None),
        ("log(x) <= log(x)", {"x": "-2:-1"}, {}, None),
        ("exp(log(x)) >= x", {"x": "-2:-1"}, {}, None),
        ("sqrt(x)**2 >= 0", {"x": "-1:1"}, {}, None),
        ("g(n/2) <= 1", {}, {"n": "2:10"}, None),
        ("(-8)**(1/3) <= x", {"x": "0:1"}, {}, None),
        ("1 + x/10**60 == 1", {"x": "1:2"}, {}, None),
        ("(x - 1/3)**2 > 0", {"x": "0:1"}, {}, None),
        ("exp(x - 1/3) > x + 2/3", {"x": "0:1"}, {}, None),
        ("log(1 + 1/10**10)*x <= x/10**10 - x/(2*10**20)", {"x": "0:1"}, {}, 30),
        ("g(10**18) <= 1", {}, {}, None),
        ("g(n) <= 3/n", {}, {"n": "1:10**18"}, None),
        ("gamma(10**6) <= x", {"x": "0:1"}, {}, 1),
        ("exp(exp(10**5)) >= x", {"x": "0:1"}, {}, 10),
        ("exp(" * 25 + "x" + ")" * 25 + " >= x", {"x": "0:1"}, {}, 10),
        ("log(x) <= x", {"x": "1:1e400"}, {}, None),
        ("log(x) <= x", {"x": "1e-400:1"}, {}, None),
        ("x <= x + 1", {"x": "0:1"}, {}, "1e400"),
    ]
    from rmc_symbolic.errors import InputError

    print(f"{'claim':62s} {'status':10s} {'time':>7s}")
    for claim, v, i, timeout in cases:
        t = time.perf_counter()
        try:
            status = str(verify(claim, vars=v, ints=i, timeout=timeout).status)
        except InputError as e:
            status = "refused"
            msg = str(e)
        else:
            msg = ""
        dt = time.perf_counter() - t
        short = claim if len(claim) <= 60 else claim[:57] + "..."
        tail = f"  ({msg[:70]})" if msg else ""
        lim = f" [--timeout {timeout}]" if timeout else ""
        print(f"{short:62s} {status:10s} {dt:6.2f}s{lim}{tail}")


if __name__ == "__main__":
    main()
