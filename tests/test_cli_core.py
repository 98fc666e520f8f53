"""The foundation's commands: JSON shape, values, and one-line errors (exit 2)."""

from __future__ import annotations

import json
from fractions import Fraction

import mpmath
import pytest
from conftest import run_subprocess


def test_json_shape_gk(rmc_json):
    obj = rmc_json("gk", "--k", "1:3", "--dps", "20")
    assert obj["command"] == "gk"
    assert set(obj) >= {"command", "params", "rows"}
    assert [r["k"] for r in obj["rows"]] == [1, 2, 3]
    row = obj["rows"][1]
    assert set(row) == {"k", "g_k", "lemma2_lower", "lemma2_upper", "sharp_lower",
                        "sharp_upper"}
    # 20 significant digits of 1 - 1/e, as a decimal string
    with mpmath.workdps(30):
        assert row["g_k"] == mpmath.nstr(1 - mpmath.exp(-1), 20, strip_zeros=False)
    assert len(row["g_k"].replace("0.", "", 1)) == 20


def test_bernoulli_rows(rmc_json):
    obj = rmc_json("bernoulli", "--n", "100", "--p0", "0.01", "--k", "1,10")
    assert obj["params"] == {"n": 100, "p0": "1/100"}
    cols = {"k", "theorem1_lower", "theorem1_upper", "ext_lower", "ext_upper",
            "seddik_lower", "seddik_upper"}
    assert set(obj["rows"][0]) == cols
    r10 = obj["rows"][1]
    assert r10["theorem1_lower"].startswith("0.15823518840731")
    assert float(r10["theorem1_lower"]) <= float(r10["theorem1_upper"])


def test_poisson_rows(rmc_json):
    obj = rmc_json("poisson", "--n", "10", "--lambda0", "1", "--k", "1:3")
    r = obj["rows"][0]
    assert set(r) == {"k", "exact", "lemma2_lower", "lemma2_upper", "sharp_lower",
                      "sharp_upper"}
    with mpmath.workdps(30):
        assert r["exact"] == mpmath.nstr(-mpmath.expm1(-10), 15, strip_zeros=False)
    for r in obj["rows"]:
        assert float(r["lemma2_lower"]) <= float(r["exact"]) <= float(r["lemma2_upper"])


def test_discrete_two_symbols_is_theorem1_twice(rmc_json, tmp_path):
    pmf = tmp_path / "pmf.txt"
    pmf.write_text("0.3\n0.7\n")
    d = rmc_json("discrete", "--pmf", pmf, "--n", "20", "--k", "4", "--dps", "25")["rows"][0]
    a = rmc_json("bernoulli", "--n", "20", "--p0", "0.3", "--k", "4", "--dps", "25")["rows"][0]
    b = rmc_json("bernoulli", "--n", "20", "--p0", "0.7", "--k", "4", "--dps", "25")["rows"][0]
    with mpmath.workdps(40):
        for side in ("lower", "upper"):
            total = mpmath.mpf(a[f"theorem1_{side}"]) + mpmath.mpf(b[f"theorem1_{side}"])
            assert abs(mpmath.mpf(d[f"corollary1_{side}"]) - total) < mpmath.mpf(10) ** -23
    assert d["fraction_lower"].startswith(str(mpmath.mpf(d["corollary1_lower"]) / 2)[:10])


def test_discrete_counts_corpus_and_zipf(rmc_json, tmp_path):
    corpus = tmp_path / "c.txt"
    corpus.write_text("a b a c a b\n")
    counts = tmp_path / "n.txt"
    counts.write_text("3\n2\n1\n")
    c1 = rmc_json("discrete", "--corpus", corpus, "--k", "2")
    c2 = rmc_json("discrete", "--counts", counts, "--k", "2")
    assert c1["params"]["n"] == 6 and c1["params"]["m"] == 3
    assert c1["rows"] == c2["rows"]
    z = rmc_json("discrete", "--zipf", "1,2.7,50", "--n", "50", "--k", "1")
    assert z["params"]["m"] == 50
    assert 0 < float(z["rows"][0]["corollary2"]) < 50


def test_eval_show_latex_report(rmc_json, rmc):
    ev = rmc_json("eval", "theorem1", "n=100", "p0=0.01", "k=10", "--dps", "40")
    parts = {r["part"]: r["value"] for r in ev["rows"]}
    assert parts["c_k"] == "0.6700000000000000000000000000000000000000"
    show = rmc_json("show")
    assert {r["id"] for r in show["rows"]} >= {"theorem1", "lemma2_sharp", "theorem4"}
    one = rmc_json("show", "lemma2")
    assert any(r["kind"] == "statement" for r in one["rows"])
    tex = rmc_json("latex", "theorem2")
    assert tex["rows"][0]["latex"].startswith(r"\Pr(\Lambda_k \neq 0) = ")
    code, out, _ = rmc("latex", "--document")
    assert code == 0 and out.startswith(r"\documentclass")
    rep = rmc_json("report", "--no-verify")
    import rmc_symbolic

    assert [r["id"] for r in rep["rows"]] == rmc_symbolic.ids()
    t1 = next(r for r in rep["rows"] if r["id"] == "theorem1")
    assert "lower=0.158235" in t1["sample_values"]


