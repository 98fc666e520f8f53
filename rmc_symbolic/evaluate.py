"""Evaluation of registry expressions at any precision, through mpmath.

The SymPy expression is the only source: it is rewritten for accuracy (``exp(x) − 1`` →
``expm1(x)``, ``log(1 + x)`` → ``log1p(x)``), lambdified to mpmath, and evaluated at a
working precision with guard digits. The result is accepted only when a second
evaluation at twice the working precision agrees with it to the requested digits;
otherwise the precision keeps doubling. ``g_k`` inside an expression is computed once per
evaluation by Arb iteration (:mod:`rmc_symbolic.iterated_map`). Sums over a pmf
(``Sum(f(p[i]), (i, 1, m))``) are evaluated over the pmf the caller passes.

>>> import mpmath
>>> from rmc_symbolic import get
>>> from rmc_symbolic.evaluate import evaluate
>>> v = evaluate(get("theorem2").parts["exact"], {"n": 10, "lambda0": 1, "k": 1}, dps=20)
>>> mpmath.nstr(v, 20)
'0.99995460007023751515'
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Mapping, Sequence
from fractions import Fraction

import mpmath
import sympy as sp
from sympy.codegen.rewriting import expm1_opt, log1p_opt, optimize

from .errors import InputError
from .iterated_map import gk, gk_values
from .symbols import PARAMS, p

__all__ = ["evaluate", "evaluate_many", "to_mpf", "PrecisionError"]

#: the largest working precision (decimal digits) the adaptive loop will try
MAX_WORKING_DPS = 20000


class PrecisionError(ArithmeticError):
    """Two evaluations did not agree even at the largest working precision."""


def to_mpf(value) -> mpmath.mpf:
    """An exact parameter (Fraction, int, str, sympy Rational) as an mpf at the current
    precision, rounded once (never through a double)."""
    if isinstance(value, mpmath.mpf):
        return +value
    if isinstance(value, sp.Rational):
        value = Fraction(int(value.p), int(value.q))
    if isinstance(value, str):
        from .parsing import parse_exact

        value = parse_exact(value)
    if isinstance(value, int):
        return mpmath.mpf(value)
    if isinstance(value, Fraction):
        return mpmath.mpf(value.numerator) / value.denominator
    if isinstance(value, float):
        raise TypeError("parameters must be exact (int, Fraction, str), not float")
    return mpmath.mpf(value)


def _symbol_of(name) -> sp.Symbol:
    if isinstance(name, sp.Symbol):
        return name
    try:
        return PARAMS[name]
    except KeyError:
        raise InputError(f"unknown parameter {name!r} (known: {', '.join(PARAMS)})") from None


_MODULES = [{"expm1": mpmath.expm1, "log1p": mpmath.log1p}, "mpmath"]


@functools.lru_cache(maxsize=512)
def _compile(expr: sp.Expr, symbols: tuple[sp.Symbol, ...]):
    """Lambdify ``expr`` (after the accuracy rewrites) as a function of ``symbols``."""
    rewritten = optimize(expr, [expm1_opt, log1p_opt])
    return sp.lambdify(symbols, rewritten, modules=_MODULES)


@functools.lru_cache(maxsize=512)
def _prepare(expr: sp.Expr):
    """Split ``expr`` into a top-level expression in which every ``g_k`` and every pmf sum
    is replaced by a dummy symbol, plus the recipes for those dummies."""
    gks = sorted(expr.atoms(gk), key=sp.default_sort_key)
    gk_dummies = {node: sp.Dummy(f"gk{n_}") for n_, node in enumerate(gks)}
    sums = [s for s in expr.atoms(sp.Sum) if s.has(p)]
    sum_dummies = {}
    sum_recipes = []
    q = sp.Dummy("q")
    for n_, s in enumerate(sums):
        (idx, lo, hi), *rest = s.limits
        if rest:
            raise NotImplementedError("nested pmf sums are not supported")
        summand = s.function.subs(p[idx], q)
        if summand.has(idx):
            raise NotImplementedError("pmf sums may depend on the index only through p[i]")
        d = sp.Dummy(f"sum{n_}")
        sum_dummies[s] = d
        inner_gks = sorted(summand.atoms(gk), key=sp.default_sort_key)
        inner_d = {node: sp.Dummy("gk_in") for node in inner_gks}
        sum_recipes.append((d, summand.xreplace(inner_d), q, inner_d))
    top = expr.xreplace(sum_dummies).xreplace(gk_dummies)
    return top, gk_dummies, sum_recipes


def _gk_value(arg: sp.Expr, env: dict[sp.Symbol, mpmath.mpf]) -> mpmath.mpf:
    kval = sp.lambdify(tuple(env), arg, modules="mpmath")(*env.values()) if arg.free_symbols \
        else mpmath.mpf(int(arg))
    kint = int(kval)
    if kint != kval or kint < 1:
        raise InputError(f"g_k needs an integer k >= 1, got k = {mpmath.nstr(kval, 15)}")
    return gk_values([kint], mpmath.mp.dps)[0]


def _eval_once(expr: sp.Expr, env_exact: Mapping[sp.Symbol, object], pmf) -> mpmath.mpf:
    top, gk_dummies, sum_recipes = _prepare(expr)
    env = {s: to_mpf(v) for s, v in env_exact.items()}
    values = dict(env)
    for node, d in gk_dummies.items():
        values[d] = _gk_value(node.args[0], env)
    for d, summand, q, inner in sum_recipes:
        if pmf is None:
            raise InputError("this expression sums over a pmf: pass pmf=[...]")
        inner_vals = {dd: _gk_value(node.args[0], env) for node, dd in inner.items()}
        syms = tuple(env) + tuple(inner_vals) + (q,)
        f = _compile(summand, syms)
        fixed = list(env.values()) + list(inner_vals.values())
        # equal probabilities (words seen equally often) are evaluated once
        groups = pmf if isinstance(pmf, Mapping) else Counter(pmf)
        values[d] = mpmath.fsum(mult * f(*fixed, to_mpf(pi)) for pi, mult in groups.items())
    syms = tuple(values)
    missing = top.free_symbols - set(syms)
    if missing:
        names = ", ".join(sorted(str(s) for s in missing))
        raise InputError(f"missing parameter(s): {names}")
    return mpmath.mpf(_compile(top, syms)(*values.values()))


def _agree(a, b, dps: int) -> bool:
    if a == b:
        return True
    if not (mpmath.isfinite(a) and mpmath.isfinite(b)):
        return False
    scale = max(abs(a), abs(b))
    return abs(a - b) <= scale * mpmath.mpf(10) ** (-(dps + 2))


def evaluate(
    expr: sp.Expr,
    params: Mapping[str | sp.Symbol, object],
    dps: int = 15,
    pmf: Sequence | None = None,
) -> mpmath.mpf:
    """Evaluate ``expr`` at the exact point ``params`` to ``dps`` correct significant digits.

    ``params`` maps user-facing names (``"n"``, ``"p0"``, ...) or symbols to exact values
    (int, Fraction, decimal/rational strings). ``pmf`` supplies the ``p_i`` of pmf sums:
    a sequence, or a mapping ``{p_i: multiplicity}`` (faster when values repeat).
    Returns an mpmath number at precision ``dps`` (rounded once, from a value that two
    working precisions agreed on).
    """
    if dps < 1:
        raise InputError(f"dps = {dps} is outside the allowed range [1, inf)")
    env = {_symbol_of(k_): v for k_, v in params.items()}
    env = {s: v for s, v in env.items() if expr.has(s)}
    work = dps + 15
    with mpmath.workdps(work):
        prev = _eval_once(expr, env, pmf)
    while True:
        work *= 2
        if work > MAX_WORKING_DPS:
            raise PrecisionError(
                f"no agreement to {dps} digits up to {MAX_WORKING_DPS} working digits"
            )
        with mpmath.workdps(work):
            cur = _eval_once(expr, env, pmf)
        if _agree(prev, cur, dps):
            with mpmath.workdps(dps):
                return +cur
        prev = cur


def evaluate_many(
    exprs: Mapping[str, sp.Expr],
    params: Mapping[str | sp.Symbol, object],
    dps: int = 15,
    pmf: Sequence | None = None,
) -> dict[str, mpmath.mpf]:
    """Evaluate several named expressions at one point."""
    return {name: evaluate(e, params, dps, pmf) for name, e in exprs.items()}
