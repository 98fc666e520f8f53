"""§5 claims: the symmetric Gaussian mixture.

``lemma5``: both ML equations are derived from the registry's log-likelihood by SymPy
(stationarity in mu and sigma). ``lemma6.eq19``: the substitution alpha = sigma^2/mu in
lemma5's equations (SymPy). ``lemma7``: the algebraic facts about Algorithm 1 — each
equivalence shown as "the two differences are positive multiples of each other": the
multiple is a SymPy identity, its sign a structural certificate (:mod:`._sign`) in
substitutions that cover the domain (never a SymPy assumption query) — the sample-ratio
fact by an induction on n, and the eta = 2 facts by Arb bisection in u = 1/n.
``lemma6.root_exists`` cites the intermediate value theorem. ``theorem4`` is
STATISTICAL: Monte Carlo with the
approximate ML estimator (:func:`rmc_symbolic.mixture_ml.simulate_sigma_exceeds`),
one-sided Wilson upper limits with a Bonferroni-simultaneous confidence.
"""

from __future__ import annotations

import statistics

import sympy as sp

from rmc_symbolic import get
from rmc_symbolic.symbols import eps, k, n, sigma0

from ..status import Report, Status, Step
from ._cited import cite
from ._core import Ctx, claim, part, report
from ._sign import NEG, NONNEG, NONZERO, POS, certify_sign
from ._tools import (
    cert_part,
    certify_positive,
    clear_reciprocal,
    identity_step,
    sign_step,
    simplifies_to_zero,
)

_Y = sp.Symbol("Y", real=True)
_T = sp.Symbol("T", real=True)
_u = sp.Symbol("u", nonnegative=True)


def _gmm():
    import rmc_symbolic.gmm as gmm

    return gmm


def _summand(expr: sp.Expr) -> tuple[sp.Expr, sp.Expr]:
    """The summand of the single sample sum in ``expr`` with y[i] -> Y, and the sum."""
    sums = list(expr.atoms(sp.Sum))
    (idx, _, _), = sums[0].limits
    return sums[0].function.subs(_gmm().y[idx], _Y), sums[0]


# --------------------------------------------------------------------------- lemma5


def _lemma5_derivatives():
    r = get("lemma5")
    gmm = _gmm()
    ell, _ = _summand(r.parts["log_likelihood"])
    A, _ = _summand(r.statements["mean_eq"].rhs)  # y tanh(mu y/sigma^2)
    return r, gmm, ell, A


@claim("lemma5.mean_eq", "lemma5", ["mean_eq"], expected=Status.EXACT)
def lemma5_mean(ctx: Ctx) -> Report:
    """d/dmu log-likelihood = (1/sigma^2) sum_i (y_i tanh(mu y_i/sigma^2) - mu)."""
    r, gmm, ell, A = _lemma5_derivatives()
    d = sp.diff(ell, gmm.mu)
    c = sp.simplify((d / (A - gmm.mu)).rewrite(sp.exp))
    ok = not c.has(_Y) and simplifies_to_zero(sp.simplify((d - c * (A - gmm.mu))
                                                          .rewrite(sp.exp)))
    steps = [identity_step("mu-derivative", f"d/dmu (summand) = ({c}) (y tanh(mu y/sigma^2) "
                           "- mu), c free of y", ok, where="mu >= 0, sigma > 0"),
             sign_step("c > 0", c, POS, statement=f"c = {c} > 0 (dividing the stationarity "
                       "condition by c)", where="sigma > 0")]
    return report("lemma5.mean_eq", "symbolic: the mu-derivative of the registry's "
                  f"log-likelihood summand is ({c}) (y tanh(mu y/sigma^2) - mu) (SymPy); "
                  "setting the sum to 0 gives the equation", "every sample y_1..y_n, "
                  "mu >= 0, sigma > 0", "The statement is a stationarity condition of the "
                  "likelihood (an ML point with mu > 0 satisfies it).", steps=steps)


@claim("lemma5.second_moment", "lemma5", ["second_moment"], expected=Status.EXACT,
       depends=["lemma5.mean_eq"])
