"""LaTeX export: generated from the registry and round-tripping through SymPy's parser."""

from __future__ import annotations

import random
import re
import subprocess
import sys

import mpmath
import pytest
import sympy as sp

pytest.importorskip("antlr4")
from sympy.parsing.latex import parse_latex  # noqa: E402

from rmc_symbolic import all_results, get  # noqa: E402
from rmc_symbolic.iterated_map import gk  # noqa: E402
from rmc_symbolic.latex import document, expr_latex, statement_latex  # noqa: E402
from rmc_symbolic.registry import Quantity  # noqa: E402

_G = re.compile(r"^g_\{(.+)\}$")


def _norm(name: str) -> str:
    return name.replace("\\", "").replace("{", "").replace("}", "").replace(" ", "")


def _unparse_names(parsed: sp.Expr, original: sp.Expr) -> sp.Expr:
    """Map the parser's symbols back to the registry's: by their LaTeX, ``e`` to E, ``i``
    to the imaginary unit (where the original has it), ``g_{X}`` to ``gk(X)``, an indexed
    ``p_{i}`` back to ``p[i]``, and the parser's undefined Gamma/max/min to SymPy's."""
    by_latex = {_norm(sp.latex(s)): s for s in original.atoms(sp.Symbol)}
    for ix in original.atoms(sp.Indexed):
        by_latex[_norm(expr_latex(ix))] = ix
    by_latex.setdefault("pi", sp.pi)
    if original.has(sp.I):
        by_latex.setdefault("i", sp.I)
    repl = {}
    for s in parsed.atoms(sp.Symbol):
        name = _norm(s.name)
        if name == "e":
            repl[s] = sp.E
        elif name in by_latex:
            repl[s] = by_latex[name]
        elif _G.match(s.name):
            inner = parse_latex(_G.match(s.name).group(1))
            repl[s] = gk(inner.xreplace({a: by_latex.get(_norm(a.name), a)
                                         for a in inner.atoms(sp.Symbol)}))
    out = parsed.xreplace(repl)
    named = {"max": sp.Max, "min": sp.Min, "Gamma": sp.gamma}
    out = out.replace(lambda e: isinstance(e, sp.core.function.AppliedUndef)
                      and e.func.__name__ in named,
                      lambda e: named[e.func.__name__](*e.args))
    # the parser writes log(x) as log(x, E)
    return out.replace(lambda e: isinstance(e, sp.log) and len(e.args) == 2 and e.args[1] == sp.E,
                       lambda e: sp.log(e.args[0]))


def _random_point(expr: sp.Expr, rng: random.Random) -> dict:
    pt = {}
    labels = {ix.base.label for ix in expr.atoms(sp.Indexed)}
    for s in expr.free_symbols:
        if isinstance(s, sp.Indexed) or s in labels:
            continue
        if s.is_integer:
            pt[s] = sp.Integer(rng.randint(2, 6))
        else:
            pt[s] = sp.Rational(rng.randint(1, 999), 1000)
    return pt


def _numeric(expr: sp.Expr, pt: dict, rng: random.Random):
    e = expr.xreplace(pt).doit()
    atoms = sorted(e.atoms(sp.Indexed), key=sp.default_sort_key)
    idx = {ix: sp.Rational(rng.randint(1, 999), 1000) for ix in atoms}
    return sp.N(e.xreplace(idx), 30)


def _branches(expr: sp.Expr) -> list[sp.Expr]:
    """Piecewise formulas round-trip branch by branch (SymPy's LaTeX parser has no cases
    environment); everything else as a whole."""
    pw = list(expr.atoms(sp.Piecewise))
    if not pw:
        return [expr]
    out = []
    for p in pw:
        for e, c in p.args:
            out.append(e)
            if c not in (sp.true, sp.false):
                out.append(c.lhs - c.rhs)
    return out


CASES = [
    (r.id, name, piece)
    for r in all_results()
    for name, e in r.parts.items()
    if not isinstance(e, Quantity)
    for piece in _branches(e)
]


@pytest.mark.parametrize("rid,name,expr", CASES, ids=[f"{a}.{b}" for a, b, _ in CASES])
def test_latex_round_trip(rid, name, expr):
    text = expr_latex(expr)
    parsed = _unparse_names(parse_latex(text), expr)
    if sp.srepr(parsed) == sp.srepr(expr):
        return
    if parsed.has(sp.oo) or expr.has(sp.oo):
        assert parsed == expr, (text, parsed)
        return
    rng = random.Random(hash((rid, name)) & 0xFFFF)
    for _ in range(3):
        pt = _random_point(expr, rng)
        state = rng.getstate()
        a = _numeric(expr, pt, rng)
        rng.setstate(state)
        b = _numeric(parsed, pt, rng)
        assert abs(complex(a) - complex(b)) <= 1e-20 * max(1.0, abs(complex(a))), (
            rid, name, text, parsed, pt, a, b)


def test_statement_of_two_sided_bound():
    assert statement_latex(get("lemma2")) == r"\frac{1}{k} \le g_{k} \le \frac{3}{k}"
    assert r"\Pr(P_k \neq 0)" in statement_latex(get("theorem1"))


def test_product_with_parenthesis_gets_explicit_dot():
    x = sp.Symbol("x")
    assert expr_latex(x * (1 - sp.exp(-x))) == r"x \cdot \left(1 - e^{- x}\right)"


def test_document_lists_every_result_with_provenance():
    doc = document(all_results())
    assert doc.startswith(r"\documentclass")
    assert doc.rstrip().endswith(r"\end{document}")
    for r in all_results():
        assert rf"\texttt{{{r.id.replace('_', chr(92) + '_')}}} [{r.provenance}]" in doc


def test_document_compiles_when_pdflatex_exists(tmp_path):
    import shutil

    if not shutil.which("pdflatex"):
        pytest.skip("pdflatex is not installed")
    (tmp_path / "r.tex").write_text(document(all_results()))
    out = subprocess.run(["pdflatex", "-interaction=nonstopmode", "r.tex"], cwd=tmp_path,
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stdout[-2000:]


def test_cli_latex(capsys):
    from rmc_symbolic.cli import main

    assert main(["latex", "lemma2"]) == 0
    assert r"\frac{1}{k} \le g_{k} \le \frac{3}{k}" in capsys.readouterr().out
    assert main(["latex", "nope"]) == 2
    err = capsys.readouterr().err
    assert "unknown result id 'nope'" in err and len(err.strip().splitlines()) == 1


def test_mpmath_unused_guard():
    # the module imports mpmath only to keep the dependency explicit in this test file
    assert mpmath.mp.dps >= 15
    assert sys.version_info >= (3, 10)
