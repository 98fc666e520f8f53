"""§3 claims: the Poisson model, a critical Galton–Watson chain.

``theorem2`` is proved symbolically — the actual proof, by generating functions:
``E[e^{-s N_{k+1}} | N_k] = e^{-N_k g(s)}`` (the Poisson Laplace transform, summed by
SymPy from ``sympy.stats``' pmf), hence by induction ``E[e^{-s N_k}] = e^{-N_0 g^{∘k}(s)}``,
and ``s -> oo`` gives ``Pr(N_k = 0) = e^{-N_0 g_k}``. Cross-check (CHECKED, a part of the
report): the formula lies in the rigorous enclosure of the truncated Galton–Watson chain
(:func:`rmc_symbolic.galton_watson.gw_extinction`) at sampled (N_0, k).
``corollary2`` follows termwise; ``theorem2.bounds`` from lemma2/lemma2_sharp by
monotonicity.
"""

from __future__ import annotations

import importlib
import importlib.util

import sympy as sp

from rmc_symbolic import get
from rmc_symbolic.iterated_map import gk
from rmc_symbolic.symbols import k, lambda0, n, s, x

from ..status import Report, Status
from ._core import Ctx, claim, derived_status, part, report
from ._tools import is_zero

_mu = sp.Symbol("mu", positive=True)
_z = sp.Symbol("z", positive=True)
_Y = sp.Symbol("Y", integer=True, nonnegative=True)
_N0 = sp.Symbol("N_0", positive=True)


def _laplace() -> tuple[sp.Expr, list[Report]]:
    """E[e^{-s Y}] for Y ~ Poisson(mu), from sympy.stats' pmf, and its check against
    e^{-mu g(s)} (g from eq2)."""
    from sympy.stats import Poisson, density

    pmf = density(Poisson("Y", _mu))(_Y)
    term = pmf * sp.exp(-s * _Y)
    # term = e^{-mu} z^Y / Y! with z = mu e^{-s}; sum_Y z^Y/Y! = e^z (SymPy)
    zform = sp.exp(-_mu) * _z**_Y / sp.factorial(_Y)
    ok_term = is_zero(sp.powsimp(sp.expand_power_base(
        term - zform.subs(_z, _mu * sp.exp(-s)), force=True), force=True))
    series = sp.Sum(_z**_Y / sp.factorial(_Y), (_Y, 0, sp.oo)).doit()
    lap = sp.exp(-_mu) * series.subs(_z, _mu * sp.exp(-s))
    gs = get("eq2").parts["g"].subs(x, s)
    ok_lap = is_zero(sp.expand(sp.log(lap) - sp.log(sp.exp(-_mu * gs)), force=True)) or \
        is_zero(sp.simplify(lap - sp.exp(-_mu * gs)))
    parts = [
        part("Poisson Laplace transform", f"E[e^(-s Y)] = {sp.simplify(lap)} = e^(-mu g(s)), "
             "Y ~ Poisson(mu)", Status.EXACT if (ok_term and ok_lap and series == sp.exp(_z))
             else Status.UNDECIDED, "SymPy: sympy.stats pmf, exponential series",
             "mu > 0, s >= 0"),
    ]
    return sp.exp(-_mu * gs), parts


