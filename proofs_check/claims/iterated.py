"""§1 claims: the bounds on ``g_k`` (``lemma2``, ``lemma2_sharp``), by induction.

For a lower bound ``L`` (upper bound ``U``) of ``g_k``: the base case ``L(1) <= g_1 = 1``
is exact; ``g`` is increasing (``g' = e^{-x} > 0``, SymPy), so ``g_k >= L(k)`` gives
``g_{k+1} = g(g_k) >= g(L(k))``, and the *step* ``g(L(k)) >= L(k+1)`` closes the
induction (``g(U(k)) <= U(k+1)`` for upper bounds). The step is certified for every
**real** ``k >= 1`` at once through ``u = 1/k`` in ``(0, 1]``: the step margin is an
analytic function of ``u`` that vanishes at ``u = 0`` (``k = oo``) to some order m, so Arb
bisection on ``[0, 1]`` with a Taylor certificate at ``u = 0`` covers all k, including the
tail. ``lemma2_sharp.lower``, whose step margin is zero at leading order (it is of order
``u^4 log(1/u)``, not analytic at 0), is closed by a two-line argument instead (see
:func:`_sharp_lower_step`). Every formula is the registry's; the auxiliary bounds of the
argument are derived from it by SymPy (series, substitution).

Each claim also carries a direct cross-check: ``g_k`` (Arb iteration) against the bound
for every k up to :data:`DIRECT_K` (reported as a part; the status rests on the
induction).
"""

from __future__ import annotations

import dataclasses

import sympy as sp
from flint import arb

from rmc_symbolic import get
from rmc_symbolic.arb_eval import arb_lambdify
from rmc_symbolic.iterated_map import gk
from rmc_symbolic.symbols import k, x

from ..status import Report, Status, Step
from ._core import Ctx, claim, derived_status, part, report
from ._sign import NONNEG, POS
from ._tools import (
    PREC,
    cert_part,
    certify_positive,
    clear_reciprocal,
    expand_logs,
    identity_step,
    sign_step,
    simplifies_to_zero,
    working_prec,
)

#: the direct cross-check covers k = 1..DIRECT_K
DIRECT_K = 2000

_kr = sp.Symbol("kappa", real=True, positive=True)  # k as a real variable
_u = sp.Symbol("u", real=True, nonnegative=True)  # u = 1/k
_t = sp.Symbol("t", real=True, nonnegative=True)  # k = 1 + t

ALL_K = "every integer k >= 1 (step certified for every real k >= 1)"


def _g_of(arg: sp.Expr) -> sp.Expr:
    """The registry's g (eq2) at ``arg``."""
    return get("eq2").parts["g"].subs(x, arg)


def _base_and_monotone(rid: str, side: str) -> list[Step]:
    bound = get(rid).parts[side]
    b1 = bound.subs(k, 1)
    g1 = gk(sp.Integer(1))
    rel = "<=" if side == "lower" else ">="
    stmt = f"{rid} {side} at k = 1: {b1} {rel} g_1 = {g1}"
    if isinstance(b1, sp.Rational) and isinstance(g1, sp.Rational):  # exact comparison
        ok_base = b1 <= g1 if side == "lower" else g1 <= b1
        base = part("base case", stmt, Status.EXACT if ok_base else Status.FAILED,
                    "exact rational comparison", "k = 1",
                    "equality: the bound is tight at k = 1" if b1 == g1 else "",
                    counterexample=None if ok_base else {"k": "1"})
    else:  # not a rational at k = 1: an Arb enclosure decides, else nothing
        with working_prec(PREC):
            d = arb_lambdify(g1 - b1 if side == "lower" else b1 - g1, [])()
        st = Status.PROVED if d > 0 else Status.FAILED if d < 0 else Status.UNDECIDED
        base = part("base case", stmt, st, "Arb enclosure", "k = 1", d.str(10),
                    counterexample={"k": "1"} if st is Status.FAILED else None)
    dg = sp.diff(get("eq2").parts["g"], x)
    mono = sign_step("g increasing", dg, POS, statement=f"g'(x) = {dg} > 0",
                     where="all real x")
    return [base, mono]