BAD = [
    (["bernoulli", "--n", "0", "--p0", "0.1", "--k", "1"], "n = 0 is outside"),
    (["bernoulli", "--n", "10", "--p0", "1.5", "--k", "1"], "p0 = 1.5 is outside"),
    (["bernoulli", "--n", "10", "--p0", "-0.1", "--k", "1"], "p0 = -0.1 is outside"),
    (["bernoulli", "--n", "10", "--p0", "0.1", "--k", "0"], "k = 0 is outside"),
    (["bernoulli", "--n", "10", "--p0", "0.1", "--k", "1:x"], "not a number"),
    (["bernoulli", "--n", "10", "--p0", "0.1", "--k", "5:1"], "empty range"),
    (["poisson", "--n", "10", "--lambda0", "0", "--k", "1"], "lambda0 = 0 is outside"),
    (["gk", "--k", "1", "--dps", "0"], "dps = 0 is outside"),
    (["show", "nope"], "unknown result id 'nope'"),
    (["latex", "nope"], "unknown result id 'nope'"),
    (["eval", "theorem1", "n=abc"], "not a number"),
    (["eval", "theorem1", "q=1"], "unknown parameter 'q'"),
    (["eval", "theorem2", "n=10", "lambda0=-1", "k=5"], "lambda0 = -1 is outside the domain"),
    (["eval", "theorem3", "n=1", "sigma0=1", "eps=0.1", "k=1"], "n = 1 is outside the domain"),
    (["eval", "theorem1", "n=10", "p0=0.1", "k=2.5"], "k = 2.5 is not an integer"),
    (["discrete", "--pmf", "/nonexistent/pmf.txt", "--n", "5", "--k", "1"], "does not exist"),
    (["discrete", "--zipf", "1,2.7", "--n", "5", "--k", "1"], "A,B,M"),
    (["discrete", "--zipf", "0,2.7,10", "--n", "5", "--k", "1"], "zipf A = 0 is outside"),
    (["discrete", "--zipf", "1,2.7,10", "--k", "1"], "--n is required"),
    (["bernoulli", "--n", "10", "--p0", "0.15", "--k", "1", "--exact"], "n*p0"),
]


@pytest.mark.parametrize("args,message", BAD, ids=[" ".join(a[:3]) for a, _ in BAD])
def test_bad_input_one_line_exit_2(rmc, args, message):
    code, out, err = rmc(*args)
    assert code == 2
    assert message in err
    assert len(err.strip().splitlines()) == 1
    assert "Traceback" not in err


def test_bad_files(rmc, tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    binary = tmp_path / "bin.txt"
    binary.write_bytes(b"abc\x00def")
    words = tmp_path / "punct.txt"
    words.write_text("... !!! ---\n")
    bad_sum = tmp_path / "pmf.txt"
    bad_sum.write_text("0.5\n0.4\n")
    for args, msg in [
        (["--corpus", empty], "has no words"),
        (["--corpus", binary], "binary"),
        (["--corpus", words], "has no words"),
        (["--corpus", tmp_path], "is a directory"),
        (["--pmf", bad_sum, "--n", "3"], "not 1 within 1e-9"),
        (["--pmf", empty, "--n", "3"], "is empty"),
        (["--counts", bad_sum], "not an integer"),
    ]:
        code, _, err = rmc("discrete", *args, "--k", "1")
        assert code == 2 and msg in err and len(err.strip().splitlines()) == 1, (args, err)


def test_missing_required_argument_is_one_line(rmc):
    code, _, err = rmc("bernoulli", "--n", "10")
    assert code == 2 and len(err.strip().splitlines()) == 1


def test_subprocess_no_traceback_and_help():
    r = run_subprocess("bernoulli", "--n", "10", "--p0", "2", "--k", "1")
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert r.stderr.strip().count("\n") == 0
    h = run_subprocess("--help")
    assert h.returncode == 0 and "bernoulli" in h.stdout and "report" in h.stdout
    h = run_subprocess("gk", "--help")
    assert h.returncode == 0 and "--dps" in h.stdout and "--json" in h.stdout


def test_exact_parameters_reach_the_evaluation(rmc_json):
    # --p0 0.01 is 1/100, not the double 0.01000000000000000020816...
    obj = rmc_json("bernoulli", "--n", "100", "--p0", "0.01", "--k", "10", "--dps", "30")
    from rmc_symbolic import get
    from rmc_symbolic.evaluate import evaluate

    v = evaluate(get("theorem1").parts["upper"], {"n": 100, "p0": Fraction(1, 100), "k": 10}, 30)
    assert obj["rows"][0]["theorem1_upper"] == mpmath.nstr(v, 30, strip_zeros=False)
    obj13 = rmc_json("bernoulli", "--n", "3", "--p0", "1/3", "--k", "1")
    assert obj13["params"]["p0"] == "1/3"


def test_text_table_is_aligned(rmc):
    code, out, _ = rmc("gk", "--k", "1,10,100")
    lines = out.splitlines()
    assert lines[0].startswith("# rmc gk")
    widths = {len(line) for line in lines[1:]}
    assert len(widths) == 1  # every row as wide as the header
    json.dumps(out)


def test_report_status_says_what_and_where():
    from rmc_symbolic.report import status_text, verification_status

    st = verification_status(["lemma2", "theorem1"])
    assert {c["status"] for c in st["lemma2"]} == {"PROVED"}
    t1 = st["theorem1"]
    assert [c["status"] for c in t1] == ["PROVED"]  # exact chain vs Arb enclosures
    # the finite range behind theorem1's EXACT is stated, not hidden
    assert "n <= 30" in status_text(t1) and "k <= 100" in status_text(t1)


def test_report_shows_exact_values_beside_bounds(rmc_json):
    rep = rmc_json("report", "--no-verify")
    t1 = next(r for r in rep["rows"] if r["id"] == "theorem1")
    assert "exact Pr(P_k != 0)=0.161389" in t1["sample_values"]
