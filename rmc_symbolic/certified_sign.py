"""Certified signs and exact zeros of SymPy expressions.

SymPy decides the sign of a numeric expression such as
``C = log(1 + 10^-20) - 10^-20 + 10^-40/2`` (about +3.3e-61) by a low-precision ``evalf``:
``C.is_negative`` is True, and SymPy's automatic evaluation then rewrites ``sqrt(C**2)``
to ``-C`` and ``log(C)`` to ``log(-C) + I*pi``. Nothing in a proof path may rest on that.
This module is the rule made code:

- :func:`constant_sign`: the sign of a numeric expression from an Arb enclosure that
  excludes 0 (precision doubled up to a cap), or from exact rational arithmetic; ``None``
  when neither decides. Never ``is_positive``/``evalf``/``nsimplify``/floats.
- :class:`ArbConstant`: a numeric constant SymPy must not evaluate. SymPy sees a symbol
  whose assumptions (``positive``/``negative``) are the *certified* sign; Arb
  (:func:`rmc_symbolic.arb_eval.arb_lambdify`) evaluates its value.
- :func:`rebuild`: an expression rebuilt bottom-up (optionally with a substitution) so
  that SymPy only ever builds a node from *plain* numbers (rationals, ``pi``, ``E``,
  ``exp(q)``, ``log(q)`` for a rational ``q > 0``, rational powers of positive plain numbers
  and products of these: their signs are structural and exact) or from symbols; every other
  numeric sub-expression becomes an :class:`ArbConstant` as soon as it is built. SymPy's
  rewriting of the result (``simplify``, ``expand``, substitution) is then sound: every
  sign it may consult is exact or certified.
- :func:`exact_zero`: an expression (at an exact point) shown to be 0 by exact rewriting
  only (a rebuilt value that *is* the integer 0, or that ``expand``/``simplify`` reduce to
  0), never by numeric evaluation.

Node construction is guarded against exact numbers that would be enormous
(``gamma(10**6)``, ``(1/3)**(10**18)``): such nodes are kept unevaluated and enclosed by Arb.
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction

import sympy as sp

__all__ = ["ArbConstant", "constant_sign", "rebuild", "exact_zero", "is_plain",
           "variables_of", "faithful", "symbolic_safe", "CONST_MAX_PREC"]

#: the highest precision (bits) at which constant_sign tries to separate a constant from 0
CONST_MAX_PREC = 4096
#: exact numbers SymPy may build: at most this many bits (larger ones stay unevaluated)
MAX_EXACT_BITS = 20_000
#: arguments of gamma/loggamma/factorial beyond this stay unevaluated (gamma(10**6) has
#: 5.5 million digits)
MAX_FACTORIAL_ARG = 1000


def _expr(x) -> sp.Basic:
    """A SymPy object for ``x`` (SymPy objects, ints, Fractions) without ``sympify``
    (which parses strings, i.e. evaluates code)."""
    if isinstance(x, sp.Basic):
        return x
    if isinstance(x, bool):
        raise TypeError("not a number: bool")
    if isinstance(x, int):
        return sp.Integer(x)
    if isinstance(x, Fraction):
        return sp.Rational(x.numerator, x.denominator)
    raise TypeError(f"not a SymPy expression or exact number: {x!r}")


class ArbConstant(sp.Dummy):
    """A numeric constant kept away from SymPy's numeric judgement.

    ``value``: the expression (numbers only) Arb evaluates; ``sign``: +1 / -1 certified
    by an Arb enclosure (also the SymPy assumption ``positive``/``negative``), or None;
    ``text``: how it prints."""

    __slots__ = ("value", "sign", "text")

    def _sympystr(self, printer):
        return self.text

    def _latex(self, printer):
        return printer._print(self.value)


def variables_of(expr: sp.Basic) -> set[sp.Symbol]:
    """The free symbols of ``expr`` that are variables (not :class:`ArbConstant`)."""
    return {s for s in _expr(expr).free_symbols if not isinstance(s, ArbConstant)}


def faithful(expr: sp.Basic) -> sp.Basic:
    """``expr`` with every :class:`ArbConstant` replaced by its value, unevaluated (for
    printing and for evaluators that do not know the constants)."""
    expr = _expr(expr)
    cs = {s: s.value for s in expr.free_symbols if isinstance(s, ArbConstant)}
    if not cs:
        return expr
    with sp.evaluate(False):
        return expr.xreplace(cs)


# --------------------------------------------------------------------------- plain numbers


def _plain_sign(e: sp.Basic) -> int | None:
    """The exact sign of a *plain* number (see the module docstring), None if ``e`` is not
    plain. Structural only: rational comparisons and the signs of exp, pi, E."""
    if isinstance(e, sp.Rational):
        return (e.p > 0) - (e.p < 0)
    if isinstance(e, sp.NumberSymbol):  # pi, E, EulerGamma, Catalan, GoldenRatio
        return 1
    if isinstance(e, sp.exp):
        return 1 if isinstance(e.args[0], sp.Rational) else None
    if isinstance(e, sp.log):
        a = e.args[0]
        if isinstance(a, sp.Rational) and a.p > 0:
            return (a.p > a.q) - (a.p < a.q)
        return None
    if isinstance(e, sp.Pow):
        b, y = e.args
        sb = _plain_sign(b)
        if sb is None or sb == 0:
            return None
        if isinstance(y, sp.Integer):
            return 1 if (sb == 1 or y.p % 2 == 0) else -1
        if isinstance(y, sp.Rational) and sb == 1:
            return 1
        return None
    if isinstance(e, sp.Mul):
        s = 1
        for a in e.args:
            sa = _plain_sign(a)
            if sa is None:
                return None
            s *= sa
        return s
    return None


def _structural_sign(e: sp.Basic) -> int | None:
    """The sign of a constant that SymPy infers structurally from exact facts (a plain
    number, a certified ArbConstant, products and rational powers of these), else None."""
    if isinstance(e, ArbConstant):
        return e.sign
    s = _plain_sign(e)
    if s is not None:
        return s
    if isinstance(e, sp.Mul):
        out = 1
        for a in e.args:
            sa = _structural_sign(a)
            if sa is None:
                return None
            out *= sa
        return out
    if isinstance(e, sp.Pow):
        b, y = e.args
        sb = _structural_sign(b)
        if sb is None or sb == 0:
            return None
        if isinstance(y, sp.Integer):
            return 1 if (sb == 1 or y.p % 2 == 0) else -1
        if isinstance(y, sp.Rational) and sb == 1:
            return 1
    return None


def _structural(e: sp.Basic) -> bool:
    return _structural_sign(e) is not None


def is_plain(e: sp.Basic) -> bool:
    """Whether ``e`` is a plain number: SymPy's view of its sign is structural and exact."""
    return _plain_sign(e) is not None


