"""Helpers of the claim checks: exact symbolic tests (SymPy), rewriting for the
substitution ``k = 1/u``, and :func:`certify_positive`, a one-variable front end to the
generic branch-and-bound engine :mod:`proofs_check.enclosure` (which handles *tight*
end points the way a mathematician would: if ``f(a) = f'(a) = ... = f^(m-1)(a) = 0``,
exactly by SymPy, Taylor's theorem with the Lagrange remainder gives
``f(x) = f^(m)(xi) (x - a)^m / m!``, so the sign of ``f`` next to ``a`` is the sign of
``f^(m)`` on the box).

Everything rigorous goes through :func:`rmc_symbolic.arb_eval.arb_lambdify`.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from fractions import Fraction

import sympy as sp
from flint import arb, ctx

from ..status import Status, Step
from ._core import Ctx, part

__all__ = [
    "PREC", "working_prec", "simplifies_to_zero", "expand_logs", "clear_reciprocal", "Cert",
    "certify_positive", "cert_part", "fmt_frac", "fmt_arb", "as_fraction", "sign_step",
    "identity_step",
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


def simplifies_to_zero(expr: sp.Expr) -> bool:
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
    from rmc_symbolic.arb_eval import arb_from_fraction

    with working_prec(PREC):
        return arb_from_fraction(q).str(6, radius=False)


def fmt_arb(b: arb, digits: int = 6) -> str:
    """A ball's lower end as a short decimal (for margins)."""
    return b.lower().str(digits, radius=False)


@dataclass
class Cert:
    """Outcome of :func:`certify_positive`.

    status:      PROVED (``f >= 0`` certified on the whole interval), FAILED (a rigorously
                 verified point where ``f < 0``), UNDECIDED (box, depth or time limit)
    boxes:       number of boxes the engine evaluated
    min_lower:   a certified lower bound of ``f`` on the interval (a Fraction), or None
    how:         the engine's account of the certificates used (``method_text()``)
    point:       the counterexample (FAILED) or None
    value:       Arb enclosure of ``f`` at ``point``
    """

    status: Status
    boxes: int
    min_lower: Fraction | None
    how: str = ""
    point: Fraction | None = None
    value: arb | None = None
    seconds: float = 0.0
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.status is Status.PROVED


#: derivative order allowed at tight end points (lemma2_sharp's auxiliary B(x) has an
#: order-5 zero at x = 0)
TAYLOR_ORDER = 6


def certify_positive(
    expr: sp.Expr,
    var: sp.Symbol,
    a,
    b,
    ctx_: Ctx | None = None,
    *,
    max_boxes: int = 200_000,
    taylor_order: int = TAYLOR_ORDER,
) -> Cert:
    """Certify ``expr >= 0`` for ``var`` in ``[a, b]`` (exact rational end points) with the
    generic branch-and-bound engine :func:`proofs_check.enclosure.prove_nonnegative`
    (Arb balls; mean-value and Taylor forms; *tight-point certificates*: at an end point
    where the derivatives of order < m vanish exactly (SymPy) the sign comes from the
    order-m derivative on the box, by Taylor's theorem with the Lagrange remainder).

    A FAILED outcome carries a point where ``expr < 0`` is certified (rigorous).
    """
    from ..enclosure import Var, prove_nonnegative

    a, b = as_fraction(a), as_fraction(b)
    deadline = None if ctx_ is None else ctx_.deadline
    out = prove_nonnegative(sp.sympify(expr), [Var(var, a, b)], strict=False,
                            deadline=deadline, max_boxes=max_boxes,
                            taylor_order=taylor_order)
    if ctx_ is not None:
        ctx_.tick()
    st = {"proved": Status.PROVED, "failed": Status.FAILED}.get(out.status, Status.UNDECIDED)
    pt = None
    if out.point:
        pt = next(iter(out.point.values()))
    return Cert(st, out.boxes, out.lower_bound, out.method_text(), pt, out.value,
                out.seconds, out.reason)


def cert_part(
    name: str,
    statement: str,
    cert: Cert,
    var: str,
    a,
    b,
    *,
    what: str = "",
) -> Step:
    """A step for a :func:`certify_positive` outcome on ``var in [a, b]``."""
    a, b = as_fraction(a), as_fraction(b)
    dom = f"{var} in [{fmt_frac(a)}, {fmt_frac(b)}]"
    margin = None if cert.min_lower is None else fmt_frac(cert.min_lower)
    if cert.status is Status.PROVED:
        tight = " + tight-point certificate" if "tight point" in cert.how else ""
        detail = f"{what}{cert.how}, {cert.seconds:.2f} s."
        if margin is not None:
            detail += f" Certified lower bound: {margin}."
        return part(name, statement, Status.PROVED, "Arb branch-and-bound" + tight, dom,
                    detail, margin=margin, seconds=cert.seconds)
    pt = None if cert.point is None else {var: str(cert.point)}
    val = "" if cert.value is None else f" enclosure there: {cert.value.str(10)}."
    if cert.status is Status.FAILED:
        return part(name, statement, Status.FAILED, "Arb branch-and-bound; counterexample "
                    "certified at an exact point", dom, f"{what}fails at {pt}.{val}",
                    counterexample=pt, margin=None if cert.value is None else
                    cert.value.str(10), seconds=cert.seconds)
    return part(name, statement, Status.UNDECIDED, "Arb branch-and-bound (not settled)", dom,
                f"{what}{cert.reason or 'limit reached'} after {cert.boxes} boxes.{val}",
                seconds=cert.seconds)


def sign_step(
    name: str,
    expr: sp.Expr,
    want,
    domain: dict | None = None,
    *,
    statement: str | None = None,
    where: str = "",
) -> Step:
    """A step "``expr`` has the sign ``want``" (:mod:`._sign`: ``POS``, ``NONNEG``, ...),
    EXACT when the structural sign certificate holds under ``domain`` (symbol -> sign; a
    symbol not given has its declared sign), UNDECIDED otherwise. No assumption query,
    ``evalf`` or float decides it."""
    from ._sign import _NAMES, certify_sign, premises

    ok = certify_sign(expr, want, domain)
    prem = premises(domain or {})
    return part(name, statement or f"{sp.sstr(expr)} {_NAMES[want]}",
                Status.EXACT if ok else Status.UNDECIDED,
                "sign by structure" + (f" with {prem}" if prem else "") +
                " (exact rules, no SymPy assumption query)", where or "declared domain",
                "" if ok else "no structural sign certificate found")


def identity_step(name: str, statement: str, ok: bool, method: str = "SymPy identity",
                  where: str = "") -> Step:
    """A step that is a SymPy identity (``ok``: it simplified to 0 / matched exactly)."""
    return part(name, statement, Status.EXACT if ok else Status.UNDECIDED, method,
                where or "declared domain", "" if ok else "SymPy did not show the identity")