@claim("theorem2", "theorem2", expected=Status.EXACT)
def theorem2(ctx: Ctx) -> Report:
    """Pr(Lambda_k != 0) = 1 - e^{-n lambda0 g_k} exactly (generating functions)."""
    r = get("theorem2")
    exact = r.statements["exact"].rhs
    lap, parts = _laplace()
    gs = get("eq2").parts["g"].subs(x, s)
    lim = sp.limit(gs, s, sp.oo)
    ok_lim = lim == gk(sp.Integer(1))
    parts.append(part("induction", "E[e^(-s N_{k+1})] = E[e^(-N_k g(s))] = "
                      "e^(-N_0 g^k(g(s))) = e^(-N_0 g^(k+1)(s)) (tower property, the "
                      "transform above with mu = N_k)", parts[0].status,
                      "structural (composition of the transform)", "every k >= 0"))
    parts.append(part("s -> oo", f"lim g(s) = {lim} = g_1, so g^k(s) -> g^(k-1)(1) = g_k "
                      "(g continuous) and E[e^(-s N_k)] -> Pr(N_k = 0) (bounded convergence)",
                      Status.EXACT if ok_lim else Status.UNDECIDED, "SymPy limit",
                      "every k >= 1"))
    # Pr(N_k = 0) = the transform with g(s) replaced by g_k and mu by N_0 = n lambda0
    pr_zero = lap.subs(gs, gk(k)).subs(_mu, n * lambda0)
    ok_match = is_zero(sp.simplify(exact - (1 - pr_zero)))
    parts.append(part("registry formula", f"1 - Pr(N_k = 0) = {1 - pr_zero} is the "
                      "registry's exact value", Status.EXACT if ok_match else
                      Status.UNDECIDED, "SymPy", "all n, lambda0, k"))
    gw = _galton_watson(ctx)
    if gw is not None:
        parts.append(gw)
    st = derived_status(p.status for p in parts if p.claim != _GW)
    if gw is not None and gw.status is Status.FAILED:
        return report("theorem2", Status.FAILED, gw.method, gw.domain, gw.detail,
                      parts=parts, counterexample=gw.counterexample, margin=gw.margin)
    detail = ("The formula holds for every real N_0 = n lambda0 >= 0 (Poisson(n lambda0) "
              "start). The probabilistic steps (tower property, bounded convergence) are "
              "textbook; SymPy verifies the transform, the limit and the final formula.")
    if gw is None:
        detail += (" No cross-check against a truncated Galton–Watson chain was run "
                   "(rmc_symbolic.galton_watson is not available).")
    else:
        detail += f" Cross-check: {gw.detail}."
    return report("theorem2", st, "symbolic generating-function proof (SymPy): "
                  "E[e^(-s N_(k+1)) | N_k] = e^(-N_k g(s)), induction, s -> oo",
                  "every integer n >= 1, lambda0 > 0, integer k >= 1", detail, parts=parts)


#: the Galton–Watson cross-check: starting counts N_0 = n lambda0 and generations
GW_COUNTS = (1, 3, 10)
GW_KS = (1, 2, 5, 10, 20)
GW_DIGITS = 15
_GW = "Galton–Watson chain (cross-check)"


def _galton_watson(ctx: Ctx) -> Report | None:
    """The formula against the truncated Galton–Watson chain with its rigorous truncation
    bound (rmc_symbolic.galton_watson): the formula's Arb enclosure must meet the chain's
    enclosure [L_k, L_k + delta_k] of Pr(N_k = 0) at every sampled (N_0, k)."""
    if importlib.util.find_spec("rmc_symbolic.galton_watson") is None:
        return None
    from rmc_symbolic.arb_eval import arb_lambdify
    from rmc_symbolic.galton_watson import gw_extinction

    from ._tools import working_prec

    exact = get("theorem2").statements["exact"].rhs
    f = arb_lambdify(1 - exact, [n, lambda0, k])  # Pr(N_k = 0) by the formula
    worst = 0.0
    with working_prec(96):
        for c in GW_COUNTS:
            ctx.tick()
            res = gw_extinction(c, list(GW_KS), digits=GW_DIGITS)
            for i, kk in enumerate(GW_KS):
                enc = res.enclosure(i)
                val = f(1, c, kk)  # n = 1, lambda0 = c: N_0 = c
                worst = max(worst, float(res.bound_upper(i)))
                if not val.overlaps(enc):
                    return part(_GW, "Pr(N_k = 0) = exp(-N_0 g_k) vs the chain", Status.FAILED,
                                "truncated chain with a rigorous truncation bound",
                                f"N_0 = {c}, k = {kk}", f"formula {val.str(15)}, chain "
                                f"{enc.str(15)}", counterexample={"n": "1", "lambda0": str(c),
                                                                  "k": str(kk)},
                                margin=(val - enc).str(10))
    dom = (f"N_0 in {{{', '.join(map(str, GW_COUNTS))}}}, "
           f"k in {{{', '.join(map(str, GW_KS))}}}")
    return part(_GW, "Pr(N_k = 0) = exp(-N_0 g_k) agrees with the truncated chain",
                Status.CHECKED, "rmc_symbolic.galton_watson: truncated chain, Arb, with the "
                "certified truncation error", dom,
                f"the formula lies in every certified enclosure [L_k, L_k + delta_k]; "
                f"delta_k <= {worst:.2g} (agreement to that accuracy, not a proof)")


