"""Benchmark of rmc's exact / certified Wright–Fisher absorption probabilities (issue 3).

Measures, in one run, rmc (rmc_symbolic.markov) against baselines computing the same
Pr(X_k = 0 | X_0 = i0), k = 1..K, exactly:

* a pure-Python ``fractions.Fraction`` loop (v <- v T),
* SymPy matrices (``v * M`` per generation, and ``M**K`` for the last k alone),
* Storm's exact engine through stormpy (``P=? [F<=k "zero"]`` for each k, and for k = K
  alone), if importable (optional: ``pip install stormpy``),

and the certified / float modes at sizes beyond exact reach. Every baseline has a time
limit (``--timeout``, default 60 s); a row that hits it says so. Each exact baseline's values
are compared with rmc's. Prints a table with wall-clock and CPU seconds, the target and the
machine (CPU, cores, load average before and after — the project's machines are shared).

    python benchmarks/bench_markov.py            # everything (~5 min)
    python benchmarks/bench_markov.py --quick    # small sizes only
"""

from __future__ import annotations

import argparse
import math
import os
import platform
import sys
import time
from fractions import Fraction

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

from rmc_symbolic import wright_fisher as wf  # noqa: E402
from rmc_symbolic.markov import (  # noqa: E402
    absorption_certified,
    absorption_exact,
    absorption_float,
)

I0 = 1


class Timeout(Exception):
    pass


def timed(fn, *args, **kw):
    w0, c0 = time.perf_counter(), time.process_time()
    out = fn(*args, **kw)
    return out, time.perf_counter() - w0, time.process_time() - c0


# --------------------------------------------------------------------------- baselines


def fraction_loop(n: int, K: int, limit: float) -> list[Fraction]:
    T = [[Fraction(math.comb(n, j) * i**j * (n - i) ** (n - j), n**n) for j in range(n + 1)]
         for i in range(n + 1)]
    v = [Fraction(int(j == I0)) for j in range(n + 1)]
    out, t0 = [], time.perf_counter()
    for _ in range(K):
        v = [sum(v[i] * T[i][j] for i in range(n + 1)) for j in range(n + 1)]
        out.append(v[0])
        if time.perf_counter() - t0 > limit:
            raise Timeout(len(out))
    return out


def sympy_iterate(n: int, K: int, limit: float) -> list[Fraction]:
    import sympy as sp

    M = sp.Matrix(n + 1, n + 1, lambda i, j: sp.Rational(
        math.comb(n, j) * i**j * (n - i) ** (n - j), n**n))
    v = sp.zeros(1, n + 1)
    v[0, I0] = 1
    out, t0 = [], time.perf_counter()
    for _ in range(K):
        v = v * M
        out.append(Fraction(int(v[0, 0].p), int(v[0, 0].q)))
        if time.perf_counter() - t0 > limit:
            raise Timeout(len(out))
    return out


def sympy_power(n: int, K: int, limit: float) -> Fraction:
    import signal

    import sympy as sp

    M = sp.Matrix(n + 1, n + 1, lambda i, j: sp.Rational(
        math.comb(n, j) * i**j * (n - i) ** (n - j), n**n))

    def alarm(*_):
        raise Timeout(0)

    old = signal.signal(signal.SIGALRM, alarm)
    signal.alarm(max(1, int(limit)))
    try:
        P = M**K
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)
    return Fraction(int(P[I0, 0].p), int(P[I0, 0].q))


def storm_exact(n: int, K: int, limit: float, last_only: bool = False) -> list[Fraction]:
    import stormpy
    import stormpy.datastructures as d
    import stormpy.models as m

    R = stormpy.Rational
    entries = [(i, j, math.comb(n, j) * i**j * (n - i) ** (n - j))
               for i in range(n + 1) for j in range(n + 1)]
    entries = [e for e in entries if e[2]]
    b = d.SparseMatrixBuilder[R](rows=n + 1, columns=n + 1, entries=len(entries),
                                 force_dimensions=True)
    for i, j, num in entries:
        b.add_next_value(i, j, R(f"{num}/{n**n}"))
    lab = m.StateLabeling(n + 1)
    lab.add_label("zero")
    lab.add_label_to_state("zero", 0)
    dtmc = m.SparseDtmc[R](m.SparseModelComponents[R](transition_matrix=b.build(),
                                                      state_labeling=lab))
    out, t0 = [], time.perf_counter()
    for k in (range(1, K + 1) if not last_only else [K]):
        prop = stormpy.parse_properties(f'P=? [F<={k} "zero"]')[0]
        val = stormpy.model_checking(dtmc, prop).get_value(I0)
        out.append(Fraction(str(val)))
        if time.perf_counter() - t0 > limit and not last_only:
            raise Timeout(len(out))
    return out