def lemma5_second(ctx: Ctx) -> Report:
    """sigma^3 d/dsigma (summand) = P(y) + q y tanh(mu y/sigma^2); summed, with mean_eq,
    it is a multiple of m2 - mu^2 - sigma^2."""
    r, gmm, ell, A = _lemma5_derivatives()
    dep = ctx.use("lemma5.mean_eq")
    D = sp.simplify((sp.diff(ell, gmm.sigma) * gmm.sigma**3).rewrite(sp.exp))
    exps = list(D.atoms(sp.exp))
    ok = len(exps) == 1
    P = q = None
    if ok:
        w = exps[0].args[0]
        tanh_args = [t.args[0] for t in A.atoms(sp.tanh)]
        ok = len(tanh_args) == 1 and simplifies_to_zero(w - 2 * tanh_args[0])
        # e^{2z} = (1 + T)/(1 - T) with T = tanh z: D becomes P + R T
        DT = sp.expand(sp.cancel(D.subs(exps[0], (1 + _T) / (1 - _T))))
        P, R = DT.coeff(_T, 0), DT.coeff(_T, 1)
        q = sp.simplify(R / _Y)
        AT = A.subs(sp.tanh(tanh_args[0]), _T) if ok else None
        ok = ok and not DT.has(sp.exp) and sp.degree(DT, _T) <= 1 and not q.has(_Y) and \
            simplifies_to_zero(AT - _Y * _T) and sp.Poly(P, _Y).degree() == 2 and \
            sp.Poly(P, _Y).coeff_monomial(_Y) == 0
    st = r.statements["second_moment"]
    lam = None
    if ok:
        c2 = sp.Poly(P, _Y).coeff_monomial(_Y**2)
        c0 = sp.Poly(P, _Y).coeff_monomial(1)
        # mean over the samples: mean(Y^2) = m2, mean(A) = mu (mean_eq)
        E = c2 * gmm.m2 + c0 + q * gmm.mu
        lam = sp.simplify(E / (st.rhs - st.lhs))
        ok = not lam.has(gmm.mu) and not lam.has(gmm.m2)
    steps = [dep,
             identity_step("sigma-derivative", f"sigma^3 d/dsigma = {P} + ({q}) y tanh(mu y/"
                           f"sigma^2); mean with mean_eq = {lam} (m2 - mu^2 - sigma^2)", ok,
                           where="mu >= 0, sigma > 0"),
             sign_step("lambda != 0", lam if lam is not None else sp.nan, NONZERO,
                       statement=f"the multiple {lam} is nonzero", where="sigma > 0")]
    return report("lemma5.second_moment", "symbolic: the sigma-derivative of the registry's "
                  "log-likelihood, averaged over the samples with mean_eq substituted (SymPy)",
                  "every sample y_1..y_n, mu >= 0, sigma > 0", steps=steps)


# --------------------------------------------------------------------------- lemma6


@claim("lemma6.eq19", "lemma6", ["eq19"], expected=Status.EXACT,
       depends=["lemma5.mean_eq", "lemma5.second_moment"])
def lemma6_eq19(ctx: Ctx) -> Report:
    """With sigma^2 = alpha mu: mean_eq becomes mu = h(alpha) (tanh odd) and
    second_moment mu^2 + alpha mu = m2, whose positive root is eq. 19's right side."""
    gmm = _gmm()
    l5, l6 = get("lemma5"), get("lemma6")
    st = l6.statements["eq19"]
    deps = [ctx.use("lemma5.mean_eq"), ctx.use("lemma5.second_moment")]
    A, _ = _summand(l5.statements["mean_eq"].rhs)
    H, _ = _summand(st.lhs)
    sig2 = gmm.alpha * gmm.mu
    A_alpha = sp.simplify(A.subs(gmm.sigma, sp.sqrt(sig2)))
    Z = sp.Symbol("Z", positive=True)
    ok_h = simplifies_to_zero(A_alpha.subs(_Y, Z) - H.subs(_Y, Z)) and simplifies_to_zero(
        A_alpha.subs(_Y, -Z) - H.subs(_Y, -Z))
    sm = l5.statements["second_moment"]
    eq = (sm.lhs - sm.rhs).subs(gmm.sigma, sp.sqrt(sig2))
    # solve for a variable without sign assumptions (SymPy's solve drops the roots that
    # contradict a symbol's assumptions: that would decide the sign by an assumption query)
    free = sp.Symbol("mu_free")
    eq_free = eq.subs(gmm.mu, free)
    roots = sp.solve(eq_free, free)
    pos = [rt for rt in roots if simplifies_to_zero(rt - st.rhs)]
    others = [rt for rt in roots if not simplifies_to_zero(rt - st.rhs)]
    # the roots are roots, and a quadratic has no others
    ok_roots = sp.Poly(sp.expand(eq_free), free).degree() == len(roots) == 2 and all(
        simplifies_to_zero(sp.expand(eq_free.subs(free, rt))) for rt in roots)
    steps = deps + [
        identity_step("mean equation", f"y tanh(mu y/sigma^2) at sigma^2 = alpha mu is {H} "
                      "for y = +-|y|", ok_h, where="alpha > 0"),
        identity_step("second moment", f"mu^2 + alpha mu = m2 has exactly the roots {roots}, "
                      "one of them eq. 19's right side", ok_roots and len(pos) == 1,
                      "SymPy solve, each root checked by substitution (degree 2)",
                      "alpha > 0, m2 > 0"),
        part("other root < 0", f"the other root(s) {others} < 0: mu > 0 excludes them",
             Status.EXACT if others and all(certify_sign(rt, NEG) for rt in others) else
             Status.UNDECIDED, "sign by structure (no SymPy assumption query)",
             "alpha > 0, m2 > 0"),
    ]
    return report("lemma6.eq19", "symbolic: lemma5's equations at alpha = sigma^2/mu (SymPy)",
                  "every sample y_1..y_n, alpha > 0 (mu > 0)",
                  "The statement: an ML point with mu > 0 solves eq. 19 for alpha = "
                  "sigma^2/mu, and then mu = h(alpha).", steps=steps)


# --------------------------------------------------------------------------- lemma7


def _diff_of(rel: sp.Basic) -> sp.Expr:
    """``rhs - lhs`` of ``lhs <= rhs`` (``>=``: ``lhs - rhs``)."""
    if isinstance(rel, (sp.LessThan, sp.StrictLessThan)):
        return rel.rhs - rel.lhs
    if isinstance(rel, (sp.GreaterThan, sp.StrictGreaterThan)):
        return rel.lhs - rel.rhs
    raise TypeError(f"not an inequality: {rel}")


