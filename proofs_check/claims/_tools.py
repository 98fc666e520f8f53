"""Helpers of the claim checks: exact symbolic tests, and a one-variable certifier
``f > 0`` on ``[a, b]`` by Arb bisection that handles *tight* endpoints (``f = 0`` there)
the way a mathematician would: if ``f(a) = f'(a) = ... = f^(m-1)(a) = 0`` (checked
exactly by SymPy) then Taylor's theorem with the Lagrange remainder gives
``f(x) = f^(m)(xi) (x - a)^m / m!`` for some ``xi`` in ``[a, x]``, so the sign of ``f`` on
``(a, a + d]`` is the sign of ``f^(m)`` on ``[a, a + d]``, which Arb certifies on a ball
(likewise at ``b`` with the factor ``(x - b)^m``).

Everything rigorous goes through :func:`rmc_symbolic.arb_eval.arb_lambdify`.
"""

from __future__ import annotations

import time
from contextlib import contextmanager
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
)

from ..status import Report, Status
from ._core import Ctx, part

__all__ = [
    "PREC", "working_prec", "is_zero", "expand_logs", "clear_reciprocal", "Cert",
    "certify_positive", "cert_part", "fmt_frac", "fmt_arb", "as_fraction",
]

#: working precision (bits) of the certifications
PREC = 128


@contextmanager
def working_prec(bits: int = PREC):
    """Run a block at ``bits`` bits of Arb precision (restored afterwards)."""
    old = ctx.prec
    ctx.prec = bits
    try:
        yield
    finally:
        ctx.prec = old


def is_zero(expr: sp.Expr) -> bool:
    """True only when SymPy proves ``expr == 0`` (expansion, cancellation, simplify).

    False means "not shown to be zero" (not "nonzero")."""
    expr = sp.sympify(expr)
    if expr == 0:
        return True
    for f in (sp.expand, sp.cancel, sp.simplify):
        try:
            if f(expr) == 0:
                return True
        except Exception:  # pragma: no cover - SymPy internals
            continue
    return False


def expand_logs(expr: sp.Expr) -> sp.Expr:
    """Write every ``log(a)`` as a sum of logs of the factors of ``a`` (``log(1 + 1/k)``
    becomes ``log(k + 1) - log(k)``): valid for positive symbols (``force``), which is
    how the checks use it."""
    return sp.sympify(expr).replace(
        lambda a: isinstance(a, sp.log),
        lambda a: sp.expand_log(sp.log(sp.factor(a.args[0])), force=True),
    )


def clear_reciprocal(expr: sp.Expr, u: sp.Symbol) -> sp.Expr:
    """Rewrite every rational-in-``u`` sub-expression of ``expr`` in lowest terms
    (``1/(1 + 1/u)`` becomes ``u/(u + 1)``), so that a substitution ``k = 1/u`` leaves an
    expression that Arb can evaluate on balls containing ``u = 0``."""

    def walk(e: sp.Expr) -> sp.Expr:
        if not e.has(u):
            return e
        if e.is_rational_function(u):
            return sp.cancel(e)
        if not e.args:
            return e
        return e.func(*[walk(a) for a in e.args])

    return walk(sp.sympify(expr))


def as_fraction(q) -> Fraction:
    """An exact rational (SymPy Rational, int, Fraction)."""
    if isinstance(q, Fraction):
        return q
    q = sp.Rational(q)
    return Fraction(int(q.p), int(q.q))


def fmt_frac(q: Fraction) -> str:
    """A short exact/decimal rendering of a rational end point."""
    if q.denominator == 1:
        return str(q.numerator)
    if q.denominator <= 10**6 and len(str(q)) <= 12:
        return str(q)
    return f"{float(q):.6g}"


def fmt_arb(b: arb, digits: int = 6) -> str:
    """A ball's lower end as a short decimal (for margins)."""
    return b.lower().str(digits, radius=False)


