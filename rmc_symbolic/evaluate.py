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
from sympy.codegen.cfunctions import expm1, log1p

from .errors import InputError
from .iterated_map import gk, gk_values
from .symbols import NAMES, PARAMS, p

__all__ = ["evaluate", "evaluate_many", "to_mpf", "fraction_to_mpf", "ratio_to_mpf",
           "accurate_form", "PrecisionError"]

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
        return fraction_to_mpf(Fraction(value))
    if isinstance(value, Fraction):
        return fraction_to_mpf(value)
    if isinstance(value, float):
        raise TypeError("parameters must be exact (int, Fraction, str), not float")
    return mpmath.mpf(value)


def fraction_to_mpf(q: Fraction) -> mpmath.mpf:
    """``q`` correctly rounded to the current mpmath precision, in time linear in its size.

    (``mpf(num) / den`` first normalises the big integers, which is quadratic in their
    trailing zero bits: 0.15 s for ``1/10^100000``, minutes for the exact chain's
    ``n^(n k)`` denominators.) The quotient is formed with two guard bits and a sticky bit,
    so the final rounding is correct."""
    return ratio_to_mpf(q.numerator, q.denominator)


def ratio_to_mpf(num: int, den: int) -> mpmath.mpf:
    """``num/den`` (integers, ``den > 0``, not necessarily in lowest terms) as
    :func:`fraction_to_mpf` rounds it."""
    num, den = int(num), int(den)
    if num == 0:
        return mpmath.mpf(0)
    prec = mpmath.mp.prec
    a = abs(num)
    shift = prec + 3 + den.bit_length() - a.bit_length()
    if shift >= 0:
        m, r = divmod(a << shift, den)
    else:
        m, r = divmod(a, den << -shift)
    m = (m << 1) | (1 if r else 0)  # sticky bit: the rounding sees that q is inexact
    v = mpmath.mpf((m, -shift - 1))
    return -v if num < 0 else v


def _symbol_of(name) -> sp.Symbol:
    if isinstance(name, sp.Symbol):
        return name
    try:
        return PARAMS[name]
    except KeyError:
        raise InputError(f"unknown parameter {name!r} (known: {', '.join(PARAMS)})") from None


def _expm1(x):
    """``e^x − 1`` without cancellation: ``exp`` at |log2 x| extra bits (cheaper than
    ``mpmath.expm1``, which sums a series accurately)."""
    if not x:
        return mpmath.mpf(0) * x
    extra = max(0, -int(mpmath.mag(x))) + 10
    with mpmath.workprec(mpmath.mp.prec + extra):
        y = mpmath.exp(x) - 1
    return +y


_MODULES = [{"expm1": _expm1, "log1p": mpmath.log1p}, "mpmath"]


@functools.lru_cache(maxsize=512)
def _compile(expr: sp.Expr, symbols: tuple[sp.Symbol, ...]):
    """Lambdify ``expr`` (after the accuracy rewrites) as a function of ``symbols``."""
    return sp.lambdify(symbols, accurate_form(expr), modules=_MODULES)


def accurate_form(expr: sp.Expr) -> sp.Expr:
    """Rewrite for accuracy, in one linear pass: ``±(exp(a) − 1)`` inside a sum becomes
    ``±expm1(a)`` and ``log(1 + a)`` becomes ``log1p(a)`` (no factoring, so large
    expressions stay cheap).

    >>> import sympy as sp
    >>> x = sp.Symbol("x")
    >>> accurate_form(1 - sp.exp(-x))
    -expm1(-x)
    >>> accurate_form(sp.log(1 + x) + 2)
    log1p(x) + 2
    """

    def rw(e):
        if not e.args:
            return e
        args = [rw(a) for a in e.args]
        if isinstance(e, sp.Add):
            one = [a for a in args if a in (sp.S.One, sp.S.NegativeOne)]
            if one:
                c = one[0]
                for i, a in enumerate(args):
                    # c + (-c) * exp(y)  ->  -c * expm1(y)
                    if isinstance(a, sp.exp) and c == -1:
                        rest = [b for j, b in enumerate(args) if j != i]
                        rest.remove(c)
                        return sp.Add(expm1(a.args[0]), *rest)
                    if (isinstance(a, sp.Mul) and len(a.args) == 2 and a.args[0] == -c
                            and isinstance(a.args[1], sp.exp)):
                        rest = [b for j, b in enumerate(args) if j != i]
                        rest.remove(c)
                        return sp.Add(-c * expm1(a.args[1].args[0]), *rest)
            return sp.Add(*args)
        if isinstance(e, sp.log) and isinstance(args[0], sp.Add) and sp.S.One in args[0].args:
            return log1p(args[0] - 1)
        return e.func(*args)

    return rw(expr)


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
    if arg in env:
        kval = env[arg]
    elif arg.free_symbols:
        kval = _compile(arg, tuple(env))(*env.values())
    else:
        kval = mpmath.mpf(int(arg))
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