# --------------------------------------------------------------------------- signs


def constant_sign(expr, max_prec: int = CONST_MAX_PREC) -> int | None:
    """The sign (+1, -1, or 0 for an exact rational zero) of a numeric expression, certified:
    exact for rationals and plain numbers, else an Arb enclosure that excludes 0 at 64,
    128, ... up to ``max_prec`` bits. None when nothing decides (e.g. the constant is 0
    but not syntactically, or Arb cannot enclose it).

    >>> import sympy as sp
    >>> C = sp.log(1 + sp.Rational(1, 10**20)) - sp.Rational(1, 10**20) + sp.Rational(1, 2*10**40)
    >>> C.is_negative, constant_sign(C)   # SymPy is wrong; Arb is certain
    (True, 1)
    """
    from flint import ctx

    from .arb_eval import arb_lambdify

    e = _expr(expr)
    if isinstance(e, ArbConstant):
        if e.sign is not None:
            return e.sign
        e = e.value
    s = _plain_sign(e)
    if s is not None:
        return s
    if variables_of(e):
        raise ValueError(f"constant_sign: {e} is not a constant")
    s = _factor_sign(e, max_prec)
    if s is not None:
        return s
    try:
        fn = arb_lambdify(e, [])
    except (NotImplementedError, ValueError, TypeError):
        return None
    old = ctx.prec
    prec = 64
    try:
        while prec <= max_prec:
            ctx.prec = prec
            try:
                b = fn()
            except (ValueError, ZeroDivisionError, OverflowError):
                return None
            if b.is_finite():
                if b > 0:
                    return 1
                if b < 0:
                    return -1
            prec *= 2
    finally:
        ctx.prec = old
    return None