@dataclass
class Cert:
    """Outcome of :func:`certify_positive`.

    status:      PROVED (certified on the whole interval), FAILED (a rigorously
                 verified point where ``f <= 0``), UNDECIDED (box or depth limit)
    boxes:       number of balls evaluated
    min_lower:   the smallest certified lower bound of ``f`` over the boxes away from
                 the tight end points (a Fraction), or None
    tight:       ``[(end point, order m, side)]`` for the tight end points
    point:       the counterexample (FAILED) or the undecided point
    value:       Arb enclosure of ``f`` at ``point``
    """

    status: Status
    boxes: int
    min_lower: Fraction | None
    tight: list[tuple[Fraction, int, str]] = field(default_factory=list)
    point: Fraction | None = None
    value: arb | None = None
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.status is Status.PROVED


def _order_at(expr: sp.Expr, var: sp.Symbol, at: Fraction, max_order: int
              ) -> tuple[int, sp.Expr] | None:
    """``(m, f^(m))`` with ``f^(j)(at) = 0`` exactly for ``j < m``; None when ``f(at)`` is
    not shown to be zero."""
    d = sp.sympify(expr)
    pt = sp.Rational(at.numerator, at.denominator)
    for m in range(max_order + 1):
        val = d.subs(var, pt)
        if not is_zero(val):
            return (m, d) if m > 0 else None
        d = arb_diff(d, var)
    return None


def certify_positive(
    expr: sp.Expr,
    var: sp.Symbol,
    a,
    b,
    ctx_: Ctx | None = None,
    *,
    max_boxes: int = 200_000,
    min_width: Fraction = Fraction(1, 2**60),
    max_order: int = 8,
    taylor_order: int = 2,
    prec: int = PREC,
) -> Cert:
    """Certify ``expr > 0`` on ``[a, b]`` (exact rational end points), except at an end
    point where ``expr`` vanishes exactly (a *tight* end point; there ``expr = 0`` and the
    sign next to it is certified through the first non-vanishing derivative, see the
    module docstring).

    Bisection with Arb balls at ``prec`` bits. On a box, the plain enclosure ``f(ball)``
    is tried first, then the Taylor form of order ``M`` (the largest tight order, at least
    ``taylor_order``) about the box's midpoint ``c``: ``sum_{j<M} f^(j)(c) h^j/j! +
    f^(M)(ball) h^M/M!`` with ``h`` in ``[-r, r]`` — which defeats the cancellation that
    makes plain enclosures useless next to a tight point. A box that cannot be certified
    is split until ``min_width``; there the midpoint is evaluated as an exact point, and
    if its enclosure is ``<= 0`` the result is FAILED with that point (rigorous), else
    UNDECIDED.
    """
    t0 = time.perf_counter()
    a, b = as_fraction(a), as_fraction(b)
    tight: list[tuple[Fraction, int, str]] = []
    tight_deriv: dict[str, tuple[int, int]] = {}
    for end, side in ((a, "left"), (b, "right")):
        found = _order_at(expr, var, end, max_order)
        if found is not None:
            m, _ = found
            sign = 1 if side == "left" else (-1) ** m
            tight_deriv[side] = (m, sign)
            tight.append((end, m, side))
    order = max([taylor_order] + [m for m, _ in tight_deriv.values()])
    derivs = [sp.sympify(expr)]
    for _ in range(order):
        derivs.append(arb_diff(derivs[-1], var))
    fns = [arb_lambdify(d, [var]) for d in derivs]
    f = fns[0]
    boxes = 0
    min_lower: Fraction | None = None
    stack: list[tuple[Fraction, Fraction]] = [(a, b)]
    with working_prec(prec):
        inv_fact = [arb(1)]
        for j in range(1, order + 1):
            inv_fact.append(inv_fact[-1] / j)
        while stack:
            if ctx_ is not None and boxes % 64 == 0:
                ctx_.tick()
            lo, hi = stack.pop()
            boxes += 1
            if boxes > max_boxes:
                return Cert(Status.UNDECIDED, boxes, min_lower, tight, point=lo,
                            seconds=time.perf_counter() - t0)
            ball = arb_interval(lo, hi)
            ok = False
            touches_left = "left" in tight_deriv and lo == a
            touches_right = "right" in tight_deriv and hi == b
            if touches_left and touches_right:
                ok = False
            elif touches_left or touches_right:
                m, sign = tight_deriv["left" if touches_left else "right"]
                v = fns[m](ball)
                ok = v.is_finite() and (v * sign) > 0
            else:
                v = f(ball)
                if not (v.is_finite() and v > 0) and hi > lo:
                    v = _taylor_form(fns, order, lo, hi, ball, inv_fact)
                if v.is_finite() and v > 0:
                    ok = True
                    low = arb_bounds(v)[0]
                    if min_lower is None or low < min_lower:
                        min_lower = low
            if ok:
                continue
            if hi - lo <= min_width:
                mid = (lo + hi) / 2
                val = f(arb_from_fraction(mid))
                st = Status.FAILED if (val.is_finite() and val <= 0) else Status.UNDECIDED
                return Cert(st, boxes, min_lower, tight, point=mid, value=val,
                            seconds=time.perf_counter() - t0)
            mid = (lo + hi) / 2
            # a failing point is sought first on the left: push right then left
            stack.append((mid, hi))
            stack.append((lo, mid))
    return Cert(Status.PROVED, boxes, min_lower, tight, seconds=time.perf_counter() - t0)


