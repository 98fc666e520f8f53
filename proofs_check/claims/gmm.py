"""§5 claims: the symmetric Gaussian mixture.

``lemma5``: both ML equations are derived from the registry's log-likelihood by SymPy
(stationarity in mu and sigma). ``lemma6.eq19``: the substitution alpha = sigma^2/mu in
lemma5's equations (SymPy). ``lemma7``: the algebraic facts about Algorithm 1 — each
equivalence shown as "the two differences are positive multiples of each other" under the
domain's assumptions (SymPy), the sample-ratio fact by an induction on n, and the eta = 2
facts by Arb bisection in u = 1/n. ``theorem4`` is STATISTICAL: Monte Carlo with the
approximate ML estimator (:func:`rmc_symbolic.mixture_ml.simulate_sigma_exceeds`),
one-sided Wilson upper limits with a Bonferroni-simultaneous confidence.
"""

from __future__ import annotations

import statistics

import sympy as sp

from rmc_symbolic import get
from rmc_symbolic.symbols import eps, k, n, sigma0

from ..status import Report, Status
from ._core import Ctx, claim, derived_status, part, report
from ._tools import cert_part, certify_positive, clear_reciprocal, is_zero

_Y = sp.Symbol("Y", real=True)
_T = sp.Symbol("T", real=True)
_u = sp.Symbol("u", nonnegative=True)


def _ok(flag) -> Status:
    return Status.EXACT if flag else Status.UNDECIDED


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
    ok = not c.has(_Y) and bool(c.is_positive)
    return report("lemma5.mean_eq", _ok(ok), "symbolic: the mu-derivative of the registry's "
                  f"log-likelihood summand is ({c}) (y tanh(mu y/sigma^2) - mu) (SymPy); "
                  "setting the sum to 0 gives the equation", "every sample y_1..y_n, "
                  "mu >= 0, sigma > 0", "The statement is a stationarity condition of the "
                  "likelihood (an ML point with mu > 0 satisfies it).")


@claim("lemma5.second_moment", "lemma5", ["second_moment"], expected=Status.EXACT,
       depends=["lemma5.mean_eq"])
def lemma5_second(ctx: Ctx) -> Report:
    """sigma^3 d/dsigma (summand) = P(y) + q y tanh(mu y/sigma^2); summed, with mean_eq,
    it is a multiple of m2 - mu^2 - sigma^2."""
    r, gmm, ell, A = _lemma5_derivatives()
    dep = ctx.dep("lemma5.mean_eq")
    D = sp.simplify((sp.diff(ell, gmm.sigma) * gmm.sigma**3).rewrite(sp.exp))
    exps = list(D.atoms(sp.exp))
    ok = len(exps) == 1
    P = q = None
    if ok:
        w = exps[0].args[0]
        tanh_args = [t.args[0] for t in A.atoms(sp.tanh)]
        ok = len(tanh_args) == 1 and is_zero(w - 2 * tanh_args[0])
        # e^{2z} = (1 + T)/(1 - T) with T = tanh z: D becomes P + R T
        DT = sp.expand(sp.cancel(D.subs(exps[0], (1 + _T) / (1 - _T))))
        P, R = DT.coeff(_T, 0), DT.coeff(_T, 1)
        q = sp.simplify(R / _Y)
        AT = A.subs(sp.tanh(tanh_args[0]), _T) if ok else None
        ok = ok and not DT.has(sp.exp) and sp.degree(DT, _T) <= 1 and not q.has(_Y) and \
            is_zero(AT - _Y * _T) and sp.Poly(P, _Y).degree() == 2 and \
            sp.Poly(P, _Y).coeff_monomial(_Y) == 0
    st = r.statements["second_moment"]
    lam = None
    if ok:
        c2 = sp.Poly(P, _Y).coeff_monomial(_Y**2)
        c0 = sp.Poly(P, _Y).coeff_monomial(1)
        # mean over the samples: mean(Y^2) = m2, mean(A) = mu (mean_eq)
        E = c2 * gmm.m2 + c0 + q * gmm.mu
        lam = sp.simplify(E / (st.rhs - st.lhs))
        ok = bool(lam.is_nonzero) and not lam.has(gmm.mu) and not lam.has(gmm.m2)
    parts = [dep, part("sigma-derivative", f"sigma^3 d/dsigma = {P} + ({q}) y tanh(mu y/"
                       f"sigma^2); mean with mean_eq = {lam} (m2 - mu^2 - sigma^2)", _ok(ok),
                       "SymPy", "mu >= 0, sigma > 0")]
    return report("lemma5.second_moment", derived_status(p.status for p in parts),
                  "symbolic: the sigma-derivative of the registry's log-likelihood, "
                  "averaged over the samples with mean_eq substituted (SymPy)",
                  "every sample y_1..y_n, mu >= 0, sigma > 0", parts=parts)


