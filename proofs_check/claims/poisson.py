"""§3 claims: the Poisson model, a critical Galton–Watson chain.

``theorem2`` is proved by the paper's argument, by generating functions:
``E[e^{-s N_{k+1}} | N_k] = e^{-N_k g(s)}`` (the Poisson Laplace transform, summed by
SymPy from ``sympy.stats``' pmf), hence, by the tower property (cited),
``E[e^{-s N_k}] = e^{-N_0 g^{∘k}(s)}`` (induction, SymPy), and ``s -> oo`` gives
``Pr(N_k = 0) = e^{-N_0 g_k}`` (bounded convergence, cited): PROVED, citing those two
facts. Cross-check (CHECKED): the formula lies in the rigorous enclosure of the truncated
Galton–Watson chain (:func:`rmc_symbolic.galton_watson.gw_extinction`) at sampled
(N_0, k). ``corollary2`` follows termwise; ``theorem2.bounds`` from lemma2/lemma2_sharp
by monotonicity.
"""

from __future__ import annotations

import importlib
import importlib.util

import sympy as sp
from flint import arb

from rmc_symbolic import get
from rmc_symbolic.iterated_map import gk
from rmc_symbolic.symbols import k, lambda0, n, s, x

from ..status import Report, Status, Step
from ._cited import cite
from ._core import Ctx, claim, part, report
from ._sign import NONNEG, POS
from ._tools import identity_step, sign_step, simplifies_to_zero

_mu = sp.Symbol("mu", positive=True)
_z = sp.Symbol("z", positive=True)
_Y = sp.Symbol("Y", integer=True, nonnegative=True)
_N0 = sp.Symbol("N_0", positive=True)


def _laplace() -> tuple[sp.Expr, list[Step]]:
    """E[e^{-s Y}] for Y ~ Poisson(mu), from sympy.stats' pmf, and its check against
    e^{-mu g(s)} (g from eq2)."""
    from sympy.stats import Poisson, density

    pmf = density(Poisson("Y", _mu))(_Y)
    term = pmf * sp.exp(-s * _Y)
    # term = e^{-mu} z^Y / Y! with z = mu e^{-s}; sum_Y z^Y/Y! = e^z (SymPy)
    zform = sp.exp(-_mu) * _z**_Y / sp.factorial(_Y)
    ok_term = simplifies_to_zero(sp.powsimp(sp.expand_power_base(
        term - zform.subs(_z, _mu * sp.exp(-s)), force=True), force=True))
    series = sp.Sum(_z**_Y / sp.factorial(_Y), (_Y, 0, sp.oo)).doit()
    lap = sp.exp(-_mu) * series.subs(_z, _mu * sp.exp(-s))
    gs = get("eq2").parts["g"].subs(x, s)
    ok_lap = simplifies_to_zero(sp.expand(sp.log(lap) - sp.log(sp.exp(-_mu * gs)), force=True)) or \
        simplifies_to_zero(sp.simplify(lap - sp.exp(-_mu * gs)))
    parts = [
        part("Poisson Laplace transform", f"E[e^(-s Y)] = {sp.simplify(lap)} = e^(-mu g(s)), "
             "Y ~ Poisson(mu)", Status.EXACT if (ok_term and ok_lap and series == sp.exp(_z))
             else Status.UNDECIDED, "SymPy: sympy.stats pmf, exponential series",
             "mu > 0, s >= 0"),
    ]
    return sp.exp(-_mu * gs), parts