def _taylor_form(fns, order: int, lo: Fraction, hi: Fraction, ball: arb, inv_fact) -> arb:
    """Enclosure of ``f`` on ``[lo, hi]`` by its Taylor form of order ``order`` about the
    midpoint (Lagrange remainder enclosed by ``f^(order)`` on the whole ball)."""
    c = (lo + hi) / 2
    cb = arb_from_fraction(c)
    r = arb_from_fraction((hi - lo) / 2)
    total = arb(0)
    rj = arb(1)
    for j in range(order + 1):
        if j > 0:
            rj = rj * r
        # h^j for h in [-r, r]: [0, r^j] for even j, [-r^j, r^j] for odd j
        hj = arb(1) if j == 0 else (arb(0).union(rj) if j % 2 == 0 else (-rj).union(rj))
        d = fns[j](cb if j < order else ball)
        if not d.is_finite():
            return arb.nan()
        total = total + d * hj * inv_fact[j]
    return total


def cert_part(
    name: str,
    statement: str,
    cert: Cert,
    var: str,
    a,
    b,
    *,
    what: str = "",
) -> Report:
    """A sub-report for a :func:`certify_positive` outcome on ``var in [a, b]``."""
    a, b = as_fraction(a), as_fraction(b)
    dom = f"{var} in [{fmt_frac(a)}, {fmt_frac(b)}]"
    tight_txt = ""
    if cert.tight:
        bits = []
        for end, m, _side in cert.tight:
            bits.append(f"{var} = {fmt_frac(end)} (order-{m} zero, derivatives 0..{m - 1} "
                        f"vanish exactly by SymPy; sign of the order-{m} derivative "
                        f"certified next to it: Taylor with Lagrange remainder)")
        tight_txt = " Tight end point(s): " + "; ".join(bits) + "."
    margin = None if cert.min_lower is None else fmt_frac(cert.min_lower)
    if cert.status is Status.PROVED:
        detail = (f"{what}Arb bisection at {PREC} bits, {cert.boxes} balls, "
                  f"{cert.seconds:.2f} s.{tight_txt}")
        if margin is not None:
            detail += f" Smallest certified lower bound away from tight points: {margin}."
        return part(name, statement, Status.PROVED, "Arb bisection" +
                    (" + Taylor at the tight end point" if cert.tight else ""), dom, detail,
                    margin=margin, seconds=cert.seconds)
    pt = None if cert.point is None else {var: str(cert.point)}
    val = "" if cert.value is None else f" enclosure there: {cert.value.str(10)}."
    if cert.status is Status.FAILED:
        return part(name, statement, Status.FAILED, "Arb bisection; counterexample "
                    "re-evaluated as an exact point", dom, f"{what}fails at {pt}.{val}",
                    counterexample=pt, margin=None if cert.value is None else
                    cert.value.str(10), seconds=cert.seconds)
    return part(name, statement, Status.UNDECIDED, "Arb bisection (not settled)", dom,
                f"{what}box/depth limit after {cert.boxes} balls near {pt}.{val}",
                seconds=cert.seconds)
