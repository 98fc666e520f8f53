"""Time to collapse (rmc_symbolic.collapse_time and ``rmc collapse-time``)."""

from __future__ import annotations

import json
from fractions import Fraction

import mpmath
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rmc_symbolic import get
from rmc_symbolic.collapse_time import (
    bernoulli_times,
    first_k_at_most,
    gaussian_times,
    poisson_times,
)
from rmc_symbolic.evaluate import evaluate
from rmc_symbolic.gaussian_exact import tail_probability


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=10**6), min_size=1, max_size=300),
       st.integers(min_value=0, max_value=10**6), st.integers(min_value=1, max_value=400))
def test_first_k_at_most_against_brute_force(vals, delta, guess):
    vals = sorted(vals, reverse=True)  # non-increasing f on 1..len, then constant

    def f(k):
        return vals[min(k, len(vals)) - 1]

    want = next((k for k in range(1, len(vals) + 1) if f(k) <= delta), None)
    got = first_k_at_most(f, delta, guess=guess, k_max=len(vals) + 5)
    assert got == want


def test_gaussian_times_ordered_and_monotone_in_n():
    prev = None
    for n in (5, 10, 20, 40):
        t = gaussian_times(n, 1, "0.1", "0.5")
        assert t["exact"] <= t["optimized_bound"] <= t["markov_bound"] <= t["gurland_bound"] \
            <= t["theorem3"]
        if prev:
            for c in t:
                assert t[c] > prev[c], (c, n)
        prev = t


def test_gaussian_exact_time_is_the_crossing():
    t = gaussian_times(10, 1, "0.1", "0.25", exact=True)["exact"]
    assert tail_probability(10, 1, "0.1", t, 15).value <= 0.25
    assert tail_probability(10, 1, "0.1", t - 1, 15).value > 0.25


def test_gaussian_bound_times_are_the_crossings():
    n, d = 10, Fraction(1, 2)
    t = gaussian_times(n, 1, "0.1", d, exact=False)
    pt = {"n": n, "sigma0": 1, "eps": "0.1"}
    for col, (rid, part) in {"markov_bound": ("eq3", "markov_bound"),
                             "theorem3": ("theorem3", "upper"),
                             "gurland_bound": ("theorem3", "gurland_bound")}.items():
        e = get(rid).parts[part]
        assert evaluate(e, {**pt, "k": t[col]}, 20) <= 0.5 < evaluate(e, {**pt, "k": t[col] - 1},
                                                                      20)


def test_exact_probability_unimodal_when_eps_above_sigma0():
    """The assumption behind the search: Pr(Sigma_k > eps) rises, then falls (n = 5,
    eps = 1.5 sigma0), checked on k = 1..30."""
    vals = [tail_probability(5, 1, "1.5", k, 6).value for k in range(1, 31)]
    top = vals.index(max(vals))
    assert 0 < top < 29
    assert all(vals[i] <= vals[i + 1] for i in range(top))
    assert all(vals[i] >= vals[i + 1] for i in range(top, 29))
    t = gaussian_times(5, 1, "1.5", "0.05")
    assert t["exact"] > top + 1
    assert tail_probability(5, 1, "1.5", t["exact"], 15).value <= 0.05
    assert tail_probability(5, 1, "1.5", t["exact"] - 1, 15).value > 0.05


def test_poisson_times_ordered_monotone_and_exact():
    prev = None
    for n in (5, 10, 50):
        t = poisson_times(n, 1, "0.5")
        assert t["lemma2_lower"] <= t["sharp_lower"] <= t["exact"] <= t["sharp_upper"] \
            <= t["lemma2_upper"]
        # exact: 1 - exp(-n lambda0 g_k) <= 1/2 first at t, by plain g iteration
        g, k = mpmath.mpf(1), 1
        with mpmath.workdps(40):
            while 1 - mpmath.exp(-n * g) > mpmath.mpf(1) / 2:
                g, k = 1 - mpmath.exp(-g), k + 1
        assert t["exact"] == k
        if prev:
            assert all(t[c] >= prev[c] for c in t)
        prev = t


