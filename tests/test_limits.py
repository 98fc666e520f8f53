"""Deadlines and resource limits (issue 9 §2): every command gives its result or refuses up
front with one line on stderr and exit code 2 — no hang, no traceback.

Every reproducer of the issue is here; each refusal happens before the work, so these
tests are fast. Subprocess runs check what only a real interpreter shows (the SIGALRM
deadline, FIFOs); they carry timeouts.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from fractions import Fraction

import mpmath
import pytest
from conftest import run_subprocess

from rmc_symbolic import limits
from rmc_symbolic.errors import InputError
from rmc_symbolic.parsing import MAX_DIGITS, MAX_KLIST, parse_exact, parse_klist


def _one_line_refusal(result, *words, code=2):
    rc, _out, err = result
    assert rc == code, err
    assert "Traceback" not in err
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert len(lines) == 1, err
    for w in words:
        assert w in err, (w, err)
    return err


# ----------------------------------------------------------------------- the reproducers

MODEL_ARGS = {
    "gk": [],
    "bernoulli": ["--n", "10", "--p0", "0.1"],
    "poisson": ["--n", "10", "--lambda0", "1"],
    "gaussian": ["--n", "10", "--sigma0", "1", "--eps", "0.1"],
    "gmm": ["--n", "10", "--mu0", "1", "--sigma0", "1", "--eps", "0.1"],
    "discrete": ["--zipf", "1,0,10", "--n", "10"],
    "exact bernoulli": ["--n", "10", "--i0", "1"],
    "exact poisson": ["--count", "3"],
}


@pytest.mark.parametrize("cmd", list(MODEL_ARGS))
def test_k_up_to_ten_million_is_refused_at_once(rmc, cmd):
    t = time.perf_counter()
    err = _one_line_refusal(rmc(*cmd.split(), *MODEL_ARGS[cmd], "--k", "1:10**7"),
                            f"more than {MAX_KLIST}", "use a step")
    assert time.perf_counter() - t < 2, err


def test_collapse_time_n_list_of_ten_million_is_refused(rmc):
    _one_line_refusal(rmc("collapse-time", "poisson", "--n", "1:10**7", "--lambda0", "1",
                          "--delta", "0.5"), "more than", "use a step")


@pytest.mark.parametrize("cmd", ["gk", "bernoulli", "poisson", "gmm"])
def test_a_million_rows_are_estimated_and_refused(rmc, cmd):
    err = _one_line_refusal(rmc(*cmd.split(), *MODEL_ARGS[cmd], "--k", "1:10**6",
                                "--max-seconds", "10"),
                            "1000000 rows", "would take", "--max-seconds", "fewer k")
    assert "each)" in err  # the estimate is per row, measured on a few rows


def test_the_row_estimate_lets_a_legitimate_job_run(rmc):
    rc, out, err = rmc("gk", "--k", "1:2000", "--json")
    assert rc == 0, err
    assert out.count('"k":') == 2000


@pytest.mark.parametrize("cmd", ["bernoulli", "poisson", "gaussian", "gmm", "discrete"])
def test_a_billion_trajectories_are_refused(rmc, cmd):
    extra = ["--no-exact"] if cmd == "gaussian" else []
    _one_line_refusal(rmc(cmd, *MODEL_ARGS[cmd], "--k", "10", *extra, "--mc", "10**9"),
                      "Monte Carlo", "--mc")


def test_trajectories_beyond_memory_are_refused_before_numpy_allocates(rmc):
    _one_line_refusal(rmc("discrete", *MODEL_ARGS["discrete"], "--k", "1:3", "--mc",
                          "10**15"), "memory", "fewer trajectories")


def test_absorbing_simulations_reach_huge_k_when_everything_is_absorbed(rmc):
    rc, out, err = rmc("poisson", "--n", "10", "--lambda0", "1", "--k", "10**400", "--mc",
                       "20", "--seed", "1", "--json")
    assert rc == 0, err
    assert '"mc": "0' in out  # all 20 extinct long before


def test_dps_100000_optimized_bound_is_refused(rmc):
    _one_line_refusal(rmc("gaussian", *MODEL_ARGS["gaussian"], "--k", "10", "--dps",
                          "100000", "--no-exact"), "optimized_bound", "--dps")


def test_g_k_iteration_beyond_the_limit_is_refused(rmc):
    _one_line_refusal(rmc("gk", "--k", "10**6", "--dps", "100000"), "g_k for k up to",
                      "steps of iteration", "fewer digits")


def test_eval_eq2_at_a_billion_and_1000_digits_is_refused(rmc):
    _one_line_refusal(rmc("eval", "eq2", "k=10**9", "--dps", "1000"), "g_k", "iteration",
                      "--max-seconds")


def test_gaussian_exact_column_names_no_exact(rmc):
    _one_line_refusal(rmc("gaussian", *MODEL_ARGS["gaussian"], "--k", "1:1000",
                          "--max-seconds", "10"), "--no-exact", "fewer k")
    _one_line_refusal(rmc("gaussian", *MODEL_ARGS["gaussian"], "--k", "10", "--dps",
                          "1000"), "the exact column at 1000 digits", "--no-exact")


def test_p0_with_thirty_million_digits_is_refused_not_rounded_to_zero(rmc):
    _one_line_refusal(rmc("bernoulli", "--n", "10", "--p0", "1e-30000000", "--k", "1"),
                      f"more than {MAX_DIGITS} digits")


def test_collapse_time_bernoulli_at_p0_1e_minus_400_answers(rmc):
    rc, out, err = rmc("collapse-time", "bernoulli", "--n", "10", "--p0", "1e-400",
                       "--delta", "0.5", "--json")
    assert rc == 0, err
    assert '"theorem1_lower": 1' in out and '"theorem1_upper": 1' in out


def test_zipf_with_ten_million_symbols_is_refused(rmc):
    _one_line_refusal(rmc("discrete", "--zipf", "1,0,10**7", "--n", "10", "--k", "1"),
                      "Zipf pmf of 10000000 symbols", "fewer symbols")


def _big_sparse(path, first: bytes, size: int = 200 * 10**6):
    """A file of ``size`` bytes (sparse) starting with ``first`` (what the estimate sees)."""
    with open(path, "wb") as fh:
        fh.write(first)
        fh.truncate(size)
    return path


@pytest.mark.parametrize("option,line,extra", [
    ("--pmf", b"0.00000005\n", ["--n", "10", "--max-seconds", "30"]),
    ("--counts", b"17\n", ["--max-seconds", "30"]),
    ("--corpus", b"the cat sat on the mat\n", ["--max-seconds", "5"]),
])
def test_a_200_MB_file_is_refused_from_its_size(rmc, tmp_path, option, line, extra):
    f = _big_sparse(tmp_path / "big.txt", line * (65536 // len(line)))
    _one_line_refusal(rmc("discrete", option, f, "--k", "1", *extra), "(200 MB)",
                      "would take", "smaller file")


def test_a_200_MB_samples_file_is_refused(rmc, tmp_path):
    f = _big_sparse(tmp_path / "s.txt", b"1.5 -2.25 3\n" * 5000)
    _one_line_refusal(rmc("gmm", "fit", "--samples", f, "--max-seconds", "30"), "(200 MB)",
                      "smaller file")


DEVICES = [d for d in ("/dev/zero", "/dev/urandom") if os.path.exists(d)]


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("argv", [
    ["discrete", "--n", "10", "--k", "1", "--pmf"],
    ["discrete", "--k", "1", "--counts"],
    ["discrete", "--k", "1", "--corpus"],
    ["forget", "--count", "1", "--corpus"],
    ["gmm", "fit", "--samples"],
])
def test_endless_devices_are_refused(rmc, argv, device):
    _one_line_refusal(rmc(*argv, device), "is a device")


@pytest.mark.parametrize("name,words", [
    ("", ["file name is empty"]),
    ("DIR", ["is a directory"]),
    ("MISSING", ["does not exist"]),
    ("LATIN1", ["not UTF-8"]),
    ("NUL", ["NUL bytes"]),
])
@pytest.mark.parametrize("option", ["--pmf", "--counts", "--corpus"])
def test_bad_file_names_and_contents(rmc, tmp_path, option, name, words):
    (tmp_path / "d").mkdir()
    (tmp_path / "latin1.txt").write_bytes("0.5\n0.5\ncaf\xe9\n".encode("latin-1"))
    (tmp_path / "nul.txt").write_bytes(b"0.5\n\x000.5\n")
    path = {"": "", "DIR": str(tmp_path / "d"), "MISSING": str(tmp_path / "nope.txt"),
            "LATIN1": str(tmp_path / "latin1.txt"), "NUL": str(tmp_path / "nul.txt")}[name]
    _one_line_refusal(rmc("discrete", option, path, "--n", "10", "--k", "1"), *words)


def test_samples_with_an_empty_name(rmc):
    _one_line_refusal(rmc("gmm", "fit", "--samples", ""), "file name is empty")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
def test_a_fifo_without_writer_reads_as_empty(rmc, tmp_path):
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    t = time.perf_counter()
    _one_line_refusal(rmc("discrete", "--pmf", fifo, "--n", "10", "--k", "1"), "is empty")
    assert time.perf_counter() - t < 5


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
def test_a_silent_fifo_is_given_up_at_the_time_limit(tmp_path):
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    fd = os.open(fifo, os.O_RDWR | os.O_NONBLOCK)  # a writer that never writes
    try:
        t = time.perf_counter()
        r = run_subprocess("discrete", "--pmf", fifo, "--n", "10", "--k", "1",
                           "--max-seconds", "2", timeout=30)
        elapsed = time.perf_counter() - t
    finally:
        os.close(fd)
    _one_line_refusal((r.returncode, r.stdout, r.stderr), "nothing arrived")
    assert elapsed < 10


def test_a_pipe_is_read(tmp_path):
    r = subprocess.run(
        [sys.executable, "-m", "rmc_symbolic", "discrete", "--pmf", "/dev/stdin", "--n", "10",
         "--k", "1", "--json"], input="0.25\n0.75\n", capture_output=True, text=True,
        timeout=60)
    assert r.returncode == 0, r.stderr
    assert '"m": 2' in r.stdout


# ----------------------------------------------------------------------- the deadline


def test_work_that_outruns_its_estimate_stops_at_the_time_limit(rmc, monkeypatch):
    from rmc_symbolic.cli import gk

    def endless(args):
        with limits.phase("an endless loop"):
            while True:
                sum(range(1000))

    monkeypatch.setattr(gk, "run", endless)
    from rmc_symbolic.cli import build_parser

    parser = build_parser()
    args = parser.parse_args(["gk", "--k", "1", "--max-seconds", "0.5"])
    args.func = endless
    monkeypatch.setattr("rmc_symbolic.cli.build_parser", lambda: _Fixed(parser, args))
    t = time.perf_counter()
    err = _one_line_refusal(rmc("gk", "--k", "1"), "stopped at the time limit of 0.5 s",
                            "an endless loop", "--max-seconds")
    assert time.perf_counter() - t < 3, err


class _Fixed:
    def __init__(self, parser, args):
        self.parser, self.args = parser, args

    def parse_args(self, argv):
        return self.args

    def print_help(self):  # pragma: no cover
        self.parser.print_help()


@pytest.mark.parametrize("exc,words", [(MemoryError, "out of memory"),
                                       (RecursionError, "nesting too deep")])
def test_resource_errors_are_one_line(rmc, monkeypatch, exc, words):
    from rmc_symbolic.cli import build_parser

    parser = build_parser()
    args = parser.parse_args(["gk", "--k", "1"])

    def boom(args):
        with limits.phase("a costly phase"):
            raise exc()

    args.func = boom
    monkeypatch.setattr("rmc_symbolic.cli.build_parser", lambda: _Fixed(parser, args))
    _one_line_refusal(rmc("gk", "--k", "1"), words, "a costly phase")


def test_the_deadline_in_a_real_interpreter():
    # the estimate cannot see this cost (k = 10^400 makes the optimised bound work at 400+
    # digits): the SIGALRM timer stops it at the limit
    t = time.perf_counter()
    r = run_subprocess("gaussian", "--n", "10", "--sigma0", "1", "--eps", "0.1", "--k",
                       "10**400", "--no-exact", "--max-seconds", "1", timeout=60)
    elapsed = time.perf_counter() - t
    if r.returncode == 0:  # a machine fast enough to finish within a second
        return
    _one_line_refusal((r.returncode, r.stdout, r.stderr), "stopped at the time limit of 1 s")
    assert elapsed < 10


def test_refusals_in_a_real_interpreter_have_no_traceback():
    r = run_subprocess("bernoulli", "--n", "10", "--p0", "0.1", "--k", "10", "--mc",
                       "10**9", timeout=60)
    _one_line_refusal((r.returncode, r.stdout, r.stderr), "Monte Carlo")


def test_verify_has_no_max_seconds(rmc):
    rc, _, err = rmc("verify", "--max-seconds", "5", "--claim", "x <= 1", "--var", "x=0:1")
    assert rc == 2 and "unrecognized arguments" in err


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pty")
def test_long_rows_show_progress_on_a_terminal():
    import fcntl
    import pty
    import select
    import struct
    import termios

    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))
    proc = subprocess.Popen([sys.executable, "-m", "rmc_symbolic", "gk", "--k", "1:12000"],
                            stdout=subprocess.DEVNULL, stderr=slave)
    os.close(slave)
    out = b""
    while select.select([master], [], [], 60)[0]:
        try:
            chunk = os.read(master, 4096)
        except OSError:
            break
        if not chunk:
            break
        out += chunk
    proc.wait(timeout=60)
    os.close(master)
    assert proc.returncode == 0
    assert "rmc gk:" in out.decode(errors="replace") and "row" in out.decode(errors="replace")


# ----------------------------------------------------------------------- hostile inputs

HOSTILE = [
    # (argv, a fragment of the one-line error)
    (["gk", "--k", "0"], "outside the allowed range"),
    (["gk", "--k", ","], "not a number"),
    (["gk", "--k", ""], "empty k-list"),
    (["gk", "--k", "1e400", "--dps", "200"], "would take"),
    (["gk", "--k", "nan"], "not a finite number"),
    (["gk", "--k", "5:1"], "empty range"),
    (["gk", "--k", "1", "--dps", "0"], "outside the allowed range"),
    (["gk", "--k", "1", "--dps", "10**400"], "outside the allowed range"),
    (["gk", "--k", "1", "--max-seconds", "0"], "max-seconds"),
    (["gk", "--k", "1", "--max-seconds", "1e400"], "max-seconds"),
    (["gk", "--k", "1", "--max-seconds", "nan"], "not a finite number"),
    (["bernoulli", "--n", "0", "--p0", "0.1", "--k", "1"], "n = 0"),
    (["bernoulli", "--n", "10", "--p0", "inf", "--k", "1"], "not a finite number"),
    (["bernoulli", "--n", "10", "--p0=-1e-400", "--k", "1"], "outside the allowed range"),
    (["bernoulli", "--n", "10", "--p0", "1/0", "--k", "1"], "divides by zero"),
    (["bernoulli", "--n", "10", "--p0", "0.1", "--k", "1", "--mc", "-1"], "mc"),
    (["bernoulli", "--n", "10", "--p0", "0.1", "--k", "1", "--mc", "10**400"], "mc"),
    (["bernoulli", "--n", "10", "--p0", "0.1", "--k", "1", "--seed", "-1"], "seed"),
    (["bernoulli", "--n", "7", "--p0", "0.1", "--k", "1", "--exact"], "integer"),
    (["bernoulli", "--n", "10", "--p0", "0.1", "--k", "10**10", "--exact"], "--exact"),
    (["poisson", "--n", "10", "--lambda0", "0", "--k", "1"], "lambda0 = 0"),
    (["poisson", "--n", "10", "--lambda0=-inf", "--k", "1"], "not a finite number"),
    (["gaussian", "--n", "1", "--sigma0", "1", "--eps", "0.1", "--k", "1"], "n = 1"),
    (["gaussian", "--n", "10**400", "--sigma0", "1", "--eps", "0.1", "--k", "1"],
     "the exact column"),
    (["gaussian", "--n", "10", "--sigma0", "0", "--eps", "0.1", "--k", "1"], "sigma0 = 0"),
    (["gaussian", "--n", "10", "--sigma0", "1", "--eps", "0.1", "--k", "1", "--s", "0"],
     "s = 0"),
    (["discrete", "--zipf", "1,0", "--n", "10", "--k", "1"], "A,B,M"),
    (["discrete", "--zipf", "0,0,10", "--n", "10", "--k", "1"], "zipf A"),
    (["discrete", "--zipf", "1,-1,10", "--n", "10", "--k", "1"], "zipf B"),
    (["discrete", "--zipf", "1,0,10**400", "--n", "10", "--k", "1"], "zipf M"),
    (["discrete", "--zipf", "1,0,10", "--k", "1"], "--n is required"),
    (["exact", "bernoulli", "--n", "10**400", "--i0", "1", "--k", "1"], "certified mode"),
    (["exact", "bernoulli", "--n", "10", "--i0", "11", "--k", "1"], "i0 = 11"),
    (["exact", "bernoulli", "--n", "10", "--i0", "1", "--k", "10**400"], "k = "),
    (["exact", "bernoulli", "--n", "10", "--i0", "1", "--k", "1", "--digits", "0"],
     "digits"),
    (["exact", "bernoulli", "--n", "5001", "--i0", "1", "--k", "1", "--mode", "float"],
     "float"),
    (["exact", "bernoulli", "--n", "2001", "--i0", "1", "--k", "10**9", "--mode",
      "certified"], "certified"),
    (["exact", "poisson", "--count", "3", "--k", "10**400"], "truncated chain"),
    (["exact", "poisson", "--count", "10**400", "--k", "1"], "count"),
    (["exact", "poisson", "--count", "3", "--k", "1:50", "--digits", "1000"],
     "fewer digits"),
    (["exact", "check", "--n-max", "200", "--k-max", "10000"], "--n-max"),
    (["exact", "check", "--n-max", "0"], "n-max"),
    (["gmm", "--n", "10", "--mu0", "-1", "--sigma0", "1", "--eps", "0.1", "--k", "1"],
     "mu0"),
    (["gmm", "--n", "10", "--mu0", "1", "--sigma0", "1", "--eps", "0.1", "--k", "1",
      "--eta", "1"], "eta"),
    (["gmm", "--n", "10", "--mu0", "1", "--sigma0", "1", "--eps", "0.1", "--k", "10**400",
      "--mc", "10"], "Monte Carlo"),
    (["collapse-time", "gaussian", "--n", "10**400", "--sigma0", "1", "--eps", "0.1",
      "--delta", "0.5"], "--no-exact"),
    (["collapse-time", "gaussian", "--n", "10", "--sigma0", "1", "--eps", "0.1",
      "--delta", "1"], "delta"),
    (["collapse-time", "bernoulli", "--n", "10", "--p0", "0", "--delta", "0.5"], "p0"),
    (["collapse-time", "poisson", "--n", "1:10**6", "--lambda0", "1", "--delta", "0.5"],
     "values of n"),
    (["forget", "--n", "10", "--count", "11"], "count = 11"),
    (["forget", "--n", "10**6", "--count", "1:10**6"], "counts"),
    (["forget", "--n", "10", "--count", "1", "--delta", "nan"], "not a finite number"),
    (["eval", "theorem1", "n=10**400000"], "digits"),
    (["eval", "theorem1", "n=nan"], "not a finite number"),
    (["eval", "theorem1", "k=0", "n=1", "p0=0.1"], "k = 0"),
    (["eval", "lemma3", "n=100000", "x=0.5", "s=1"], "finite sum of 100001 terms"),
    (["eval", "lemma4", "--part", "sum_g2"], "infinite series"),
    (["eval", "nosuchid"], "nosuchid"),
    (["eval", "eq15", "x=0"], "cannot be evaluated at this point"),
    (["eval", "wf_heterozygosity", "n=10", "p0=0.1", "k=3", "j=0.5"], "integer limits"),
    (["plot", "bernoulli", "--n", "10", "--p0", "0.1", "--k", "10**400", "--out", "x.png"],
     "cannot be drawn"),
    (["show", "nosuchid"], "nosuchid"),
    (["latex", "nosuchid"], "nosuchid"),
    (["plot", "gk", "--k", "1", "--out", "x.png"], "invalid choice"),
    (["plot", "bernoulli", "--n", "10", "--p0", "0.1", "--k", "1:10**6", "--out",
      "/nonexistent-dir/x.png"], "folder"),
]


@pytest.mark.parametrize("argv,fragment", HOSTILE, ids=[" ".join(a)[:60] for a, _ in HOSTILE])
def test_hostile_inputs_are_one_line_errors(rmc, argv, fragment):
    t = time.perf_counter()
    _one_line_refusal(rmc(*argv), fragment)
    assert time.perf_counter() - t < 10


# ----------------------------------------------------------------------- the pieces


def test_parse_powers_and_digit_caps():
    assert parse_exact("10**7") == 10**7
    assert parse_exact("1/10**20") == Fraction(1, 10**20)
    assert parse_exact("2^-3") == Fraction(1, 8)
    assert parse_exact("1e-400") == Fraction(1, 10**400)
    assert parse_exact(f"1e-{MAX_DIGITS - 1}") == Fraction(1, 10**(MAX_DIGITS - 1))
    for text in ("1e-30000000", "10**200000", "1/10**100001", "1e99999999999999999"):
        with pytest.raises(InputError, match="digits"):
            parse_exact(text, "p0")
    for text in ("nan", "-inf", "Infinity"):
        with pytest.raises(InputError, match="not a finite number"):
            parse_exact(text, "p0")
    with pytest.raises(InputError, match="undefined"):
        parse_exact("0**-1")
    with pytest.raises(InputError, match="use a step"):
        parse_klist("1:10**7")
    assert len(parse_klist("1:10**7:10")) == MAX_KLIST


def test_fraction_to_mpf_rounds_correctly_and_fast():
    import random

    from mpmath.libmp import from_rational

    from rmc_symbolic.evaluate import fraction_to_mpf, ratio_to_mpf

    rng = random.Random(7)
    for _ in range(3000):
        q = Fraction(rng.randint(-10**30, 10**30),
                     rng.randint(1, 10**rng.randint(1, 40)) * rng.choice([1, 2**70, 5**40]))
        for prec in (5, 53, 300):
            with mpmath.workprec(prec):
                assert fraction_to_mpf(q) == mpmath.mpf(from_rational(
                    q.numerator, q.denominator, prec, "n"))
    with mpmath.workdps(20):
        v = fraction_to_mpf(Fraction(1, 10**100000))  # mpf(1)/10**100000 takes 0.15 s
        assert mpmath.nstr(v, 5) == "1.0e-100000"
        assert ratio_to_mpf(6, 4) == mpmath.mpf(1.5)


def test_loglog_interp():
    table = ((10, 1.0), (100, 10.0), (1000, 1000.0))
    assert limits.loglog_interp(table, 10) == pytest.approx(1.0)
    assert limits.loglog_interp(table, 31.6227766) == pytest.approx(3.16227766)
    assert limits.loglog_interp(table, 10000) == pytest.approx(100000.0)  # end power law
    assert limits.loglog_interp(table, 1) == pytest.approx(0.1)


def test_rows_refuses_from_its_samples_and_keeps_them():
    calls = []

    def slow(k):
        calls.append(k)
        time.sleep(0.002)
        return {"k": k}

    with limits.deadline(1.0), pytest.raises(limits.LimitError, match="10000 rows"):
        limits.rows(list(range(10000)), slow, what="rows", cheaper="fewer")
    assert len(calls) <= 6  # refused after the sample rows, before the bulk
    with limits.deadline(5.0):
        out = limits.rows(list(range(50)), slow, what="rows", cheaper="fewer")
    assert [r["k"] for r in out] == list(range(50))


def test_rows_names_the_costliest_planned_phase():
    with limits.deadline(2.0), pytest.raises(limits.LimitError, match="the simulation"):
        limits.rows([1, 2, 3], lambda k: {"k": k}, what="rows", cheaper="fewer",
                    extra=[(100.0, "the simulation", "fewer trajectories")])


def test_require_memory():
    with pytest.raises(limits.LimitError, match="memory"):
        limits.require_memory(10 * limits.available_memory(), "a big array", "less")
    limits.require_memory(1000, "a small array", "less")


def test_no_time_limit_outside_a_deadline():
    assert limits.remaining() == float("inf")
    limits.require(1e9, "anything", "nothing")  # library use: no time limit


def test_deadline_stops_a_busy_loop():
    t = time.perf_counter()
    with pytest.raises(limits.DeadlineExceeded), limits.deadline(0.3):
        while True:
            sum(range(100))
    assert time.perf_counter() - t < 2
    assert limits.remaining() == float("inf")  # the timer is gone


def test_mc_cost_estimates_absorption():
    from rmc_symbolic.simulate import mc_cost

    # Wright-Fisher with n = 10: all 1000 trajectories absorbed after ~100 generations,
    # whether the k-list ends at 10^3 or at 10^12
    a, _ = mc_cost("bernoulli", {"n": 10, "p0": Fraction(1, 2)}, [10**3], 1000)
    b, _ = mc_cost("bernoulli", {"n": 10, "p0": Fraction(1, 2)}, [10**12], 1000)
    assert b < 1.1 * a
    # the critical Poisson chain: the last of T extinctions has a heavy tail (Pr(alive at
    # k) ~ 2/k), so the expected work grows like log K, not like K
    a, _ = mc_cost("poisson", {"n": 10, "lambda0": 1}, [10**5], 1000)
    b, _ = mc_cost("poisson", {"n": 10, "lambda0": 1}, [10**12], 1000)
    assert 1.5 * a < b < 10 * a
    # the Gaussian model has no absorption: every generation is drawn
    g1, _ = mc_cost("gaussian", {"n": 10, "sigma0": 1, "eps": Fraction(1, 10)}, [10], 1000)
    g2, _ = mc_cost("gaussian", {"n": 10, "sigma0": 1, "eps": Fraction(1, 10)}, [1000], 1000)
    assert g2 > 50 * g1


def test_multinomial_unigram_stops_once_every_trajectory_is_fixed():
    from rmc_symbolic.simulate import simulate_unigram

    t = time.perf_counter()
    r = simulate_unigram([Fraction(1, 2)] * 2, 4, [10**12], 50, seed=3)
    assert time.perf_counter() - t < 5
    assert (r["uniq"] == 1).all()  # fixed on one symbol (multinomial keeps n tokens)