# --------------------------------------------------------------------------- lemma6


@claim("lemma6.eq19", "lemma6", ["eq19"], expected=Status.EXACT,
       depends=["lemma5.mean_eq", "lemma5.second_moment"])
def lemma6_eq19(ctx: Ctx) -> Report:
    """With sigma^2 = alpha mu: mean_eq becomes mu = h(alpha) (tanh odd) and
    second_moment mu^2 + alpha mu = m2, whose positive root is eq. 19's right side."""
    gmm = _gmm()
    l5, l6 = get("lemma5"), get("lemma6")
    st = l6.statements["eq19"]
    deps = [ctx.dep("lemma5.mean_eq"), ctx.dep("lemma5.second_moment")]
    A, _ = _summand(l5.statements["mean_eq"].rhs)
    H, _ = _summand(st.lhs)
    sig2 = gmm.alpha * gmm.mu
    A_alpha = sp.simplify(A.subs(gmm.sigma, sp.sqrt(sig2)))
    Z = sp.Symbol("Z", positive=True)
    ok_h = is_zero(A_alpha.subs(_Y, Z) - H.subs(_Y, Z)) and is_zero(
        A_alpha.subs(_Y, -Z) - H.subs(_Y, -Z))
    sm = l5.statements["second_moment"]
    eq = (sm.lhs - sm.rhs).subs(gmm.sigma, sp.sqrt(sig2))
    roots = sp.solve(eq, gmm.mu)
    pos = [rt for rt in roots if is_zero(rt - st.rhs)]
    others = [rt for rt in roots if not is_zero(rt - st.rhs)]
    ok_root = len(pos) == 1 and all(bool(rt.is_nonpositive) for rt in others)
    parts = deps + [
        part("mean equation", f"y tanh(mu y/sigma^2) at sigma^2 = alpha mu is {H} for y = "
             "+-|y|", _ok(ok_h), "SymPy", "alpha > 0"),
        part("second moment", f"mu^2 + alpha mu = m2 has roots {roots}; the only "
             "nonnegative one is eq. 19's right side", _ok(ok_root), "SymPy solve",
             "alpha > 0, m2 > 0"),
    ]
    return report("lemma6.eq19", derived_status(p.status for p in parts),
                  "symbolic: lemma5's equations at alpha = sigma^2/mu (SymPy)",
                  "every sample y_1..y_n, alpha > 0 (mu > 0)",
                  "The statement: an ML point with mu > 0 solves eq. 19 for alpha = "
                  "sigma^2/mu, and then mu = h(alpha).", parts=parts)


# --------------------------------------------------------------------------- lemma7


def _diff_of(rel: sp.Basic) -> sp.Expr:
    """``rhs - lhs`` of ``lhs <= rhs`` (``>=``: ``lhs - rhs``)."""
    if isinstance(rel, (sp.LessThan, sp.StrictLessThan)):
        return rel.rhs - rel.lhs
    if isinstance(rel, (sp.GreaterThan, sp.StrictGreaterThan)):
        return rel.lhs - rel.rhs
    raise TypeError(f"not an inequality: {rel}")