def _exact(value):
    """Parameters as exact Fractions where they are exact (strings are parsed exactly)."""
    if isinstance(value, str):
        from .parsing import parse_exact

        return parse_exact(value)
    if isinstance(value, bool):
        raise TypeError("parameters must be numbers")
    if isinstance(value, int):
        return Fraction(value)
    if isinstance(value, sp.Rational):
        return Fraction(int(value.p), int(value.q))
    return value


def _expand_finite(expr: sp.Expr, env: Mapping[sp.Symbol, object]) -> sp.Expr:
    """Expand finite sums and products (other than pmf sums) once their integer bounds are
    known: ``Sum(f(j), (j, 0, n))`` at n = 3 becomes ``f(0) + ... + f(3)``."""
    finite = _finite_atoms(expr)
    if not finite:
        return expr
    ints = {s: sp.Integer(int(v)) for s, v in env.items()
            if isinstance(v, Fraction) and v.denominator == 1}

    def expand(a):
        a = a.xreplace(ints)
        (var, lo, hi), *rest = a.limits
        if rest or not (lo.is_Integer and hi.is_Integer):
            return a  # left symbolic; evaluation will report what is missing
        if hi - lo > 100_000:
            raise InputError(f"a finite {type(a).__name__} of {hi - lo + 1} terms is too long")
        from .limits import require

        terms = int(hi - lo + 1)  # SymPy builds and compiles every term (measured cost)
        secs = 2e-4 * terms if isinstance(a, sp.Product) else 2.1e-4 * terms**1.3
        require(secs, f"a finite {type(a).__name__.lower()} of {terms} terms",
                "use a smaller upper limit (e.g. a smaller n)")
        terms = [a.function.xreplace({var: sp.Integer(v)}) for v in range(int(lo), int(hi) + 1)]
        return sp.Add(*terms) if isinstance(a, sp.Sum) else sp.Mul(*terms)

    return expr.xreplace({a: expand(a) for a in finite})


@functools.lru_cache(maxsize=1024)
def _symbols_of(expr: sp.Expr) -> frozenset:
    return frozenset(expr.atoms(sp.Symbol))


@functools.lru_cache(maxsize=1024)
def _finite_atoms(expr: sp.Expr) -> tuple:
    return tuple(a for a in expr.atoms(sp.Sum, sp.Product) if not a.has(p))


@functools.lru_cache(maxsize=1024)
def _needed(expr: sp.Expr, with_pmf: bool) -> frozenset:
    """The parameters ``expr`` needs (a pmf supplies the range of its pmf sums)."""
    free = {s for s in expr.free_symbols if not isinstance(s, sp.Indexed)}
    free -= {ix.base.label for ix in expr.atoms(sp.Indexed)}
    for sm in expr.atoms(sp.Sum):
        if sm.has(p) and with_pmf:
            free -= sm.limits[0][2].free_symbols  # the pmf's length is the sum's range
    return frozenset(free)


@functools.lru_cache(maxsize=512)
def _arb_program(expr: sp.Expr, symbols: tuple):
    """``(top, sums)``: Arb enclosures of ``expr`` with each pmf sum replaced by a symbol,
    and of each pmf sum's summand as a function of (symbols..., q); None if unsupported."""
    from .arb_eval import arb_lambdify

    q = sp.Dummy("q")
    sums = [sm for sm in expr.atoms(sp.Sum) if sm.has(p)]
    dummies = {sm: sp.Dummy("S") for sm in sums}
    try:
        top = arb_lambdify(expr.xreplace(dummies), symbols + tuple(dummies.values()))
        recipes = []
        for sm in sums:
            (idx, _lo, _hi), = sm.limits
            summand = sm.function.subs(p[idx], q)
            if summand.has(idx):
                return None
            recipes.append(arb_lambdify(summand, symbols + (q,)))
    except NotImplementedError:
        return None
    return top, recipes


