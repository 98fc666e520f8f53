"""``rmc forget`` and the corpus inputs it shares with ``rmc discrete``.

The generation numbers are checked against an exact Wright–Fisher chain computed here with
integer arithmetic (independent of rmc_symbolic.markov), and the searches against plain
linear scans of the registry expressions.
"""

from __future__ import annotations

import json
import types
from fractions import Fraction
from math import comb

import pytest

from rmc_symbolic import get
from rmc_symbolic.cli import main
from rmc_symbolic.cli.forget import argmin_quasiconvex, first_k, forget_row
from rmc_symbolic.corpus import read_corpus, word_counts
from rmc_symbolic.errors import InputError
from rmc_symbolic.evaluate import evaluate


def wf_p_zero(n: int, i0: int, ks: list[int]) -> list[Fraction]:
    """Exact Pr(X_k = 0) of the Wright–Fisher chain from X_0 = i0 (integer arithmetic)."""
    rows = [[comb(n, j) * i**j * (n - i) ** (n - j) for j in range(n + 1)] for i in range(n + 1)]
    den = n**n
    v = [Fraction(int(j == i0)) for j in range(n + 1)]
    out, want = [], set(ks)
    for k in range(1, max(ks) + 1):
        v = [sum(v[i] * rows[i][j] for i in range(n + 1)) / den for j in range(n + 1)]
        if k in want:
            out.append((k, v[0]))
    d = dict(out)
    return [d[k] for k in ks]


#: a stand-in for rmc_symbolic.markov with the contract's signature, computed independently
STUB_MARKOV = types.SimpleNamespace(
    absorption_exact=lambda n, i0, ks: {"p_zero": wf_p_zero(n, i0, list(ks))})


@pytest.mark.parametrize("n,c,delta", [(12, 1, Fraction(1, 2)), (12, 3, Fraction(1, 2)),
                                       (20, 1, Fraction(1, 10)), (20, 5, Fraction(1, 2)),
                                       (15, 1, Fraction(9, 10))])
def test_exact_answer_lies_between_theorem1_generations(n, c, delta):
    row = forget_row(n, c, delta, markov=STUB_MARKOV)
    k = row["k_exact"]
    pz = wf_p_zero(n, c, [k - 1, k] if k > 1 else [k])
    assert pz[-1] >= 1 - delta
    if k > 1:
        assert pz[0] < 1 - delta  # the first such generation
    assert row["k_min"] <= k
    if row["k_max"] is not None:
        assert k <= row["k_max"]
    assert row["k_poisson"] == row["k_min"]  # theorem2's formula is theorem1's lower bound
    assert float(row["pr_exact"]) == pytest.approx(float(pz[-1]), rel=1e-12)


def test_never_forgotten_when_p0_at_least_delta():
    row = forget_row(10, 5, Fraction(1, 2), markov=STUB_MARKOV)
    assert row["k_max"] == "never" and row["k_exact"] == "never"
    # Pr(X_k = 0) stays below 1 - p0 = 1/2 (absorption): check a long way out
    assert wf_p_zero(10, 5, [60])[0] < Fraction(1, 2)


@pytest.mark.parametrize("n,c", [(1000, 2), (400, 3), (10**6, 30)])
def test_searches_agree_with_linear_scans(n, c):
    delta = Fraction(1, 2)
    t1 = get("theorem1")
    row = forget_row(n, c, delta)
    pt = {"n": n, "p0": Fraction(c, n)}
    lower = [evaluate(t1.parts["lower"], {**pt, "k": k}, 20) for k in range(1, 130)]
    upper = [evaluate(t1.parts["upper"], {**pt, "k": k}, 20) for k in range(1, 130)]
    # a scan without a crossing must have passed the minimum of the (quasi-convex) upper
    # bound, after which it cannot cross any more
    scan_min = next(k for k, v in enumerate(lower, 1) if v <= 0.5)
    scan_max = next((k for k, v in enumerate(upper, 1) if v <= 0.5), None)
    assert scan_max is not None or upper[-1] >= upper[-2]
    assert row["k_min"] == scan_min
    assert row["k_max"] == scan_max