def _factor_sign(e: sp.Expr, max_prec: int) -> int | None:
    """Signs that hold whatever the size: exp and cosh of a real constant are > 0 (even
    where Arb's ball of the value itself is [0 +/- tiny] or infinite), products and powers
    by their factors."""
    if isinstance(e, (sp.exp, sp.cosh)):
        return 1 if _is_real_constant(e.args[0]) else None
    if isinstance(e, sp.Mul):
        out = 1
        for a in e.args:
            sa = constant_sign(a, max_prec)
            if sa is None:
                return None
            out *= sa
        return out
    if isinstance(e, sp.Pow):
        b, y = e.args
        sb = constant_sign(b, max_prec)
        if isinstance(y, sp.Integer):
            if sb is None or (sb == 0 and y.p <= 0):
                return None
            return sb if (sb == 0 or y.p % 2 == 1) else 1
        if sb == 1 and _is_real_constant(y):
            return 1
    return None


def _is_real_constant(e: sp.Expr) -> bool:
    """An Arb enclosure of the constant is finite at some precision up to 1024 bits (real
    Arb functions return a finite ball only where they are defined and real)."""
    from flint import ctx

    from .arb_eval import arb_lambdify

    try:
        fn = arb_lambdify(e, [])
    except (NotImplementedError, ValueError, TypeError):
        return False
    old = ctx.prec
    try:
        for prec in (64, 256, 1024):
            ctx.prec = prec
            try:
                if fn().is_finite():
                    return True
            except (ValueError, ZeroDivisionError, OverflowError):
                return False
    finally:
        ctx.prec = old
    return False


_CONSTANTS: dict[sp.Basic, ArbConstant] = {}


def _constant(node: sp.Expr) -> ArbConstant:
    """The :class:`ArbConstant` standing for the numeric ``node`` (one per value tree)."""
    hit = _CONSTANTS.get(node)
    if hit is not None:
        return hit
    if len(_CONSTANTS) > 50_000:
        _CONSTANTS.clear()
    s = constant_sign(node)
    if s == 1:
        c = ArbConstant("c", positive=True)
    elif s == -1:
        c = ArbConstant("c", negative=True)
    elif _is_real_constant(node):
        c = ArbConstant("c", real=True)
    else:
        c = ArbConstant("c")
    c.value = node
    c.sign = s if s in (1, -1) else None
    text = sp.sstr(node)
    c.text = text if node.is_Atom or isinstance(node, sp.Function) else f"({text})"
    _CONSTANTS[node] = c
    return c


# --------------------------------------------------------------------------- rebuilding

#: the largest |exponent| (numerator or denominator) for which SymPy may simplify/expand
SYMBOLIC_MAX_EXPONENT = 64


def symbolic_safe(expr: sp.Expr, max_ops: int = 400) -> bool:
    """Whether SymPy's simplify/expand (and exact evaluation at rational points) is safe to
    run on ``expr``: no power with a numeric exponent beyond
    :data:`SYMBOLIC_MAX_EXPONENT` (``(1+x)**100000`` would be expanded term by term, and
    ``(4/3)**(10**9)`` computed exactly) and at most ``max_ops`` operations."""
    for node in sp.preorder_traversal(expr):
        if isinstance(node, sp.Pow) and node.exp.is_Rational:
            e = node.exp
            if abs(e.p) > SYMBOLIC_MAX_EXPONENT or e.q > SYMBOLIC_MAX_EXPONENT:
                return False
    return sp.count_ops(expr) <= max_ops



def _bits(q: sp.Rational) -> int:
    return max(abs(int(q.p)).bit_length(), int(q.q).bit_length())


_FACTORIAL_LIKE = (sp.gamma, sp.loggamma, sp.factorial, sp.factorial2, sp.binomial,
                   sp.RisingFactorial, sp.FallingFactorial)