def _same_sign(name: str, r1, r2, subs_cases: list[dict], cases_text: str) -> list[Step]:
    """``d1 = c d2`` (a SymPy identity) with ``c > 0`` certified by structure in every case
    of ``subs_cases`` (substitutions by symbols of declared sign that together cover the
    domain): then ``d1 >= 0 <=> d2 >= 0``. Two steps: the identity and the sign."""
    d1, d2 = _diff_of(r1), _diff_of(r2)
    c = sp.simplify(d1 / d2)
    ok_id = simplifies_to_zero(sp.simplify(d1 - c * d2))
    forms = [sp.factor(sp.simplify(c.subs(sb))) for sb in subs_cases]
    ok_sign = ok_id and all(certify_sign(f, POS) for f in forms)
    return [
        identity_step(f"{name}: multiple", f"d1 = c d2 with c = {c} (d1, d2: the two "
                      "differences)", ok_id, where="declared domain"),
        part(f"{name}: c > 0", f"c > 0 in every case ({cases_text}): "
             + "; ".join(sp.sstr(f) for f in forms), Status.EXACT if ok_sign else
             Status.UNDECIDED, "sign by structure in substitutions covering the domain (no "
             "SymPy assumption query)", cases_text),
    ]


def _domain_cases(gmm) -> tuple[list[dict], str]:
    """a > 2, m2 > 0, 0 <= m1^2 <= m2 as substitutions: a = 2 + b (b > 0), m2 = m1^2 + d,
    in two cases (m1 > 0, d >= 0) and (m1 = 0, d > 0)."""
    b = sp.Symbol("b", positive=True)
    d0, dp = sp.Symbol("d", nonnegative=True), sp.Symbol("d", positive=True)
    m1p = sp.Symbol("m_1", positive=True)
    cases = [{gmm.a: 2 + b, gmm.m2: m1p**2 + d0, gmm.m1: m1p},
             {gmm.a: 2 + b, gmm.m2: dp, gmm.m1: 0}]
    return cases, "a = 2 + b, m2 = m1^2 + d; cases m1 > 0, d >= 0 and m1 = 0, d > 0"


@claim("lemma7.validity", "lemma7", ["validity"], expected=Status.EXACT)
def lemma7_validity(ctx: Ctx) -> Report:
    """m2 <= (2a/(a-2)) m1^2 <=> sigma_a^2 (inner) <= m2, for a > 2, 0 <= m1^2 <= m2."""
    gmm = _gmm()
    st = get("lemma7").statements["validity"]
    cases, txt = _domain_cases(gmm)
    steps = [identity_step("form", "an equivalence of two <= relations",
                           isinstance(st, sp.Equivalent) and
                           all(isinstance(a, sp.LessThan) for a in st.args),
                           "SymPy (structure)", "all")]
    steps += _same_sign("equivalence", st.args[0], st.args[1], cases, txt)
    return report("lemma7.validity", "symbolic: the two differences are positive multiples "
                  f"(SymPy identity; the multiple's sign by structure, {txt})",
                  "a > 2, m2 > 0, 0 <= m1^2 <= m2", steps=steps)


@claim("lemma7.shape", "lemma7", ["shape"], expected=Status.EXACT)
def lemma7_shape(ctx: Ctx) -> Report:
    """sigma_a^2 (inner) <= (a/2) sigma_s^2."""
    gmm = _gmm()
    st = get("lemma7").statements["shape"]
    cases, txt = _domain_cases(gmm)
    diffs = [sp.factor(sp.together(_diff_of(st).subs(c))) for c in cases]
    steps = [sign_step(f"case {i + 1}", d, NONNEG, statement=f"(a/2) sigma_s^2 - sigma_a^2 = "
                       f"{d} >= 0", where=txt) for i, d in enumerate(diffs)]
    return report("lemma7.shape", f"symbolic: (a/2) sigma_s^2 - sigma_a^2 = {diffs[0]} >= 0 "
                  f"({txt}; signs by structure)", "a > 2, m2 > 0, 0 <= m1^2 <= m2",
                  steps=steps)


@claim("lemma7.moment", "lemma7", ["moment"], expected=Status.EXACT,
       depends=["lemma7.validity"])
def lemma7_moment(ctx: Ctx) -> Report:
    """mu_a^2 + sigma_a^2 = m2, with mu_a real: m2 - sigma_a^2 >= 0 on both branches."""
    r = get("lemma7")
    gmm = _gmm()
    st = r.statements["moment"]
    ident = st is sp.true or (isinstance(st, sp.Equality) and
                              simplifies_to_zero(st.lhs - st.rhs))
    pw = r.parts["sigma_a2"]
    ok_branches = isinstance(pw, sp.Piecewise) and len(pw.args) == 2 and \
        simplifies_to_zero(pw.args[1][0] - gmm.m2) and pw.args[1][1] == sp.true and \
        simplifies_to_zero(pw.args[0][0] - r.parts["sigma_a2_inner"])
    steps = [ctx.use("lemma7.validity"),
             identity_step("identity", "(sqrt(m2 - sigma_a^2))^2 + sigma_a^2 = m2", ident,
                           where="all"),
             identity_step("mu_a real", "first branch: its condition is equivalent to "
                           "sigma_a^2 <= m2 (lemma7.validity); second branch: sigma_a^2 = m2",
                           ok_branches, "SymPy (Piecewise structure)",
                           "a > 2, 0 <= m1^2 <= m2")]
    return report("lemma7.moment", "symbolic (SymPy) + lemma7.validity",
                  "a > 2, m2 > 0, 0 <= m1^2 <= m2", steps=steps)