def _direct(rid: str, side: str, ctx: Ctx) -> Step:
    """g_k against the bound for k = 1..DIRECT_K: g_1 = 1 and g_{k+1} = g(g_k) iterated
    on Arb balls with the registry's g (eq2), at PREC bits."""
    bound = get(rid).parts[side]
    f = arb_lambdify(bound, [k])
    g = arb_lambdify(get("eq2").parts["g"], [x])
    rel = ">=" if side == "lower" else "<="
    stmt = f"g_k {rel} {bound} for k = 1..{DIRECT_K}"
    equal_at_1 = False
    with working_prec(PREC):
        gv = arb(int(gk(sp.Integer(1))))
        for kk in range(1, DIRECT_K + 1):
            if kk > 1:
                gv = g(gv)
            if kk % 256 == 0:
                ctx.tick()
            bv = f(kk)
            d = gv - bv if side == "lower" else bv - gv
            if d >= 0:
                equal_at_1 = equal_at_1 or (kk == 1 and d == 0)
                continue
            if d < 0:
                return part("direct check", stmt, Status.FAILED, "Arb iteration of g_k",
                            f"k = {kk}", f"g_{kk} = {gv.str(12)}, bound = {bv.str(12)}",
                            counterexample={"k": str(kk)}, margin=d.str(10))
            return part("direct check", stmt, Status.UNDECIDED if kk == 1 else Status.PROVED,
                        "Arb iteration of g_k", f"integer k in [1, {kk - 1}]",
                        f"balls overlap at k = {kk}")
    tight = " (k = 1 is an exact equality: g_1 = 1 = the bound)" if equal_at_1 else ""
    return part("direct check (cross-check)", stmt, Status.PROVED,
                f"g_k by Arb iteration of g at {PREC} bits vs Arb enclosure of the bound",
                f"integer k in [1, {DIRECT_K}]", f"each k certified separately{tight}")


def _step_by_reciprocal(rid: str, side: str, ctx: Ctx) -> list[Step]:
    """The induction step for every real k >= 1, certified in u = 1/k on [0, 1]."""
    bound = get(rid).parts[side].subs(k, _kr)
    nxt = bound.subs(_kr, _kr + 1)
    if side == "lower":
        margin = _g_of(bound) - nxt
        stmt = f"g(L(k)) >= L(k+1), L(k) = {get(rid).parts[side]}"
    else:
        margin = nxt - _g_of(bound)
        stmt = f"g(U(k)) <= U(k+1), U(k) = {get(rid).parts[side]}"
    mu = clear_reciprocal(margin.subs(_kr, 1 / _u), _u)
    cert = certify_positive(mu, _u, 0, 1, ctx)
    return [cert_part("induction step", stmt, cert, "u = 1/k", 0, 1,
                      what=f"margin as a function of u = 1/k: {mu}. ")]


def _sharp_lower_step(ctx: Ctx) -> list[Step]:
    """Step of lemma2_sharp.lower for every real k >= 1.

    With ``Phi`` the order-1 Laurent polynomial of ``2/g`` at 0 (SymPy series:
    ``2/x + 1 + x/6``):

    (A) ``g(x) >= 2/Phi(x)`` on ``(0, 1]``: ``B(x) = x (Phi(x) g(x) - 2) > 0``, an
        order-5 zero at ``x = 0`` (Arb + Taylor);
    (R) ``L(k)`` lies in ``(0, 1]`` for real k >= 1 (``2/L(k) - 2 >= 0``, SymPy with
        ``k = 1 + t``);
    (C) ``Phi(L(k)) <= 2/L(k+1)``: ``3 (2/L(k+1) - Phi(L(k))) = D1(1/k) + D2(k)`` with
        ``D1(u) = log(1 + u) - 2u/(2 + u) > 0`` on ``(0, 1]`` (Arb + Taylor, order-3 zero)
        and ``D2(k) = 2/(2k + 1) - L(k)/2 = L(k) (2/L(k) - k - 1/2)/(2k + 1) > 0``
        (SymPy: ``2/L(k) - k - 1/2 = 1/2 + log(k)/3 > 0``).
    Then ``g(L(k)) >= 2/Phi(L(k)) >= L(k+1)``.
    """
    L = get("lemma2_sharp").parts["lower"]
    g = get("eq2").parts["g"]
    parts: list[Step] = []
    phi = sp.series(2 / g, x, 0, 2).removeO()
    B = sp.expand(x * (phi * g - 2))
    cert = certify_positive(B, x, 0, 1, ctx)
    xp = sp.Symbol("x", positive=True)
    parts.append(cert_part("(A) g(x) >= 2/Phi(x)", f"B(x) = x(Phi(x) g(x) - 2) >= 0, "
                           f"Phi(x) = {phi} (series of 2/g at 0)", cert, "x", 0, 1,
                           what=f"B(x) = {B}. "))
    parts.append(sign_step("(A') Phi > 0", phi.subs(x, xp), POS,
                           statement=f"Phi(x) = {phi} > 0 for x > 0", where="x in (0, 1]"))
    Lr = L.subs(k, 1 + _t)
    rng = sp.simplify(2 / Lr - 2)
    parts.append(sign_step("(R) L(k) <= 1", rng, NONNEG, statement=f"2/L(k) - 2 = {rng} "
                           ">= 0 with k = 1 + t, t >= 0", where="real k >= 1"))
    parts.append(sign_step("(R') L(k) > 0", Lr, POS, statement=f"L(1 + t) = {Lr} > 0",
                           where="real k >= 1"))
    Lk = L.subs(k, _kr)
    C = 2 / Lk.subs(_kr, _kr + 1) - phi.subs(x, Lk)
    D1 = sp.log(1 + _u) - 2 * _u / (2 + _u)
    D2 = 2 / (2 * _kr + 1) - Lk / 2
    identity = expand_logs(3 * C - D1.subs(_u, 1 / _kr) - D2)
    parts.append(identity_step("(C) decomposition", "3 (2/L(k+1) - Phi(L(k))) = D1(1/k) + "
                               "D2(k)", simplifies_to_zero(identity), "SymPy identity "
                               "(expand_log, simplify to 0)", "real k >= 1"))
    cert = certify_positive(D1, _u, 0, 1, ctx)
    parts.append(cert_part("(C1) D1 > 0", f"D1(u) = {D1} > 0", cert, "u = 1/k", 0, 1))
    core = sp.simplify(2 / Lr - (1 + _t) - sp.Rational(1, 2))
    d2_form = sp.simplify(D2.subs(_kr, 1 + _t) - Lr * core / (2 * (1 + _t) + 1))
    parts.append(identity_step("(C2) D2 factored", f"D2(k) = L(k) (2/L(k) - k - 1/2)/(2k + 1)"
                               f", 2/L(k) - k - 1/2 = {core} (k = 1 + t)", d2_form == 0,
                               where="real k >= 1"))
    parts.append(sign_step("(C2') D2 > 0", Lr * core / (2 * (1 + _t) + 1), POS,
                           statement=f"L(k) ({core})/(2k + 1) > 0 with k = 1 + t, t >= 0",
                           where="real k >= 1"))
    return parts