def test_search_helpers():
    assert first_k(lambda k: k * k >= 50) == 8
    assert first_k(lambda k: k >= 1) == 1
    assert first_k(lambda k: False, 1, 100) is None
    assert first_k(lambda k: k >= 77, 5, 1000) == 77
    f = [9, 7, 4, 4, 5, 8, 8, 8]
    assert argmin_quasiconvex(lambda k: f[min(k, len(f)) - 1], 1, len(f)) == 3


def test_forget_with_the_real_exact_chain_module_when_present():
    from rmc_symbolic.cli.forget import _exact_module

    markov = _exact_module()  # rmc_symbolic.markov, else rmc_symbolic.wright_fisher
    if markov is None:
        pytest.skip("no exact-chain module in this tree")
    row = forget_row(16, 2, Fraction(1, 2), markov=markov)
    ref = forget_row(16, 2, Fraction(1, 2), markov=STUB_MARKOV)
    assert row["k_exact"] == ref["k_exact"]


def test_forget_bad_count():
    with pytest.raises(InputError, match="count = 11"):
        forget_row(10, 11, Fraction(1, 2))


# ----------------------------------------------------------------- command line and corpora

TEXT = "The cat saw the dog. THE END; the dog's cat? Über über naïve 42 42 42\n"


def test_tokenizer_known_counts(tmp_path):
    counts = word_counts(TEXT)
    assert counts == {"the": 4, "cat": 2, "saw": 1, "dog": 2, "end": 1, "s": 1, "über": 2,
                      "naïve": 1, "42": 3}
    f = tmp_path / "c.txt"
    f.write_text(TEXT, encoding="utf-8")
    assert read_corpus(f) == counts


def test_cli_forget_on_a_corpus(tmp_path, capsys):
    f = tmp_path / "c.txt"
    f.write_text(TEXT, encoding="utf-8")  # n = 17 tokens
    assert main(["forget", "--corpus", str(f), "--count", "1:3", "--delta", "0.5",
                 "--json"]) == 0
    obj = json.loads(capsys.readouterr().out)
    assert obj["params"]["n"] == 17
    rows = {r["count"]: r for r in obj["rows"]}
    assert rows[1]["words"] == 4 and rows[2]["words"] == 3 and rows[3]["words"] == 1
    assert rows[1]["p0"] == "1/17"
    for r in obj["rows"]:
        assert int(r["k_min"]) <= int(r["k_max"]) if r["k_max"] not in (None, "never") \
            else True


def test_cli_forget_with_n(capsys):
    assert main(["forget", "--n", "1000", "--count", "1,2", "--json",
                 "--exact-max-n", "0"]) == 0
    obj = json.loads(capsys.readouterr().out)
    assert [r["k_min"] for r in obj["rows"]] == [2, 5]
    assert "k_exact" not in obj["rows"][0]


def _bad_files(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    punct = tmp_path / "punct.txt"
    punct.write_text("... ,,, !!!\n")
    binary = tmp_path / "bin.dat"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    latin = tmp_path / "latin1.txt"
    latin.write_bytes("caf\xe9 au lait".encode("latin-1"))
    return {
        "empty": (empty, "has no words"),
        "punct": (punct, "has no words"),
        "binary": (binary, "is binary"),
        "latin1": (latin, "is not UTF-8"),
        "missing": (tmp_path / "nope.txt", "does not exist"),
        "directory": (tmp_path, "is a directory"),
    }


@pytest.mark.parametrize("kind", ["empty", "punct", "binary", "latin1", "missing",
                                  "directory"])
@pytest.mark.parametrize("command", ["forget", "discrete"])
def test_bad_corpus_is_one_line_exit_2(kind, command, tmp_path, capsys):
    path, fragment = _bad_files(tmp_path)[kind]
    argv = [command, "--corpus", str(path)]
    argv += ["--count", "1"] if command == "forget" else ["--k", "1", "--mc", "5"]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and fragment in err, err


@pytest.mark.parametrize("argv,fragment", [
    (["--n", "10", "--count", "11"], "count = 11"),
    (["--n", "10", "--count", "0"], "count"),
    (["--n", "10", "--count", "1", "--delta", "1"], "delta = 1"),
    (["--n", "10", "--count", "1", "--delta", "0"], "delta = 0"),
])
def test_cli_forget_bad_input(argv, fragment, capsys):
    try:
        code = main(["forget", *argv])
    except SystemExit as e:
        code = e.code
    assert code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and fragment in err, err