def _kappa_positive() -> tuple[Step, sp.Expr]:
    """The step kappa > 0 (eta > 1, n >= 2): its exponent is positive, by structure."""
    gmm = _gmm()
    e_, c_ = sp.Symbol("e", positive=True), sp.Symbol("c", nonnegative=True)
    expo = [a for a in gmm.kappa.atoms(sp.exp)][0].args[0]
    s_ = sp.factor(expo.subs({gmm.eta: 1 + e_, n: 2 + c_}))
    return sign_step("kappa > 0", s_, POS, statement=f"the exponent of 1 + kappa is "
                     f"{s_} > 0 (eta = 1 + e, n = 2 + c), so kappa > 0",
                     where="eta > 1, integer n >= 2"), expo


@claim("lemma7.branch_condition", "lemma7", ["branch_condition"], expected=Status.EXACT)
def lemma7_branch(ctx: Ctx) -> Report:
    """With a = a(kappa) (first branch, m2 > (1+kappa) m1^2) the validity condition is
    m2/m1^2 <= (1+kappa)/kappa."""
    gmm = _gmm()
    st = get("lemma7").statements["branch_condition"]
    kpos, expo = _kappa_positive()
    K = sp.Symbol("K", positive=True)
    d = sp.Symbol("d", positive=True)
    rels = [a.subs(sp.exp(expo), 1 + K) for a in st.args]
    steps = [kpos] + _same_sign("equivalence", rels[0], rels[1],
                                [{gmm.m2: (1 + K) * gmm.m1**2 + d}],
                                "1 + kappa = 1 + K, K > 0; m2 = (1 + K) m1^2 + d, d > 0")
    return report("lemma7.branch_condition", "symbolic: kappa > 0 for eta > 1, n >= 2; "
                  "with 1 + kappa = 1 + K and m2 = (1 + K) m1^2 + d (the branch's condition) "
                  "the two differences are positive multiples (SymPy identity, sign by "
                  "structure)", "eta > 1, integer n >= 2, m2 > (1 + kappa) m1^2", steps=steps)


@claim("lemma7.sample_ratio", "lemma7", ["sample_ratio"], expected=Status.EXACT)
def lemma7_sample_ratio(ctx: Ctx) -> Report:
    """m2 <= n m1^2, i.e. (sum |y_i|)^2 >= sum y_i^2: induction on n."""
    gmm = _gmm()
    st = get("lemma7").statements["sample_ratio"]
    m1_def, m2_def = get("lemma6").parts["m1"], get("lemma5").parts["m2"]
    S, Q, a_ = (sp.Symbol(nm, nonnegative=True) for nm in ("S", "Q", "a"))
    s1, s2 = list(m1_def.atoms(sp.Sum))[0], list(m2_def.atoms(sp.Sum))[0]
    t1, _ = _summand(m1_def)
    t2, _ = _summand(m2_def)
    same_terms = simplifies_to_zero(t1**2 - t2)  # |y|^2 = y^2
    diff = _diff_of(st).subs({gmm.m1: m1_def, gmm.m2: m2_def}).subs({s1: S, s2: Q})
    scaled = sp.simplify(diff * n)  # = S^2 - Q
    # induction: S_{n+1}^2 - Q_{n+1} - (S_n^2 - Q_n) = 2 a S_n >= 0 (a = |y_{n+1}|)
    step = sp.expand(scaled.subs({S: S + a_, Q: Q + a_**2}) - scaled)
    steps = [
        identity_step("reduction", f"n (n m1^2 - m2) = {scaled} with S = sum|y_i|, "
                      "Q = sum y_i^2", same_terms and not scaled.has(n), where="every n >= 1"),
        identity_step("n = 1", "S^2 - Q = 0 for one sample",
                      simplifies_to_zero(scaled.subs({S: a_, Q: a_**2})), where="n = 1"),
        sign_step("step", step, NONNEG, statement=f"adding a = |y_(n+1)| adds {step} >= 0",
                  where="S, a >= 0"),
    ]
    return report("lemma7.sample_ratio", "symbolic induction on n (SymPy): with "
                  f"S = sum|y_i|, Q = sum y_i^2: n (n m1^2 - m2) = {scaled}; n = 1: 0; step "
                  f"adds {step} >= 0", "every sample y_1..y_n, every integer n >= 1",
                  steps=steps)


