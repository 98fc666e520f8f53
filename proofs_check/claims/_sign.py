"""Signs by structure: a certificate that an expression is > 0 (>= 0, < 0, <= 0, != 0)
on a declared domain, read off its expression tree — never from SymPy's assumption
queries (``is_positive`` and friends), ``evalf`` or floats.

The premises are the signs of the symbols, given explicitly (``{b: POS, d: NONNEG}``) or,
for a symbol not given, its *declaration* (a Symbol created with ``positive=True`` is > 0,
``nonnegative=True`` >= 0, and the same for negative/nonpositive: the declared domain of
the claim). The rules, each elementary and exact:

* a rational number has its own sign (exact comparison); another constant (``log(2)``,
  ``pi``) the sign of an Arb enclosure that excludes 0 (precision raised to 4096 bits);
* sums of terms of one sign keep it (> 0 if some term is > 0); products multiply signs;
* ``b**e``: an even integer power is >= 0 (> 0 if b != 0), an odd one has b's sign, a
  negative integer power needs b != 0; a non-integer rational or symbolic exponent
  needs b > 0 (then > 0), or b >= 0 with e >= 0 (then >= 0);
* ``exp(a) > 0`` and ``sign(exp(a) - 1) = sign(a)`` for real a (exp increasing, e^0 = 1);
  ``sign(log(a)) = sign(a - 1)`` for a > 0; ``Gamma(a) > 0`` for a > 0 (the integral of
  a positive function); ``|a| >= 0``; ``sign(tanh(a)) = sign(a)``.

Before giving up, the expression is also tried in the normal forms ``factor(together(e))``
and ``factor(e)`` (exact polynomial algebra: the same function where both are defined).
"""

from __future__ import annotations

from collections.abc import Mapping

import sympy as sp

__all__ = ["POS", "NONNEG", "NEG", "NONPOS", "NONZERO", "sign_of", "certify_sign",
           "declared_sign"]

#: a sign is the set of values in {-1, 0, 1} the expression may take
POS = frozenset({1})
NONNEG = frozenset({0, 1})
NEG = frozenset({-1})
NONPOS = frozenset({-1, 0})
ZERO = frozenset({0})
NONZERO = frozenset({-1, 1})
_NAMES = {POS: "> 0", NONNEG: ">= 0", NEG: "< 0", NONPOS: "<= 0", ZERO: "= 0",
          NONZERO: "!= 0"}

Sign = frozenset


def declared_sign(sym: sp.Symbol) -> Sign | None:
    """The sign a symbol was *declared* with (its own assumptions, not inferred)."""
    a = sym.assumptions0
    if a.get("positive"):
        return POS
    if a.get("negative"):
        return NEG
    if a.get("nonnegative"):
        return NONNEG
    if a.get("nonpositive"):
        return NONPOS
    return None


def _const_sign(e: sp.Expr) -> Sign | None:
    if isinstance(e, sp.Rational):
        return POS if e > 0 else NEG if e < 0 else ZERO  # exact rational comparison
    from flint import ctx

    from rmc_symbolic.arb_eval import arb_lambdify

    try:
        f = arb_lambdify(e, [])
    except Exception:
        return None
    old = ctx.prec
    try:
        for prec in (64, 256, 1024, 4096):
            ctx.prec = prec
            v = f()
            if not v.is_finite():
                return None
            if v > 0:
                return POS
            if v < 0:
                return NEG
    except Exception:
        return None
    finally:
        ctx.prec = old
    return None