def have_stormpy() -> bool:
    try:
        import stormpy  # noqa: F401
    except Exception:  # pragma: no cover - optional
        return False
    return True


# --------------------------------------------------------------------------- runner


def machine() -> str:
    cpu = platform.processor() or "?"
    try:
        with open("/proc/cpuinfo") as fh:
            for line in fh:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    import flint

    return (f"{cpu}; {os.cpu_count()} cores; Python {platform.python_version()}; "
            f"python-flint {flint.__version__}; {platform.system()} {platform.release()}")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="small sizes only")
    ap.add_argument("--timeout", type=float, default=60.0,
                    help="time limit per baseline run (seconds)")
    args = ap.parse_args(argv)
    rows = []
    load0 = os.getloadavg()

    def row(case, method, fn, target=None, check=None, *a, **kw):
        wf._SPECTRA.clear()  # every rmc exact row pays its own set-up
        try:
            out, wall, cpu = timed(fn, *a, **kw)
            note = ""
            if check is not None:
                note = "agrees with rmc" if check(out) else "DISAGREES with rmc"
        except Timeout as e:
            out, wall, cpu = None, float("nan"), float("nan")
            note = f"did not finish in {args.timeout:g} s (reached k = {e.args[0]})"
        ok = "" if target is None or out is None else ("yes" if wall < target else "no")
        rows.append((case, method, wall, cpu, "" if target is None else f"< {target:g} s",
                     ok, note))
        print(f"  {case:<22} {method:<34} {wall:9.3f} {cpu:9.3f}  {note}", flush=True)
        return out

    sizes = [(20, 200), (50, 200)] + ([] if args.quick else [(100, 1000)])
    targets = {(20, 200): 0.05, (50, 200): 0.5, (100, 1000): 60.0}
    for n, K in sizes:
        ks = list(range(1, K + 1))
        case = f"exact ({n}, {K})"
        ref = row(case, "rmc exact (spectral, cold)", lambda n=n, ks=ks: absorption_exact(
            n, I0, ks)["p_zero"], targets[(n, K)])

        def same(xs, ref=ref):
            return list(xs) == ref[: len(xs)]

        if (n, K) != (100, 1000):
            row(case, "rmc exact (integer iteration)", lambda n=n, ks=ks: absorption_exact(
                n, I0, ks, route="iterate", max_seconds=1e9)["p_zero"], None, same)
            row(case, "pure-Python Fraction loop", fraction_loop, None, same, n, K,
                args.timeout)
            row(case, "SymPy v*M per generation", sympy_iterate, None, same, n, K,
                args.timeout)
            row(case, "SymPy M**K (last k only)", sympy_power, None,
                lambda x, ref=ref: x == ref[-1], n, K, args.timeout)
            if have_stormpy():
                row(case, "Storm exact (stormpy), each k", storm_exact, None, same, n, K,
                    args.timeout)
                row(case, "Storm exact (stormpy), k = K only", storm_exact, None,
                    lambda x, ref=ref: x == ref[-1:], n, K, args.timeout, True)
    if not args.quick:
        row("certified (100, 1000)", "rmc certified, 50 digits",
            lambda: absorption_certified(100, I0, range(1, 1001), 50), 2.0)
        row("certified (1000, 1000)", "rmc certified, 30 digits",
            lambda: absorption_certified(1000, I0, range(1, 1001), 30), 60.0)
        row("float (1000, 1000)", "rmc float64 (numpy)",
            lambda: absorption_float(1000, I0, range(1, 1001)))
    load1 = os.getloadavg()
    print()
    print(f"machine: {machine()}")
    print(f"date: {time.strftime('%Y-%m-%d')}; load average before {load0[0]:.2f}, "
          f"after {load1[0]:.2f} (1 min)")
    print(f"i0 = {I0}; quantity Pr(X_k = 0 | X_0 = i0) for k = 1..K (rmc: with Pr(X_k = n) "
          "and the transient mass)")
    print()
    head = ("case", "method", "wall s", "cpu s", "target", "met", "note")
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    for case, method, wall, cpu, target, ok, note in rows:
        w = "-" if math.isnan(wall) else f"{wall:.3f}"
        c = "-" if math.isnan(cpu) else f"{cpu:.3f}"
        print(f"| {case} | {method} | {w} | {c} | {target} | {ok} | {note} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
