"""proofs_check.claim_parser: the claim language, read without executing anything."""

from __future__ import annotations

import builtins
from fractions import Fraction

import pytest
import sympy as sp

from proofs_check.claim_parser import parse_claim
from rmc_symbolic.errors import InputError
from rmc_symbolic.iterated_map import gk

HOSTILE = [
    "__import__('os').system('touch /tmp/rmc_claim_pwned')",
    "__import__('os').system('touch /tmp/rmc_claim_pwned') <= 1",
    "().__class__",
    "().__class__.__bases__[0].__subclasses__() <= x",
    "lambda: 1",
    "(lambda: 1)() <= x",
    "x[0]",
    "x[0] <= 1",
    "'a'",
    "'a' <= x",
    "x <= exp.__globals__",
    "x <= open('/etc/passwd')",
    "x <= eval('1')",
    "x <= exec('import os')",
    "x <= [i for i in range(10)]",
    "x <= {1: 2}",
    "x <= (y := 3)",
    "x <= f'{x}'",
    "x <= b'a'",
    "x <= *x",
    "x <= exp(x=1)",
    "x <= exp(*[x])",
    "x <= 1 if x else 2",
    "x < 1 and x > 0",
    "x <= None",
    "x <= True",
    "x <= 1j",
    "x <= ...",
    "x <= x.real",
    "x <= globals()",
    "x <= sympify('x')",
    "x ^ 2 <= 1",
    "x != 1",
    "x in [1]",
    "x is 1",
    "x <= 10**10**10",
    "x <= 1e999999",
    "x <= 0x10",
    "x <= 1\nimport os",
    "",
    "x <=",
    "x << 2 <= 1",
    "x <= 1/0",
    "x <= log(0)",
    "y <= 1",
    "z(x) <= 1",
    "g(x) <= 1",
    "g(0) <= 1",
    "exp <= 1",
    "(x <= 1) <= 2",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_or_malformed_claims_are_rejected(text, monkeypatch, tmp_path):
    calls = []
    real_import = builtins.__import__

    def spy_import(name, *a, **k):
        calls.append(name)
        return real_import(name, *a, **k)

    def no_sympify(*a, **k):  # SymPy's string parsers evaluate code: never used
        raise AssertionError("sympify/parse_expr called on user input")

    monkeypatch.setattr(sp, "sympify", no_sympify)
    monkeypatch.setattr(sp, "parse_expr", no_sympify)
    monkeypatch.setattr(builtins, "__import__", spy_import)
    with pytest.raises(InputError) as e:
        parse_claim(text, real=["x"], ints=["n"])
    monkeypatch.setattr(builtins, "__import__", real_import)
    msg = str(e.value)
    assert "\n" not in msg and msg
    assert "os" not in calls
    import os

    assert not os.path.exists("/tmp/rmc_claim_pwned")


def test_the_language():
    c = parse_claim("exp(-n*x)*(1-n*x**2) <= (1-x)**n", real=["x"], ints=["n"])
    x, n = c.symbols["x"], c.symbols["n"]
    assert x.is_real and n.is_integer
    (lhs, op, rhs), = c.relations
    assert op == "<="
    assert sp.simplify(lhs - sp.exp(-n * x) * (1 - n * x**2)) == 0
    assert rhs == (1 - x) ** n


def test_numbers_are_exact():
    c = parse_claim("x <= 0.1 + 2501/10000 + 1e-25 + 3", real=["x"])
    rhs = c.relations[0][2]
    assert rhs == sp.Rational(1, 10) + sp.Rational(2501, 10000) + sp.Rational(1, 10**25) + 3
    assert Fraction(int(rhs.p), int(rhs.q)) == Fraction("0.1") + Fraction(2501, 10000) + \
        Fraction(1, 10**25) + 3


def test_chained_relations_and_constants():
    c = parse_claim("0 <= sin(x)*pi < E ** 2 == E**2", real=["x"])
    assert [op for _, op, _ in c.relations] == ["<=", "<", "=="]
    assert c.relations[1][0] == c.relations[0][2]
    assert c.relations[1][2] == sp.E**2


def test_functions_and_g():
    c = parse_claim("g(k) + gamma(x) + loggamma(x) + tanh(x) + cosh(x) + sinh(x) + cos(x) "
                    "+ atan(x) + sqrt(x) + log(x) >= -1", real=["x"], ints=["k"])
    lhs = c.relations[0][0]
    assert lhs.has(gk(c.symbols["k"]))
    for f in (sp.gamma, sp.loggamma, sp.tanh, sp.cosh, sp.sinh, sp.cos, sp.atan, sp.log):
        assert lhs.has(f(c.symbols["x"]))
    assert parse_claim("g(1) <= 1").relations[0][0] == 1


def test_reserved_and_duplicate_names():
    for bad in (["pi"], ["g"], ["exp"], ["__x"], ["1x"], ["x-y"]):
        with pytest.raises(InputError):
            parse_claim("1 <= 2", real=bad)
    with pytest.raises(InputError):
        parse_claim("x <= 1", real=["x"], ints=["x"])


def test_specific_messages():
    with pytest.raises(InputError, match="attribute access"):
        parse_claim("().__class__ <= 1")
    with pytest.raises(InputError, match="unknown name 'y'"):
        parse_claim("y <= 1", real=["x"])
    with pytest.raises(InputError, match="needs a relation"):
        parse_claim("x + 1", real=["x"])
    with pytest.raises(InputError, match=r"write x\*\*2"):
        parse_claim("x^2 <= 1", real=["x"])
    with pytest.raises(InputError, match="integer argument"):
        parse_claim("g(x) <= 1", real=["x"])