@claim("lemma7.eta2_unreachable", "lemma7", ["eta2_unreachable"], expected=Status.PROVED)
def lemma7_eta2_unreachable(ctx: Ctx) -> Report:
    """(1+kappa)/kappa > n at eta = 2: <=> kappa (n-1) < 1 (kappa > 0) <=> E < log(n/(n-1))
    with 1 + kappa = e^E; certified in u = 1/n on (0, 1/2] by Arb (tight at u = 0)."""
    gmm = _gmm()
    st = get("lemma7").statements["eta2_unreachable"]
    kpos, expo = _kappa_positive()
    E = expo.subs(gmm.eta, 2)
    K = sp.Symbol("K", positive=True)
    lhs = st.lhs.subs(sp.exp(E), 1 + K)
    # lhs - n = ((1+K) - nK)/K: positive <=> 1 - (n-1) K > 0
    red = sp.factor(sp.together(lhs - st.rhs))
    num, den = sp.fraction(red)
    ok_red = simplifies_to_zero(sp.expand(num - (1 - (n - 1) * K))) or \
        simplifies_to_zero(sp.expand(num + (n - 1) * K - 1))
    # 1 - (n-1) K > 0 <=> K < 1/(n-1) <=> E < log(1 + 1/(n-1))
    F = sp.log(1 + 1 / (n - 1)) - E
    Fu = clear_reciprocal(F.subs(n, 1 / _u), _u)
    Fu = Fu.replace(lambda a: isinstance(a, sp.log), lambda a: sp.log(sp.cancel(a.args[0])))
    cert = certify_positive(Fu, _u, 0, sp.Rational(1, 2), ctx)
    steps = [kpos,
             identity_step("reduction", f"(1+K)/K - n = {red} = +-(1 - (n-1) K)/den: "
                           "positive <=> (n-1) K < 1 <=> E < log(1 + 1/(n-1)) (exp "
                           "increasing)", ok_red, where="integer n >= 2"),
             sign_step("denominator > 0", den, POS, statement=f"{den} > 0",
                       where="K > 0"),
             cert_part("in u = 1/n", f"{Fu} > 0", cert, "u = 1/n", 0, sp.Rational(1, 2))]
    return report("lemma7.eta2_unreachable", "reduction (SymPy) + Arb bisection in "
                  "u = 1/n with a Taylor certificate at u = 0 (n = oo)",
                  "every real n >= 2 (so every integer n >= 2)", steps=steps)


@claim("lemma7.cap_valid_eta2", "lemma7", ["cap_valid_eta2"], expected=Status.PROVED)
def lemma7_cap_valid(ctx: Ctx) -> Report:
    """1 + kappa(2, n) <= 25/12 for n >= 2: Arb bisection in u = 1/n on (0, 1/2]."""
    st = get("lemma7").statements["cap_valid_eta2"]
    d = _diff_of(st)
    du = clear_reciprocal(d.subs(n, 1 / _u), _u)
    cert = certify_positive(du, _u, 0, sp.Rational(1, 2), ctx)
    steps = [cert_part("in u = 1/n", f"{du} > 0", cert, "u = 1/n", 0, sp.Rational(1, 2))]
    return report("lemma7.cap_valid_eta2", "Arb bisection in u = 1/n",
                  "every real n >= 2 (so every integer n >= 2)", steps=steps)


# --------------------------------------------------------------------------- theorem4

#: the simulation of theorem4: paper's setting (Fig. 13)
THEOREM4_SETTING = {"n": 10, "mu0": 1, "sigma0": 1, "eps": "0.1"}
THEOREM4_KS = (100, 125, 150, 200)
THEOREM4_TRAJECTORIES = 4000
THEOREM4_SEED = 20250101
#: simultaneous (Bonferroni) confidence of the upper limits
THEOREM4_CONFIDENCE = 0.999


@claim("theorem4", "theorem4", expected=Status.STATISTICAL, cost=2.5)
def theorem4(ctx: Ctx) -> Report:
    """Monte Carlo of Pr(Sigma_k > eps) with the approximate ML estimator against the bound."""
    from fractions import Fraction

    from flint import arb

    from rmc_symbolic.arb_eval import arb_lambdify
    from rmc_symbolic.mixture_ml import simulate_sigma_exceeds
    from rmc_symbolic.simulate import wilson

    from ._tools import working_prec

    st = get("theorem4").statements["upper"]
    bound = st.rhs
    cfg = THEOREM4_SETTING
    T = THEOREM4_TRAJECTORIES
    ks = list(THEOREM4_KS)
    ctx.tick()
    res = simulate_sigma_exceeds(cfg["n"], cfg["mu0"], cfg["sigma0"], cfg["eps"], ks, T,
                                 seed=THEOREM4_SEED, estimator="approx")
    counts = [round(v * T) for v in res["mc"]]
    alpha = 1 - THEOREM4_CONFIDENCE
    # one-sided level 1 - alpha/len(ks) each: two-sided Wilson with z = Phi^-1(1 - alpha/m)
    z = statistics.NormalDist().inv_cdf(1 - alpha / len(ks))
    _, hi = wilson(counts, T, z)
    f = arb_lambdify(bound, [n, sigma0, eps, k])
    rows = []
    ok = True
    contradicted = False
    with working_prec(64):
        for kk, c, h in zip(ks, counts, hi, strict=True):
            b = f(cfg["n"], cfg["sigma0"], Fraction(cfg["eps"]), kk)
            below = bool(b >= arb(h))  # the Wilson limit is at most every point of b
            lo_b = b.lower().str(4, radius=False)
            rows.append(f"k = {kk}: {c}/{T} exceed, upper limit {h:.4g} <= bound {lo_b}"
                        if below else f"k = {kk}: upper limit {h:.4g} > bound {lo_b}")
            ok = ok and below
            lo_w, _ = wilson([c], T, z)
            contradicted = contradicted or bool(arb(lo_w[0]) > b)
    setting = (f"n = {cfg['n']}, mu0 = {cfg['mu0']}, sigma0 = {cfg['sigma0']}, eps = "
               f"{cfg['eps']}, k in {{{', '.join(map(str, ks))}}}")
    detail = ("; ".join(rows) + f". {T} trajectories, seed {THEOREM4_SEED}, Wilson upper "
              f"limits at one-sided level 1 - {alpha:g}/{len(ks)} each (simultaneous "
              f"confidence {THEOREM4_CONFIDENCE:g} by Bonferroni). For k <= 92 the bound is "
              ">= 1 (trivial). Other n, sigma0/eps, mu0 are not covered; the joint ML "
              "estimator is not the theorem's.")
    method = (f"Monte Carlo (approximate joint ML, Algorithm 1), confidence "
              f"{THEOREM4_CONFIDENCE:g}")
    if not ok:
        detail = ("Monte Carlo contradicts the bound at confidence "
                  f"{THEOREM4_CONFIDENCE:g} (not a rigorous counterexample). " if contradicted
                  else "Monte Carlo inconclusive. ") + detail
    steps = [part("simulation", "every Wilson upper limit <= the bound", Status.STATISTICAL
                  if ok else Status.UNDECIDED, method, setting)]
    return report("theorem4", method, setting, detail, steps=steps)