@claim("theorem2.bounds", "theorem2", expected=Status.PROVED,
       depends=["lemma2.lower", "lemma2.upper", "lemma2_sharp.lower", "lemma2_sharp.upper"],
       text="Pr(Lambda_k != 0) within the bounds from lemma2 and lemma2_sharp: "
       "1 - e^{-n lambda0 L(k)} <= 1 - e^{-n lambda0 g_k} <= 1 - e^{-n lambda0 U(k)}")
def theorem2_bounds(ctx: Ctx) -> Report:
    """The exact formula is increasing in g_k, so g_k's bounds carry over."""
    r = get("theorem2")
    exact = r.parts["exact"]
    G = sp.Symbol("G", positive=True)
    d = sp.diff(exact.subs(gk(k), G), G)
    mono = bool(d.is_positive)
    ok = True
    for name, rid, side in (("lemma2_lower", "lemma2", "lower"),
                            ("lemma2_upper", "lemma2", "upper"),
                            ("sharp_lower", "lemma2_sharp", "lower"),
                            ("sharp_upper", "lemma2_sharp", "upper")):
        ok = ok and is_zero(r.parts[name] - exact.subs(gk(k), get(rid).parts[side]))
    deps = [ctx.dep(c) for c in ("lemma2.lower", "lemma2.upper", "lemma2_sharp.lower",
                                 "lemma2_sharp.upper")]
    parts = [part("monotone in g_k", f"d/dG (exact) = {d} > 0", Status.EXACT if mono else
                  Status.UNDECIDED, "SymPy (sign from assumptions)", "n, lambda0 > 0"),
             part("substitution", "each bound is the exact formula at a bound of g_k",
                  Status.EXACT if ok else Status.UNDECIDED, "SymPy", "all")] + deps
    st = derived_status(p.status for p in parts)
    return report("theorem2.bounds", st, "monotonicity (SymPy) + lemma2, lemma2_sharp",
                  "every integer n >= 1, lambda0 > 0, integer k >= 1", parts=parts)


@claim("corollary2", "corollary2", expected=Status.EXACT, depends=["theorem2"])
def corollary2(ctx: Ctx) -> Report:
    """Termwise theorem2: under Poisson sampling each symbol's count is its own Poisson
    chain with N_0 = n p_i; E[uniq_k] = sum_i Pr(symbol i alive) by linearity."""
    r = get("corollary2")
    t2 = get("theorem2")
    dep = ctx.dep("theorem2")
    summ = r.statements["exact"].rhs
    (idx, _, _), = summ.limits
    term = summ.function
    pis = list(term.atoms(sp.Indexed))
    ok = len(pis) == 1 and is_zero(term - t2.statements["exact"].rhs.subs(lambda0, pis[0]))
    parts = [dep, part("termwise", "each summand is theorem2's exact value at lambda0 = p_i",
                       Status.EXACT if ok else Status.UNDECIDED, "SymPy", "every i")]
    st = derived_status(p.status for p in parts)
    return report("corollary2", st, "termwise from theorem2 + linearity of expectation",
                  "every integer n >= 1, integer k >= 1, every pmf p_1..p_m", parts=parts)