def _arb_of(value):
    from flint import arb, fmpz

    from .arb_eval import arb_from_fraction

    if isinstance(value, mpmath.mpf):
        man, exp = mpmath.mpf(value).man_exp
        return arb(fmpz(int(man))) * arb(2) ** int(exp)
    return arb_from_fraction(value)


def _eval_arb(expr, env, pmf, dps: int):
    """The certified path of :func:`evaluate`, or ``None`` when it cannot settle."""
    from .iterated_map import ABEL_MIN_K, _with_prec, arb_mid_to_mpf

    ks = [node.args[0] for node in expr.atoms(gk)]
    for karg in ks:  # g_k by iteration is slow for huge k: leave those to the Abel jump
        kval = karg.xreplace({s: sp.Rational(v.numerator, v.denominator)
                              for s, v in env.items() if isinstance(v, Fraction)})
        if not kval.is_Integer or kval >= ABEL_MIN_K:
            return None
    symbols = tuple(env)
    prog = _arb_program(expr, symbols)
    if prog is None:
        return None
    top, recipes = prog
    prec = int((dps + 3) * 3.33) + 32
    for _ in range(4):
        with _with_prec(prec):
            args = [_arb_of(v) for v in env.values()]
            sums = []
            if recipes:
                groups = pmf if isinstance(pmf, Mapping) else Counter(pmf)
                balls = [(_arb_of(q), mult) for q, mult in groups.items()]
            for f in recipes:
                total = None
                for qb, mult in balls:
                    term = f(*args, qb) * mult
                    total = term if total is None else total + term
                sums.append(total)
            ball = top(*args, *sums)
            if ball.is_finite():
                mid, rad = ball.mid(), ball.rad()
                if rad == 0 or rad <= abs(mid) * (mid.__class__(10) ** (-(dps + 2))):
                    v = arb_mid_to_mpf(ball)
                    with mpmath.workdps(dps):
                        return +v
        prec *= 2
    return None


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
    certified: bool = True,
) -> mpmath.mpf:
    """Evaluate ``expr`` at the exact point ``params`` to ``dps`` correct significant digits.

    ``params`` maps user-facing names (``"n"``, ``"p0"``, ...) or symbols to exact values
    (int, Fraction, decimal/rational strings). ``pmf`` supplies the ``p_i`` of pmf sums:
    a sequence, or a mapping ``{p_i: multiplicity}`` (faster when values repeat).

    First, an Arb ball enclosure of the exact value (python-flint, via
    :func:`rmc_symbolic.arb_eval.arb_lambdify`) at rising precision: when its radius is
    below ``10^-(dps+2)`` of its midpoint, the midpoint is returned and every digit is
    certified. Where Arb cannot settle it (an unsupported function, a value that is exactly
    0 behind cancellation, g_k for k >= 2^17, or ``certified=False``), mpmath evaluations
    at two working precisions must agree. Returns an mpmath number at precision ``dps``.
    """
    if dps < 1:
        raise InputError(f"dps = {dps} is outside the allowed range [1, inf)")
    if any(lim.has(sp.oo, -sp.oo, sp.zoo) for a in expr.atoms(sp.Sum, sp.Product)
           for lim in a.limits[0][1:]):
        raise InputError("an infinite series (a Sum or Product to oo) cannot be evaluated "
                         "here")
    env = {_symbol_of(k_): _exact(v) for k_, v in params.items()}
    used = _symbols_of(expr)
    env = {s: v for s, v in env.items() if s in used}
    if _finite_atoms(expr):
        expr = _expand_finite(expr, env)
    missing = _needed(expr, pmf is not None) - set(env)
    if missing:
        names = ", ".join(sorted(NAMES.get(s, str(s)) for s in missing))
        raise InputError(f"missing parameter(s): {names}")
    if certified:
        v = _eval_arb(expr, env, pmf, dps)
        if v is not None:
            return v
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
