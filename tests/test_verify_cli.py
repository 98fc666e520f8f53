"""``rmc verify``: exit codes (0 ok, 1 a claim FAILED, 2 bad input), JSON, hostile claims."""

from __future__ import annotations

import json
import os

import pytest

from rmc_symbolic.cli import main


def run(capsys, *argv):
    code = main(["verify", *argv])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_proved_claim_exit_0(capsys):
    code, out, err = run(capsys, "--claim", "2*x/(2+x) <= log(1+x)", "--var", "x=0:1000")
    assert code == 0
    assert "PROVED" in out and "x in [0, 1000]" in out
    for col in ("id", "statement", "method", "domain", "status", "time"):
        assert col in out.splitlines()[1]


def test_failed_claim_exit_1_and_json(capsys):
    code, out, err = run(capsys, "--claim", "x*(1-x) <= 0.249999", "--var", "x=0:1",
                         "--json")
    assert code == 1
    obj = json.loads(out)
    assert obj["status"] == "FAILED"
    assert set(obj) >= {"status", "method", "domain", "counterexample", "margin"}
    assert isinstance(obj["counterexample"], dict)
    assert all(isinstance(v, str) for v in obj["counterexample"].values())
    assert float(obj["margin"]) < 0
    assert obj["rows"][0]["status"] == "FAILED"


def test_proved_json_has_null_counterexample(capsys):
    code, out, _ = run(capsys, "--claim", "exp(x) >= 1 + x", "--var", "x=-1:1", "--json")
    obj = json.loads(out)
    assert code == 0 and obj["status"] == "PROVED" and obj["counterexample"] is None


def test_several_vars_and_ints(capsys):
    code, out, _ = run(capsys, "--claim", "x*y <= n", "--var", "x=-0.5:1", "--var",
                       "y=0:2", "--int", "n=2:5")
    assert code == 0 and "PROVED" in out


@pytest.mark.parametrize("argv", [
    ["--claim", "__import__('os').system('touch /tmp/rmc_cli_pwned')", "--var", "x=0:1"],
    ["--claim", "().__class__", "--var", "x=0:1"],
    ["--claim", "lambda: 1", "--var", "x=0:1"],
    ["--claim", "x[0] <= 1", "--var", "x=0:1"],
    ["--claim", "'a'", "--var", "x=0:1"],
    ["--claim", "x <= 1", "--var", "x=1:0"],  # inverted
    ["--claim", "x <= 1", "--var", "x=0"],  # malformed range
    ["--claim", "x <= 1", "--var", "x=0:1", "--var", "x=0:2"],  # twice
    ["--claim", "x <= y", "--var", "x=0:1"],  # unknown name
    ["--claim", "x <=", "--var", "x=0:1"],  # malformed
    ["--claim", "n <= 1", "--int", "n=0.5:2"],  # non-integer range
    ["--claim", "log(x) <= 1", "--var", "x=0:1"],  # undefined at 0
    ["--claim", "x <= 1", "--var", "x=0:1", "--timeout", "0"],
    ["--var", "x=0:1"],  # --var without --claim
    ["lemma2", "--claim", "x <= 1", "--var", "x=0:1"],
    ["no_such_result"],
])
def test_bad_input_exit_2(capsys, argv):
    code = None
    try:
        code = main(["verify", *argv])
    except SystemExit as e:  # argparse errors
        code = e.code
    err = capsys.readouterr().err
    assert code == 2
    assert err.strip() and len(err.strip().splitlines()) == 1
    assert not os.path.exists("/tmp/rmc_cli_pwned")


def test_registered_claims_by_result_id(capsys):
    code, out, _ = run(capsys, "lemma2")
    assert code == 0
    rows = [ln for ln in out.splitlines() if ln.startswith("lemma2.")]
    assert len(rows) == 2 and all("PROVED" in ln for ln in rows)