class _Signs:
    def __init__(self, domain: Mapping[sp.Symbol, Sign]):
        self.domain = dict(domain)

    def real(self, e: sp.Expr) -> bool:
        """``e`` is defined and real on the whole declared domain (structurally)."""
        if isinstance(e, sp.Number):
            return isinstance(e, sp.Rational)  # never a Float
        if isinstance(e, sp.NumberSymbol):
            return True
        if isinstance(e, sp.Symbol):
            return e in self.domain or declared_sign(e) is not None or \
                e.assumptions0.get("real") is True
        if isinstance(e, (sp.Add, sp.Mul)):
            return all(self.real(a) for a in e.args)
        if isinstance(e, sp.Pow):
            b, x = e.args
            if isinstance(x, sp.Integer) and x >= 0:
                return self.real(b)
            sb = self.sign(b)  # a negative power needs b != 0, a root b >= 0
            if isinstance(x, sp.Integer):
                return sb is not None and 0 not in sb
            return sb is not None and (sb == POS or (sb <= NONNEG and self.real(x) and
                                                     self.sign(x) is not None and
                                                     self.sign(x) <= NONNEG))
        if isinstance(e, (sp.exp, sp.tanh, sp.Abs)):
            return self.real(e.args[0])
        if isinstance(e, (sp.log, sp.gamma)):
            s = self.sign(e.args[0])
            return s is not None and s <= POS
        return False

    def sign(self, e: sp.Expr) -> Sign | None:
        e = sp.sympify(e)
        if not e.free_symbols:
            if self.real(e):
                return _const_sign(e)
            return None
        if isinstance(e, sp.Symbol):
            return self.domain.get(e, declared_sign(e))
        if isinstance(e, sp.Add):
            return self._add(e)
        if isinstance(e, sp.Mul):
            out = frozenset({1})
            for a in e.args:
                s = self.sign(a)
                if s is None:
                    return None
                out = frozenset(x * y for x in out for y in s)
            return out
        if isinstance(e, sp.Pow):
            return self._pow(*e.args)
        if isinstance(e, sp.exp):
            return POS if self.real(e.args[0]) else None
        if isinstance(e, sp.log):
            a = e.args[0]
            if self.sign(a) == POS:
                return self.sign(a - 1) or self.sign(sp.factor(sp.together(a - 1)))
            return None
        if isinstance(e, sp.gamma):
            return POS if self.sign(e.args[0]) == POS else None
        if isinstance(e, sp.Abs):
            s = self.sign(e.args[0])
            return POS if s is not None and 0 not in s else NONNEG
        if isinstance(e, sp.tanh):
            return self.sign(e.args[0]) if self.real(e.args[0]) else None
        return None

    def _add(self, e: sp.Add) -> Sign | None:
        # exp(a) - 1 and 1 - exp(a): the sign of a, resp. of -a
        if len(e.args) == 2:
            c, rest = e.as_independent(sp.exp, as_Add=True)
            if c in (1, -1):
                coeff, ex = rest.as_coeff_Mul()
                if isinstance(ex, sp.exp) and coeff == -c and self.real(ex.args[0]):
                    return self.sign(ex.args[0] if c == -1 else -ex.args[0])
        signs = [self.sign(a) for a in e.args]
        if any(s is None for s in signs):
            return None
        if all(s <= NONNEG for s in signs):
            return POS if any(s == POS for s in signs) else (
                ZERO if all(s == ZERO for s in signs) else NONNEG)
        if all(s <= NONPOS for s in signs):
            return NEG if any(s == NEG for s in signs) else (
                ZERO if all(s == ZERO for s in signs) else NONPOS)
        return None

    def _pow(self, b: sp.Expr, x: sp.Expr) -> Sign | None:
        sb = self.sign(b)
        if isinstance(x, sp.Integer) and x > 0 and x % 2 == 0 and self.real(b):
            return POS if sb is not None and 0 not in sb else NONNEG  # an even power
        if sb is None:
            return None
        if isinstance(x, sp.Integer):
            if x == 0:
                return POS
            if x < 0 and 0 in sb:
                return None  # undefined where b = 0
            if x % 2 == 0:
                return POS
            return frozenset(sb)
        if not self.real(x):
            return None
        if sb == POS:
            return POS
        sx = self.sign(x)
        if sb <= NONNEG and sx is not None and sx <= NONNEG:
            return NONNEG  # b >= 0, x >= 0: b^x >= 0 (0^0 = 1)
        return None


def sign_of(expr: sp.Expr, domain: Mapping[sp.Symbol, Sign] | None = None) -> Sign | None:
    """The sign of ``expr`` certified by structure (see the module docstring), trying the
    expression as given, then ``factor(together(expr))`` and ``factor(expr)``; None when
    no rule applies."""
    s = _Signs(domain or {})
    expr = sp.sympify(expr)
    out = s.sign(expr)
    if out is not None:
        return out
    for form in (lambda e: sp.factor(sp.together(e)), sp.factor):
        try:
            out = s.sign(form(expr))
        except Exception:  # pragma: no cover - SymPy internals
            out = None
        if out is not None:
            return out
    return None


def certify_sign(expr: sp.Expr, want: Sign,
                 domain: Mapping[sp.Symbol, Sign] | None = None) -> bool:
    """True when :func:`sign_of` certifies ``expr`` to have a sign within ``want``
    (e.g. ``want = NONNEG``: every value >= 0)."""
    s = sign_of(expr, domain)
    return s is not None and s <= want


def premises(domain: Mapping[sp.Symbol, Sign]) -> str:
    """``"b > 0, d >= 0"``: the premises of a certificate, for its report."""
    return ", ".join(f"{k} {_NAMES[v]}" for k, v in domain.items())
