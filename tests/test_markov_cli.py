"""``rmc exact``: output shape, agreement with the library, and bad input (one line on
stderr, exit code 2, no traceback)."""

from __future__ import annotations

import json
from decimal import Decimal, localcontext
from fractions import Fraction

import pytest

from rmc_symbolic.cli import main
from rmc_symbolic.markov import absorption_exact


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def rows_of(out: str) -> list[dict]:
    obj = json.loads(out)
    assert set(obj) >= {"command", "params", "rows"}
    return obj["rows"]


def test_exact_json_is_the_exact_chain(capsys):
    code, out, _ = run(capsys, "exact", "bernoulli", "--n", "9", "--i0", "2", "--k", "1,4,30",
                       "--json")
    assert code == 0
    obj = json.loads(out)
    assert obj["command"] == "exact bernoulli" and obj["params"]["p0"] == "2/9"
    ex = absorption_exact(9, 2, [1, 4, 30])
    for idx, row in enumerate(obj["rows"]):
        assert set(row) == {"k", "p_zero", "p_full", "p_alive", "p_zero_decimal",
                            "p_full_decimal", "p_alive_decimal"}
        for name in ("p_zero", "p_full", "p_alive"):
            assert Fraction(row[name]) == ex[name][idx]
            assert abs(Decimal(row[f"{name}_decimal"]) - Decimal(ex[name][idx].numerator)
                       / Decimal(ex[name][idx].denominator)) < Decimal("1e-14")


def test_p0_form_and_eventual_row(capsys):
    code, out, _ = run(capsys, "exact", "bernoulli", "--n", "10", "--p0", "0.3", "--k", "2",
                       "--eventual", "--het", "--json")
    assert code == 0
    rows = rows_of(out)
    assert rows[-1]["k"] == "inf"
    assert (rows[-1]["p_zero"], rows[-1]["p_full"], rows[-1]["p_alive"]) == ("7/10", "3/10",
                                                                            "0")
    assert Fraction(rows[0]["het"]) == Fraction(3, 10) * Fraction(7, 10) * Fraction(9, 10)**2


def test_certified_strings_hold_only_certified_digits(capsys):
    code, out, _ = run(capsys, "exact", "bernoulli", "--n", "10", "--i0", "1", "--k",
                       "1,1000", "--mode", "certified", "--digits", "30", "--json")
    assert code == 0
    ex = absorption_exact(10, 1, [1, 1000])
    for idx, row in enumerate(rows_of(out)):
        assert {f"{q}_radius" for q in ("p_zero", "p_full", "p_alive")} <= set(row)
        for name in ("p_zero", "p_full", "p_alive"):
            s = row[name]
            digits = len(s.split("e")[0].replace(".", "").replace("-", "").lstrip("0"))
            assert digits >= 30
            val = Decimal(s)
            exponent = val.adjusted() - (digits - 1)  # the last printed digit
            with localcontext() as dc:
                dc.prec = 80
                exact = Decimal(ex[name][idx].numerator) / Decimal(ex[name][idx].denominator)
                assert abs(val - exact) <= Decimal(10) ** exponent  # within 1 in the last
            assert Decimal(row[f"{name}_radius"]) >= 0


def test_float_mode_and_its_notes(capsys):
    code, out, _ = run(capsys, "exact", "bernoulli", "--n", "400", "--i0", "1", "--k", "1",
                       "--mode", "float", "--json")
    assert code == 0
    obj = json.loads(out)
    assert float(obj["rows"][0]["p_full"]) == 0.0
    assert any("underflow" in n for n in obj["notes"])


def test_poisson_command(capsys):
    code, out, _ = run(capsys, "exact", "poisson", "--count", "2", "--k", "1,3,10",
                       "--digits", "12", "--json")
    assert code == 0
    for row in rows_of(out):
        assert row["agrees"] == "yes"
        assert float(row["truncation_bound"]) <= 1e-12
        assert abs(float(row["p_zero"]) - float(row["theorem2"])) < 1e-11


def test_check_command(capsys):
    code, out, _ = run(capsys, "exact", "check", "--n-max", "5", "--k-max", "6", "--json")
    assert code == 0
    rows = rows_of(out)
    # theorem1 and theorem1_ext compare exact rationals with Arb enclosures of exp and g_k:
    # rigorous (PROVED); the rational sides of the other three are compared exactly (EXACT)
    status = {r["result"]: r["status"] for r in rows}
    assert status == {"theorem1": "PROVED", "theorem1_ext": "PROVED", "seddik": "EXACT",
                      "absorption": "EXACT", "wf_heterozygosity": "EXACT"}
    for r in rows:
        assert (r["status"] == "EXACT") == (int(r["by_enclosure"]) == 0)
    assert {r["result"] for r in rows} == {"theorem1", "theorem1_ext", "seddik", "absorption",
                                            "wf_heterozygosity"}


def test_text_output(capsys):
    code, out, _ = run(capsys, "exact", "bernoulli", "--n", "3", "--i0", "1", "--k", "1:2")
    assert code == 0
    assert out.startswith("# rmc exact bernoulli") and "8/27" in out


@pytest.mark.parametrize("argv", [
    ["exact", "bernoulli", "--n", "5", "--i0", "6", "--k", "1"],        # i0 > n
    ["exact", "bernoulli", "--n", "0", "--i0", "0", "--k", "1"],        # n < 1
    ["exact", "bernoulli", "--n", "5", "--i0", "1", "--k", "0"],        # K < 1
    ["exact", "bernoulli", "--n", "5", "--i0", "1", "--k", "1", "--mode", "fast"],
    ["exact", "bernoulli", "--n", "5", "--p0", "0.3", "--k", "1"],      # n p0 not integer
    ["exact", "bernoulli", "--n", "5", "--i0", "1", "--k", "1", "--digits", "0"],
    ["exact", "bernoulli", "--n", "200", "--i0", "1", "--k", "1:5000"],  # too big for exact
    ["exact", "bernoulli", "--n", "5", "--i0", "1", "--k", "1", "--mode", "float",
     "--eventual"],
    ["exact", "poisson", "--count", "-1", "--k", "1"],
    ["exact", "poisson", "--count", "3", "--k", "1", "--max-states", "99999"],
    ["exact", "check", "--result", "lemma1"],
])
def test_bad_input_is_one_line_and_exit_2(capsys, argv):
    try:
        code = main(argv)
    except SystemExit as e:  # argparse errors
        code = e.code
    out, err = capsys.readouterr()
    assert code == 2
    assert err.count("\n") == 1 and "error" in err and "Traceback" not in err
    assert out == ""


def test_exact_refusal_points_to_certified_mode(capsys):
    code, _, err = run(capsys, "exact", "bernoulli", "--n", "200", "--i0", "1", "--k",
                       "1:5000")
    assert code == 2 and "--mode certified" in err
