"""Benchmark of the Monte Carlo (rmc_symbolic.simulate) and the corpus commands.

Prints wall-clock figures, each beside the baseline it is compared with, measured in the
same run:

1. ``rmc bernoulli --n 10000 --p0 0.001 --k 1:50 --mc 5000 --seed 1`` (Fig. 3 setting),
   whole command including start-up, and the same command without ``--mc``;
2. the simulation alone (vectorised over trajectories) against two Python-loop-per-
   trajectory baselines on the same work: the paper notebook's style (each generation draws
   n Bernoulli samples and averages them) and a leaner loop with one scalar binomial draw
   per generation;
3. unigram recursion on the Wikitext-2 sample (10 generations, 5 trajectories; multinomial
   and Poisson sampling);
4. ``rmc discrete --corpus`` and ``rmc forget --corpus`` on the sample.

Usage: ``python benchmarks/bench_simulate.py [--quick] [--corpus FILE]``. ``--quick`` times
the paper-style baseline on 1/10 of the trajectories and scales it (it takes ~30 s in full).
Without the Wikitext-2 sample (``../shared/data`` beside the repository) a Zipf corpus of
the same size is generated.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from fractions import Fraction
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO.parent / "shared" / "data" / "wikitext2_train_sample.txt"

N, P0, KMAX, T = 10_000, Fraction(1, 1000), 50, 5000


def wall(cmd: list[str], repeat: int = 3) -> tuple[float, float]:
    """Median wall time and median CPU time (user + sys) of a command, in seconds. The CPU
    time does not grow with the load of the machine; the wall time does."""
    import resource

    walls, cpus = [], []
    for _ in range(repeat):
        r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        t = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True)
        walls.append(time.perf_counter() - t)
        r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(r1.ru_utime - r0.ru_utime + r1.ru_stime - r0.ru_stime)
    return statistics.median(walls), statistics.median(cpus)


def fmt_cmd(label: str, wc: tuple[float, float]) -> str:
    return f"{label:55s}{wc[0]:7.2f} s wall, {wc[1]:5.2f} s CPU"


def baseline_paper_style(trajectories: int, seed: int = 1) -> np.ndarray:
    """The paper notebook's style: a Python loop over trajectories and generations, each
    generation drawing n Bernoulli samples and taking their mean."""
    rng = np.random.default_rng(seed)
    alive = np.zeros(KMAX, dtype=int)
    p0 = float(P0)
    for _ in range(trajectories):
        p = p0
        for k in range(KMAX):
            p = rng.binomial(1, p, size=N).mean()
            alive[k] += p != 0
    return alive


def baseline_scalar_loop(trajectories: int, seed: int = 1) -> np.ndarray:
    """A leaner Python loop per trajectory: one scalar binomial draw per generation."""
    rng = np.random.default_rng(seed)
    alive = np.zeros(KMAX, dtype=int)
    p0 = float(P0)
    for _ in range(trajectories):
        x = rng.binomial(N, p0)
        for k in range(KMAX):
            alive[k] += x != 0
            if 0 < x < N:
                x = rng.binomial(N, x / N)
    return alive


def best_of(fn, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def zipf_corpus(path: Path, tokens: int = 436_577, vocab: int = 30_000) -> Path:
    from rmc_symbolic.corpus import zipf_mandelbrot

    w = np.array([float(q) for q in zipf_mandelbrot(Fraction(1), Fraction(27, 10), vocab)])
    draws = np.random.default_rng(0).choice(vocab, size=tokens, p=w / w.sum())
    path.write_text(" ".join(f"w{t}" for t in draws) + "\n", encoding="utf-8")
    return path


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true",
                    help="time the paper-style baseline on T/10 trajectories and scale")
    ap.add_argument("--corpus", default=None, help="corpus file (default: the sample)")
    a = ap.parse_args()

    from rmc_symbolic import simulate

    rmc = [sys.executable, "-m", "rmc_symbolic"]
    fig3 = ["bernoulli", "--n", str(N), "--p0", "0.001", "--k", f"1:{KMAX}"]
    print("== Bernoulli, Fig. 3 setting: n = 10^4, p0 = 10^-3, k = 1..50, T = 5000 ==")
    import os

    print(f"(load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores)")
    cmd = wall(rmc + fig3 + ["--mc", str(T), "--seed", "1"])
    print(fmt_cmd("rmc bernoulli ... --mc 5000 --seed 1 (whole command):", cmd))
    print(fmt_cmd("rmc bernoulli ... without --mc (bounds only):", wall(rmc + fig3)))
    print(fmt_cmd("rmc --help (start-up):", wall(rmc + ["--help"])))
    t_cmd = cmd[0]

    ks = list(range(1, KMAX + 1))
    t_vec = best_of(lambda: simulate.simulate_bernoulli(N, P0, ks, T, seed=1))
    t_scalar = best_of(lambda: baseline_scalar_loop(T), repeat=1)
    t_paper = None
    if a.quick:
        t_paper = best_of(lambda: baseline_paper_style(T // 10), repeat=1) * 10
    else:
        t_paper = best_of(lambda: baseline_paper_style(T), repeat=1)
    print(f"simulation, vectorised over trajectories:              {t_vec:7.3f} s")
    print(f"baseline: loop per trajectory, scalar binomial draws:  {t_scalar:7.3f} s"
          f"  ({t_scalar / t_vec:5.1f}x slower)")
    scaled = " (scaled from T/10)" if a.quick else ""
    print(f"baseline: paper notebook style (n draws per generation){scaled}: {t_paper:7.2f} s"
          f"  ({t_paper / t_vec:7.0f}x the simulation, {t_paper / t_cmd:5.1f}x the whole "
          "command)")

    print("\n== Unigram recursion: 10 generations, 5 trajectories ==")
    from rmc_symbolic.corpus import pmf_from_counts, read_corpus

    tmp = tempfile.TemporaryDirectory()
    corpus = Path(a.corpus) if a.corpus else SAMPLE
    if not corpus.exists():
        corpus = zipf_corpus(Path(tmp.name) / "zipf.txt")
        print(f"(the Wikitext-2 sample is absent: a generated Zipf corpus {corpus})")
    t = time.perf_counter()
    counts = read_corpus(corpus)
    t_read = time.perf_counter() - t
    pmf, n = pmf_from_counts(counts)
    print(f"corpus {corpus.name}: {n} tokens, {len(pmf)} types; tokenised in {t_read:.2f} s")
    gens = list(range(1, 11))
    for sampling in ("multinomial", "poisson"):
        t_u = best_of(lambda s=sampling: simulate.simulate_unigram(pmf, n, gens, 5, seed=1,
                                                                   sampling=s))
        print(f"simulate_unigram ({sampling:11s}, from the pmf):        {t_u:7.2f} s")

    print("\n== Corpus commands (whole command, start-up included) ==")
    print(fmt_cmd("rmc discrete --corpus ... --k 1:10 --mc 5 --seed 1:", wall(
        rmc + ["discrete", "--corpus", str(corpus), "--k", "1:10", "--mc", "5", "--seed", "1"],
        repeat=1)))
    print(fmt_cmd("rmc forget --corpus ... --count 1:10:", wall(
        rmc + ["forget", "--corpus", str(corpus), "--count", "1:10"], repeat=1)))
    tmp.cleanup()


if __name__ == "__main__":
    main()