def _same_sign(r1, r2, subs_cases: list[dict]) -> tuple[bool, sp.Expr]:
    """``d1 = c d2`` with ``c > 0`` in every case of ``subs_cases`` (substitutions that
    together cover the domain): then ``d1 >= 0 <=> d2 >= 0``."""
    d1, d2 = _diff_of(r1), _diff_of(r2)
    c = sp.simplify(d1 / d2)
    if not is_zero(sp.simplify(d1 - c * d2)):
        return False, c
    ok = all(bool(sp.factor(sp.simplify(c.subs(sb))).is_positive) for sb in subs_cases)
    return ok, sp.factor(sp.simplify(c.subs(subs_cases[0])))


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
    ok, c = _same_sign(st.args[0], st.args[1], cases)
    both_le = all(isinstance(a, sp.LessThan) for a in st.args)
    return report("lemma7.validity", _ok(ok and both_le), "symbolic: the two differences "
                  f"are positive multiples (factor {c}; {txt}) (SymPy)",
                  "a > 2, m2 > 0, 0 <= m1^2 <= m2")


@claim("lemma7.shape", "lemma7", ["shape"], expected=Status.EXACT)
def lemma7_shape(ctx: Ctx) -> Report:
    """sigma_a^2 (inner) <= (a/2) sigma_s^2."""
    gmm = _gmm()
    st = get("lemma7").statements["shape"]
    cases, txt = _domain_cases(gmm)
    diffs = [sp.factor(sp.together(_diff_of(st).subs(c))) for c in cases]
    ok = all(bool(d.is_nonnegative) for d in diffs)
    return report("lemma7.shape", _ok(ok), f"symbolic: (a/2) sigma_s^2 - sigma_a^2 = "
                  f"{diffs[0]} >= 0 ({txt}) (SymPy)", "a > 2, m2 > 0, 0 <= m1^2 <= m2")


@claim("lemma7.moment", "lemma7", ["moment"], expected=Status.EXACT,
       depends=["lemma7.validity"])
def lemma7_moment(ctx: Ctx) -> Report:
    """mu_a^2 + sigma_a^2 = m2, with mu_a real: m2 - sigma_a^2 >= 0 on both branches."""
    r = get("lemma7")
    gmm = _gmm()
    dep = ctx.dep("lemma7.validity")
    st = r.statements["moment"]
    ident = st is sp.true or (isinstance(st, sp.Equality) and is_zero(st.lhs - st.rhs))
    pw = r.parts["sigma_a2"]
    ok_branches = isinstance(pw, sp.Piecewise) and len(pw.args) == 2 and \
        is_zero(pw.args[1][0] - gmm.m2) and pw.args[1][1] == sp.true and \
        is_zero(pw.args[0][0] - r.parts["sigma_a2_inner"])
    parts = [dep, part("identity", "(sqrt(m2 - sigma_a^2))^2 + sigma_a^2 = m2", _ok(ident),
                       "SymPy", "all"),
             part("mu_a real", "first branch: its condition is equivalent to sigma_a^2 <= m2 "
                  "(lemma7.validity); second branch: sigma_a^2 = m2", _ok(ok_branches),
                  "SymPy (Piecewise structure)", "a > 2, 0 <= m1^2 <= m2")]
    return report("lemma7.moment", derived_status(p.status for p in parts),
                  "symbolic (SymPy) + lemma7.validity", "a > 2, m2 > 0, 0 <= m1^2 <= m2",
                  parts=parts)