# --------------------------------------------------------------------------- lemma6 facts

_Z = sp.Symbol("Z", positive=True)
_S = sp.Symbol("S", nonnegative=True)
_Q = sp.Symbol("Q", nonnegative=True)
_A1 = sp.Symbol("a", nonnegative=True)


def _split_sum(expr: sp.Expr) -> tuple[sp.Expr, sp.Expr, sp.Expr, sp.Expr]:
    """``expr = A + B * Sum(f(|y_i|))``: returns (A, B, f(Z), the Sum)."""
    sums = list(expr.atoms(sp.Sum))
    if len(sums) != 1:
        raise ValueError("expected one sample sum")
    s_node = sums[0]
    Ssym = sp.Dummy("S")
    e = sp.expand(expr.xreplace({s_node: Ssym}))
    B = e.coeff(Ssym, 1)
    A = sp.expand(e - B * Ssym)
    (idx, _, _), = s_node.limits
    f = s_node.function.subs(sp.Abs(_gmm().y[idx]), _Z)
    if A.has(Ssym) or f.has(_gmm().y[idx]):
        raise ValueError("not linear in the sample sum, or not a function of |y_i|")
    return A, B, f, s_node


def _cauchy_schwarz_induction() -> list[Step]:
    """n Q - S^2 >= 0 (S = sum a_i, Q = sum a_i^2, a_i >= 0) by induction: n = 1 gives 0;
    (n+1)(Q + a^2) - (S + a)^2 = (n+1)/n (n Q - S^2) + (S - n a)^2/n, which is >= 0 when
    n Q - S^2 >= 0 (sign by structure)."""
    D = n * _Q - _S**2
    Dsym = sp.Symbol("D", nonnegative=True)  # the induction hypothesis D >= 0
    base = simplifies_to_zero(D.subs({n: 1, _S: _A1, _Q: _A1**2}))
    nxt = D.subs({n: n + 1, _S: _S + _A1, _Q: _Q + _A1**2})
    rhs = (n + 1) / n * Dsym + (_S - n * _A1) ** 2 / n
    ident = simplifies_to_zero(sp.expand(nxt - rhs.subs(Dsym, D)))
    return [
        identity_step("Cauchy–Schwarz: n = 1", "n Q - S^2 = 0 for one sample", base,
                      where="n = 1"),
        identity_step("Cauchy–Schwarz: step identity", "(n+1)(Q + a^2) - (S + a)^2 = "
                      "(n+1)/n (n Q - S^2) + (S - n a)^2/n", ident, where="every n >= 1"),
        sign_step("Cauchy–Schwarz: step sign", rhs, NONNEG, statement="(n+1)/n D + "
                  "(S - n a)^2/n >= 0 when D = n Q - S^2 >= 0", where="every n >= 1"),
    ]


def _cs_D() -> sp.Expr:
    return n * _Q - _S**2


@claim("lemma6.gap_nonpositive", "lemma6", ["gap_nonpositive"], expected=Status.EXACT)
def lemma6_gap(ctx: Ctx) -> Report:
    """m1 <= sqrt(m2): (sum |y_i|)^2 <= n sum y_i^2 (Cauchy–Schwarz, by induction on n)."""
    gmm = _gmm()
    st = get("lemma6").statements["gap_nonpositive"]
    D = _cs_D()
    m1_def, m2_def = get("lemma6").parts["m1"], get("lemma5").parts["m2"]
    s1, s2 = list(m1_def.atoms(sp.Sum))[0], list(m2_def.atoms(sp.Sum))[0]
    m1S, m2Q = m1_def.xreplace({s1: _S}), m2_def.xreplace({s2: _Q})
    t1, _ = _summand(m1_def)
    t2, _ = _summand(m2_def)
    # m1 - sqrt(m2) <= 0 <=> m1^2 <= m2 (m1 + sqrt(m2) > 0) <=> n Q - S^2 >= 0
    ok_form = simplifies_to_zero(st.lhs - (gmm.m1 - sp.sqrt(gmm.m2))) and st.rhs == 0 and \
        simplifies_to_zero(sp.expand((m2Q - m1S**2) * n**2 - D)) and \
        simplifies_to_zero(t1**2 - t2)
    steps = _cauchy_schwarz_induction() + [
        identity_step("reduction", f"n^2 (m2 - m1^2) = {D} with S = sum|y_i|, Q = sum y_i^2",
                      ok_form, where="every sample"),
        sign_step("m1 + sqrt(m2) > 0", gmm.m1 + sp.sqrt(gmm.m2), POS,
                  statement="m1 + sqrt(m2) > 0, so m1 - sqrt(m2) has the sign of m1^2 - m2",
                  where="m1 >= 0, m2 > 0"),
    ]
    return report("lemma6.gap_nonpositive", "symbolic induction on "
                  f"n (SymPy): n^2 (m2 - m1^2) = {D} with S = sum|y_i|, Q = sum y_i^2; "
                  "(n+1)(Q + a^2) - (S + a)^2 = (n+1)/n (n Q - S^2) + (S - n a)^2/n",
                  "every sample y_1..y_n, every integer n >= 1", steps=steps)


