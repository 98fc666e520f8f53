"""Rigorous branch-and-bound with Arb balls: certify ``f >= 0`` (or ``f > 0``) on a box.

The box is a product of real intervals ``[lo, hi]`` and integer ranges ``lo..hi`` (exact
rationals). Boxes are taken from a stack; on each one the engine tries:

1. **interval**: the natural Arb enclosure of f over the box
   (:func:`rmc_symbolic.arb_eval.arb_lambdify`);
2. **point check**: f at a short decimal point of the box; certified negative → a
   counterexample (the claim FAILED there, rigorously);
3. **tight-point certificates** first when f vanishes (possibly) on an edge of the domain,
   see 8;
4. **signs of the two sides** (``prove_relation``): ``big > 0 > small`` (or ``>=``/``<=``)
   certified from the signs of their factors (``exp(z) > 0``, ``b**y > 0`` for ``b > 0``,
   integer powers by parity, arguments certified >= 0 on the whole domain);
5. **log form** (where every factor of both sides is certified positive on the box):
   ``log(rhs) - log(lhs) >= 0`` with products, powers and Gammas expanded into sums of
   logarithms and ``loggamma`` — equivalent there, and much better conditioned for
   ratios; the forms 6-7 are applied to it as well;
6. **mean-value form**: ``f(c) + sum_v f_v(box) (x_v - c_v)`` over the real variables;
7. **Taylor forms of order 2, 4, 8** in the widest real variable (derivatives at the
   point, the last one over the box);
8. **tight-point certificates** (a claim that is tight at a point, e.g. equality at
   x = 0): at an end ``a`` of the box in a real variable v, with ``s = +1`` at the lower end
   and ``s = -1`` at the upper end, if ``s^j d^j f/dv^j (a) >= 0`` for ``j < m`` (on the
   face v = a; an exact zero is recognised symbolically by SymPy; the value of f on a face
   with other variables still intervals is certified by a branch-and-bound on the face)
   and ``s^m d^m f/dv^m >= 0`` on the whole box (its enclosure, or its Taylor form about
   a), then f >= 0 on the box (Taylor's theorem with Lagrange remainder: every term is
   >= 0). m = 1 is monotonicity; m <= 6; the report says which orders were used.

Derivative-based forms are used only where the derivatives are ordinary functions
(:func:`rmc_symbolic.arb_eval.arb_diff` refuses Dirac deltas, derivatives of ``g_k`` or of
a Piecewise whose conditions involve the variable); the order in which 4-8 are tried
adapts to which ones have succeeded (speed only: every certificate is rigorous).

A box that none of these settles is split (integer variables by halves down to single
integers; real variables at a short decimal in the middle half of the box, or
geometrically for wide positive ranges), with the working precision doubled for the
children when the point value is poorly resolved.

Integer variables are carried as intervals of integers: every Arb operation encloses its
value over the real hull of an interval, which contains the integer points, so a box
certified over an interval of n is certified for every integer in it (only ``g(k)`` is
enclosed over the integers of its ball). Where the real extension is undefined (say
``(x-1)**n`` with x < 1 and a range of n) the enclosure is ``nan`` and the integers are
split down to single values, each certified exactly as an integer.

API
---
``Var(symbol, lo, hi, integer=False)``: one variable and its range (exact rationals).
``prove_nonnegative(f, variables, strict=False, ...) -> Outcome``
``prove_relation(lhs, op, rhs, variables, ...) -> Outcome`` (op ``<= < >= >``; builds
  f = rhs - lhs or lhs - rhs and the log form, and first certifies where the claim's
  functions are defined, see :func:`rmc_symbolic.arb_eval.domain_conditions`).
``log_form(lhs, rhs) -> (g, conditions)``: g = log(rhs) - log(lhs) expanded, valid where
  every condition expression is > 0.
``nice_point(lo, hi) -> Fraction``: the shortest decimal in [lo, hi] nearest its middle.
``Outcome``: ``status`` ("proved" / "failed" / "undecided"), ``boxes``, ``seconds``,
  ``certificates`` (leaf counts by method), ``point``/``value`` (a counterexample and the
  Arb ball of f there), ``lower_bound`` (a certified lower bound of f on the domain),
  ``covered`` (the share of the box certified, integers counted), ``reason``,
  ``unresolved`` (pieces left open, ``{symbol: (lo, hi)}``, narrowest first);
  ``method_text()`` says how it was established.
"""

from __future__ import annotations

import math
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction

import sympy as sp
from flint import arb, ctx

from rmc_symbolic.arb_eval import (
    arb_bounds,
    arb_diff,
    arb_from_fraction,
    arb_interval,
    arb_lambdify,
    domain_conditions,
    pow_int,
)
from rmc_symbolic.certified_sign import (
    ArbConstant,
    constant_sign,
    exact_zero,
    rebuild,
    symbolic_safe,
    variables_of,
)
from rmc_symbolic.iterated_map import arb_precision

__all__ = [
    "Var", "Outcome", "prove_nonnegative", "prove_relation", "log_form", "nice_point",
    "DEFAULT_MAX_BOXES", "symbolic_safe",
]

DEFAULT_MAX_BOXES = 200_000
#: highest derivative order tried by the tight-point certificates
TAYLOR_ORDER = 6
#: symbolic exact-zero checks allowed per run (each may cost a SymPy simplify)
ZERO_CHECKS = 200
#: orders of the Taylor forms tried in the widest real variable
TAYLOR_FORMS = (2, 4, 8)
#: weight of integer ranges when choosing the variable to split
INT_WEIGHT = 2


@dataclass(frozen=True)
class Var:
    """A variable of a claim and its range ``[lo, hi]`` (exact; integers for integer vars)."""

    symbol: sp.Symbol
    lo: Fraction
    hi: Fraction
    integer: bool = False

    @property
    def name(self) -> str:
        return str(self.symbol)

    def text(self) -> str:
        if self.integer:
            return f"integer {self.name} in [{_q(self.lo)}, {_q(self.hi)}]"
        return f"{self.name} in [{_q(self.lo)}, {_q(self.hi)}]"