def _kappa_positive() -> tuple[bool, sp.Expr]:
    gmm = _gmm()
    e_, c_ = sp.Symbol("e", positive=True), sp.Symbol("c", nonnegative=True)
    expo = [a for a in gmm.kappa.atoms(sp.exp)][0].args[0]
    s_ = sp.factor(expo.subs({gmm.eta: 1 + e_, n: 2 + c_}))
    return bool(s_.is_positive), expo


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
    ok, c = _same_sign(rels[0], rels[1], [{gmm.m2: (1 + K) * gmm.m1**2 + d}])
    return report("lemma7.branch_condition", _ok(ok and kpos), "symbolic: kappa > 0 for "
                  "eta > 1, n >= 2; with 1 + kappa = 1 + K and m2 = (1 + K) m1^2 + d (the "
                  f"branch's condition) the two differences are positive multiples ({c})",
                  "eta > 1, integer n >= 2, m2 > (1 + kappa) m1^2")


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
    same_terms = is_zero(t1**2 - t2)  # |y|^2 = y^2
    diff = _diff_of(st).subs({gmm.m1: m1_def, gmm.m2: m2_def}).subs({s1: S, s2: Q})
    scaled = sp.simplify(diff * n)  # = S^2 - Q
    # induction: S_{n+1}^2 - Q_{n+1} - (S_n^2 - Q_n) = 2 a S_n >= 0 (a = |y_{n+1}|)
    step = sp.expand(scaled.subs({S: S + a_, Q: Q + a_**2}) - scaled)
    ok = same_terms and not scaled.has(n) and bool(step.is_nonnegative) and \
        is_zero(scaled.subs({S: a_, Q: a_**2}))
    return report("lemma7.sample_ratio", _ok(ok), "symbolic induction on n (SymPy): with "
                  f"S = sum|y_i|, Q = sum y_i^2: n (n m1^2 - m2) = {scaled}; n = 1: 0; step "
                  f"adds {step} >= 0", "every sample y_1..y_n, every integer n >= 1")


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
    ok_red = bool(den.is_positive) and is_zero(sp.expand(num - (1 - (n - 1) * K))) or \
        bool(den.is_positive) and is_zero(sp.expand(num + (n - 1) * K - 1))
    # 1 - (n-1) K > 0 <=> K < 1/(n-1) <=> E < log(1 + 1/(n-1))
    F = sp.log(1 + 1 / (n - 1)) - E
    Fu = clear_reciprocal(F.subs(n, 1 / _u), _u)
    Fu = Fu.replace(lambda a: isinstance(a, sp.log), lambda a: sp.log(sp.cancel(a.args[0])))
    cert = certify_positive(Fu, _u, 0, sp.Rational(1, 2), ctx)
    parts = [part("reduction", f"(1+K)/K - n = {red}: positive <=> (n-1) K < 1 <=> "
                  "E < log(1 + 1/(n-1)) (exp increasing)", _ok(ok_red and kpos), "SymPy",
                  "integer n >= 2"),
             cert_part("in u = 1/n", f"{Fu} > 0", cert, "u = 1/n", 0, sp.Rational(1, 2))]
    st_ = derived_status(p.status for p in parts)
    if st_ is Status.EXACT:
        st_ = Status.PROVED
    return report("lemma7.eta2_unreachable", st_, "reduction (SymPy) + Arb bisection in "
                  "u = 1/n with a Taylor certificate at u = 0 (n = oo)",
                  "every real n >= 2 (so every integer n >= 2)", parts=parts)