def _induction_claim(claim_id: str, rid: str, side: str, ctx: Ctx) -> Report:
    steps = _base_and_monotone(rid, side)
    if rid == "lemma2_sharp" and side == "lower":
        steps += _sharp_lower_step(ctx)
    else:
        steps += _step_by_reciprocal(rid, side, ctx)
    direct = _direct(rid, side, ctx)
    for refuting in (steps[0], direct):  # the claim itself at k = 1, resp. at some k
        if refuting.status is Status.FAILED:
            return report(claim_id, "", "", steps=steps, cross_checks=[direct],
                          refuted_by=refuting)
    if derived_status(st.status for st in steps) is not Status.UNDECIDED:
        method = ("induction: exact base case, g increasing, step certified for every real "
                  "k >= 1 " + ("(auxiliary inequalities, Arb + Taylor at tight points)"
                               if (rid, side) == ("lemma2_sharp", "lower") else
                               "by Arb bisection in u = 1/k on (0, 1] with a Taylor "
                               "certificate at u = 0 (k = oo)"))
        return report(claim_id, method, ALL_K, f"Cross-check: g_k directly against the "
                      f"bound for k <= {DIRECT_K} (Arb iteration).", steps=steps,
                      cross_checks=[direct])
    # the induction is not closed: only the direct range is established
    open_ = ", ".join(st.name for st in steps if st.status is not Status.EXACT and
                      st.status is not Status.PROVED)
    return report(claim_id, "direct Arb iteration of g_k (induction step not certified)",
                  direct.domain, f"k > {DIRECT_K} not covered: the induction is open at "
                  f"{open_} (the attempted steps are listed as cross-checks).",
                  steps=[direct], cross_checks=[dataclasses.replace(st, name="attempted: " +
                                                                    st.name) for st in steps])


@claim("lemma2.lower", "lemma2", ["lower"], expected=Status.PROVED)
def lemma2_lower(ctx: Ctx) -> Report:
    """1/k <= g_k, integer k >= 1 (lemma2 [A])."""
    return _induction_claim("lemma2.lower", "lemma2", "lower", ctx)


@claim("lemma2.upper", "lemma2", ["upper"], expected=Status.PROVED)
def lemma2_upper(ctx: Ctx) -> Report:
    """g_k <= 3/k, integer k >= 1 (lemma2 [A])."""
    return _induction_claim("lemma2.upper", "lemma2", "upper", ctx)


@claim("lemma2_sharp.lower", "lemma2_sharp", ["lower"], expected=Status.PROVED)
def lemma2_sharp_lower(ctx: Ctx) -> Report:
    """2/(k + 1 + ln(k)/3) <= g_k, integer k >= 1 (lemma2_sharp [+])."""
    return _induction_claim("lemma2_sharp.lower", "lemma2_sharp", "lower", ctx)


@claim("lemma2_sharp.upper", "lemma2_sharp", ["upper"], expected=Status.PROVED)
def lemma2_sharp_upper(ctx: Ctx) -> Report:
    """g_k <= 2/(k + 1), integer k >= 1 (lemma2_sharp [+])."""
    return _induction_claim("lemma2_sharp.upper", "lemma2_sharp", "upper", ctx)