def _q(x: Fraction) -> str:
    """An exact rational as a decimal when it is one, else ``p/q``."""
    x = Fraction(x)
    if x.denominator == 1:
        return str(x.numerator)
    d = x.denominator
    twos = fives = 0
    while d % 2 == 0:
        d //= 2
        twos += 1
    while d % 5 == 0:
        d //= 5
        fives += 1
    if d != 1:
        return f"{x.numerator}/{x.denominator}"
    places = max(twos, fives)
    scaled = abs(x) * 10**places
    s = str(int(scaled)).rjust(places + 1, "0")
    out = s[:-places] + "." + s[-places:]
    if len(out) > 40:  # tiny numbers: scientific
        exp10 = len(str(int(scaled))) - 1 - places
        digits = str(int(scaled)).rstrip("0")
        mant = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
        out = f"{mant}e{exp10}"
    return ("-" if x < 0 else "") + out


def _short(x: Fraction) -> str:
    """A rational for messages: exact when short, else 15 significant digits."""
    t = _q(x)
    if len(t) <= 24:
        return t
    import mpmath

    with mpmath.workdps(20):
        return mpmath.nstr(mpmath.mpf(x.numerator) / x.denominator, 15)


_BIG = 4096


def _safe_lower(ball: arb) -> Fraction | None:
    """A rational lower bound of a ball without building huge rationals: balls beyond
    2^+-4096 in magnitude are bounded by +-2^+-4096 (still valid lower bounds), or None."""
    if ball is None or not ball.is_finite():
        return None
    lo = arb(ball.lower())
    if lo == 0:
        return Fraction(0)
    big = arb(2) ** _BIG
    if lo > big:
        return Fraction(2) ** _BIG
    if lo > 0 and lo < 1 / big:
        return Fraction(0)
    if lo < 0 and lo > -1 / big:
        return -Fraction(1, 2**_BIG)
    if lo < -big:
        return None
    try:
        return arb_bounds(lo)[0]
    except ValueError:
        return None


def decimal_text(x: Fraction) -> str:
    """Exact decimal text of a rational (``p/q`` when it is not a finite decimal)."""
    return _q(x)


@dataclass
class Outcome:
    """What a branch-and-bound run established (see the module docstring)."""

    status: str
    boxes: int = 0
    seconds: float = 0.0
    certificates: Counter = field(default_factory=Counter)
    reason: str = ""
    point: dict[sp.Symbol, Fraction] | None = None
    value: arb | None = None
    lower_bound: Fraction | None = None
    max_prec: int = 53
    notes: list[str] = field(default_factory=list)
    covered: float = 0.0
    unresolved: list = field(default_factory=list)

    def method_text(self) -> str:
        """How it was established, e.g. "Arb branch-and-bound, 1,204 boxes (interval 900,
        mean-value 300, tight point: monotone/Taylor order 2 in x at its lower end 4)"."""
        parts = ", ".join(f"{k} {v:,}" for k, v in self.certificates.most_common())
        text = f"Arb branch-and-bound, {self.boxes:,} boxes"
        if parts:
            text += f" (certified by: {parts})"
        if self.max_prec > 53:
            text += f", up to {self.max_prec} bits"
        return text


# --------------------------------------------------------------------------- helpers


_Prec = arb_precision


_NICE_CACHE: dict[tuple[Fraction, Fraction], Fraction] = {}


def nice_point(lo: Fraction, hi: Fraction) -> Fraction:
    """The decimal with the fewest significant digits in ``[lo, hi]``, nearest the middle
    (``nice_point(0, 1) == 0``: 0 is shortest; ``nice_point(0.12, 0.18) == 0.15``)."""
    lo, hi = Fraction(lo), Fraction(hi)
    if lo == hi:
        return lo
    if lo > hi:
        raise ValueError("empty interval")
    hit = _NICE_CACHE.get((lo, hi))
    if hit is not None:
        return hit
    if len(_NICE_CACHE) > 100_000:
        _NICE_CACHE.clear()
    out = _nice_point(lo, hi)
    _NICE_CACHE[(lo, hi)] = out
    return out


def _ilog10(q: Fraction) -> int:
    """floor(log10(q)) for a rational q > 0, exactly (no float under/overflow)."""
    e = len(str(q.numerator)) - len(str(q.denominator))
    while Fraction(10) ** e > q:
        e -= 1
    while Fraction(10) ** (e + 1) <= q:
        e += 1
    return e


def _nice_point(lo: Fraction, hi: Fraction) -> Fraction:
    if lo <= 0 <= hi and (lo < 0 < hi):
        # 0 only when it is in the middle half
        w = hi - lo
        if lo + w / 4 <= 0 <= hi - w / 4:
            return Fraction(0)
    mid = (lo + hi) / 2
    big = max(abs(lo), abs(hi))
    k = _ilog10(big) + 1 if big > 0 else 0
    width = hi - lo
    kmin = _ilog10(width) - 1
    for e in range(k, kmin - 1, -1):
        step = Fraction(10) ** e
        a = math.ceil(lo / step)
        b = math.floor(hi / step)
        if a <= b:
            m = round(mid / step)
            m = min(max(m, a), b)
            return m * step
    return mid  # pragma: no cover - a multiple of 10^kmin always fits