@claim("theorem2", "theorem2", expected=Status.PROVED)
def theorem2(ctx: Ctx) -> Report:
    """Pr(Lambda_k != 0) = 1 - e^{-n lambda0 g_k} exactly (generating functions; the tower
    property and bounded convergence are cited)."""
    r = get("theorem2")
    exact = r.statements["exact"].rhs
    lap, steps = _laplace()
    gs = get("eq2").parts["g"].subs(x, s)
    g_of = get("eq2").parts["g"]
    # induction on k: H_k(s): E[e^(-s N_k)] = e^(-N_0 g^k(s)) for every s >= 0. H_1 is the
    # transform with mu = N_0; given H_k, E[e^(-s N_(k+1))] = E[e^(-N_k g(s))] (tower
    # property + the transform with mu = N_k) = H_k at the point g(s) >= 0
    # = e^(-N_0 g^k(g(s))) = e^(-N_0 g^(k+1)(s)). SymPy checks the k = 1 -> 2 instance.
    step_ok = simplifies_to_zero(lap.subs(s, gs).subs(_mu, _N0) -
                                 sp.exp(-_N0 * g_of.subs(x, gs)))
    steps.append(cite("tower property", "E[e^(-s N_(k+1))] = E[E[e^(-s N_(k+1)) | N_k]] = "
                      "E[e^(-N_k g(s))]"))
    steps.append(sign_step("g(s) >= 0", gs, NONNEG, statement=f"g(s) = {gs} >= 0 for "
                           "s >= 0: the induction hypothesis applies at the point g(s)",
                           where="s >= 0"))
    steps.append(identity_step("induction", "H_k at the point g(s): E[e^(-N_k g(s))] = "
                               "e^(-N_0 g^k(g(s))) = e^(-N_0 g^(k+1)(s)); H_1 is the "
                               "transform with mu = N_0", step_ok,
                               "SymPy identity (the transform at the point g(s))",
                               "every k >= 1, s >= 0"))
    lim = sp.limit(gs, s, sp.oo)
    steps.append(identity_step("s -> oo", f"lim g(s) = {lim} = g_1, so g^k(s) -> "
                               "g^(k-1)(1) = g_k (g continuous)", lim == gk(sp.Integer(1)),
                               "SymPy limit (Gruntz)", "every k >= 1"))
    steps.append(cite("bounded convergence theorem", "0 <= e^(-s N_k) <= 1 and e^(-s N_k) "
                      "-> 1{N_k = 0} as s -> oo, so E[e^(-s N_k)] -> Pr(N_k = 0)"))
    # Pr(N_k = 0) = the transform with g(s) replaced by g_k and mu by N_0 = n lambda0
    pr_zero = lap.subs(gs, gk(k)).subs(_mu, n * lambda0)
    steps.append(identity_step("registry formula", f"1 - Pr(N_k = 0) = {1 - pr_zero} is the "
                               "registry's exact value", simplifies_to_zero(
                                   sp.simplify(exact - (1 - pr_zero))),
                               where="all n, lambda0, k"))
    gw = _galton_watson(ctx)
    cross = [gw] if gw is not None else []
    if gw is not None and gw.status is Status.FAILED:
        return report("theorem2", "", "", steps=steps, cross_checks=cross, refuted_by=gw)
    detail = ("The formula holds for every real N_0 = n lambda0 >= 0 (Poisson(n lambda0) "
              "start). The probabilistic steps (tower property, bounded convergence) are "
              "cited; SymPy verifies the transform, the induction's substitution, the limit "
              "and the final formula.")
    if gw is None:
        detail += (" No cross-check against a truncated Galton–Watson chain was run "
                   "(rmc_symbolic.galton_watson is not available).")
    else:
        detail += f" Cross-check: {gw.detail}."
    return report("theorem2", "generating-function proof: E[e^(-s N_(k+1)) | N_k] = "
                  "e^(-N_k g(s)) (SymPy), tower property, induction, s -> oo (bounded "
                  "convergence)", "every integer n >= 1, lambda0 > 0, integer k >= 1", detail,
                  steps=steps, cross_checks=cross)


#: the Galton–Watson cross-check: starting counts N_0 = n lambda0 and generations
GW_COUNTS = (1, 3, 10)
GW_KS = (1, 2, 5, 10, 20)
GW_DIGITS = 15
_GW = "Galton–Watson chain (cross-check)"