@claim("lemma7.cap_valid_eta2", "lemma7", ["cap_valid_eta2"], expected=Status.PROVED)
def lemma7_cap_valid(ctx: Ctx) -> Report:
    """1 + kappa(2, n) <= 25/12 for n >= 2: Arb bisection in u = 1/n on (0, 1/2]."""
    st = get("lemma7").statements["cap_valid_eta2"]
    d = _diff_of(st)
    du = clear_reciprocal(d.subs(n, 1 / _u), _u)
    cert = certify_positive(du, _u, 0, sp.Rational(1, 2), ctx)
    parts = [cert_part("in u = 1/n", f"{du} > 0", cert, "u = 1/n", 0, sp.Rational(1, 2))]
    return report("lemma7.cap_valid_eta2", parts[0].status, "Arb bisection in u = 1/n",
                  "every real n >= 2 (so every integer n >= 2)", parts=parts)


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
            lo_b = float(b.lower())
            rows.append(f"k = {kk}: {c}/{T} exceed, upper limit {h:.4g} <= bound "
                        f"{lo_b:.4g}" if h <= lo_b else f"k = {kk}: upper limit {h:.4g} > "
                        f"bound {lo_b:.4g}")
            ok = ok and h <= lo_b
            lo_w, _ = wilson([c], T, z)
            contradicted = contradicted or float(lo_w[0]) > float(b.upper())
    setting = (f"n = {cfg['n']}, mu0 = {cfg['mu0']}, sigma0 = {cfg['sigma0']}, eps = "
               f"{cfg['eps']}, k in {{{', '.join(map(str, ks))}}}")
    detail = ("; ".join(rows) + f". {T} trajectories, seed {THEOREM4_SEED}, Wilson upper "
              f"limits at one-sided level 1 - {alpha:g}/{len(ks)} each (simultaneous "
              f"confidence {THEOREM4_CONFIDENCE:g} by Bonferroni). For k <= 92 the bound is "
              ">= 1 (trivial). Other n, sigma0/eps, mu0 are not covered; the joint ML "
              "estimator is not the theorem's.")
    if ok:
        return report("theorem4", Status.STATISTICAL, "Monte Carlo (approximate joint ML, "
                      f"Algorithm 1), confidence {THEOREM4_CONFIDENCE:g}", setting, detail)
    if contradicted:
        return report("theorem4", Status.UNDECIDED, "Monte Carlo contradicts the bound "
                      f"at confidence {THEOREM4_CONFIDENCE:g} (not a rigorous "
                      "counterexample)", setting, detail)
    return report("theorem4", Status.UNDECIDED, "Monte Carlo inconclusive", setting, detail)


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


def _cauchy_schwarz_induction() -> tuple[bool, sp.Expr]:
    """n Q - S^2 >= 0 (S = sum a_i, Q = sum a_i^2, a_i >= 0) by induction: n = 1 gives 0;
    (n+1)(Q + a^2) - (S + a)^2 = (n+1)/n (n Q - S^2) + (S - n a)^2/n."""
    D = n * _Q - _S**2
    base = is_zero(D.subs({n: 1, _S: _A1, _Q: _A1**2}))
    nxt = D.subs({n: n + 1, _S: _S + _A1, _Q: _Q + _A1**2})
    ident = is_zero(sp.expand(nxt - ((n + 1) / n * D + (_S - n * _A1) ** 2 / n)))
    return base and ident, D


@claim("lemma6.gap_nonpositive", "lemma6", ["gap_nonpositive"], expected=Status.EXACT)
def lemma6_gap(ctx: Ctx) -> Report:
    """m1 <= sqrt(m2): (sum |y_i|)^2 <= n sum y_i^2 (Cauchy–Schwarz, by induction on n)."""
    gmm = _gmm()
    st = get("lemma6").statements["gap_nonpositive"]
    ok_ind, D = _cauchy_schwarz_induction()
    m1_def, m2_def = get("lemma6").parts["m1"], get("lemma5").parts["m2"]
    s1, s2 = list(m1_def.atoms(sp.Sum))[0], list(m2_def.atoms(sp.Sum))[0]
    m1S, m2Q = m1_def.xreplace({s1: _S}), m2_def.xreplace({s2: _Q})
    t1, _ = _summand(m1_def)
    t2, _ = _summand(m2_def)
    # m1 - sqrt(m2) <= 0 <=> m1^2 <= m2 (both nonnegative) <=> n Q - S^2 >= 0
    ok_form = is_zero(st.lhs - (gmm.m1 - sp.sqrt(gmm.m2))) and st.rhs == 0 and \
        is_zero(sp.expand((m2Q - m1S**2) * n**2 - D)) and is_zero(t1**2 - t2)
    return report("lemma6.gap_nonpositive", _ok(ok_ind and ok_form), "symbolic induction on "
                  f"n (SymPy): n^2 (m2 - m1^2) = {D} with S = sum|y_i|, Q = sum y_i^2; "
                  "(n+1)(Q + a^2) - (S + a)^2 = (n+1)/n (n Q - S^2) + (S - n a)^2/n",
                  "every sample y_1..y_n, every integer n >= 1")


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
    ok_term = is_zero(gZ - _Z) and g0 == 0 and not B.has(var)
    total = sp.limit(A, var, pt, "+") + B * n * gmm.m1
    ok = ok_term and is_zero(total - st.rhs) and is_zero(B * n - 1)
    shown = gZ.subs(_Z, sp.Symbol("|y|"))
    return report("lemma6.limit_at_zero", _ok(ok), "symbolic: termwise limit "
                  f"|y| tanh(|y|/alpha) -> {shown} (y != 0; 0 at y = 0), so h -> m1; the "
                  "rest by SymPy limit", "every sample y_1..y_n, m2 > 0")


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
    ok_means = is_zero(_summand(m2_def)[0].subs(_Y, _Z) - _Z**2) and is_zero(
        _summand(m4_def)[0].subs(_Y, _Z) - _Z**4)
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
    ok = rem_ok and ok_means and ok_poly and is_zero(total - st.rhs)
    return report("lemma6.limit_at_infinity", _ok(ok), "symbolic: series of |y| tanh(|y|/alpha)"
                  f" at alpha = oo: {ser.subs(_Z, sp.Symbol('|y|'))} (remainder * alpha^3 -> 0, "
                  "SymPy), means of |y|^2, "
                  "|y|^4 are m2, m4; the rest by SymPy limit", "every sample y_1..y_n, m2 > 0")


