"""Cost estimates against the work they estimate (issue 9 §2: every command estimates its
cost up front and refuses what does not fit in --max-seconds).

For each kind of estimate — row pilots, the cost models of single operations (g_k
iteration, the exact Gaussian tail, the optimised bound, Zipf pmfs and pmf sums, reading
files, the exact-chain checks, the Galton-Watson truncation, joint ML) and the Monte Carlo
model — prints the estimate, the measured time and their ratio (estimate / actual). The
estimates are meant to be within a factor ~2-3. Run on an idle machine:
``python benchmarks/bench_limits.py [--quick]``.
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
import tempfile
import time
from fractions import Fraction

from rmc_symbolic import limits


def _timed(fn):
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def _line(name, est, act):
    print(f"{name:<62} estimate {est:9.3g} s  actual {act:9.3g} s  ratio {est / act:5.2f}",
          flush=True)


def _command(argv: list[str], kind: str):
    """Run ``rmc ARGV`` in-process under a large limit; return (estimate of ``kind``,
    seconds of the command's work and printing)."""
    from rmc_symbolic.cli import build_parser
    from rmc_symbolic.output import emit

    args = build_parser().parse_args(argv)
    limits.ESTIMATES.clear()
    with limits.deadline(36000):
        t = time.perf_counter()
        table = args.func(args)
        if table is not None:
            emit(table, False, io.StringIO())
        act = time.perf_counter() - t
    est = [s for what, s in limits.ESTIMATES if kind in what]
    if not est:
        raise RuntimeError(f"no estimate of {kind!r} in {limits.ESTIMATES}")
    return est[-1], act


def bench_rows(quick: bool) -> None:
    cases = [
        ["gk", "--k", "1:20000"],
        ["bernoulli", "--n", "10", "--p0", "0.1", "--k", "1:3000"],
        ["poisson", "--n", "10", "--lambda0", "1", "--k", "1000000:1002000"],
        ["gaussian", "--n", "10", "--sigma0", "1", "--eps", "0.1", "--k", "1:400",
         "--no-exact"],
        ["gaussian", "--n", "10", "--sigma0", "1", "--eps", "0.1", "--k", "1:300:10"],
        ["discrete", "--zipf", "1,2.7,1000", "--n", "1000", "--k", "1:30"],
        ["forget", "--n", "1000", "--count", "1:60"],
        ["collapse-time", "poisson", "--n", "1:200", "--lambda0", "1", "--delta", "0.5"],
    ]
    if quick:
        cases = cases[:2]
    for argv in cases:
        est, act = _command(argv, "rows" if argv[0] not in ("forget", "collapse-time")
                            else ("counts" if argv[0] == "forget" else "values of n"))
        _line("rows: rmc " + " ".join(argv)[:56], est, act)


def bench_models(quick: bool) -> None:
    from rmc_symbolic import gaussian_exact as ge
    from rmc_symbolic import iterated_map as im

    # g_k by iteration (a fresh precision, so nothing is cached)
    for k, dps in ((200_000, 150), (50_000, 1000)):
        prec = im._bits_for(dps, k) + 64
        est = im.iteration_seconds(k - 1, prec)
        act = _timed(lambda: im.gk_arb_values([k], prec))  # noqa: B023
        _line(f"g_k iteration: k = {k} at {prec} bits", est, act)
    # the exact Gaussian tail and the optimised bound
    ge.tail_probability(10, 1, Fraction(1, 10), 5, 15)  # compile
    for n, k, dps in ((10, 100, 15), (10, 100, 30), (1000, 1000, 60), (10, 10, 120)):
        if quick and dps > 30:
            continue
        est = ge.tail_seconds(n, k, dps)
        act = _timed(lambda: ge.tail_probability(n, 1, Fraction(1, 10), k, dps))  # noqa: B023
        _line(f"gaussian exact: n = {n}, k = {k}, {dps} digits", est, act)
    for dps in (240, 480, 960):
        if quick and dps > 240:
            continue
        est = ge.optimal_markov_seconds(10, 10, dps)
        act = _timed(lambda: ge.optimal_markov(10, 1, Fraction(1, 10), 10, dps))  # noqa: B023
        _line(f"optimized_bound: {dps} digits", est, act)
    # the Zipf pmf and its sums
    for m in ((20_000,) if quick else (20_000, 200_000)):
        est, act = _command(["discrete", "--zipf", f"1,0,{m}", "--n", "1000", "--k", "5"],
                            "Zipf")
        _line(f"discrete --zipf 1,0,{m} (pmf and one row)", est, act)


def bench_files(quick: bool) -> None:
    from rmc_symbolic import corpus, textfile

    with tempfile.TemporaryDirectory() as d:
        lines = 200_000 if quick else 2_000_000
        pmf = os.path.join(d, "pmf.txt")
        with open(pmf, "w") as fh:
            fh.write(f"{Fraction(1, lines)}\n" * lines)
        size = os.path.getsize(pmf)
        est = textfile.read_seconds(size, "pmf", textfile._lines_per_byte(pmf))
        _line(f"reading a pmf of {lines} lines ({size / 1e6:.3g} MB)", est,
              _timed(lambda: corpus.read_pmf(pmf)))
        counts = os.path.join(d, "counts.txt")
        with open(counts, "w") as fh:
            fh.write("".join(f"{i % 997 + 1}\n" for i in range(lines)))
        size = os.path.getsize(counts)
        est = textfile.read_seconds(size, "counts", textfile._lines_per_byte(counts))
        _line(f"reading counts of {lines} lines ({size / 1e6:.3g} MB)", est,
              _timed(lambda: corpus.read_counts(counts)))
    text = os.path.join(os.path.dirname(__file__), "..", "..", "shared", "data",
                        "wikitext2_train_sample.txt")
    if os.path.exists(text):
        size = os.path.getsize(text)
        est = textfile.read_seconds(size, "corpus", textfile._lines_per_byte(text))
        _line(f"reading the Wikitext-2 sample ({size / 1e6:.3g} MB)", est,
              _timed(lambda: corpus.read_corpus(text)))


def bench_chains(quick: bool) -> None:
    from rmc_symbolic import galton_watson as gw
    from rmc_symbolic.markov import check_chain, check_chain_seconds
    from rmc_symbolic.mixture_ml import joint_ml, joint_ml_seconds

    for rid, n_max, k_max in (("theorem1", 20, 100), ("seddik", 25, 200)):
        if quick and n_max > 20:
            continue
        est = check_chain_seconds(rid, n_max, k_max)
        act = _timed(lambda: check_chain(rid, n_max, k_max))  # noqa: B023
        _line(f"exact check {rid}: n <= {n_max}, k <= {k_max}", est, act)
    for count, k, digits in ((10, 200, 15), (10, 50, 300)):
        prec = int(digits * 3.3219) + 32 + (k + 1).bit_length() + 12
        with contextlib.redirect_stdout(io.StringIO()):
            act = _timed(lambda: gw.gw_extinction(count, list(range(1, k + 1)),  # noqa: B023
                                                  digits, max_seconds=1e6))  # noqa: B023
        r = gw.gw_extinction(count, list(range(1, k + 1)), digits, max_seconds=1e6)
        est = sum(gw.gw_cost(m, k, prec) for m in r.tried)
        _line(f"exact poisson --count {count} --k 1:{k} --digits {digits}", est, act)
    import random

    rng = random.Random(1)
    ys = [Fraction(rng.randint(-3000, 3000), 1000) for _ in range(2000)]
    joint_ml(ys[:10], dps=20)  # compile
    for n_s, dps in ((500, 20), (2000, 20), (500, 105)):
        est = joint_ml_seconds(n_s, dps)
        act = _timed(lambda: joint_ml(ys[:n_s], dps=dps))  # noqa: B023
        _line(f"gmm fit: joint ML of {n_s} samples at {dps} digits", est, act)


def bench_mc(quick: bool) -> None:
    from rmc_symbolic import simulate as sim

    cases = [
        ("bernoulli", {"n": 10, "p0": Fraction(1, 10)}, list(range(1, 51)), 2_000_000),
        ("bernoulli", {"n": 1000, "p0": Fraction(1, 2)}, list(range(1, 201)), 100_000),
        ("bernoulli", {"n": 100, "p0": Fraction(1, 100)}, list(range(1, 10001, 100)),
         500_000),
        ("poisson", {"n": 10, "lambda0": 1}, list(range(1, 1001)), 200_000),
        ("poisson", {"n": 1, "lambda0": 1}, [10**6], 20_000),
        ("gaussian", {"n": 10, "sigma0": 1, "eps": Fraction(1, 10)}, list(range(1, 201)),
         200_000),
        ("gmm", {"n": 10, "mu0": 1, "sigma0": 1, "eps": Fraction(1, 10)}, [50], 50_000),
        ("gmm", {"n": 10, "mu0": 1, "sigma0": 1, "eps": Fraction(1, 10),
                 "estimator": "joint"}, [20], 10_000),
        ("discrete", {"n": 1000, "pmf": [Fraction(1, 100)] * 100}, list(range(1, 51)), 2000),
        ("discrete", {"n": 10_000, "pmf": [Fraction(1, 5000)] * 5000}, [1, 10, 100], 200),
    ]
    if quick:
        cases = [(m, p, ks, max(2, T // 20)) for m, p, ks, T in cases[:4]]
    for model, params, ks, T in cases:
        est, _ = sim.mc_cost(model, params, ks, T)
        sim.mc_columns(model, params, ks[:1], 2, seed=1)  # warm up (compiling, imports)
        act = _timed(lambda: sim.mc_columns(model, params, ks, T, seed=1))  # noqa: B023
        _line(f"mc {model} n={params.get('n')} T={T} K={max(ks)} ({len(ks)} k)"
              f"{' ' + params['estimator'] if 'estimator' in params else ''}", est, act)


def main() -> None:
    quick = "--quick" in sys.argv
    print(f"# {time.strftime('%Y-%m-%d %H:%M')}, {os.cpu_count()} cores, load "
          f"{os.getloadavg()[0]:.2f}", flush=True)
    bench_rows(quick)
    bench_models(quick)
    bench_files(quick)
    bench_chains(quick)
    bench_mc(quick)


if __name__ == "__main__":
    main()