def _galton_watson(ctx: Ctx) -> Step | None:
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
    worst = arb(0)
    with working_prec(96):
        for c in GW_COUNTS:
            ctx.tick()
            res = gw_extinction(c, list(GW_KS), digits=GW_DIGITS)
            for i, kk in enumerate(GW_KS):
                enc = res.enclosure(i)
                val = f(1, c, kk)  # n = 1, lambda0 = c: N_0 = c
                worst = worst.max(arb(res.bound_upper(i)))
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
                f"delta_k <= {worst.upper().str(2, radius=False)} (agreement to that "
                "accuracy, not a proof)")


@claim("theorem2.bounds", "theorem2", expected=Status.PROVED,
       depends=["theorem2", "lemma2.lower", "lemma2.upper", "lemma2_sharp.lower",
                "lemma2_sharp.upper"],
       text="Pr(Lambda_k != 0) within the bounds from lemma2 and lemma2_sharp: "
       "1 - e^{-n lambda0 L(k)} <= 1 - e^{-n lambda0 g_k} <= 1 - e^{-n lambda0 U(k)}")
def theorem2_bounds(ctx: Ctx) -> Report:
    """The exact formula (theorem2) is increasing in g_k, so g_k's bounds carry over."""
    r = get("theorem2")
    exact = r.parts["exact"]
    G = sp.Symbol("G", positive=True)
    d = sp.diff(exact.subs(gk(k), G), G)
    ok = True
    for name, rid, side in (("lemma2_lower", "lemma2", "lower"),
                            ("lemma2_upper", "lemma2", "upper"),
                            ("sharp_lower", "lemma2_sharp", "lower"),
                            ("sharp_upper", "lemma2_sharp", "upper")):
        ok = ok and simplifies_to_zero(r.parts[name] - exact.subs(gk(k), get(rid).parts[side]))
    steps = [ctx.use("theorem2"),
             sign_step("monotone in g_k", d, POS, statement=f"d/dG (exact) = {d} > 0",
                       where="n, lambda0, G > 0"),
             identity_step("substitution", "each bound is the exact formula at a bound of g_k",
                           ok, where="all")]
    steps += [ctx.use(c) for c in ("lemma2.lower", "lemma2.upper", "lemma2_sharp.lower",
                                   "lemma2_sharp.upper")]
    return report("theorem2.bounds", "theorem2 + monotonicity (sign by structure) + lemma2, "
                  "lemma2_sharp", "every integer n >= 1, lambda0 > 0, integer k >= 1",
                  steps=steps)


@claim("corollary2", "corollary2", expected=Status.PROVED, depends=["theorem2"])
def corollary2(ctx: Ctx) -> Report:
    """Termwise theorem2: under Poisson sampling each symbol's count is its own Poisson
    chain with N_0 = n p_i (colouring theorem, cited); E[uniq_k] = sum_i Pr(symbol i alive)
    by linearity of expectation (cited)."""
    r = get("corollary2")
    t2 = get("theorem2")
    summ = r.statements["exact"].rhs
    (idx, _, _), = summ.limits
    term = summ.function
    pis = list(term.atoms(sp.Indexed))
    ok = len(pis) == 1 and simplifies_to_zero(
        term - t2.statements["exact"].rhs.subs(lambda0, pis[0]))
    steps = [ctx.use("theorem2"),
             cite("colouring theorem", "under Poisson sampling the count of symbol i is its "
                  "own Poisson chain, started at N_0 = n p_i"),
             cite("linearity of expectation", "E[uniq_k] = sum_i Pr(symbol i alive at k)"),
             identity_step("termwise", "each summand is theorem2's exact value at "
                           "lambda0 = p_i", ok, where="every i")]
    return report("corollary2", "termwise from theorem2 + linearity of expectation",
                  "every integer n >= 1, integer k >= 1, every pmf p_1..p_m", steps=steps)