@claim("lemma6.root_exists", "lemma6", ["root_exists"], expected=Status.EXACT,
       depends=["lemma6.limit_at_zero", "lemma6.limit_at_infinity"])
def lemma6_root(ctx: Ctx) -> Report:
    """The implication: 3 m2^2 > m4 makes the tail coefficient positive (a positive
    multiple); the gap condition is carried over. With the two limits, h - rhs < 0 near
    alpha = 0 and > 0 for large alpha: a finite root by the intermediate value theorem."""
    st = get("lemma6").statements["root_exists"]
    deps = [ctx.dep("lemma6.limit_at_zero"), ctx.dep("lemma6.limit_at_infinity")]
    prem, concl = st.args
    ok = isinstance(prem, sp.And) and isinstance(concl, sp.And)
    if ok:
        pa = list(prem.args)
        ca = list(concl.args)
        matched = 0
        for c_ in ca:
            if c_ in pa:
                matched += 1
                continue
            for p_ in pa:
                if type(p_) is type(c_):
                    ratio = sp.simplify(_strict_diff(c_) / _strict_diff(p_))
                    if ratio.is_positive:
                        matched += 1
                        break
        ok = matched == len(ca)
    parts = deps + [part("implication", "each conclusion is a premise or a positive multiple "
                         "of one", _ok(ok), "SymPy", "m2, m4 > 0")]
    return report("lemma6.root_exists", derived_status(p.status for p in parts),
                  "symbolic (SymPy); with limit_at_zero and limit_at_infinity the "
                  "intermediate value theorem gives a finite root of eq. 19",
                  "every sample y_1..y_n", parts=parts)


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
    ok_ind, _ = _cauchy_schwarz_induction()
    ell, _ = _summand(get("lemma5").parts["log_likelihood"])
    c = sp.Symbol("c", positive=True)
    lims = [sp.limit(ell.subs({_Y: sgn * c, gmm.mu: c}), gmm.sigma, 0, "+") for sgn in (1, -1)]
    ok = ok_ind and all(v is sp.oo for v in lims)
    return report("lemma6.unbounded_if_equal", _ok(ok), "symbolic: Cauchy–Schwarz equality "
                  "case (induction, SymPy) + SymPy limit of each log-likelihood summand at "
                  f"y = +-c, mu = c as sigma -> 0+: {lims}", "every sample with m2 > 0",
                  "m2 > 0 rules out the all-zero sample (c > 0).")