def _geometric_mean(lo: Fraction, hi: Fraction) -> Fraction:
    """About sqrt(lo * hi) (lo, hi > 0) to ~6 digits, in exact integer arithmetic (no float
    overflow for ranges such as [1, 10^400] or underflow for [10^-400, 1])."""
    q = lo * hi
    # sqrt(p/r) = sqrt(p*r)/r; scale so that the integer square root has ~20 digits
    p, r = q.numerator, q.denominator
    shift = max(0, 40 - (len(str(p)) - len(str(r))))
    shift += shift % 2
    root = math.isqrt(p * r * 10**shift)
    return Fraction(root, r * 10 ** (shift // 2))


def _split_point(lo: Fraction, hi: Fraction) -> Fraction:
    """Where to split a real interval: a short decimal in the middle half, or in the
    geometric middle for wide positive (or negative) ranges."""
    if lo > 0 and hi > 16 * lo:
        g = _geometric_mean(lo, hi)
        a, b = g / 2, g * 2
        # away from the ends in the log scale (a linear margin would make [1e-1000, 1]
        # shrink by only a factor 1024 per split)
        a, b = max(a, lo * Fraction(1025, 1024)), min(b, hi - (hi - lo) / 1024)
        if a < b:
            return nice_point(a, b)
    if hi < 0 and lo < 16 * hi:
        return -_split_point(-hi, -lo)
    w = hi - lo
    return nice_point(lo + w / 4, hi - w / 4)


def point_face_only_v(box, v: int) -> bool:
    """Every variable but v is a point in the box (a one-dimensional piece)."""
    return all(lo == hi for i, (lo, hi) in enumerate(box) if i != v)


def log_form(lhs: sp.Expr, rhs: sp.Expr) -> tuple[sp.Expr, list[sp.Expr]] | None:
    """``g = log(rhs) - log(lhs)``, with products, powers, exp and Gamma expanded
    (``log(a*b**y) = log a + y log b``, ``log(exp z) = z``, ``log(gamma z) = loggamma z``),
    and the expressions that must be > 0 for the expansion to hold (their positivity
    implies ``lhs > 0`` and ``rhs > 0``, so that ``rhs >= lhs`` iff ``g >= 0``).
    None when neither side has anything to expand."""
    conds: list[sp.Expr] = []

    def L(e: sp.Expr) -> sp.Expr:
        if not variables_of(e) and constant_sign(e) == 1:  # certified (Arb or exact)
            return sp.log(e)
        if isinstance(e, sp.Mul):
            return sp.Add(*[L(a) for a in e.args])
        if isinstance(e, sp.Pow):
            b, y = e.args
            return y * L(b)
        if isinstance(e, sp.exp):
            return e.args[0]
        if isinstance(e, sp.gamma):
            conds.append(e.args[0])
            return sp.loggamma(e.args[0])
        conds.append(e)
        return sp.log(e)

    g = L(rhs) - L(lhs)
    expanded = any(isinstance(s, (sp.Mul, sp.Pow, sp.exp, sp.gamma)) for s in (lhs, rhs))
    if not expanded:
        return None
    uniq = list(dict.fromkeys(conds))
    return g, uniq


# --------------------------------------------------------------------------- the engine


class _Engine:
    def __init__(self, f: sp.Expr, variables: Sequence[Var], strict: bool, clamp,
                 log: tuple[sp.Expr, list[sp.Expr], sp.Expr] | None, deadline: float | None,
                 max_boxes: int, prec: int, max_prec: int, taylor_order: int,
                 sides: tuple[sp.Expr, sp.Expr] | None = None,
                 methods: Sequence[str] | None = None):
        self.f = sp.sympify(f)
        self.sides = sides
        self.vars = list(variables)
        self.syms = [v.symbol for v in self.vars]
        self.strict = strict
        self.clamp = clamp
        self.deadline = deadline
        self.max_boxes = max_boxes
        self.prec0 = prec
        self.max_prec = max_prec
        self.taylor_order = taylor_order
        self.programs: dict[tuple, object] = {}
        self.exprs: dict[tuple, sp.Expr | None] = {("f", ()): self.f}
        self.log = None
        if log is not None:
            g, conds, lhs = log
            self.exprs[("g", ())] = g
            self.log = (conds, lhs)
        self.zero_cache: dict[tuple, bool] = {}
        self.safe: dict[tuple, bool] = {}
        self.lower_unknown = False
        self.face_cache: dict[tuple, object] = {}
        self.face_depth = 0
        self.strategies = [("f", "signs")] if sides is not None else []
        self.strategies += [("g", "interval"), ("f", "mean-value"), ("g", "mean-value")]
        self.strategies += [(fm, f"Taylor-{k}") for k in TAYLOR_FORMS for fm in ("f", "g")]
        self.strategies.append(("f", "tight"))
        if methods is not None:
            self.strategies = [st for st in self.strategies if st[1] in methods]
        self.wins: Counter = Counter()
        self.tries: Counter = Counter()
        self.zero_checks = 0
        self.const_signs: dict = {}
        self.out = Outcome(status="undecided", max_prec=prec)
        self.lower: Fraction | None = None

    # -- programs
    def expr(self, form: str, orders: tuple) -> sp.Expr | None:
        key = (form, orders)
        if key in self.exprs:
            return self.exprs[key]
        # orders: tuple of variable indices, differentiate in that order
        base = self.expr(form, orders[:-1])
        if base is None:
            self.exprs[key] = None
            return None
        try:
            d = arb_diff(base, self.syms[orders[-1]])
        except NotImplementedError:
            d = None
        self.exprs[key] = d
        return d

    def prog(self, form: str, orders: tuple = ()):
        key = (form, orders)
        p = self.programs.get(key)
        if p is None:
            e = self.expr(form, orders)
            if e is None:
                p = False
            else:
                try:
                    p = arb_lambdify(e, self.syms, clamp=self.clamp)
                except NotImplementedError:
                    p = False
            self.programs[key] = p
        return p

    def sign(self, e: sp.Expr, balls) -> tuple[int, bool] | None:
        """``(s, strict)``: ``e`` is certified ``s*e > 0`` (strict) or ``s*e >= 0`` on the
        box, from the signs of its factors (exp(z) > 0; b**y > 0 for b > 0 and >= 0 for
        b >= 0, y > 0; integer powers by parity); ``(0, False)``: ``e`` is 0; None when
        unknown."""
        if isinstance(e, ArbConstant) or not variables_of(e):
            # a constant: exact arithmetic or an Arb ball excluding 0, never SymPy's word
            sg = self.const_signs.get(e)
            if sg is None:
                sg = self.const_signs[e] = constant_sign(e)
            if sg is None:
                return None
            return (0, False) if sg == 0 else (sg, True)
        if isinstance(e, sp.Mul):
            sg, strict = 1, True
            for a in e.args:
                sa = self.sign(a, balls)
                if sa is None:
                    return None
                sg *= sa[0]
                strict = strict and sa[1]
            return (sg, strict)
        if isinstance(e, sp.exp):
            z = self.aux(("val", e.args[0]), e.args[0])(*balls)
            return (1, True) if z.is_finite() else None
        if isinstance(e, sp.Pow):
            b, y = e.args
            sb = self.sign(b, balls)
            if sb is None:
                return None
            if not y.is_Integer and y.is_integer:
                yv = self.aux(("val", y), y)(*balls)
                if yv.rad() == 0 and yv.is_integer():
                    y = sp.Integer(int(arb_bounds(yv)[0]))
            if y.is_Integer:
                k = int(y)
                if k < 0 and not sb[1]:
                    return None
                if sb[0] == 0:
                    return (0, False) if k > 0 else None
                return (1 if k % 2 == 0 else sb[0], sb[1])
            yv = self.aux(("val", y), y)(*balls)
            if not yv.is_finite() or sb[0] != 1:
                return None
            if sb[1]:
                return (1, True)
            return (1, False) if yv > 0 else None
        v = self.aux(("val", e), e)(*balls)
        if v > 0:
            return (1, True)
        if v < 0:
            return (-1, True)
        if v >= 0:
            return (1, False)
        if v <= 0:
            return (-1, False)
        if self.clamp is not True and e in self.clamp:
            return (1, False)  # certified >= 0 on the whole domain (a domain condition)
        return None

    def aux(self, key, e: sp.Expr):
        p = self.programs.get(("aux", key))
        if p is None:
            p = arb_lambdify(e, self.syms, clamp=self.clamp)
            self.programs[("aux", key)] = p
        return p

    def ev(self, form: str, orders: tuple, balls: Sequence[arb]) -> arb | None:
        p = self.prog(form, orders)
        if p is False:
            return None
        try:
            r = p(*balls)
        except (ZeroDivisionError, ValueError, OverflowError):
            return None
        return r if r.is_finite() else None

    # -- sign tests
    def ok(self, ball: arb | None) -> bool:
        if ball is None:
            return False
        return bool(ball > 0) if self.strict else bool(ball >= 0)

    def bad(self, ball: arb | None) -> bool:
        if ball is None:
            return False
        return bool(ball <= 0) if self.strict else bool(ball < 0)

    def exact_zero(self, form: str, orders: tuple, point: dict[int, Fraction],
                   balls: Sequence[arb] | None = None) -> bool:
        """Is d^orders f exactly zero on {x_i = point[i]} (for all other variables)?

        A zero is shown symbolically (SymPy: the expression at the exact point reduces to
        0). Before that, an Arb evaluation at four times the precision (on ``balls``, the
        face) that excludes 0 settles "not zero" cheaply."""
        key = (form, orders, tuple(sorted(point.items())))
        if key in self.zero_cache:
            return self.zero_cache[key]
        if balls is not None:
            with _Prec(ctx.prec * 4):
                hb = [arb_from_fraction(point[i]) if i in point else b
                      for i, b in enumerate(balls)]
                v = self.ev(form, orders, hb)
            if v is not None and not v.contains(0):
                self.zero_cache[key] = False
                return False
        if self.zero_checks >= ZERO_CHECKS:
            return False
        self.zero_checks += 1
        e = self.expr(form, orders)
        res = False
        if e is not None and self.safe.setdefault((form, orders), symbolic_safe(e)) and \
                not (self.deadline is not None and time.monotonic() > self.deadline):
            sub = {self.syms[i]: q for i, q in point.items()}
            # exact rewriting only: constants whose sign SymPy would guess numerically are
            # certified ArbConstants (rmc_symbolic.certified_sign)
            res = exact_zero(e, sub)
        self.zero_cache[key] = bool(res)
        return bool(res)

    # -- one box
    def balls(self, box) -> list[arb]:
        return [arb_interval(lo, hi) for lo, hi in box]

    def note_lower(self, lower: arb | None, label: str):
        self.out.certificates[label] += 1
        if lower is None:
            return
        lo = _safe_lower(lower)
        if lo is None:
            self.lower_unknown = True
            return
        if self.lower is None or lo < self.lower:
            self.lower = lo

    def try_box(self, box, prec: int):
        """Returns ("cert", None) | ("fail", point, value) | ("split", want_prec)."""
        nv = len(box)
        balls = self.balls(box)
        F = self.ev("f", (), balls)
        if self.ok(F):
            self.note_lower(F, "interval")
            return ("cert",)
        cpt = [lo if lo == hi else (_split_point(lo, hi) if not self.vars[i].integer
                                    else Fraction((lo + hi) // 2))
               for i, (lo, hi) in enumerate(box)]
        cballs = [arb_from_fraction(q) for q in cpt]
        Fc = self.ev("f", (), cballs)
        if self.bad(Fc):
            return ("fail", cpt, Fc)
        if self.bad(F):  # f < 0 on the whole box, but the point value was not resolved
            return ("split", prec * 2)
        if self.strict and Fc is not None and Fc.contains(0) and \
                self.exact_zero("f", (), dict(enumerate(cpt)), cballs):
            return ("fail", cpt, Fc)
        want = prec
        if Fc is None or Fc.contains(0) or Fc.rad() * 1024 > abs(Fc.mid()):
            want = prec * 2
        real_idx = [i for i in range(nv) if not self.vars[i].integer and box[i][0] != box[i][1]]
        # a tight point at an edge of the domain: the certificates there come first
        edge_tight = False
        hint = None
        for i in real_idx:
            for side, e in enumerate(box[i]):
                if e in (self.vars[i].lo, self.vars[i].hi):
                    face = list(balls)
                    face[i] = arb_from_fraction(e)
                    V = self.ev("f", (), face)
                    if V is not None and V.contains(0):
                        edge_tight = True
                        hint = (i, side)
        if edge_tight and ("f", "tight") in self.strategies:
            res = self.tight(box, balls, real_idx)
            if res is not None:
                return res
        # log form: usable on this box when every condition is certified > 0
        logok = False
        if self.log is not None:
            conds, lhs = self.log
            logok = True
            for j, c in enumerate(conds):
                v = self.aux(f"cond{j}", c)(*balls)
                if not (v > 0):
                    logok = False
                    break
        ctx_ = {"box": box, "balls": balls, "cpt": cpt, "cballs": cballs,
                "real_idx": real_idx}
        if real_idx:
            ctx_["v"] = max(real_idx, key=lambda i: (box[i][1] - box[i][0]) /
                            max(self.vars[i].hi - self.vars[i].lo, Fraction(1, 10**30)))
        # the strategies, most successful first; one that keeps failing is tried only
        # on every 8th box (speed only: any certificate found is rigorous)
        order = sorted(self.strategies, key=lambda st: -self.wins[st])
        for st in order:
            form, kind = st
            if form == "g" and not logok:
                continue
            if kind not in ("interval", "signs") and not real_idx:
                continue
            if kind == "tight" and edge_tight:
                continue
            if self.wins[st] == 0 and self.tries[st] >= 30 and self.out.boxes % 8:
                continue
            self.tries[st] += 1
            res = self.strategy(st, ctx_)
            if res is not None:
                self.wins[st] += 1
                return res
        return ("split", want, hint)

    def strategy(self, st, c):
        """Run one certificate strategy on the box; ("cert",) / ("fail", ...) or None."""
        form, kind = st
        box, balls, cpt = c["box"], c["balls"], c["cpt"]
        if kind == "tight":
            return self.tight(box, balls, c["real_idx"])
        if kind == "signs":
            small, big = self.sides
            sb = self.sign(big, balls)
            if sb is not None and sb[0] >= 0:
                ss = self.sign(small, balls)
                if ss is not None and ss[0] <= 0 and (
                        (sb[0] == 1 and sb[1]) or (ss[0] == -1 and ss[1]) or not self.strict):
                    # big >= 0 >= small on the box, so f = big - small >= B_lo - S_hi >= 0
                    # (B, S: enclosures of the sides); the margin is lowered accordingly
                    lower = arb(0)
                    try:
                        B = self.aux(("val", big), big)(*balls)
                        S = self.aux(("val", small), small)(*balls)
                        if B.is_finite() and S.is_finite():
                            d = arb(B.lower()) - arb(S.upper())
                            if d > 0:
                                lower = arb(d.lower())
                    except (ZeroDivisionError, ValueError, OverflowError):
                        pass
                    self.note_lower(lower, "signs of the two sides")
                    return ("cert",)
            return None
        if kind == "interval":
            val = self.ev(form, (), balls)
            label = "interval"
        elif kind == "mean-value":
            real_idx = c["real_idx"]
            cb = [c["cballs"][i] if i in real_idx else balls[i] for i in range(len(box))]
            val = self.mean_value(form, box, balls, cb, cpt, real_idx)
            label = "mean-value"
        else:
            k = int(kind.split("-")[1])
            val = self.taylor(form, box, balls, cpt, c["v"], k)
            label = kind
        if not self.ok(val):
            return None
        if form == "f":
            self.note_lower(val, label)
        else:
            self.log_cert(val, balls, f"log form: {label}")
        return ("cert",)

    def log_cert(self, G: arb, balls, label: str) -> bool:
        """Record a box certified in log form. Both sides are > 0 there (every condition of
        the log form is); the margin rhs - lhs = lhs (e^g - 1) >= lhs_min expm1(g_min)."""
        conds, lhs = self.log
        L = self.aux("lhs", lhs)(*balls)
        if L > 0:
            self.note_lower(arb(L.lower()) * arb(G.lower()).expm1(), label)
        else:
            self.note_lower(arb(0), label)
        return True

    def mean_value(self, form, box, balls, cb, cpt, real_idx):
        base = self.ev(form, (), cb)
        if base is None:
            return None
        acc = base
        for i in real_idx:
            d = self.ev(form, (i,), balls)
            if d is None:
                return None
            c = cpt[i]
            acc = acc + d * arb_interval(box[i][0] - c, box[i][1] - c)
        return acc

    def taylor(self, form, box, balls, cpt, v, order, base: tuple = ()):
        """Taylor form of the given order in variable v about the point c of the box:
        sum_{j<K} d^j(c) h^j / j! + d^K(box) h^K / K!, h = x_v - c, of the derivative
        ``base`` of the form (default: the form itself)."""
        c = cpt[v]
        cb = list(balls)
        cb[v] = arb_from_fraction(c)
        h = arb_interval(box[v][0] - c, box[v][1] - c)
        acc = None
        orders: tuple = base
        for j in range(order + 1):
            d = self.ev(form, orders, balls if j == order else cb)
            if d is None:
                return None
            term = d if j == 0 else d * pow_int(h, j) / math.factorial(j)
            acc = term if acc is None else acc + term
            orders = orders + (v,)
        return acc

    def tight(self, box, balls, real_idx):
        """Tight-point certificates at the ends of the box (see the module docstring).

        For variable v and an end e (sign s): the face values s^j d^j f(e) for j < m and
        the box value s^m d^m f are checked, cheapest first; the face value of f itself,
        when its enclosure cannot settle it, is certified by a branch-and-bound on the face
        (one dimension less) -- only once the rest of the certificate holds."""
        for v in real_idx:
            name = self.vars[v].name
            for side, e in (("lower", box[v][0]), ("upper", box[v][1])):
                s = 1 if side == "lower" else -1
                face = list(balls)
                face[v] = arb_from_fraction(e)
                at_edge = e in (self.vars[v].lo, self.vars[v].hi)
                point_face = all(lo == hi for i, (lo, hi) in enumerate(box) if i != v)
                pt_face = [box[i][0] if i != v else e for i in range(len(box))]
                # j = 0: the value on the face
                V0 = self.ev("f", (), face)
                if V0 is None:
                    continue
                if not at_edge and not V0.contains(0):
                    continue  # an interior end with f clearly away from 0: not tight
                if self.ok(V0):
                    face_state = "ok"
                elif self.bad(V0):
                    if point_face:  # a certified violation at a point of the domain
                        return ("fail", pt_face, V0)
                    continue
                elif point_face:
                    if V0.contains(0) and self.face_zero(box, v, e, (), True, face):
                        if self.strict:
                            return ("fail", pt_face, V0)
                        face_state, V0 = "ok", arb(0)
                    else:
                        continue
                elif not self.strict and at_edge and V0.contains(0) and \
                        self.face_zero(box, v, e, (), False, face):
                    face_state, V0 = "ok", arb(0)
                else:
                    face_state = "maybe"  # settle it by a branch-and-bound on the face
                orders: tuple = ()
                for j in range(1, self.taylor_order + 1):
                    orders = orders + (v,)
                    W = self.ev("f", orders, balls)
                    if (W is None or not (W * s**j >= 0)) and not point_face_only_v(box, v):
                        W = None
                    elif W is None or not (W * s**j >= 0):
                        # the derivative's Taylor form about the end: much less dependency
                        W = self.taylor("f", box, balls, pt_face, v, 2, base=orders)
                    if W is not None and (W * s**j >= 0):
                        if face_state == "maybe":
                            sub = self.sub_certify(tuple((e, e) if i == v else b
                                                         for i, b in enumerate(box)))
                            if sub is None:
                                break
                            if sub[0] == "fail":
                                return sub
                            V0 = arb(0)
                        label = ("monotone" if j == 1 else f"Taylor order {j}")
                        self.note_lower(V0, f"tight point: {label} in {name} at the "
                                        f"{side} end")
                        return ("cert",)
                    if j == self.taylor_order:
                        break
                    V = self.ev("f", orders, face)
                    if V is None:
                        break
                    sv = V * s**j
                    if not (sv >= 0):
                        if not (sv.contains(0) and (point_face or at_edge) and
                                self.face_zero(box, v, e, orders, point_face, face)):
                            break
        return None

    def sub_certify(self, box, budget: int = 200):
        """Certify f on a face (a box with one more variable fixed) by the same
        branch-and-bound, within ``budget`` boxes: ("cert",), ("fail", point, value) (a
        counterexample on the face, hence in the domain) or None (not settled)."""
        key = box
        if key in self.face_cache:
            return self.face_cache[key]
        if self.face_depth >= len(self.vars):
            return None
        self.face_depth += 1
        self.face_cache[key] = None  # no re-entry on the same face
        prec = ctx.prec
        stack = [box]
        res = ("cert",)
        n = 0
        try:
            while stack:
                n += 1
                if n > budget or (self.deadline is not None and
                                  time.monotonic() > self.deadline):
                    res = None
                    break
                b = stack.pop()
                self.out.boxes += 1
                r = self.try_box(b, prec)
                if r[0] == "cert":
                    continue
                if r[0] == "fail":
                    res = r
                    break
                children = self.split(b, r[2] if len(r) > 2 else None)
                if children is None:
                    res = None
                    break
                stack.extend(reversed(children))
        finally:
            self.face_depth -= 1
        self.face_cache[key] = res
        return res

    def face_zero(self, box, v, e, orders, point_face, face) -> bool:
        if point_face:
            pt = {i: (box[i][0] if i != v else e) for i in range(len(box))}
            return self.exact_zero("f", orders, pt, face)
        # identically zero on the face v = e, whatever the other variables
        return self.exact_zero("f", orders, {v: e}, face)

    # -- the loop
    def run(self) -> Outcome:
        t0 = time.monotonic()
        box0 = tuple((v.lo, v.hi) for v in self.vars)
        stack = [(box0, self.prec0)]
        out = self.out
        unresolved: list = []
        covered = Fraction(0)
        while stack:
            if out.boxes >= self.max_boxes:
                out.reason = f"box limit ({self.max_boxes:,} boxes) reached"
                break
            if self.deadline is not None and time.monotonic() > self.deadline:
                out.reason = "time limit reached"
                break
            box, prec = stack.pop()
            out.boxes += 1
            out.max_prec = max(out.max_prec, prec)
            with _Prec(prec):
                res = self.try_box(box, prec)
            if res[0] == "cert":
                covered += self.measure(box)
                continue
            if res[0] == "fail":
                out.status = "failed"
                out.point = {self.syms[i]: q for i, q in enumerate(res[1])}
                out.value = res[2]
                out.seconds = time.monotonic() - t0
                return out
            want = min(res[1], self.max_prec)
            children = self.split(box, res[2] if len(res) > 2 else None)
            if children is None:
                if want > prec:
                    stack.append((box, want))
                    continue
                unresolved.append(box)
                if len(unresolved) >= 8:
                    break
                continue
            for ch in reversed(children):
                stack.append((ch, want))
        out.seconds = time.monotonic() - t0
        out.covered = float(covered)
        # the pieces left open (the narrowest first): where touch points may hide
        left = unresolved + sorted((b for b, _ in stack), key=self.measure)[:8]
        out.unresolved = [{self.syms[i]: iv for i, iv in enumerate(b)} for b in left]
        if not stack and not unresolved and not out.reason:
            out.status = "proved"
            out.covered = 1.0
            out.lower_bound = None if self.lower_unknown else self.lower
            return out
        if out.reason:
            out.reason += f" (certified: {100 * float(covered):.1f}% of the box)"
        if unresolved:
            b = unresolved[0]
            where = ", ".join(f"{v.name} in [{_short(lo)}, {_short(hi)}]" if lo != hi else
                              f"{v.name} = {_short(lo)}" for v, (lo, hi) in zip(self.vars, b,
                                                                               strict=True))
            out.reason = (f"depth limit: could not settle {where}"
                          + (f" ({out.reason})" if out.reason else ""))
        return out

    def measure(self, box) -> Fraction:
        """The share of the domain that ``box`` is (integers counted, reals by length)."""
        m = Fraction(1)
        for v, (lo, hi) in zip(self.vars, box, strict=True):
            if v.integer:
                m *= Fraction(int(hi - lo) + 1, int(v.hi - v.lo) + 1)
            elif v.hi > v.lo:
                m *= (hi - lo) / (v.hi - v.lo)
        return m

    def split(self, box, hint=None):
        """Two halves of the box along the relatively widest variable (integers weigh
        INT_WEIGHT times more). ``hint = (i, side)``: the box is tight at an edge of the
        domain in variable i (side 0 lower, 1 upper): if i is split, the piece next to the
        tight point is made small (1/32 to 1/8 of the width), since only the tight-point
        certificate can settle it."""
        best, score = None, Fraction(-1)
        for i, (lo, hi) in enumerate(box):
            if lo == hi:
                continue
            v = self.vars[i]
            dom = v.hi - v.lo
            rel = (hi - lo) / dom if dom else Fraction(0)
            if not v.integer:
                # relative width for boxes away from 0 (a box [1e-400, 1e-300] is wide);
                # boxes touching 0 are measured against 1e-12
                scale = (max(abs(lo), abs(hi)) if lo > 0 or hi < 0 else
                         max(abs(lo), abs(hi), Fraction(1, 10**12)))
                if (hi - lo) < scale * Fraction(1, 2**(self.max_prec // 2)):
                    continue  # too narrow to split further
            else:
                rel = rel * INT_WEIGHT
            if rel > score:
                best, score = i, rel
        if best is None:
            return None
        lo, hi = box[best]
        if self.vars[best].integer:
            m = (lo + hi) // 2
            a = box[:best] + ((lo, Fraction(m)),) + box[best + 1:]
            b = box[:best] + ((Fraction(m + 1), hi),) + box[best + 1:]
            return [a, b]
        if hint is not None and hint[0] == best:
            w = hi - lo
            m = (nice_point(lo + w / 8, lo + w / 4) if hint[1] == 0 else
                 nice_point(hi - w / 4, hi - w / 8))
        else:
            m = _split_point(lo, hi)
        a = box[:best] + ((lo, m),) + box[best + 1:]
        b = box[:best] + ((m, hi),) + box[best + 1:]
        return [a, b]


def prove_nonnegative(
    f: sp.Expr,
    variables: Sequence[Var],
    strict: bool = False,
    *,
    timeout: float | None = None,
    deadline: float | None = None,
    max_boxes: int = DEFAULT_MAX_BOXES,
    clamp=False,
    log: tuple[sp.Expr, list[sp.Expr], sp.Expr] | None = None,
    prec: int = 53,
    max_prec: int = 1024,
    taylor_order: int = TAYLOR_ORDER,
    sides: tuple[sp.Expr, sp.Expr] | None = None,
    methods: Sequence[str] | None = None,
) -> Outcome:
    """Certify ``f >= 0`` (``f > 0`` if ``strict``) on the box of ``variables``.

    ``log``: optional ``(g, conditions, lhs)`` from :func:`log_form`, tried where every
    condition is certified > 0. ``sides``: optional ``(small, big)`` with ``f = big -
    small``; where big > 0 > small is certified from the signs of their factors, f > 0.
    ``clamp``: see :func:`rmc_symbolic.arb_eval.arb_lambdify`
    (pass it only for conditions already certified on the whole box). Stops at the first
    certified counterexample, at ``max_boxes`` boxes, or at the time limit.
    ``methods``: restrict the certificates beyond the plain interval enclosure to these
    kinds (``"signs"``, ``"interval"`` (log form), ``"mean-value"``, ``"Taylor-2"``,
    ``"Taylor-4"``, ``"tight"``); for ablations and benchmarks.
    """
    if deadline is None and timeout is not None:
        deadline = time.monotonic() + timeout
    # constants whose sign SymPy would decide numerically become certified ArbConstants
    # before any SymPy rewriting (derivatives, exact zeros): see rmc_symbolic.certified_sign
    memo: dict = {}
    f = rebuild(f, memo=memo)
    if log is not None:
        log = (rebuild(log[0], memo=memo), [rebuild(c, memo=memo) for c in log[1]],
               rebuild(log[2], memo=memo))
    if sides is not None:
        sides = (rebuild(sides[0], memo=memo), rebuild(sides[1], memo=memo))
    if not isinstance(clamp, bool):
        clamp = {rebuild(c, memo=memo) for c in clamp}
    eng = _Engine(f, variables, strict, clamp, log, deadline, max_boxes, prec, max_prec,
                  taylor_order, sides, methods)
    return eng.run()


_FLIP = {"<=": (">=", False), "<": (">", True), ">=": ("<=", False), ">": ("<", True)}


def prove_relation(
    lhs: sp.Expr,
    op: str,
    rhs: sp.Expr,
    variables: Sequence[Var],
    *,
    timeout: float | None = None,
    deadline: float | None = None,
    max_boxes: int = DEFAULT_MAX_BOXES,
    use_log: bool = True,
    check_domain: bool = True,
    _depth: int = 0,
) -> Outcome:
    """Certify ``lhs op rhs`` (op one of ``<= < >= >``) on the box of ``variables``.

    First the conditions under which the claim's functions are defined (``sqrt`` of a
    nonnegative number, ``log`` of a positive one, ...) are certified the same way; when
    one is refuted at a point the outcome is "undefined" (``status = "undefined"``,
    ``point`` where, ``reason`` what). Certified conditions let the enclosures ignore the
    python-flint rounding artefacts at the edges of a function's domain.
    Then ``f = rhs - lhs`` (for ``<=``/``<``) or ``lhs - rhs`` is certified >= 0 (> 0),
    with the log form tried where both sides are positive.
    """
    if op not in _FLIP:
        raise ValueError(f"prove_relation: op must be one of <=, <, >=, >, got {op!r}")
    if deadline is None and timeout is not None:
        deadline = time.monotonic() + timeout
    small, big = (lhs, rhs) if op in ("<=", "<") else (rhs, lhs)
    memo: dict = {}
    small, big = rebuild(small, memo=memo), rebuild(big, memo=memo)
    strict = op in ("<", ">")
    f = sp.sympify(big) - sp.sympify(small)
    notes: list[str] = []
    clamp: set[sp.Expr] = set()
    if check_domain and _depth < 3:
        res = _certify_domain(sp.sympify(small), sp.sympify(big), variables, deadline,
                              max_boxes, _depth)
        if isinstance(res, Outcome):
            return res
        clamp, notes = res
    small, big, stripped = _strip_increasing(small, big, clamp)
    if stripped:
        f = big - small
        notes.append(f"reduced to {sp.sstr(small)} {'<' if strict else '<='} "
                     f"{sp.sstr(big)}: {', '.join(stripped)} increasing on the domain")
    log = None
    if use_log:
        lf = log_form(small, big)
        if lf is not None:
            log = (lf[0], lf[1], small)
    out = prove_nonnegative(f, variables, strict, deadline=deadline, max_boxes=max_boxes,
                            clamp=clamp, log=log, sides=(small, big))
    out.notes = notes + out.notes
    if stripped and out.status == "proved":
        # the certified bound is of the reduced difference; for rhs - lhs itself only
        # ">= 0" is known
        out.lower_bound = Fraction(0)
    return out


#: functions that are strictly increasing wherever they are defined (real arguments)
_INCREASING = (sp.exp, sp.log, sp.atan, sp.tanh, sp.sinh)


def _strip_increasing(small: sp.Expr, big: sp.Expr, clamp) -> tuple[sp.Expr, sp.Expr, list]:
    """``F(a) <= F(b)`` iff ``a <= b`` for a strictly increasing F: peel such outer
    functions off both sides (exp, atan, tanh, sinh; log where both arguments are
    certified > 0 and ``t**e`` (e a positive rational) where both bases are certified
    >= 0 on the whole domain, i.e. are in ``clamp``)."""
    names: list[str] = []
    certified = clamp if not isinstance(clamp, bool) else set()
    while True:
        if type(small) is type(big) and isinstance(small, _INCREASING) and \
                len(small.args) == 1:
            a, b = small.args[0], big.args[0]
            if isinstance(small, sp.log) and not (a in certified and b in certified):
                break
            names.append(type(small).__name__)
            small, big = a, b
            continue
        if isinstance(small, sp.Pow) and isinstance(big, sp.Pow) and \
                small.exp == big.exp and isinstance(small.exp, sp.Rational) and \
                small.exp.p > 0 and small.base in certified and big.base in certified:
            names.append(f"t**({small.exp})")
            small, big = small.base, big.base
            continue
        break
    return small, big, names


def _exponent_positive(variables: Sequence[Var]):
    syms = [v.symbol for v in variables]
    balls = None

    def pos(e: sp.Expr) -> bool:
        nonlocal balls
        if not variables_of(e) <= set(syms):
            return False
        if balls is None:
            balls = [arb_interval(v.lo, v.hi) for v in variables]
        try:
            val = arb_lambdify(e, syms)(*balls)
        except (NotImplementedError, ValueError, ZeroDivisionError):
            return False
        return bool(val > 0)

    return pos


def _certify_domain(small, big, variables, deadline, max_boxes, depth):
    """Certify the definedness conditions of both sides. Returns an "undefined" Outcome
    when one is refuted, else (the set of arguments that may be clamped, notes)."""
    pos = _exponent_positive(variables)
    expr = big - small
    needed = domain_conditions(expr, pos)
    optional = [c for c in domain_conditions(expr, pos, integer_powers=True)
                if c not in needed]
    clamp: set[sp.Expr] = set()
    notes: list[str] = []
    budget = max(1000, max_boxes // 20)
    for arg, strict in needed + optional:
        is_needed = (arg, strict) in needed
        if not variables_of(arg):  # a constant: exact arithmetic or Arb decides
            sg = constant_sign(arg)
            if sg == 1 or (sg == 0 and not strict):
                continue
            if sg is not None and is_needed:
                out = Outcome(status="undefined")
                out.reason = (f"the claim is not defined: it needs {arg} "
                              f"{'>' if strict else '>='} 0")
                return out
            if is_needed:
                notes.append(f"not certified that the constant {arg} "
                             f"{'>' if strict else '>='} 0")
            continue
        op = "<" if strict else "<="
        sub = prove_relation(sp.Integer(0), op, arg, variables, deadline=deadline,
                             max_boxes=budget, use_log=False, _depth=depth + 1)
        if sub.status == "proved":
            clamp.add(arg)
            if is_needed:
                notes.append(f"defined on the domain: {arg} {'>' if strict else '>='} 0 "
                             f"(certified, {sub.boxes} boxes)")
        elif sub.status in ("failed", "undefined") and is_needed:
            out = Outcome(status="undefined", boxes=sub.boxes, point=sub.point,
                          value=sub.value)
            out.reason = (f"the claim is not defined on the whole domain: it needs {arg} "
                          f"{'>' if strict else '>='} 0")
            return out
        elif is_needed:
            notes.append(f"not certified that {arg} {'>' if strict else '>='} 0 on the "
                         f"whole domain ({sub.reason or sub.status}); enclosures treat it "
                         "strictly")
    return clamp, notes