@claim("lemma6.limit_at_zero", "lemma6", ["limit_at_zero"], expected=Status.EXACT)
def lemma6_limit_zero(ctx: Ctx) -> Report:
    """h - rhs -> m1 - sqrt(m2) as alpha -> 0+: termwise limits of a finite sum (SymPy)."""
    gmm = _gmm()
    st = get("lemma6").statements["limit_at_zero"]
    lim = st.lhs
    inner, var, pt = lim.args[0], lim.args[1], lim.args[2]
    A, B, f, _ = _split_sum(inner)
    gZ = sp.limit(f, var, pt, "+")
    g0 = f.subs(_Z, 0) if f.subs(_Z, 0).is_number else None
    ok_term = simplifies_to_zero(gZ - _Z) and g0 == 0 and not B.has(var)
    total = sp.limit(A, var, pt, "+") + B * n * gmm.m1
    ok = simplifies_to_zero(total - st.rhs) and simplifies_to_zero(B * n - 1)
    shown = gZ.subs(_Z, sp.Symbol("|y|"))
    steps = [identity_step("termwise limit", f"|y| tanh(|y|/alpha) -> {shown} (y != 0; 0 at "
                           "y = 0)", ok_term, "SymPy limit (Gruntz)", "alpha -> 0+"),
             identity_step("rest", "h -> m1 and the rest of h - rhs by SymPy limit", ok,
                           "SymPy limit (Gruntz)", "alpha -> 0+, m2 > 0")]
    return report("lemma6.limit_at_zero", "symbolic: termwise limit "
                  f"|y| tanh(|y|/alpha) -> {shown} (y != 0; 0 at y = 0), so h -> m1; the "
                  "rest by SymPy limit", "every sample y_1..y_n, m2 > 0", steps=steps)


@claim("lemma6.limit_at_infinity", "lemma6", ["limit_at_infinity"], expected=Status.EXACT)
def lemma6_limit_inf(ctx: Ctx) -> Report:
    """alpha^3 (h - rhs) -> m2^2 - m4/3: the summand's expansion at alpha = oo (SymPy
    series, remainder checked by a limit), means of |y|^2 and |y|^4 are m2 and m4."""
    gmm = _gmm()
    st = get("lemma6").statements["limit_at_infinity"]
    lim = st.lhs
    inner, var = lim.args[0], lim.args[1]
    A, B, f, _ = _split_sum(inner)
    ser = sp.series(f, var, sp.oo, n=5).removeO()
    rem_ok = sp.limit(B * n * (f - ser), var, sp.oo) == 0
    means = {2: gmm.m2, 4: gmm.m4}
    m2_def, m4_def = get("lemma5").parts["m2"], get("lemma6").parts["m4"]
    ok_means = simplifies_to_zero(_summand(m2_def)[0].subs(_Y, _Z) - _Z**2) and \
        simplifies_to_zero(_summand(m4_def)[0].subs(_Y, _Z) - _Z**4)
    approx = sp.Integer(0)
    ok_poly = True
    for term in sp.Add.make_args(sp.expand(ser)):
        c, e = term.as_coeff_exponent(_Z)
        c_rest = term / _Z**e
        if e not in means:
            ok_poly = False
            break
        approx += c_rest * means[e]
    # sum_i f(|y_i|) ~ n * approx
    total = sp.limit(sp.expand(A + B * n * approx), var, sp.oo)
    steps = [identity_step("series", f"|y| tanh(|y|/alpha) = {ser.subs(_Z, sp.Symbol('|y|'))}"
                           " + o(alpha^-3) (the remainder times alpha^3 -> 0)", rem_ok,
                           "SymPy series + limit", "alpha -> oo"),
             identity_step("means", "the means of |y|^2, |y|^4 are m2, m4 and the series has "
                           "only those powers", ok_means and ok_poly, where="every sample"),
             identity_step("limit", f"alpha^3 (h - rhs) -> {st.rhs}",
                           simplifies_to_zero(total - st.rhs), "SymPy limit",
                           "alpha -> oo, m2 > 0")]
    return report("lemma6.limit_at_infinity", "symbolic: series of |y| tanh(|y|/alpha)"
                  f" at alpha = oo: {ser.subs(_Z, sp.Symbol('|y|'))} (remainder * alpha^3 -> "
                  "0, SymPy), means of |y|^2, |y|^4 are m2, m4; the rest by SymPy limit",
                  "every sample y_1..y_n, m2 > 0", steps=steps)