def test_bernoulli_bound_times():
    t = bernoulli_times(100, "0.01", "0.5", exact=False)
    assert t["theorem1_lower"] <= t["theorem1_upper"]
    pt = {"n": 100, "p0": "0.01"}
    up = get("theorem1").parts["upper"]
    assert evaluate(up, {**pt, "k": t["theorem1_upper"]}, 20) <= 0.5
    # large p0: theorem1's upper bound is 1 (c_k = 0) everywhere: no time from it
    assert bernoulli_times(10, "0.5", "0.5", exact=False)["theorem1_upper"] is None


def test_bernoulli_exact_time():
    markov = pytest.importorskip("rmc_symbolic.markov")
    prev = 0
    for n in (20, 40):
        t = bernoulli_times(n, "0.1", "0.5")
        assert t["theorem1_lower"] <= t["exact"]
        if t["theorem1_upper"] is not None:
            assert t["exact"] <= t["theorem1_upper"]
        alive = [1 - z for z in markov.absorption_exact(n, n // 10, [t["exact"] - 1,
                                                                     t["exact"]])["p_zero"]]
        assert alive[1] <= Fraction(1, 2) < alive[0]
        assert t["exact"] > prev
        prev = t["exact"]


def _run(capsys, argv):
    from rmc_symbolic.cli import main

    code = main(argv)
    out = capsys.readouterr()
    return code, out.out, out.err


def test_cli_collapse_time_json(capsys):
    code, out, _ = _run(capsys, ["collapse-time", "poisson", "--n", "10,20", "--lambda0", "1",
                                 "--delta", "0.5", "--json"])
    assert code == 0
    obj = json.loads(out)
    assert obj["command"] == "collapse-time poisson"
    assert [r["n"] for r in obj["rows"]] == [10, 20]
    assert set(obj["rows"][0]) == {"n", "exact", "lemma2_lower", "sharp_lower", "sharp_upper",
                                   "lemma2_upper"}
    code, out, _ = _run(capsys, ["collapse-time", "gaussian", "--n", "10", "--sigma0", "1",
                                 "--eps", "0.1", "--delta", "0.5", "--json", "--no-exact"])
    assert code == 0 and json.loads(out)["rows"][0]["markov_bound"] == 109


@pytest.mark.parametrize("argv", [
    ["gaussian", "--n", "10", "--sigma0", "1", "--eps", "0.1", "--delta", "1"],
    ["gaussian", "--n", "10", "--sigma0", "1", "--eps", "0.1", "--delta", "0"],
    ["gaussian", "--n", "1", "--sigma0", "1", "--eps", "0.1", "--delta", "0.5"],
    ["gaussian", "--n", "10", "--sigma0", "0", "--eps", "0.1", "--delta", "0.5"],
    ["gaussian", "--n", "10", "--sigma0", "1", "--eps", "-3", "--delta", "0.5"],
    ["poisson", "--n", "10", "--lambda0", "1", "--delta", "1.5"],
    ["bernoulli", "--n", "10", "--p0", "0.1", "--delta", "-0.1"],
])
def test_cli_collapse_time_bad_input(capsys, argv):
    with pytest.raises(SystemExit) as exc:
        _run(capsys, ["collapse-time", *argv])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1


def test_cli_collapse_time_needs_model(capsys):
    code, _, err = _run(capsys, ["collapse-time"])
    assert code == 2 and "gaussian|bernoulli|poisson" in err


def test_peak_below_delta_means_time_one():
    # eps > sigma0: Pr(Sigma_k > eps) rises to ~0.05 (k ~ 13) and falls; with delta = 1/2
    # it is below delta at every k, so the time is 1 for the exact value and every bound
    from rmc_symbolic.collapse_time import gaussian_times

    t = gaussian_times(10, 1, 2, "0.5")
    assert t == {"theorem3": 1, "gurland_bound": 1, "markov_bound": 1,
                 "optimized_bound": 1, "exact": 1}


def test_bernoulli_never_when_p0_at_least_delta():
    from rmc_symbolic.collapse_time import bernoulli_times

    t = bernoulli_times(100, "0.6", "0.5")
    assert t["exact"] is None and t["theorem1_upper"] is None