def _too_big(func, args) -> bool:
    """Would SymPy build an enormous exact number from these numeric arguments?"""
    if func is sp.Pow:
        b, y = args
        if isinstance(b, sp.Rational) and isinstance(y, sp.Rational) and b not in (0, 1, -1):
            return abs(int(y.p)) * _bits(b) > MAX_EXACT_BITS
        if isinstance(y, sp.Rational) and abs(int(y.p)) > MAX_EXACT_BITS and b.is_number:
            return True
        return False
    if func in _FACTORIAL_LIKE or (isinstance(func, type) and issubclass(func, _FACTORIAL_LIKE)):
        return any(isinstance(a, sp.Rational) and abs(a) > MAX_FACTORIAL_ARG for a in args)
    if func is sp.Mul or func is sp.Add:
        return False
    return False


def _build(e: sp.Basic, args: list) -> sp.Basic:
    func = e.func
    if _too_big(func, args):
        return func(*args, evaluate=False)
    return func(*args)


def rebuild(expr, subs: Mapping | None = None, memo: dict | None = None) -> sp.Basic:
    """``expr`` rebuilt bottom-up, with ``subs`` (symbol -> exact number) substituted, such
    that every numeric sub-expression that is not plain becomes an :class:`ArbConstant`
    the moment it is built (see the module docstring). Idempotent.

    >>> import sympy as sp
    >>> C = sp.Add(sp.log(1 + sp.Rational(1, 10**20)), -sp.Rational(1, 10**20),
    ...            sp.Rational(1, 2*10**40), evaluate=False)
    >>> r = rebuild(sp.sqrt(sp.Pow(C, 2, evaluate=False), evaluate=False))
    >>> r.is_positive, isinstance(r, ArbConstant)   # sqrt(C**2) = C > 0, not -C
    (True, True)
    """
    sub: dict = {}
    if subs:
        for k, v in subs.items():
            if isinstance(v, Fraction):
                v = sp.Rational(v.numerator, v.denominator)
            sub[k] = _expr(v)
    if memo is None:
        memo = {}

    def rec(e):
        hit = memo.get(e)
        if hit is not None:
            return hit
        out = _rec(e)
        memo[e] = out
        return out

    def _rec(e):
        if e in sub:
            return rec(sub[e]) if sub[e] is not e else e
        if isinstance(e, ArbConstant):
            return e
        if e.is_Atom:
            if isinstance(e, sp.Float):
                from .arb_eval import exact_decimal

                q = exact_decimal(e)
                return sp.Rational(q.numerator, q.denominator)
            return e
        args = [rec(a) for a in e.args]
        if not isinstance(e, sp.Expr):  # conditions of a Piecewise, tuples of a Sum, ...
            try:
                return e.func(*args)
            except Exception:  # noqa: BLE001 - keep the node as it was
                return e
        new = _build(e, args)
        if isinstance(new, sp.Expr) and not isinstance(new, ArbConstant) and \
                not _structural(new) and not variables_of(new) and \
                not new.has(sp.zoo, sp.nan, sp.oo, -sp.oo):
            return _constant(new)
        return new

    return rec(_expr(expr))


def exact_zero(expr, subs: Mapping | None = None, max_ops: int = 400,
               simplify_chars: int = 300) -> bool:
    """True only when ``expr`` (at the exact point ``subs``) is shown to be 0 by exact
    rewriting: the rebuilt value is the integer 0, or ``expand`` (or, for short
    expressions, ``simplify``) reduces it to 0. False means "not shown to be zero"."""
    try:
        val = rebuild(expr, subs)
    except Exception:  # noqa: BLE001 - SymPy could not build it: not shown to be zero
        return False
    if val == 0:
        return True
    if isinstance(val, (sp.Rational, ArbConstant)) or not isinstance(val, sp.Expr):
        return False
    if not symbolic_safe(val, max_ops):
        return False
    try:
        if rebuild(sp.expand(val)) == 0:
            return True
        return len(str(val)) <= simplify_chars and rebuild(sp.simplify(val)) == 0
    except Exception:  # noqa: BLE001 - SymPy failures mean "not shown to be zero"
        return False