def _continuous(expr: sp.Expr, var: sp.Symbol) -> bool:
    """``expr`` is continuous in ``var`` on its declared domain, by structure: built from
    symbols, rationals, +, *, integer powers, tanh, exp, |.| and finite sums, with every
    negative power's base and every root's argument certified > 0 (:mod:`._sign`)."""
    e = expr
    if not e.has(var) or isinstance(e, (sp.Symbol, sp.Indexed)) or isinstance(e, sp.Rational):
        return True
    if isinstance(e, (sp.Add, sp.Mul)):
        return all(_continuous(a, var) for a in e.args)
    if isinstance(e, sp.Pow):
        b, x_ = e.args
        if x_.has(var):
            return False
        if isinstance(x_, sp.Integer) and x_ > 0:
            return _continuous(b, var)
        return certify_sign(b, POS) and _continuous(b, var)
    if isinstance(e, (sp.tanh, sp.exp, sp.Abs)):
        return _continuous(e.args[0], var)
    if isinstance(e, sp.Sum):
        (idx, lo, hi), = e.limits
        return not lo.has(var) and not hi.has(var) and _continuous(e.function, var)
    return False


@claim("lemma6.root_exists", "lemma6", ["root_exists"], expected=Status.PROVED,
       depends=["lemma6.limit_at_zero", "lemma6.limit_at_infinity"])
def lemma6_root(ctx: Ctx) -> Report:
    """The implication: 3 m2^2 > m4 makes the tail coefficient positive (a positive
    multiple, its sign by structure); the gap condition is carried over. With the two
    limits, h - rhs < 0 near alpha = 0 and > 0 for large alpha; h - rhs is continuous on
    alpha > 0 (by structure): a finite root by the intermediate value theorem (cited)."""
    st = get("lemma6").statements["root_exists"]
    deps = [ctx.use("lemma6.limit_at_zero"), ctx.use("lemma6.limit_at_infinity")]
    prem, concl = st.args
    ok = isinstance(prem, sp.And) and isinstance(concl, sp.And)
    how = []
    if ok:
        pa = list(prem.args)
        ca = list(concl.args)
        matched = 0
        for c_ in ca:
            if c_ in pa:  # the same relational (structural equality)
                matched += 1
                how.append(f"{c_}: a premise")
                continue
            for p_ in pa:
                if type(p_) is type(c_):
                    ratio = sp.simplify(_strict_diff(c_) / _strict_diff(p_))
                    if certify_sign(ratio, POS):
                        matched += 1
                        how.append(f"{c_}: {ratio} times a premise")
                        break
        ok = matched == len(ca)
    inner = get("lemma6").statements["limit_at_zero"].lhs.args[0]
    alpha = get("lemma6").statements["limit_at_zero"].lhs.args[1]
    steps = deps + [
        part("implication", "each conclusion is a premise or a positive multiple of one"
             + (f" ({'; '.join(how)})" if how else ""), Status.EXACT if ok else
             Status.UNDECIDED, "structural equality; the multiple's sign by structure (no "
             "SymPy assumption query)", "m2, m4 > 0"),
        part("continuity", "h(alpha) - rhs(alpha) is continuous on alpha > 0",
             Status.EXACT if _continuous(inner, alpha) else Status.UNDECIDED,
             "by structure: tanh, |.|, finite sums, sqrt of a positive argument, powers of "
             "alpha > 0", "alpha > 0"),
        cite("intermediate value theorem", "h - rhs < 0 near alpha = 0 (limit m1 - sqrt(m2) "
             "< 0) and > 0 for large alpha (alpha^3 (h - rhs) -> m2^2 - m4/3 > 0): a root "
             "alpha in (0, oo) of eq. 19"),
    ]
    return report("lemma6.root_exists", "the implication by structure; with limit_at_zero, "
                  "limit_at_infinity and continuity the intermediate value theorem (cited) "
                  "gives a finite root of eq. 19", "every sample y_1..y_n (a root of eq. 19 "
                  "when 3 m2^2 > m4 and m1 < sqrt(m2))", steps=steps)


def _strict_diff(rel) -> sp.Expr:
    if isinstance(rel, (sp.StrictGreaterThan, sp.GreaterThan)):
        return rel.lhs - rel.rhs
    return rel.rhs - rel.lhs


@claim("lemma6.unbounded_if_equal", "lemma6", ["unbounded_if_equal"], expected=Status.EXACT)
def lemma6_unbounded(ctx: Ctx) -> Report:
    """m1^2 = m2 forces |y_1| = ... = |y_n| = c (equality in the Cauchy–Schwarz induction:
    every step's (S - n a)^2 vanishes); then at mu = c every log-likelihood summand -> +oo
    as sigma -> 0+ (SymPy limit), so the likelihood is unbounded."""
    gmm = _gmm()
    ell, _ = _summand(get("lemma5").parts["log_likelihood"])
    c = sp.Symbol("c", positive=True)
    lims = [sp.limit(ell.subs({_Y: sgn * c, gmm.mu: c}), gmm.sigma, 0, "+") for sgn in (1, -1)]
    steps = _cauchy_schwarz_induction() + [
        identity_step("summands -> +oo", f"each log-likelihood summand at y = +-c, mu = c as "
                      f"sigma -> 0+: {lims}", all(v is sp.oo for v in lims),
                      "SymPy limit (Gruntz)", "c > 0")]
    return report("lemma6.unbounded_if_equal", "symbolic: Cauchy–Schwarz equality "
                  "case (induction, SymPy) + SymPy limit of each log-likelihood summand at "
                  f"y = +-c, mu = c as sigma -> 0+: {lims}", "every sample with m2 > 0",
                  "m2 > 0 rules out the all-zero sample (c > 0).", steps=steps)
